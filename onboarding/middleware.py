"""The project's own middleware: a request id and one log line per request, pages behind the
login kept out of every cache, and the browser features the app does not use switched off."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import empty

from onboarding import request_id

logger = logging.getLogger("onboarding.requests")

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class RequestLogMiddleware:
    """First in the list: gives the request its id (`request.request_id`, the X-Request-ID
    response header, every log record made meanwhile) and writes one INFO line when it ends."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.monotonic()
        rid = request_id.accept(request.headers.get(request_id.HEADER))
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id.serving(rid)
        try:
            response = self.get_response(request)
            response[request_id.HEADER] = rid
            duration_ms = round((time.monotonic() - started) * 1000)
            log_request(request, rid, response.status_code, duration_ms)
            return response
        finally:
            request_id.done(token)


def log_request(request: HttpRequest, rid: str, status: int, duration_ms: int) -> None:
    # The path alone: a query string may hold a search for a customer's name.
    user_id = _user_id(request)
    note = getattr(request, "refusal", "")
    logger.info(
        "%s %s %s %sms user=%s%s",
        request.method,
        request.path,
        status,
        duration_ms,
        user_id,
        f" refused={note}" if note else "",
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": duration_ms,
            "user_id": user_id,
            "request_id": rid,
            **({"refused": note} if note else {}),
        },
    )


def _user_id(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    # A user nobody looked at is left unread: reading it now would cost a query.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return str(user.pk) if user.is_authenticated else "-"


class PrivatePagesMiddleware:
    """Pages behind the login hold customers' answers: no browser, proxy or back button keeps a
    copy. Views open to everyone (login, /healthz, the offline page, sw.js) keep their own."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        match = request.resolver_match
        # No match is a 404 page, which still names who is signed in.
        if match is None or getattr(match.func, "login_required", True):
            response["Cache-Control"] = "private, no-store"
        return response


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header from settings.PERMISSIONS_POLICY (feature: allowed origins,
    none meaning denied to every origin, this one included)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
