"""One id per request, so support can quote it and every log line of that request carries it:
taken from a sane incoming X-Request-ID (a proxy's or load balancer's), otherwise made here."""

import logging
import re
import secrets
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"
NO_REQUEST = "-"
# Letters, digits and - _ . : only, so an id cannot forge a log line or smuggle markup.
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{5,63}")

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def make() -> str:
    """A short id: 12 hex characters."""
    return secrets.token_hex(6)


def accept(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new one."""
    if incoming and SANE.fullmatch(incoming):
        return incoming
    return make()


def current() -> str:
    """The id of the request being served in this thread, or "-" outside a request."""
    return _current.get()


def serving(request_id: str) -> Token[str]:
    """Make request_id the current one; hand the returned token to `done`."""
    return _current.set(request_id)


def done(token: Token[str]) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (as `request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current()
        return True
