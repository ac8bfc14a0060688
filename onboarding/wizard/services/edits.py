"""Changing a created home through homes/{id}/update, each change sent once.

What a change would do is listed first (`changes_between`: exactly the differences, old and
new). Sending it claims the home (complete -> updating, see `status.move`), but only while the
row is still as the person saw it when they checked the changes (its `updated_at`): of a double
click, two tabs or a stale confirmation, one claim matches and the rest send nothing. The call
is made outside any transaction, with only the changed fields; its answer moves the home back
to complete, writing the new values and the history entry in that same move. A failure leaves
every value as it was, with `last_error` saying what happened and what to do.

Whether a failed update may have been applied is decided by the client alone
(`WattShiftError.outcome_known`); repeating an update is harmless, since it only sets values.
"""

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Self

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from onboarding.accounts.roles import is_support
from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard import selectors
from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.rate_limits import refuse_while_asked_to_wait, wait_asked
from onboarding.wizard.services import history, recovery
from onboarding.wizard.services.history import Action, Outcome
from onboarding.wizard.services.status import move

Status = Onboarding.Status


@dataclass(frozen=True)
class HomeValues:
    """What a change can set on a created home, as the Onboarding columns of the same names."""

    home_name: str
    utility_id: str
    utility_name: str
    rate_plan_id: str
    rate_plan_name: str
    rate_plan_rate_id: str
    plan_to_confirm: bool
    has_solar: bool
    solar_size_kw: Decimal | None
    solar_net_metered: bool | None

    @classmethod
    def of(cls, onboarding: Onboarding) -> Self:
        values = {field.name: getattr(onboarding, field.name) for field in fields(cls)}
        values["has_solar"] = bool(values["has_solar"])
        return cls(**values)

    def as_json(self) -> dict[str, Any]:
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values["solar_size_kw"] = _size_text(self.solar_size_kw)
        return values

    @classmethod
    def from_json(cls, data: object) -> Self:
        """The values as_json() wrote; ValueError for anything else."""
        if not isinstance(data, dict) or set(data) != {field.name for field in fields(cls)}:
            raise ValueError("Not a change's values.")
        flags = ("plan_to_confirm", "has_solar")
        texts = set(data) - {*flags, "solar_size_kw", "solar_net_metered"}
        if not all(isinstance(data[name], str) for name in texts):
            raise ValueError("A name or id is not text.")
        if not all(isinstance(data[name], bool) for name in flags):
            raise ValueError("A yes or no is not a boolean.")
        if data["solar_net_metered"] is not None and not isinstance(
            data["solar_net_metered"], bool
        ):
            raise ValueError("Net metering is not a boolean.")
        size = data["solar_size_kw"]
        if size is not None and not isinstance(size, str):
            raise ValueError("The solar size is not text.")
        try:
            solar_size_kw = None if size is None else Decimal(size)
        except InvalidOperation:
            raise ValueError("Not a solar size.") from None
        return cls(**{**data, "solar_size_kw": solar_size_kw})


class What(StrEnum):
    """What one change is to: the history and the confirmation page name it by this code."""

    NAME = "name"
    UTILITY = "utility"
    RATE_PLAN = "rate_plan"
    # Solar added to a home without it (there is no removing it), then its size and metering.
    SOLAR = "solar"
    SOLAR_SIZE = "solar_size"
    NET_METERING = "net_metering"


@dataclass(frozen=True)
class Change:
    """One difference between the home as it is and as the change would leave it. Values are
    what the history keeps: names as WattShift gave them, sizes in kW as text, yes/no as booleans.
    """

    what: What
    old: str | bool | None
    new: str | bool | None
    # The plan was marked "to confirm" before: choosing a plan, even the same one, confirms it.
    was_to_confirm: bool = False

    def as_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"what": str(self.what), "old": self.old, "new": self.new}
        if self.was_to_confirm:
            params["was_to_confirm"] = True
        return params


class Result(StrEnum):
    """What sending a change came to."""

    SENT = "sent"  # WattShift has the changes, and so does the row
    FAILED = "failed"  # not applied, or not known to be: last_error says what to do
    NOTHING_TO_SEND = "nothing_to_send"  # the values are the home's own already
    ALREADY_MADE = "already_made"  # sent before (a double click, a second tab): not again
    CHANGED_SINCE = "changed_since"  # the home changed after the changes were checked
    BUSY = "busy"  # another change to this home is being sent right now
    NOT_CHANGEABLE = "not_changeable"  # not a created home in status complete


