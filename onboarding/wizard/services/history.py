"""What an onboarding's history records: each upstream call and each decision, as an Event.

An Event is a code (action, outcome) with what its sentence needs (`params`) and, for an
upstream call, its technical record (HTTP status, error code, request id, duration); the history
pages put it in words with `onboarding.wizard.history_text`.
"""

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User

from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard.models import Event, Onboarding


class Action(StrEnum):
    """What an Event records. Upstream calls are named after their endpoint."""

    SUBMIT = "submit"
    CREATE_HOME = "homes/create"
    ADD_SOLAR = "homes/solar/create"
    UPDATE_SOLAR = "homes/update"
    CHANGE_HOME = "change_home"
    LIST_HOMES = "homes/list"
    PRICE_SIGNAL = "price_signal"
    RECONCILE = "reconcile"
    RESOLVE_HOME_ID = "resolve_with_home_id"
    SAFE_TO_RETRY = "mark_safe_to_retry"
    INTERRUPTED = "interrupted"


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    UNKNOWN = "unknown"
    CLAIMED = "claimed"
    ADOPTED = "adopted"
    NOT_FOUND = "not_found"
    # No match yet, but the create was sent too recently for that to prove anything.
    TOO_SOON = "too_soon"
    NOT_RECORDED = "not_recorded"
    SEVERAL = "several"
    RECORDED = "recorded"
    # Recorded while homes/list could not be fetched: support vouched for the id themselves.
    RECORDED_WITHOUT_LIST = "recorded_without_list"
    SKIPPED = "skipped"


@dataclass
class Stopwatch:
    """Started just before an upstream call, for the duration its Event records."""

    started: float = field(default_factory=time.monotonic)

    def elapsed_ms(self) -> int:
        return round((time.monotonic() - self.started) * 1000)


def event(
    action: Action,
    outcome: Outcome,
    detail: str = "",
    *,
    by: User | AnonymousUser | None = None,
    params: dict[str, Any] | None = None,
    timed: Stopwatch | None = None,
) -> Event:
    """One entry, not yet saved: `record` or a status move writes it. `detail` must already be
    safe to show."""
    return Event(
        action=action,
        outcome=outcome,
        detail=detail,
        by=person(by),
        params=params or {},
        duration_ms=timed.elapsed_ms() if timed else None,
    )


def failure(
    action: Action,
    error: WattShiftError,
    *,
    by: User | AnonymousUser | None = None,
    timed: Stopwatch | None = None,
) -> Event:
    """A failed upstream call: failed when nothing changed upstream, else unknown; with what
    WattShift said about it (its request id is what WattShift's support asks for)."""
    outcome = Outcome.FAILED if error.outcome_known else Outcome.UNKNOWN
    params = {
        "error": type(error).__name__,
        "message": error.message,
        "timeout": float(settings.WS_API_TIMEOUT),
    }
    if reason := wattshift_words(error):
        params["reason"] = reason
    entry = event(action, outcome, error_detail(error), by=by, timed=timed, params=params)
    entry.http_status = error.status
    entry.error_code = error.error_code
    entry.request_id = error.request_id
    return entry


def record(onboarding: Onboarding, *events: Event) -> None:
    """Write entries to the history in one insert."""
    for entry in events:
        entry.onboarding = onboarding
    Event.objects.bulk_create(events)


def wattshift_words(error: WattShiftError) -> str:
    """What WattShift itself said, when it answered with its envelope: the answers it refused,
    else its message."""
    refused = [item.message for item in error.field_errors if item.message]
    if refused:
        return "; ".join(refused)
    return error.envelope.message if error.envelope else ""


def error_detail(error: WattShiftError) -> str:
    """The class, HTTP status and safe message of an upstream failure."""
    status = f" HTTP {error.status}" if error.status else ""
    return f"{type(error).__name__}{status}: {error.message}"


def person(by: User | AnonymousUser | None) -> User | None:
    """Who to record: a signed-in person, or nobody (the app itself)."""
    return by if isinstance(by, User) and by.is_authenticated else None
