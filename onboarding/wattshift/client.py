"""The one place that speaks to the WattShift API: paths, headers, JSON, timeouts, retries.

Answers become the dataclasses of `types`, failures the errors of `errors`. Nothing else in
the project builds an upstream URL or reads upstream JSON. The API key and session tokens
never reach a log line, an exception or a repr.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from http.client import HTTPException, IncompleteRead, RemoteDisconnected
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

from onboarding.wattshift.errors import (
    InvalidAnswer,
    OutcomeUnknown,
    ReadTimedOut,
    Rejected,
    Unauthorized,
    UpstreamServerError,
    UpstreamUnavailable,
    WattShiftError,
)
from onboarding.wattshift.types import (
    Appliance,
    CreatedHome,
    Home,
    HomeDetails,
    PriceSignal,
    RatePlan,
    Utility,
)

logger = logging.getLogger("onboarding.wattshift")

AUTH_API_KEY = "api-key"
AUTH_SESSION_TOKEN = "session-token"  # noqa: S105 - a mode name, not a secret
PRICE_INTERVAL = timedelta(minutes=15)
APPLIANCE_WIRE_NAMES = {
    Appliance.EV_CHARGER: "hasEvCharger",
    Appliance.ELECTRIC_HEATER: "hasElectricHeater",
    Appliance.SMART_WATER_HEATER: "hasSmartWaterHeater",
    Appliance.ELECTRIC_WATER_HEATER: "hasElectricWaterHeater",
    Appliance.AC: "hasAC",
}
RETRYABLE_STATUSES = frozenset({502, 503, 504})
MAX_REASON_LENGTH = 200
MAX_CONNECT_TIMEOUT = 5.0
DEADLINE_FACTOR = 2.5  # default deadline of a call with its retries, in timeouts
MIN_ATTEMPT_SECONDS = 1.0  # no retry is started with less time than this left
USER_AGENT = "wattshift-onboarding/0.1"

# Every session token this process has minted recently, so the log filter can redact it.
_known_tokens: deque[str] = deque(maxlen=32)
_known_tokens_lock = threading.Lock()


def current_session_tokens() -> list[str]:
    """Session tokens minted recently by any client in this process (for log redaction)."""
    with _known_tokens_lock:
        return list(_known_tokens)


def _remember_token(token: str) -> None:
    with _known_tokens_lock:
        if token not in _known_tokens:
            _known_tokens.append(token)


@dataclass(frozen=True)
class _Call:
    """One endpoint as the client uses it."""

    path: str
    # A repeat is harmless (reads and token minting). A call that is not (create, solar,
    # update) reports outcome_known=False for anything after sending but a 4xx.
    retryable: bool
    use_token: bool = True  # False only for minting the token itself


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
    ) -> None:
        if auth not in {AUTH_API_KEY, AUTH_SESSION_TOKEN}:
            raise ValueError("auth must be 'api-key' or 'session-token'.")
        if timeout <= 0:
            raise ValueError("timeout must be positive.")
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.timeout = (min(timeout, MAX_CONNECT_TIMEOUT), timeout)
        self.retries = max(0, int(retries))
        self.backoff = max(0.0, backoff)
        # A call and its retries end within the deadline, well inside a web worker's timeout.
        self.deadline = deadline if deadline and deadline > 0 else timeout * DEADLINE_FACTOR
        self._api_key = api_key
        self._token: str | None = None
        self._token_lock = threading.Lock()
        self._sleep: Callable[[float], None] = time.sleep
        self._clock: Callable[[], float] = time.monotonic
        # One pooled session per client; the secret headers are added per request, never here.
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})

    def __repr__(self) -> str:
        return f"<WattShiftClient {self.base_url} auth={self.auth}>"

    def close(self) -> None:
        self._session.close()

    # Endpoints ---------------------------------------------------------------------------

    @sensitive_variables("answer", "token")
    def generate_session_token(self) -> str:
        """Mint a new session token with the API key (onboarding/session-token/generate)."""
        answer = self._post(
            _Call("/v1/onboarding/session-token/generate", retryable=True, use_token=False), {}
        )
        token = answer.get("sessionToken") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise self._invalid("session-token/generate", "no sessionToken string in the answer")
        _remember_token(token)
        return token

    def utilities_for_zip(self, zipcode: str, *, solar_first: bool = False) -> list[Utility]:
        """The utilities serving a ZIP code, each with its rate plans (may be empty)."""
        if not isinstance(zipcode, str):
            raise TypeError("zipcode must be a string such as '02139'.")
        body: dict[str, Any] = {"zipcode": zipcode}
        if solar_first:
            body["isSolarPrioritizedOrder"] = True
        answer = self._post(_Call("/v1/utility/get", retryable=True), body)
        try:
            return _parse_utilities(answer)
        except _ShapeError as error:
            raise self._invalid("/v1/utility/get", str(error)) from None

    def create_home(self, details: HomeDetails) -> CreatedHome:
        """Create a home. Never repeated: on OutcomeUnknown the home may exist upstream."""
        path = "/v1/homes/create"
        answer = self._post(_Call(path, retryable=False), home_request_body(details))
        home_id = answer.get("id") if isinstance(answer, dict) else None
        if home_id is None and isinstance(answer, dict):
            home_id = answer.get("homeId")
        try:
            return CreatedHome(id=_id(home_id, "id"))
        except _ShapeError as error:
            raise self._invalid(path, str(error), outcome_known=False) from None

    def add_solar(self, *, home_id: str, size_kw: Decimal, net_metered: bool) -> None:
        """Record a home's solar system (POST /v1/homes/solar/create); not repeated."""
        body = {
            "homeId": _require_id(home_id),
            "solarSystemSizeKw": _json_number(size_kw),
            "isNonNetMetered": not net_metered,
        }
        self._post(_Call("/v1/homes/solar/create", retryable=False), body, empty_ok=True)

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
        body: dict[str, str] = {}
        if start is not None and end is not None:
            body = {"startTime": _iso(start), "endTime": _iso(end)}
        path = f"/v1/homes/{_path_id(home_id)}/price_signal"
        answer = self._post(_Call(path, retryable=True), body)
        try:
            return _parse_price_signal(answer)
        except _ShapeError as error:
            raise self._invalid(path, str(error)) from None

    def list_homes(self) -> list[Home]:
        """The organisation's homes (POST /v1/homes/list)."""
        path = "/v1/homes/list"
        answer = self._post(_Call(path, retryable=True), {})
        try:
            return _parse_homes(answer)
        except _ShapeError as error:
            raise self._invalid(path, str(error)) from None

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
        """Change fields of an existing home; only the ones given are sent."""
        body: dict[str, Any] = {
            wire: value
            for wire, value in (
                ("name", name),
                ("zipcode", zipcode),
                ("utilityId", utility_id),
                ("ratePlanId", rate_plan_id),
            )
            if value is not None
        }
        if solar_size_kw is not None:
            body["solarSystemSizeKw"] = _json_number(solar_size_kw)
        if net_metered is not None:
            body["isNonNetMetered"] = not net_metered
        if not body:
            raise ValueError("Nothing to update.")
        path = f"/v1/homes/{_path_id(home_id)}/update"
        self._post(_Call(path, retryable=False), body, empty_ok=True)

    # The wire ----------------------------------------------------------------------------

    # Error reports (Django's debug page, AdminEmailHandler) must not show the token locals.
    @sensitive_variables("token", "fresh")
    def _post(self, call: _Call, body: Mapping[str, Any], *, empty_ok: bool = False) -> Any:
        """POST and return the decoded JSON answer (None for an accepted empty body)."""
        use_token = call.use_token and self.auth == AUTH_SESSION_TOKEN
        token = self._cached_token() if use_token else None
        try:
            return self._post_with_retries(call, body, token, empty_ok=empty_ok)
        except Unauthorized as error:
            if token is None or error.status != 401:
                raise
        # A 401 means the call was not processed, so one repeat with a fresh token is safe.
        fresh = self._renew_token(token)
        return self._post_with_retries(call, body, fresh, empty_ok=empty_ok)

    @sensitive_variables("token")
    def _post_with_retries(
        self, call: _Call, body: Mapping[str, Any], token: str | None, *, empty_ok: bool
    ) -> Any:
        attempts = 1 + (self.retries if call.retryable else 0)
        ends = self._clock() + self.deadline
        connect, read = self.timeout
        for attempt in range(1, attempts + 1):
            timeout = (
                (connect, read) if attempt == 1 else (connect, min(read, ends - self._clock()))
            )
            try:
                return self._attempt(
                    call, body, token, attempt, attempts, timeout, empty_ok=empty_ok
                )
            except (UpstreamUnavailable, OutcomeUnknown, UpstreamServerError) as error:
                pause = self.backoff * 2 ** (attempt - 1)
                retry = (
                    attempt < attempts
                    and _worth_repeating(error)
                    and ends - self._clock() - pause >= MIN_ATTEMPT_SECONDS
                )
                if not retry:
                    raise
            self._sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    @sensitive_variables("token")
    def _headers(self, token: str | None) -> dict[str, str]:
        if token is not None:
            return {"Authorization": f"Bearer {token}"}
        return {"x-ws-api-key": self._api_key}

    @sensitive_variables("token")
    def _attempt(
        self,
        call: _Call,
        body: Mapping[str, Any],
        token: str | None,
        attempt: int,
        attempts: int,
        timeout: tuple[float, float],
        *,
        empty_ok: bool,
    ) -> Any:
        started = time.monotonic()

        def log(status: int | None, outcome: str, level: int = logging.INFO) -> None:
            duration_ms = round((time.monotonic() - started) * 1000)
            logger.log(
                level,
                "WattShift POST %s status=%s duration_ms=%d attempt=%d/%d outcome=%s",
                call.path,
                status if status is not None else "-",
                duration_ms,
                attempt,
                attempts,
                outcome,
                extra={
                    "ws_endpoint": call.path,
                    "ws_status": status,
                    "ws_duration_ms": duration_ms,
                    "ws_attempt": attempt,
                    "ws_outcome": outcome,
                },
            )

        try:
            response = self._session.post(
                self.base_url + call.path,
                json=dict(body),
                headers=self._headers(token),
                timeout=timeout,
                allow_redirects=False,  # a redirect would turn the POST into a GET elsewhere
            )
        except requests.RequestException as exc:
            error, outcome = _transport_error(exc)
            log(None, outcome)
            self._log_detail(call.path, f"{type(exc).__name__}: {exc}")
            if call.retryable and isinstance(error, OutcomeUnknown):
                # A read changes nothing upstream, so its silence needs no alarming wording.
                error = type(error)(OutcomeUnknown.nothing_changed_message, outcome_known=True)
            raise error from None

        status = response.status_code
        if 200 <= status < 300:
            try:
                answer = _decode(response.content, empty_ok=empty_ok)
            except _ShapeError as problem:
                log(status, "invalid_answer")
                raise self._invalid(
                    call.path, str(problem), outcome_known=call.retryable, body=response.content
                ) from None
            log(status, "ok")
            return answer

        log(status, _status_outcome(status))
        self._log_detail(call.path, f"HTTP {status}: {_snippet(response.content)}")
        if status in {401, 403}:
            raise Unauthorized(status=status)
        if 400 <= status < 500:
            reason = self._redact(_upstream_reason(response.content))
            message = (
                _("The WattShift service refused the request: %(reason)s") % {"reason": reason}
                if reason
                else None
            )
            raise Rejected(message, status=status)
        if status >= 500:
            # Any 5xx (a proxy's or the backend's own) may hide a change that was made.
            raise UpstreamServerError(status=status, outcome_known=call.retryable)
        raise InvalidAnswer(status=status, outcome_known=call.retryable)

    # Session tokens ----------------------------------------------------------------------

    def _cached_token(self) -> str:
        with self._token_lock:
            if self._token is None:
                self._token = self.generate_session_token()
            return self._token

    @sensitive_variables("rejected")
    def _renew_token(self, rejected: str) -> str:
        with self._token_lock:
            # Another thread may already have replaced the rejected token.
            if self._token is None or self._token == rejected:
                self._token = self.generate_session_token()
            return self._token

    # Secrets-safe reporting --------------------------------------------------------------

    @sensitive_variables("secret")
    def _redact(self, text: str) -> str:
        for secret in [self._api_key, *current_session_tokens()]:
            if secret and len(secret) >= 4:
                text = text.replace(secret, "[redacted]")
        return text

    def _log_detail(self, path: str, detail: str) -> None:
        logger.warning("WattShift POST %s failed: %s", path, self._redact(detail))

    def _invalid(
        self, path: str, problem: str, *, outcome_known: bool = True, body: bytes | None = None
    ) -> InvalidAnswer:
        detail = problem if body is None else f"{problem}; body: {_snippet(body)}"
        self._log_detail(path, f"invalid answer: {detail}")
        return InvalidAnswer(outcome_known=outcome_known)