def may_change(user: User | AnonymousUser, onboarding: Onboarding) -> bool:
    """Installers change their own homes, support staff anyone's."""
    return is_support(user) or (user.is_authenticated and onboarding.owner_id == user.pk)


def changeable(onboarding: Onboarding) -> bool:
    """Only a home WattShift created completely (solar included) is changed."""
    return onboarding.status == Status.COMPLETE and bool(onboarding.home_id)


def changes_between(onboarding: Onboarding, proposed: HomeValues) -> list[Change]:
    """Exactly what `proposed` would change on the home, in the order the page asks it."""
    now = HomeValues.of(onboarding)
    changes: list[Change] = []
    if proposed.home_name != now.home_name:
        changes.append(Change(What.NAME, now.home_name, proposed.home_name))
    if proposed.utility_id != now.utility_id:
        changes.append(Change(What.UTILITY, now.utility_name, proposed.utility_name))
    plan = (proposed.utility_id, proposed.rate_plan_id, proposed.rate_plan_name)
    confirmed = now.plan_to_confirm and not proposed.plan_to_confirm
    if plan != (now.utility_id, now.rate_plan_id, now.rate_plan_name) or confirmed:
        changes.append(
            Change(
                What.RATE_PLAN,
                now.rate_plan_name,
                proposed.rate_plan_name,
                was_to_confirm=now.plan_to_confirm,
            )
        )
    if now.has_solar and not proposed.has_solar:
        raise ValueError("Solar cannot be removed from a home.")
    if proposed.has_solar and not now.has_solar:
        changes += [
            Change(What.SOLAR, False, True),
            Change(What.SOLAR_SIZE, None, _size_text(proposed.solar_size_kw)),
            Change(What.NET_METERING, None, proposed.solar_net_metered),
        ]
    elif proposed.has_solar:
        if proposed.solar_size_kw != now.solar_size_kw:
            old_size, new_size = now.solar_size_kw, proposed.solar_size_kw
            changes.append(Change(What.SOLAR_SIZE, _size_text(old_size), _size_text(new_size)))
        if proposed.solar_net_metered != now.solar_net_metered:
            changes.append(
                Change(What.NET_METERING, now.solar_net_metered, proposed.solar_net_metered)
            )
    return changes


def update_arguments(changes: list[Change], proposed: HomeValues) -> dict[str, Any]:
    """The client's keyword arguments for these changes: the changed fields only. A new utility
    goes with its plan (WattShift checks the two together)."""
    whats = {change.what for change in changes}
    arguments: dict[str, Any] = {}
    if What.NAME in whats:
        arguments["name"] = proposed.home_name
    if What.UTILITY in whats:
        arguments["utility_id"] = proposed.utility_id
    if whats & {What.UTILITY, What.RATE_PLAN}:
        arguments["rate_plan_id"] = proposed.rate_plan_id
    if What.SOLAR_SIZE in whats:
        arguments["solar_size_kw"] = proposed.solar_size_kw
    if What.NET_METERING in whats:
        arguments["net_metered"] = proposed.solar_net_metered
    return arguments


def new_columns(changes: list[Change], proposed: HomeValues) -> dict[str, Any]:
    """What the row is given once WattShift has the changes; choosing a plan confirms it."""
    whats = {change.what for change in changes}
    columns: dict[str, Any] = {}
    if What.NAME in whats:
        columns["home_name"] = proposed.home_name
    if What.UTILITY in whats:
        columns |= {"utility_id": proposed.utility_id, "utility_name": proposed.utility_name}
    if whats & {What.UTILITY, What.RATE_PLAN}:
        columns |= {
            "rate_plan_id": proposed.rate_plan_id,
            "rate_plan_name": proposed.rate_plan_name,
            "rate_plan_rate_id": proposed.rate_plan_rate_id,
            "plan_to_confirm": False,
        }
    if What.SOLAR in whats:
        columns["has_solar"] = True
    if What.SOLAR_SIZE in whats:
        columns["solar_size_kw"] = proposed.solar_size_kw
    if What.NET_METERING in whats:
        columns["solar_net_metered"] = proposed.solar_net_metered
    return columns


