"""The WattShift endpoints: paths, request bodies, and which calls are harmless to repeat.

The only module of the project that knows the wire's request field names; answers are read by
`schema`, the wire itself is `transport`'s, session tokens are `tokens`'.
"""

import threading
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.views.decorators.debug import sensitive_variables

from onboarding.wattshift import schema
from onboarding.wattshift.tokens import SessionTokens, remember_token
from onboarding.wattshift.transport import Call, Transport
from onboarding.wattshift.types import (
    Appliance,
    CreatedHome,
    Home,
    HomeDetails,
    PriceSignal,
    Utility,
)

AUTH_API_KEY = "api-key"
AUTH_SESSION_TOKEN = "session-token"  # noqa: S105 - a mode name, not a secret

APPLIANCE_WIRE_NAMES: dict[Appliance, str] = {
    Appliance.EV_CHARGER: "hasEvCharger",
    Appliance.ELECTRIC_HEATER: "hasElectricHeater",
    Appliance.SMART_WATER_HEATER: "hasSmartWaterHeater",
    Appliance.ELECTRIC_WATER_HEATER: "hasElectricWaterHeater",
    Appliance.AC: "hasAC",
}
# WattShift names a refused field by its wire name; callers know only the client's names.
DOMAIN_NAMES: dict[str, str] = {
    "name": "name",
    "zipcode": "zipcode",
    "utilityId": "utility_id",
    "UtilityId": "utility_id",
    "ratePlanId": "rate_plan_id",
    "acType": "ac_type",
    "solarSystemSizeKw": "solar_size_kw",
    "isNonNetMetered": "net_metered",
    "homeId": "home_id",
    "startTime": "start",
    "endTime": "end",
    **{wire: appliance.value for appliance, wire in APPLIANCE_WIRE_NAMES.items()},
}

MINT = Call("/v1/onboarding/session-token/generate", retryable=True)
UTILITIES = Call("/v1/utility/get", retryable=True)
CREATE_HOME = Call("/v1/homes/create", retryable=False)
ADD_SOLAR = Call("/v1/homes/solar/create", retryable=False)
LIST_HOMES = Call("/v1/homes/list", retryable=True)