# Request bodies ----------------------------------------------------------------------------


def home_request_body(details: HomeDetails) -> dict[str, Any]:
    """The JSON body of homes/create: unanswered questions omitted, "not sure" sent as null."""
    body: dict[str, Any] = {
        "name": details.name,
        "zipcode": details.zipcode,
        "utilityId": details.utility_id,
        "ratePlanId": details.rate_plan_id,
    }
    for appliance, name in APPLIANCE_WIRE_NAMES.items():
        if appliance in details.appliances:
            value = details.appliances[appliance]
            if value is not None and not isinstance(value, bool):
                raise TypeError(f"{name} must be True, False or None.")
            body[name] = value
    if details.ac_type:
        body["acType"] = details.ac_type
    for name in ("name", "zipcode", "utilityId", "ratePlanId"):
        if not isinstance(body[name], str) or not body[name]:
            raise ValueError(f"{name} must be a non-empty string.")
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


# Failures ----------------------------------------------------------------------------------


def _causes(exc: BaseException) -> Iterable[BaseException]:
    """The exception, what it wraps (args, reason) and its causes, breadth first."""
    seen: set[int] = set()
    queue: list[BaseException] = [exc]
    while queue:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked.extend(current.args)
        queue.extend(item for item in linked if isinstance(item, BaseException))