def change_home(
    *, onboarding: Onboarding, proposed: HomeValues, by: User, shown_at: datetime
) -> Result:
    """Send the changes from the home as it was at `shown_at` (its updated_at when the person
    checked them) to `proposed`, once. Raises PermissionDenied for someone else's home, and
    AskedToWait, sending nothing, while a wait WattShift asked for runs."""
    if not may_change(by, onboarding):
        raise PermissionDenied
    recovery.release_if_stale(onboarding=onboarding)
    if not changeable(onboarding) or onboarding.updated_at != shown_at:
        return _why_not_claimed(onboarding, proposed)
    if not changes_between(onboarding, proposed):
        return Result.NOTHING_TO_SEND
    refuse_while_asked_to_wait(onboarding)
    if not move(
        onboarding,
        expected=[Status.COMPLETE],
        to=Status.UPDATING,
        unchanged_since=shown_at,
        last_error="",
    ):
        onboarding.refresh_from_db()
        return _why_not_claimed(onboarding, proposed)
    # Read off the row as claimed, which is the row as checked (unchanged since shown_at).
    changes = changes_between(onboarding, proposed)
    return _send(onboarding=onboarding, changes=changes, proposed=proposed, by=by)


def _why_not_claimed(onboarding: Onboarding, proposed: HomeValues) -> Result:
    if onboarding.status == Status.UPDATING:
        return Result.BUSY
    if not changeable(onboarding):
        return Result.NOT_CHANGEABLE
    if not changes_between(onboarding, proposed):
        return Result.ALREADY_MADE
    return Result.CHANGED_SINCE


def _send(
    *, onboarding: Onboarding, changes: list[Change], proposed: HomeValues, by: User
) -> Result:
    """Holding the claim (updating): one homes/{id}/update, then back to complete."""
    params = {"changes": [change.as_params() for change in changes]}
    timed = history.Stopwatch()
    try:
        wattshift_client.get_client().update_home(
            onboarding.home_id, **update_arguments(changes, proposed)
        )
    except WattShiftError as error:
        failed = history.failure(Action.CHANGE_HOME, error, by=by, timed=timed)
        failed.params |= params
        _release(
            onboarding,
            last_error=failure_message(error),
            failed=failed,
            retry_not_before=wait_asked(error),
        )
        return Result.FAILED
    except Exception:
        # A bug after sending: WattShift may have applied it, and repeating an update is safe.
        bug = history.event(
            Action.CHANGE_HOME,
            Outcome.UNKNOWN,
            _("Unexpected error in this app; see the server log."),
            by=by,
            timed=timed,
            params={"error": "bug", **params},
        )
        _release(onboarding, last_error=unknown_outcome_message(), failed=bug)
        raise
    succeeded = history.event(
        Action.CHANGE_HOME, Outcome.SUCCEEDED, by=by, timed=timed, params=params
    )
    if not move(
        onboarding,
        expected=[Status.UPDATING],
        to=Status.COMPLETE,
        last_error="",
        events=[succeeded],
        events_anyway=True,
        **new_columns(changes, proposed),
    ):
        # Released as stale while the call ran (it never should): the history says WattShift
        # has the changes; the row keeps what the release wrote, and sending again is safe.
        onboarding.refresh_from_db()
        return Result.FAILED
    if {c.what for c in changes} & {What.UTILITY, What.RATE_PLAN, What.SOLAR, What.SOLAR_SIZE}:
        selectors.forget_price_signal(onboarding.home_id)
    return Result.SENT


def _release(
    onboarding: Onboarding,
    *,
    last_error: str,
    failed: Event,
    retry_not_before: datetime | None = None,
) -> None:
    """Back to complete with every value as it was, the reason and the failed call recorded,
    and the wait WattShift asked for, if it did."""
    move(
        onboarding,
        expected=[Status.UPDATING],
        to=Status.COMPLETE,
        last_error=last_error,
        retry_not_before=retry_not_before,
        events=[failed],
        events_anyway=True,
    )


def failure_message(error: WattShiftError) -> str:
    """What a failed change says on the home's page."""
    if not error.outcome_known:
        return unknown_outcome_message()
    return _(
        "WattShift did not make these changes: %(reason)s This home keeps its earlier values, "
        "here and on WattShift. Change this home to try again."
    ) % {"reason": error.message}


def unknown_outcome_message() -> str:
    return _(
        "WattShift did not confirm these changes: it did not answer in time, or answered with "
        "an error. It may or may not have applied them, so this page still shows the earlier "
        "values. Sending the same changes again is safe: a change only sets values, so "
        "repeating it does no harm."
    )


def _size_text(size: Decimal | None) -> str | None:
    return None if size is None else f"{size.normalize():f}"
