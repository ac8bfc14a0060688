"""WattShift's answers as pydantic models, and their conversion to the values of `types`.

Why pydantic (v2): each answer is declared once, as a model, instead of being read by hand;
`AliasChoices` says that one field has two wire names (`ratePlans` / `wsRatePlans`, `id` /
`homeId`, `utilityId` / `UtilityId`, `imports` / `import`); `BeforeValidator`s (`tolerances`)
hold what a sloppy upstream needs (integer ids and ZIP codes, null for absent, unreadable times);
its mypy plugin checks the models; and it is widely known, so nobody has to learn a local idiom to
change a field.

JSON is decoded with `json.loads` (floats as Decimal, NaN and Infinity refused), so "not JSON" is
detected as it always was; pydantic validates the decoded value. Whatever does not fit the
contract becomes a `ShapeError` naming the first problem, for the log.
"""

import json
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from onboarding.wattshift.tolerances import (
    LENIENT_TEXT,
    PROBLEM,
    SECONDS,
    ZIPCODE,
    a_list,
    a_number,
    a_time,
    an_id,
    numbers,
    problem,
    read_lenient_text,
    read_numbers,
    text,
)
from onboarding.wattshift.types import (
    CreatedHome,
    ErrorEnvelope,
    FieldError,
    Home,
    PriceSignal,
    RatePlan,
    Utility,
)

PRICE_INTERVAL = timedelta(minutes=15)


class ShapeError(ValueError):
    """The answer is not what the contract describes (the client makes it InvalidAnswer)."""


def _reject_constant(name: str) -> None:
    raise ShapeError(f"non-finite number {name}")


def decode(body: bytes, *, empty_ok: bool) -> Any:
    """The JSON of a 2xx answer (None for an accepted empty body)."""
    if not body.strip():
        if empty_ok:
            return None
        raise ShapeError("empty body")
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise ShapeError(f"not JSON ({type(error).__name__})") from None


def _alias(names: tuple[str, ...]) -> str | AliasChoices:
    return AliasChoices(*names) if len(names) > 1 else names[0]


def _required(*names: str) -> Any:
    """A field the answer must have: absent, it still reaches its validator, which names it."""
    return Field(default=None, validate_default=True, validation_alias=_alias(names))


def _optional(*names: str, default: object = "") -> Any:
    return Field(default=default, validation_alias=_alias(names))


class _Object(BaseModel):
    """One JSON object of an answer. Null is read as absent, as the contract's readers always
    did, so `{"ratePlans": null, "wsRatePlans": [...]}` still finds its plans."""

    model_config = ConfigDict(frozen=True)
    what: ClassVar[str] = "answer"

    @model_validator(mode="before")
    @classmethod
    def _present_fields(cls, value: object) -> object:
        if not isinstance(value, dict):
            raise problem(f"{cls.what} is not an object")
        return {key: item for key, item in value.items() if item is not None}


class _RatePlan(_Object):
    what = "rate plan"

    id: Annotated[str, an_id("rate plan id")] = _required("id")
    name: Annotated[str, text("ratePlanName", required=True)] = _required("ratePlanName")
    rate_id: Annotated[str, text("rateID")] = _optional("rateID")
    supported_type: Annotated[str, text("supportedType")] = _optional("supportedType")

    def as_rate_plan(self) -> RatePlan:
        return RatePlan(self.id, self.name, self.rate_id, self.supported_type)


class _Utility(_Object):
    what = "utility"

    # The older docs call the plans wsRatePlans, the current ones ratePlans.
    rate_plans: Annotated[tuple[_RatePlan, ...], a_list("rate plans are not a list")] = _optional(
        "ratePlans", "wsRatePlans", default=()
    )
    id: Annotated[str, an_id("utilityId")] = _required("utilityId")
    name: Annotated[str, text("utilityName", required=True)] = _required("utilityName")

    def as_utility(self) -> Utility:
        return Utility(self.id, self.name, tuple(plan.as_rate_plan() for plan in self.rate_plans))


