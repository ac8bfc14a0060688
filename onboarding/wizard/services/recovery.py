"""Releasing a submission or a change whose worker died: it would otherwise hold the row
forever."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.services import history
from onboarding.wizard.services.history import Action, Outcome
from onboarding.wizard.services.status import move

Status = Onboarding.Status


def stale_after() -> timedelta:
    """How long a submission or a change may hold the row: a create and a solar call (a
    change is one call), with margin."""
    return timedelta(seconds=4 * settings.WS_API_TIMEOUT + 60)


def release_if_stale(*, onboarding: Onboarding) -> Onboarding:
    """After a while, release a submission whose worker died: without a home id the create's
    outcome is unknown, with one only solar is left to do. Reads and writes only the database,
    so any page may call it; it looks at the instance as loaded, and writes only if nothing has
    touched the row since (a late answer wins over recovery). A change (updating) goes back
    to complete with the values from before: repeating an update is harmless."""
    if onboarding.status not in {Status.SUBMITTING, Status.UPDATING}:
        return onboarding
    if onboarding.updated_at > timezone.now() - stale_after():
        return onboarding
    to, last_error, event = _released(onboarding)
    if (
        move(
            onboarding,
            expected=[onboarding.status],
            to=to,
            unchanged_since=onboarding.updated_at,
            last_error=last_error,
            events=[event],
        )
        and to == Status.NEEDS_ATTENTION
    ):
        # Imported here: checks reconcile, which finishes what submission starts.
        from onboarding.wizard.services import checks

        checks.schedule_first_check(onboarding=onboarding)
    return onboarding


def _released(onboarding: Onboarding) -> tuple[str, str, Event]:
    """Where an interrupted submission or change goes, what its page then says, and the
    history event that says so."""
    if onboarding.status == Status.UPDATING:
        return (
            Status.COMPLETE,
            _(
                "Changing the home was interrupted. WattShift may or may not have applied the "
                "changes, so this page still shows the earlier values. Sending the same changes "
                "again is safe."
            ),
            history.event(
                Action.INTERRUPTED,
                Outcome.UNKNOWN,
                _("The change stopped without an answer."),
                params={"during": "change"},
            ),
        )
    interrupted = history.event(
        Action.INTERRUPTED, Outcome.UNKNOWN, _("The submission stopped without an answer.")
    )
    if onboarding.home_id:
        return (
            Status.HOME_CREATED,
            _("Adding solar was interrupted. It is safe to try again."),
            interrupted,
        )
    return (
        Status.NEEDS_ATTENTION,
        _(
            "Creating the home was interrupted. WattShift may or may not have created it, "
            "so it will not be sent again automatically."
        ),
        interrupted,
    )
