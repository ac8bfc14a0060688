"""Typed failures of the WattShift API.

Each carries `message`, a sentence an installer can act on (safe to show on a page), and
`outcome_known`, which the client alone decides and callers branch on (never on the class):
for a call that changes something (homes/create, homes/solar/create, homes/{id}/update) it
is False after any 5xx, a timeout after sending, a dropped connection or an unreadable 2xx,
because the change may have been made; True for a failure to connect and for a 4xx, and for
every failure of a read (nothing to change). Technical detail goes to the log, never into
`message`; no error text carries the API key or a token. When WattShift answered with its
error envelope, `envelope` holds it (request id, error code, field errors).
"""

import math

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onboarding.wattshift.types import ErrorEnvelope, FieldError


class WattShiftError(Exception):
    default_message = _("The WattShift service could not complete the request.")
    outcome_known = True
    # Seconds WattShift asked us to wait before any retry (RateLimited), else None.
    retry_after: int | None = None

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        status: int | None = None,
        outcome_known: bool | None = None,
        envelope: ErrorEnvelope | None = None,
    ) -> None:
        self.message = str(message or self.default_message)
        self.status = status
        self.envelope = envelope
        # The client sets it per call: the same 503 is "not processed" for a read only.
        if outcome_known is not None:
            self.outcome_known = outcome_known
        super().__init__(self.message)

    @property
    def request_id(self) -> str:
        return self.envelope.request_id if self.envelope else ""

    @property
    def error_code(self) -> str:
        return self.envelope.error_code if self.envelope else ""

    @property
    def field_errors(self) -> tuple[FieldError, ...]:
        return self.envelope.field_errors if self.envelope else ()


class UpstreamUnavailable(WattShiftError):
    """Could not connect: the request was certainly not processed; safe to try again."""

    default_message = _(
        "Could not reach the WattShift service. Nothing was sent. "
        "Check the connection and try again."
    )


class OutcomeUnknown(WattShiftError):
    """Timed out or dropped after sending: the request may or may not have been processed.

    For a read (utility/get, price_signal, homes/list) the client sets outcome_known=True and
    `nothing_changed_message`: a read that went unanswered changed nothing.
    """

    outcome_known = False
    default_message = _(
        "The WattShift service did not answer in time. The request may or may not have "
        "been processed."
    )
    nothing_changed_message = _(
        "The WattShift service did not answer in time. Nothing was changed. Try again in a moment."
    )


class ReadTimedOut(OutcomeUnknown):
    """No answer within the read timeout: never repeated, since it already took that long."""


class Rejected(WattShiftError):
    """4xx: the upstream refused the request; `message` includes its reason when it gives one."""

    default_message = _("The WattShift service refused the request.")


class Unauthorized(Rejected):
    """401/403: the API key (or session token) was not accepted."""

    default_message = _(
        "The WattShift service did not accept this app's credentials. Ask an administrator "
        "to check the API key."
    )


class RateLimited(Rejected):
    """429 or RATE_LIMITED: not processed, and never repeated automatically; `retry_after` is
    how many seconds WattShift asked us to wait, when it said."""

    default_message = _("WattShift is receiving too many requests. Try again in a few minutes.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        retry_after: int | None = None,
        status: int | None = None,
        outcome_known: bool | None = None,
        envelope: ErrorEnvelope | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            message or _wait_message(retry_after),
            status=status,
            outcome_known=outcome_known,
            envelope=envelope,
        )


def _wait_message(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    # People plan in minutes: round up, so "try again" never comes too early.
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "WattShift is receiving too many requests. Try again in about %(minutes)d minute.",
        "WattShift is receiving too many requests. Try again in about %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class UpstreamServerError(WattShiftError):
    """5xx: the upstream failed while handling the request."""

    default_message = _(
        "The WattShift service had a problem and could not complete the request. "
        "Try again in a few minutes."
    )


class InvalidAnswer(WattShiftError):
    """The answer was not JSON, or not the shape the contract describes."""

    default_message = _(
        "The WattShift service sent an answer this app could not read. Try again; if it "
        "keeps happening, contact support."
    )