class _Home(_Object):
    what = "home"

    id: Annotated[str, an_id("home id")] = _required("id")
    name: Annotated[str, text("name")] = _optional("name")
    zipcode: Annotated[str, ZIPCODE] = _optional("zipcode")
    # homes/list and homes/update print it as UtilityId, homes/create takes utilityId.
    utility_id: Annotated[str, text("utilityId")] = _optional("utilityId", "UtilityId")
    rate_plan_id: Annotated[str, text("ratePlanId")] = _optional("ratePlanId")
    created_at: Annotated[str, LENIENT_TEXT] = _optional("createdAt")

    def as_home(self) -> Home:
        fields = (self.id, self.name, self.zipcode, self.utility_id, self.rate_plan_id)
        return Home(*fields, created_at=self.created_at)


def _homes_in(value: object) -> object:
    """homes/list answers a list, or an object holding it under `homes` or `data`."""
    if isinstance(value, dict):
        lists = (value[key] for key in ("homes", "data") if isinstance(value.get(key), list))
        value = next(lists, None)
    if not isinstance(value, list):
        raise problem("homes/list did not answer a list")
    return value


class _CreatedHome(_Object):
    id: Annotated[str, an_id("id")] = _required("id", "homeId")


def _read_token(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise problem("no sessionToken string in the answer")
    return value


class _SessionToken(_Object):
    token: Annotated[str, BeforeValidator(_read_token)] = _required("sessionToken")


class _Segment(_Object):
    """One run of equal prices in the current price-signal shape's `data`."""

    what = "data segment"

    start: Annotated[datetime, a_time("segment startTime")] = _required("startTime")
    end: Annotated[datetime, a_time("segment endTime")] = _required("endTime")
    price: Annotated[Decimal, a_number("segment price")] = _required("price")


_SEGMENTS: TypeAdapter[list[_Segment]] = TypeAdapter(
    Annotated[list[_Segment], a_list("data is not a list")]
)


def _prices_from_segments(data: object, start: datetime | None) -> tuple[Decimal, ...]:
    """Expand equal-price segments into 15-minute prices; they must tile from `start` on."""
    try:
        segments = _SEGMENTS.validate_python(data)
    except ValidationError as error:
        raise problem(_firstproblem(error)) from None
    prices: list[Decimal] = []
    for segment in segments:
        if start is None:
            break  # startTime itself is unreadable, which is reported first
        expected = start + PRICE_INTERVAL * len(prices)
        if segment.start != expected or segment.end <= segment.start:
            raise problem("data segments are not contiguous")
        count, rest = divmod(segment.end - segment.start, PRICE_INTERVAL)
        if rest:
            raise problem("data segment is not whole 15-minute intervals")
        prices.extend([segment.price] * count)
    return tuple(prices)


class _PriceSignal(BaseModel):
    """Both shapes: the older `priceSignal` list, or the current `prices` list or `data`
    segments. Null is not absent here: `"priceSignal": null` is a signal without prices."""

    model_config = ConfigDict(frozen=True)

    start: Annotated[datetime, a_time("startTime")] = _required("startTime")
    prices: tuple[Decimal, ...] = _required("prices")
    imports: Annotated[tuple[Decimal, ...], numbers("imports")] = _optional(
        "imports", "import", default=()
    )
    exports: Annotated[tuple[Decimal, ...], numbers("exports")] = _optional(
        "exports", "export", default=()
    )

    @model_validator(mode="before")
    @classmethod
    def _choose_prices(cls, value: object) -> object:
        """priceSignal when present, else prices, else data: the others are not read at all."""
        if not isinstance(value, dict):
            raise problem("price signal is not an object")
        passed_on = ("startTime", "imports", "import", "exports", "export")
        chosen = {key: value[key] for key in passed_on if key in value}
        if "priceSignal" in value:
            chosen["prices"] = ("priceSignal", value["priceSignal"])
        elif found := next((k for k in ("prices", "data") if value.get(k) is not None), ""):
            chosen["prices"] = (found, value[found])
        return chosen

    @field_validator("prices", mode="before")
    @classmethod
    def _read_prices(cls, chosen: object, info: ValidationInfo) -> tuple[Decimal, ...]:
        if not isinstance(chosen, tuple):
            raise problem("neither priceSignal, prices nor data in the answer")
        source, value = chosen
        if source == "data":
            prices = _prices_from_segments(value, info.data.get("start"))
        else:
            prices = read_numbers(value, source)
        if not prices:
            raise problem("no prices")
        return prices

    def as_price_signal(self) -> PriceSignal:
        return PriceSignal(self.start, PRICE_INTERVAL, self.prices, self.imports, self.exports)


def _usable_field_errors(value: object) -> list[object]:
    """The envelope is worth keeping even when one of its field errors is garbled."""
    items = value if isinstance(value, list) else []
    return [
        item for item in items if isinstance(item, dict) and read_lenient_text(item.get("field"))
    ]


class _FieldError(_Object):
    field: Annotated[str, LENIENT_TEXT] = _required("field")
    message: Annotated[str, LENIENT_TEXT] = _optional("message")


class _ErrorEnvelope(_Object):
    request_id: Annotated[str, an_id("request_id")] = _required("request_id")
    message: Annotated[str, text("message", required=True)] = _required("message")
    error_code: Annotated[str, LENIENT_TEXT] = _optional("error_code")
    recovery_action: Annotated[str, LENIENT_TEXT] = _optional("recovery_action")
    field_errors: Annotated[tuple[_FieldError, ...], BeforeValidator(_usable_field_errors)] = (
        _optional("field_errors", default=())
    )
    retry_after_seconds: Annotated[int | None, SECONDS] = _optional(
        "retry_after_seconds", default=None
    )

    def as_envelope(self, field_names: Mapping[str, str]) -> ErrorEnvelope:
        field_errors = tuple(
            FieldError(field_names.get(item.field, item.field), item.message)
            for item in self.field_errors
        )
        return ErrorEnvelope(
            self.request_id,
            self.message,
            self.error_code,
            self.recovery_action,
            field_errors,
            self.retry_after_seconds,
        )


_UTILITIES: TypeAdapter[list[_Utility]] = TypeAdapter(
    Annotated[list[_Utility], a_list("utility/get did not answer a list")]
)
_HOMES: TypeAdapter[list[_Home]] = TypeAdapter(Annotated[list[_Home], BeforeValidator(_homes_in)])


def _firstproblem(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    if first["type"] == PROBLEM:
        return str(first["msg"])
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def _valid[T](read: Callable[[object], T], answer: object) -> T:
    try:
        return read(answer)
    except ValidationError as error:
        raise ShapeError(_firstproblem(error)) from None


def read_utilities(answer: object) -> list[Utility]:
    return [item.as_utility() for item in _valid(_UTILITIES.validate_python, answer)]


def read_homes(answer: object) -> list[Home]:
    return [item.as_home() for item in _valid(_HOMES.validate_python, answer)]


def read_created_home(answer: object) -> CreatedHome:
    # Anything but an object is an answer without an id.
    return CreatedHome(_valid(_CreatedHome.model_validate, _or_empty(answer)).id)


def read_session_token(answer: object) -> str:
    return _valid(_SessionToken.model_validate, _or_empty(answer)).token


def _or_empty(answer: object) -> object:
    return answer if isinstance(answer, dict) else {}


def read_price_signal(answer: object) -> PriceSignal:
    return _valid(_PriceSignal.model_validate, answer).as_price_signal()


def read_error_envelope(body: bytes, field_names: Mapping[str, str]) -> ErrorEnvelope | None:
    """The envelope of an error answer, with request field names translated by `field_names`
    (unknown ones kept); None when the body is in an older shape, or not JSON at all."""
    try:
        answer = json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)
        return _ErrorEnvelope.model_validate(answer).as_envelope(field_names)
    except (ValueError, RecursionError):  # ValidationError and ShapeError are ValueErrors
        return None