def _transport_error(exc: requests.RequestException) -> tuple[WattShiftError, str]:
    """Map a requests failure to (error, log outcome)."""
    if isinstance(exc, requests.ConnectTimeout):
        return UpstreamUnavailable(), "connect_timeout"
    if isinstance(exc, requests.ReadTimeout):
        return ReadTimedOut(), "read_timeout"
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return OutcomeUnknown(), "dropped"
    if isinstance(exc, requests.ConnectionError):
        for cause in _causes(exc):
            if isinstance(cause, MaxRetryError):
                continue  # urllib3 wraps failures to connect in MaxRetryError
            if isinstance(
                cause,
                ProtocolError | RemoteDisconnected | IncompleteRead | ReadTimeoutError,
            ) or (isinstance(cause, HTTPException) and cause is not exc):
                return OutcomeUnknown(), "dropped"
        return UpstreamUnavailable(), "connect_error"
    return UpstreamUnavailable(), "request_error"


def _worth_repeating(error: WattShiftError) -> bool:
    """Repeat a harmless call only when that is quick: a failure to connect, a gateway's 5xx,
    or a hang-up (a stale pooled connection). A read timeout already cost the whole timeout."""
    if isinstance(error, UpstreamServerError):
        return error.status in RETRYABLE_STATUSES
    if isinstance(error, OutcomeUnknown):
        return not isinstance(error, ReadTimedOut)
    return isinstance(error, UpstreamUnavailable)


