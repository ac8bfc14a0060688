"""The wire: POST with JSON, headers, timeouts, retries within a deadline, and every failure
mapped to one of `errors`. The API key and session tokens never reach a log line, an exception
or a repr; an error answer's envelope is logged for administrators and carried on the error.
"""

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from http.client import HTTPException, IncompleteRead, RemoteDisconnected
from typing import Any

import requests
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

from onboarding.wattshift import schema
from onboarding.wattshift.errors import (
    InvalidAnswer,
    OutcomeUnknown,
    RateLimited,
    ReadTimedOut,
    Rejected,
    Unauthorized,
    UpstreamServerError,
    UpstreamUnavailable,
    WattShiftError,
)
from onboarding.wattshift.tokens import EXPIRED_CREDENTIAL, current_session_tokens
from onboarding.wattshift.types import ErrorEnvelope, FieldError

logger = logging.getLogger("onboarding.wattshift")

RETRYABLE_STATUSES = frozenset({502, 503, 504})
RATE_LIMITED = "RATE_LIMITED"
MAX_REASON_LENGTH = 200
MAX_ADVICE_LENGTH = 500
MAX_CONNECT_TIMEOUT = 5.0
DEADLINE_FACTOR = 2.5  # in timeouts: room for quick retries, well inside a worker's timeout
MIN_ATTEMPT_SECONDS = 1.0  # a retry with less time left than this could not be answered
USER_AGENT = "wattshift-onboarding/0.1"


@dataclass(frozen=True)
class Call:
    """One endpoint as the client uses it."""

    path: str
    retryable: bool  # a read or a mint: repeating it, or its lost answer, changes nothing
    # A call a person waits on may have its own, shorter read timeout and deadline.
    timeout: float | None = None
    deadline: float | None = None