class WattShiftClient:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        auth: str = AUTH_API_KEY,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.2,
        deadline: float | None = None,
        lookup_timeout: float | None = None,
        lookup_deadline: float | None = None,
    ) -> None:
        """`timeout` and `deadline` bound every call; a ZIP code's lookup, which a person waits
        on, may be bounded tighter by `lookup_timeout` and `lookup_deadline`."""
        if auth not in {AUTH_API_KEY, AUTH_SESSION_TOKEN}:
            raise ValueError("auth must be 'api-key' or 'session-token'.")
        self.auth = auth
        self.transport = Transport(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            deadline=deadline,
            field_names=DOMAIN_NAMES,
        )
        self._tokens = SessionTokens(self.generate_session_token)
        self._utilities = replace(UTILITIES, timeout=lookup_timeout, deadline=lookup_deadline)

    def __repr__(self) -> str:
        return f"<WattShiftClient {self.base_url} auth={self.auth}>"

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    @property
    def timeout(self) -> tuple[float, float]:
        return self.transport.timeout

    @property
    def deadline(self) -> float:
        return self.transport.deadline

    def close(self) -> None:
        self.transport.close()

    @sensitive_variables("answer", "token")
    def generate_session_token(self) -> str:
        """Mint a new session token with the API key (onboarding/session-token/generate)."""
        answer = self.transport.post(MINT, {}, None)
        try:
            token = schema.read_session_token(answer)
        except schema.ShapeError as error:
            raise self.transport.invalid("session-token/generate", str(error)) from None
        remember_token(token)
        return token

    def utilities_for_zip(self, zipcode: str, *, solar_first: bool = False) -> list[Utility]:
        """The utilities serving a ZIP code, each with its rate plans (may be empty); with
        solar_first, the plans that suit a home with solar come first."""
        if not isinstance(zipcode, str):
            raise TypeError("zipcode must be a string such as '02139'.")
        body: dict[str, object] = {"zipcode": zipcode}
        if solar_first:
            body["isSolarPrioritizedOrder"] = True
        answer = self._post(self._utilities, body)
        try:
            return schema.read_utilities(answer)
        except schema.ShapeError as error:
            raise self.transport.invalid(UTILITIES.path, str(error)) from None

    def create_home(self, details: HomeDetails) -> CreatedHome:
        """Create a home. Never repeated: on OutcomeUnknown the home may exist upstream."""
        answer = self._post(CREATE_HOME, home_request_body(details))
        try:
            return schema.read_created_home(answer)
        except schema.ShapeError as error:
            raise self.transport.invalid(
                CREATE_HOME.path, str(error), outcome_known=False
            ) from None

    def add_solar(self, *, home_id: str, size_kw: Decimal, net_metered: bool) -> None:
        """Record a home's solar system (POST /v1/homes/solar/create); not repeated."""
        body = {
            "homeId": _require_id(home_id),
            "solarSystemSizeKw": _json_number(size_kw),
            "isNonNetMetered": not net_metered,
        }
        self._post(ADD_SOLAR, body, empty_ok=True)

    def price_signal(
        self,
        home_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> PriceSignal:
        """Prices per 15 minutes for a home; the next 24 hours unless start and end are given."""
        if (start is None) != (end is None):
            raise ValueError("Give both start and end, or neither.")
        body: dict[str, object] = {}
        if start is not None and end is not None:
            body = {"startTime": _iso(start), "endTime": _iso(end)}
        call = Call(f"/v1/homes/{_path_id(home_id)}/price_signal", retryable=True)
        answer = self._post(call, body)
        try:
            return schema.read_price_signal(answer)
        except schema.ShapeError as error:
            raise self.transport.invalid(call.path, str(error)) from None

    def list_homes(self) -> list[Home]:
        """The organisation's homes (POST /v1/homes/list)."""
        answer = self._post(LIST_HOMES, {})
        try:
            return schema.read_homes(answer)
        except schema.ShapeError as error:
            raise self.transport.invalid(LIST_HOMES.path, str(error)) from None

    def update_home(
        self,
        home_id: str,
        *,
        name: str | None = None,
        zipcode: str | None = None,
        utility_id: str | None = None,
        rate_plan_id: str | None = None,
        solar_size_kw: Decimal | None = None,
        net_metered: bool | None = None,
    ) -> None:
        """Change the given fields of an existing home (homes/{id}/update); not repeated."""
        fields: dict[str, object | None] = {
            "name": name,
            "zipcode": zipcode,
            "utilityId": utility_id,
            "ratePlanId": rate_plan_id,
            "solarSystemSizeKw": None if solar_size_kw is None else _json_number(solar_size_kw),
            "isNonNetMetered": None if net_metered is None else not net_metered,
        }
        body = {wire: value for wire, value in fields.items() if value is not None}
        if not body:
            raise ValueError("Nothing to update.")
        call = Call(f"/v1/homes/{_path_id(home_id)}/update", retryable=False)
        self._post(call, body, empty_ok=True)

    def _post(self, call: Call, body: Mapping[str, object], *, empty_ok: bool = False) -> Any:
        if self.auth != AUTH_SESSION_TOKEN:
            return self.transport.post(call, body, None, empty_ok=empty_ok)
        return self._tokens.send(partial(self.transport.post, call, body, empty_ok=empty_ok))


def home_request_body(details: HomeDetails) -> dict[str, object]:
    """The JSON body of homes/create: unanswered questions omitted, "not sure" sent as null."""
    body: dict[str, object] = {
        "name": details.name,
        "zipcode": details.zipcode,
        "utilityId": details.utility_id,
        "ratePlanId": details.rate_plan_id,
    }
    unknown = [str(key) for key in details.appliances if not isinstance(key, Appliance)]
    if unknown:
        raise TypeError(f"Unknown appliances: {', '.join(sorted(unknown))}.")
    for appliance, wire in APPLIANCE_WIRE_NAMES.items():
        if appliance in details.appliances:
            value = details.appliances[appliance]
            if value is not None and not isinstance(value, bool):
                raise TypeError(f"{appliance} must be True, False or None.")
            body[wire] = value
    if details.ac_type:
        body["acType"] = details.ac_type
    for wire in ("name", "zipcode", "utilityId", "ratePlanId"):
        if not isinstance(body[wire], str) or not body[wire]:
            raise ValueError(f"{wire} must be a non-empty string.")
    return body


def _json_number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError("Expected a number.")
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError("Expected a finite number.")
    return int(number) if number == number.to_integral_value() else float(number)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Use an aware datetime.")
    return moment.isoformat()


def _require_id(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("A home id must be a non-empty string.")
    return value


def _path_id(value: str) -> str:
    # The id goes into the path: quote everything so it cannot change the path.
    return quote(_require_id(value), safe="")


_shared_client: WattShiftClient | None = None
_shared_lock = threading.Lock()


def get_client() -> WattShiftClient:
    """The configured client, built once from settings and shared (one pooled Session)."""
    global _shared_client
    with _shared_lock:
        if _shared_client is None:
            _shared_client = WattShiftClient(
                base_url=settings.WS_API_URL,
                api_key=settings.WS_API_KEY,
                auth=settings.WS_API_AUTH,
                timeout=float(settings.WS_API_TIMEOUT),
                retries=int(getattr(settings, "WS_API_RETRIES", 2)),
                backoff=float(getattr(settings, "WS_API_BACKOFF", 0.2)),
                deadline=getattr(settings, "WS_API_DEADLINE", None),
                lookup_timeout=settings.WS_LOOKUP_TIMEOUT,
                lookup_deadline=settings.WS_LOOKUP_DEADLINE,
            )
        return _shared_client


def reset_client() -> None:
    """Forget the shared client so the next get_client() reads settings again."""
    global _shared_client
    with _shared_lock:
        if _shared_client is not None:
            _shared_client.close()
        _shared_client = None


@receiver(setting_changed)
def _rebuild_on_setting_change(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("WS_"):
        reset_client()