def _status_outcome(status: int) -> str:
    if status in {401, 403}:
        return "unauthorized"
    if 400 <= status < 500:
        return "rejected"
    if status >= 500:
        return "server_error"
    return "unexpected_status"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_TAGS = re.compile(r"<[^>]*>")
_REASON_KEYS = ("message", "error_description", "error", "detail", "errors", "title", "reason")


def _clean(text: str, limit: int = MAX_REASON_LENGTH) -> str:
    text = " ".join(_CONTROL.sub(" ", _TAGS.sub(" ", text)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _snippet(body: bytes) -> str:
    return _clean(body.decode("utf-8", "replace")) or "(empty)"


def _reason_from(value: object, depth: int = 0) -> str:
    if depth > 3:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in _REASON_KEYS:
            found = _reason_from(value.get(key), depth + 1)
            if found:
                return found
        return ""
    if isinstance(value, list):
        return "; ".join(filter(None, (_reason_from(item, depth + 1) for item in value[:3])))
    return ""


def _upstream_reason(body: bytes) -> str:
    """The upstream's own explanation of a 4xx, when its JSON body gives one."""
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    return _clean(_reason_from(answer if isinstance(answer, dict) else {"errors": answer}))


# Answers -----------------------------------------------------------------------------------


class _ShapeError(ValueError):
    """The answer is not what the contract describes (becomes InvalidAnswer)."""


def _reject_constant(name: str) -> None:
    raise _ShapeError(f"non-finite number {name}")


def _decode(body: bytes, *, empty_ok: bool) -> Any:
    if not body.strip():
        if empty_ok:
            return None
        raise _ShapeError("empty body")
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise _ShapeError(f"not JSON ({type(error).__name__})") from None


def _id(value: object, name: str) -> str:
    """An upstream id as a string; a sloppy integer id becomes its digits."""
    if isinstance(value, bool):
        raise _ShapeError(f"{name} is a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise _ShapeError(f"{name} missing or not a string")


def _text(item: Mapping[str, Any], name: str, *, required: bool = False) -> str:
    value = item.get(name)
    if value is None and not required:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _ShapeError(f"{name} missing or not a string")


def _zipcode(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 99999:
        return f"{value:05d}"  # an integer ZIP lost its leading zeros upstream
    raise _ShapeError("zipcode is not a string")


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _ShapeError(f"{what} is not an object")
    return value


def _parse_utilities(answer: Any) -> list[Utility]:
    if not isinstance(answer, list):
        raise _ShapeError("utility/get did not answer a list")
    utilities = []
    for raw in answer:
        item = _object(raw, "utility")
        plans_raw = item.get("ratePlans")
        if plans_raw is None:
            plans_raw = item.get("wsRatePlans")
        if plans_raw is None:
            plans_raw = []
        if not isinstance(plans_raw, list):
            raise _ShapeError("rate plans are not a list")
        plans = []
        for raw_plan in plans_raw:
            plan = _object(raw_plan, "rate plan")
            plans.append(
                RatePlan(
                    id=_id(plan.get("id"), "rate plan id"),
                    name=_text(plan, "ratePlanName", required=True),
                    rate_id=_text(plan, "rateID"),
                    supported_type=_text(plan, "supportedType"),
                )
            )
        utilities.append(
            Utility(
                id=_id(item.get("utilityId"), "utilityId"),
                name=_text(item, "utilityName", required=True),
                rate_plans=tuple(plans),
            )
        )
    return utilities


def _parse_homes(answer: Any) -> list[Home]:
    if isinstance(answer, dict):
        answer = next(
            (answer[key] for key in ("homes", "data") if isinstance(answer.get(key), list)),
            None,
        )
    if not isinstance(answer, list):
        raise _ShapeError("homes/list did not answer a list")
    homes = []
    for raw in answer:
        item = _object(raw, "home")
        homes.append(
            Home(
                id=_id(item.get("id"), "home id"),
                name=_text(item, "name"),
                zipcode=_zipcode(item.get("zipcode")),
                utility_id=_text(item, "utilityId"),
                rate_plan_id=_text(item, "ratePlanId"),
                created_at=_text(item, "createdAt"),
            )
        )
    return homes


def _datetime(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise _ShapeError(f"{name} missing or not a string")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise _ShapeError(f"{name} is not an ISO-8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _optional_datetime(value: object) -> datetime | None:
    """A time shown to a person (homes/list createdAt): unreadable is None, not an error."""
    try:
        return _datetime(value, "time")
    except _ShapeError:
        return None


def _decimal(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _ShapeError(f"{name} is not a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _ShapeError(f"{name} is not a number") from None
    if not number.is_finite():
        raise _ShapeError(f"{name} is not finite")
    return number


def _numbers(value: object, name: str) -> tuple[Decimal, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _ShapeError(f"{name} is not a list")
    return tuple(_decimal(item, name) for item in value)


def _prices_from_segments(data: object, start: datetime) -> tuple[Decimal, ...]:
    """Expand equal-price segments ({startTime, endTime, price}) into 15-minute prices."""
    if not isinstance(data, list):
        raise _ShapeError("data is not a list")
    prices: list[Decimal] = []
    for raw in data:
        segment = _object(raw, "data segment")
        begins = _datetime(segment.get("startTime"), "segment startTime")
        ends = _datetime(segment.get("endTime"), "segment endTime")
        if begins != start + PRICE_INTERVAL * len(prices) or ends <= begins:
            raise _ShapeError("data segments are not contiguous")
        count, rest = divmod(ends - begins, PRICE_INTERVAL)
        if rest:
            raise _ShapeError("data segment is not whole 15-minute intervals")
        prices.extend([_decimal(segment.get("price"), "segment price")] * count)
    return tuple(prices)


def _parse_price_signal(answer: Any) -> PriceSignal:
    item = _object(answer, "price signal")
    start = _datetime(item.get("startTime"), "startTime")
    if "priceSignal" in item:
        prices = _numbers(item["priceSignal"], "priceSignal")
    elif item.get("prices") is not None:
        prices = _numbers(item["prices"], "prices")
    elif item.get("data") is not None:
        prices = _prices_from_segments(item["data"], start)
    else:
        raise _ShapeError("neither priceSignal, prices nor data in the answer")
    if not prices:
        raise _ShapeError("no prices")
    imports = _numbers(item.get("imports", item.get("import")), "imports")
    exports = _numbers(item.get("exports", item.get("export")), "exports")
    return PriceSignal(
        start=start, interval=PRICE_INTERVAL, prices=prices, imports=imports, exports=exports
    )


# The shared client ---------------------------------------------------------------------------

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
