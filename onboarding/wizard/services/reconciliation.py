"""Finding out from homes/list whether a create with an unknown outcome made the home."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard import selectors
from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.rate_limits import AskedToWait, wait_asked
from onboarding.wizard.services import history
from onboarding.wizard.services.history import Action, Outcome
from onboarding.wizard.services.status import move
from onboarding.wizard.services.submission import finish_after_create

Status = Onboarding.Status


def reconcile_grace() -> timedelta:
    """How long after sending a create an empty search proves the home was not created."""
    seconds = settings.WS_RECONCILE_GRACE_SECONDS
    if seconds is None:
        seconds = 2 * float(settings.WS_API_TIMEOUT)
    return timedelta(seconds=float(seconds))


def reconcile_onboarding(*, onboarding: Onboarding, by: User | None) -> Onboarding:
    """Find out from homes/list whether the home was created (a person asks WattShift now;
    the background check may use the list another check fetched moments ago).

    Exactly one matching home not yet claimed by another onboarding: adopt its id and carry
    on with solar. None, in a list requested at least reconcile_grace() after the create was
    sent: back to draft, safe to retry; in an earlier list the upstream may still be creating
    it, so it keeps needing attention. Several, or the list failing: it keeps needing
    attention until support resolves it.

    Raises AskedToWait, asking nothing, while a wait WattShift asked for runs.
    """
    if onboarding.status != Status.NEEDS_ATTENTION:
        return onboarding
    sent_at = create_sent_at(onboarding)
    timed = history.Stopwatch()
    try:
        # A list asked for before the grace period ended cannot prove the home was not made.
        search = selectors.find_homes(
            onboarding=onboarding, fresh=by is not None, not_before=sent_at + reconcile_grace()
        )
    except AskedToWait as wait:
        # Nothing was sent (this onboarding's wait, or the account's list's): not a failed list.
        _wait_until(onboarding, wait.until)
        raise
    except WattShiftError as error:
        if until := wait_asked(error):
            # A rate limit: no check, by a person or not, before the time WattShift gave.
            _wait_until(onboarding, until)
        history.record(
            onboarding,
            history.failure(Action.LIST_HOMES, error, by=by, timed=timed),
            history.event(
                Action.RECONCILE,
                Outcome.SKIPPED,
                _("Could not check WattShift's list of homes; support will resolve it."),
                by=by,
            ),
        )
        return onboarding
    listed = history.event(
        Action.LIST_HOMES,
        Outcome.SUCCEEDED,
        _("%(count)d homes listed.") % {"count": len(search.homes)},
        by=by,
        timed=timed,
        # Kept with the check itself: the resolve page shows it, and when, without asking again.
        params={
            "count": len(search.homes),
            "matches": len(search.candidates),
            **selectors.kept_homes(search),
        },
    )

    candidates = search.candidates
    if len(candidates) == 1:
        home_id = candidates[0].id
        adopted = adopt_home_id(
            onboarding,
            home_id=home_id,
            by=by,
            notice=_("WattShift created this home after all: its home id is recorded."),
            events=[
                listed,
                history.event(
                    Action.RECONCILE,
                    Outcome.ADOPTED,
                    _("Exactly one matching home found: %(id)s.") % {"id": home_id},
                    by=by,
                    params={"home_id": home_id},
                ),
            ],
        )
        if not adopted:
            history.record(onboarding, listed)
            onboarding.refresh_from_db()
        return onboarding
    if not candidates:
        waited = search.requested_at - sent_at
        if waited < reconcile_grace():
            if not move(
                onboarding,
                expected=[Status.NEEDS_ATTENTION],
                to=Status.NEEDS_ATTENTION,
                last_error=_("WattShift may still be creating this home. Check again in a minute."),
                events=[
                    listed,
                    history.event(
                        Action.RECONCILE,
                        Outcome.TOO_SOON,
                        _(
                            "No matching home yet, but the list was fetched only %(seconds)d "
                            "seconds after the create was sent: WattShift may still be creating "
                            "it."
                        )
                        % {"seconds": max(0, int(waited.total_seconds()))},
                        by=by,
                        params={"seconds": max(0, int(waited.total_seconds()))},
                    ),
                ],
            ):
                history.record(onboarding, listed)
            return onboarding
        if not move(
            onboarding,
            expected=[Status.NEEDS_ATTENTION],
            to=Status.DRAFT,
            last_error=_(
                "WattShift has no home with this name, ZIP code and rate plan, so it was not "
                "created. It is safe to try again."
            ),
            owner_notice=notice_for_owner(
                onboarding,
                by,
                _(
                    "WattShift did not create this home, so it is safe to send it again: check "
                    "the answers and press Create home."
                ),
            ),
            events=[
                listed,
                history.event(
                    Action.RECONCILE,
                    Outcome.NOT_FOUND,
                    _("No matching home: safe to retry."),
                    by=by,
                ),
            ],
        ):
            history.record(onboarding, listed)
            onboarding.refresh_from_db()
        return onboarding
    history.record(
        onboarding,
        listed,
        history.event(
            Action.RECONCILE,
            Outcome.SEVERAL,
            _("Several matching homes: %(ids)s. Support must choose.")
            % {"ids": ", ".join(home.id for home in candidates)},
            by=by,
            params={"ids": [home.id for home in candidates]},
        ),
    )
    return onboarding


def adopt_home_id(
    onboarding: Onboarding,
    *,
    home_id: str,
    by: User | None,
    notice: str,
    events: list[Event],
) -> bool:
    """Record the id of the home WattShift made for this onboarding though the create's answer
    was lost (found in homes/list, or recorded by support), with `events`, and carry on as after
    a create: solar, then complete. The installer is told `notice`. False, and nothing done, if
    the onboarding no longer needs attention (someone else settled it meanwhile)."""
    if not move(
        onboarding,
        expected=[Status.NEEDS_ATTENTION],
        to=Status.SUBMITTING,
        without_home_id=True,
        home_id=home_id,
        owner_notice=notice_for_owner(onboarding, by, notice),
        events=events,
    ):
        return False
    finish_after_create(onboarding=onboarding, by=by)
    return True


def notice_for_owner(onboarding: Onboarding, by: User | None, text: str) -> str:
    """What to tell the installer the next time they look, unless they did it themselves."""
    return "" if by is not None and by.pk == onboarding.owner_id else text


def create_sent_at(onboarding: Onboarding) -> datetime:
    """The latest moment the create with an unknown outcome can have been sent: its answer
    (or timeout) is recorded after sending, the claim just before."""
    last_create = (
        onboarding.events.filter(action=Action.CREATE_HOME)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    moments = [moment for moment in (onboarding.submitted_at, last_create) if moment]
    return max(moments) if moments else onboarding.updated_at


def _wait_until(onboarding: Onboarding, until: datetime) -> None:
    """No check of this onboarding, by a person or not, before `until` (WattShift's wait)."""
    if onboarding.retry_not_before != until:
        Onboarding.objects.filter(pk=onboarding.pk).update(retry_not_before=until)
        onboarding.retry_not_before = until