class Transport:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        timeout: float,
        retries: int,
        backoff: float,
        deadline: float | None,
        field_names: Mapping[str, str],
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive.")
        self.base_url = base_url.rstrip("/")
        self.timeout = (min(timeout, MAX_CONNECT_TIMEOUT), timeout)
        self.retries = max(0, int(retries))
        self.backoff = max(0.0, backoff)
        # A call and its retries end within the deadline, well inside a web worker's timeout.
        self.deadline = deadline if deadline and deadline > 0 else timeout * DEADLINE_FACTOR
        self.sleep: Callable[[float], None] = time.sleep
        self.clock: Callable[[], float] = time.monotonic
        self._api_key = api_key
        self._field_names = field_names
        # One pooled session; the secret headers are added per request, never here.
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})

    def __repr__(self) -> str:
        return f"<Transport {self.base_url}>"

    def close(self) -> None:
        self._session.close()

    @sensitive_variables("token")
    def post(
        self, call: Call, body: Mapping[str, object], token: str | None, *, empty_ok: bool = False
    ) -> Any:
        """POST (with the token, else the API key) and return the decoded JSON answer, None for
        an accepted empty body; harmless calls are repeated after quick failures."""
        attempts = 1 + (self.retries if call.retryable else 0)
        ends = self.clock() + (call.deadline or self.deadline)
        connect, read = self.timeout
        if call.timeout:
            connect, read = min(connect, call.timeout), call.timeout
        for attempt in range(1, attempts + 1):
            timeout = (connect, read) if attempt == 1 else (connect, min(read, ends - self.clock()))
            try:
                return self._attempt(call, body, token, (attempt, attempts), timeout, empty_ok)
            except (UpstreamUnavailable, OutcomeUnknown, UpstreamServerError) as error:
                pause = self.backoff * 2 ** (attempt - 1)
                retry = (
                    attempt < attempts
                    and _worth_repeating(error)
                    and ends - self.clock() - pause >= MIN_ATTEMPT_SECONDS
                )
                if not retry:
                    raise
            self.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def invalid(
        self, path: str, problem: str, *, outcome_known: bool = True, body: bytes | None = None
    ) -> InvalidAnswer:
        """An answer that does not fit the contract: the problem is logged, not shown."""
        detail = problem if body is None else f"{problem}; body: {_snippet(body)}"
        self._log_detail(path, f"invalid answer: {detail}")
        return InvalidAnswer(outcome_known=outcome_known)

    @sensitive_variables("token")
    def _headers(self, token: str | None) -> dict[str, str]:
        if token is not None:
            return {"Authorization": f"Bearer {token}"}
        return {"x-ws-api-key": self._api_key}

    @sensitive_variables("token")
    def _attempt(
        self,
        call: Call,
        body: Mapping[str, object],
        token: str | None,
        attempt: tuple[int, int],
        timeout: tuple[float, float],
        empty_ok: bool,
    ) -> Any:
        started = time.monotonic()
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
            _log_attempt(call, None, outcome, attempt, started)
            self._log_detail(call.path, f"{type(exc).__name__}: {exc}")
            if call.retryable and isinstance(error, OutcomeUnknown):
                # A read changes nothing upstream, so its silence needs no alarming wording.
                error = type(error)(OutcomeUnknown.nothing_changed_message, outcome_known=True)
            raise error from None

        status = response.status_code
        if 200 <= status < 300:
            try:
                answer = schema.decode(response.content, empty_ok=empty_ok)
            except schema.ShapeError as problem:
                _log_attempt(call, status, "invalid_answer", attempt, started)
                raise self.invalid(
                    call.path, str(problem), outcome_known=call.retryable, body=response.content
                ) from None
            _log_attempt(call, status, "ok", attempt, started)
            return answer
        envelope = self._envelope(response.content)
        error = self._failure(call, response, envelope)
        _log_attempt(call, status, _outcome(error), attempt, started, envelope)
        self._log_detail(call.path, f"HTTP {status}: {_snippet(response.content)}")
        if envelope is not None and envelope.recovery_action:
            logger.warning(
                "WattShift POST %s request_id=%s error_code=%s recovery_action: %s",
                call.path,
                envelope.request_id,
                envelope.error_code or "-",
                envelope.recovery_action,
            )
        raise error

    def _failure(
        self, call: Call, response: requests.Response, envelope: ErrorEnvelope | None
    ) -> WattShiftError:
        status = response.status_code
        code = envelope.error_code if envelope else ""
        if status == 429 or code == RATE_LIMITED:
            wait = envelope.retry_after_seconds if envelope else None
            if wait is None:
                wait = _retry_after_header(response.headers.get("Retry-After"))
            return RateLimited(retry_after=wait, status=status, envelope=envelope)
        # An expired credential was not processed whatever the status: renewable, outcome known.
        if status in {401, 403} or code == EXPIRED_CREDENTIAL:
            return Unauthorized(status=status, envelope=envelope)
        if 400 <= status < 500:
            reason = envelope.message if envelope and envelope.message else ""
            reason = reason or self._redact(_upstream_reason(response.content))
            message = (
                _("The WattShift service refused the request: %(reason)s") % {"reason": reason}
                if reason
                else None
            )
            return Rejected(message, status=status, envelope=envelope)
        if status >= 500:
            # Any 5xx (a proxy's or the backend's own) may hide a change that was made.
            return UpstreamServerError(
                status=status, outcome_known=call.retryable, envelope=envelope
            )
        return InvalidAnswer(status=status, outcome_known=call.retryable, envelope=envelope)

    def _envelope(self, body: bytes) -> ErrorEnvelope | None:
        """The envelope, cleaned and redacted: its text may end up on a page or in a log."""
        found = schema.read_error_envelope(body, self._field_names)
        if found is None:
            return None

        def safe(text: str, limit: int = MAX_REASON_LENGTH) -> str:
            return self._redact(_clean(text, limit))

        return replace(
            found,
            request_id=safe(found.request_id),
            message=safe(found.message),
            error_code=safe(found.error_code),
            recovery_action=safe(found.recovery_action, MAX_ADVICE_LENGTH),
            field_errors=tuple(
                FieldError(field=safe(item.field), message=safe(item.message))
                for item in found.field_errors
            ),
        )

    @sensitive_variables("secret")
    def _redact(self, text: str) -> str:
        for secret in [self._api_key, *current_session_tokens()]:
            if secret and len(secret) >= 4:
                text = text.replace(secret, "[redacted]")
        return text

    def _log_detail(self, path: str, detail: str) -> None:
        logger.warning("WattShift POST %s failed: %s", path, self._redact(detail))


def _log_attempt(
    call: Call,
    status: int | None,
    outcome: str,
    attempt: tuple[int, int],
    started: float,
    envelope: ErrorEnvelope | None = None,
) -> None:
    duration_ms = round((time.monotonic() - started) * 1000)
    message = "WattShift POST %s status=%s duration_ms=%d attempt=%d/%d outcome=%s"
    args: list[object] = [call.path, status if status is not None else "-", duration_ms]
    args += [*attempt, outcome]
    if envelope is not None:
        message += " request_id=%s error_code=%s"
        args += [envelope.request_id, envelope.error_code or "-"]
    logger.info(
        message,
        *args,
        extra={
            "ws_endpoint": call.path,
            "ws_status": status,
            "ws_duration_ms": duration_ms,
            "ws_attempt": attempt[0],
            "ws_outcome": outcome,
            "ws_request_id": envelope.request_id if envelope else "",
            "ws_error_code": envelope.error_code if envelope else "",
        },
    )


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
            ) or (cause is not exc and isinstance(cause, HTTPException)):
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


def _outcome(error: WattShiftError) -> str:
    if isinstance(error, RateLimited):
        return "rate_limited"
    if isinstance(error, Unauthorized):
        return "unauthorized"
    if isinstance(error, Rejected):
        return "rejected"
    if isinstance(error, UpstreamServerError):
        return "server_error"
    return "unexpected_status"


def _retry_after_header(value: str | None) -> int | None:
    """Retry-After in seconds; its HTTP-date form is not worth the guesswork."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


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
    """The upstream's own explanation of a 4xx in an older shape, when its JSON gives one."""
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    return _clean(_reason_from(answer if isinstance(answer, dict) else {"errors": answer}))
