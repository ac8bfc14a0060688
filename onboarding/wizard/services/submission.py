"""Submitting an onboarding to WattShift, exactly once.

"Create home" claims the draft (draft -> submitting, see `status.move`); only the request
that claimed it calls WattShift, the others show the current state. The home is created,
its id saved at once, then solar is added if the home has it.

Whether a failed call may have changed something upstream is decided by the client alone
(`WattShiftError.outcome_known`); this module branches on that flag, never on error classes.
"""

import contextlib

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.errors import WattShiftError
from onboarding.wattshift.types import CreatedHome
from onboarding.wizard import steps
from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.rate_limits import AskedToWait, refuse_while_asked_to_wait, wait_asked
from onboarding.wizard.services import history, payload, recovery
from onboarding.wizard.services.history import Action, Outcome
from onboarding.wizard.services.status import move, update_returning

Status = Onboarding.Status


class OnboardingNotReady(Exception):
    """The draft lacks an answer homes/create needs; nothing was sent."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            _("Some answers are missing: %(fields)s.") % {"fields": ", ".join(missing)}
        )


def submit_onboarding(*, onboarding: Onboarding, by: User) -> Onboarding:
    """Create the home (once), then add solar if the home has it.

    A draft is claimed and created; a home whose solar failed is claimed and only gets solar.
    Any other state (someone else is submitting, outcome unknown, already complete) is
    returned as it is, without calling the upstream.
    """
    recovery.release_if_stale(onboarding=onboarding)
    missing = steps.missing_answers(onboarding)
    if onboarding.status == Status.DRAFT and missing:
        raise OnboardingNotReady(missing)
    if onboarding.status == Status.DRAFT:
        refuse_while_asked_to_wait(onboarding)
    plan = payload.plan_to_use(onboarding) if onboarding.status == Status.DRAFT else {}

    if move(
        onboarding,
        expected=[Status.DRAFT],
        to=Status.SUBMITTING,
        without_home_id=True,
        submitted_at=timezone.now(),
        submitted_by=history.person(by),
        last_error="",
        upstream_field_errors={},
        retry_not_before=None,
        **plan,
        events=[history.event(Action.SUBMIT, Outcome.CLAIMED, by=by)],
    ):
        # Checked again on the row as claimed: another tab may have changed an answer meanwhile.
        missing = steps.missing_answers(onboarding)
        if missing:
            move(
                onboarding,
                expected=[Status.SUBMITTING],
                to=Status.DRAFT,
                last_error=_(
                    "An answer changed while the home was being sent, so nothing was sent. "
                    "Check the answers, then create the home."
                ),
                events=[
                    history.event(
                        Action.SUBMIT,
                        Outcome.SKIPPED,
                        _("Answers missing after the claim: %(fields)s. Nothing was sent.")
                        % {"fields": ", ".join(missing)},
                        by=by,
                        params={"fields": missing},
                    )
                ],
            )
            raise OnboardingNotReady(missing)
        _create_home(onboarding=onboarding, by=by)
    elif move(
        onboarding,
        expected=[Status.HOME_CREATED],
        to=Status.SUBMITTING,
        last_error="",
        events=[
            history.event(
                Action.SUBMIT,
                Outcome.CLAIMED,
                _("Retrying solar only: the home already exists."),
                by=by,
                params={"solar_only": True},
            )
        ],
    ):
        finish_after_create(onboarding=onboarding, by=by)
    else:
        # Someone else got there first: show the row as it is now.
        onboarding.refresh_from_db()
    return onboarding


def finish_after_create(
    *, onboarding: Onboarding, by: User | None, solar_sent_before: bool | None = None
) -> None:
    """The home exists (home_id is set) and we hold the claim: add solar if needed, finish.

    After a solar/create whose outcome is unknown, solar is set with homes/{id}/update
    instead: setting the values again is harmless, a second solar/create may not be.
    `solar_sent_before` is read from the history unless the caller knows it.
    """
    if not onboarding.home_id:
        # Never reached by design; solar must not be sent without the home it belongs to.
        needs_attention(
            onboarding=onboarding, message=_("The home id was not recorded, so solar was not sent.")
        )
        return
    if not onboarding.has_solar:
        move(onboarding, expected=[Status.SUBMITTING], to=Status.COMPLETE, last_error="")
        return
    if solar_sent_before is None:
        solar_sent_before = onboarding.events.filter(
            action=Action.ADD_SOLAR, outcome=Outcome.UNKNOWN
        ).exists()
    client = wattshift_client.get_client()
    net_metered = bool(onboarding.solar_net_metered)
    size = onboarding.solar_size_kw
    assert size is not None, "an answered solar step has a size"  # noqa: S101 - an invariant
    action = Action.UPDATE_SOLAR if solar_sent_before else Action.ADD_SOLAR
    timed = history.Stopwatch()
    try:
        if solar_sent_before:
            client.update_home(onboarding.home_id, solar_size_kw=size, net_metered=net_metered)
        else:
            client.add_solar(home_id=onboarding.home_id, size_kw=size, net_metered=net_metered)
    except Exception as error:
        known = isinstance(error, WattShiftError)
        message = (
            error.message
            if isinstance(error, WattShiftError)
            else _("Something went wrong while adding solar.")
        )
        move(
            onboarding,
            expected=[Status.SUBMITTING],
            to=Status.HOME_CREATED,
            last_error=_("The home was created, but adding solar failed: %(reason)s")
            % {"reason": message},
            events_anyway=True,
            events=[
                history.failure(action, error, by=by, timed=timed)
                if isinstance(error, WattShiftError)
                else history.event(action, Outcome.FAILED, message, by=by, timed=timed)
            ],
        )
        if not known:
            raise
        return
    detail = (
        _(
            "Solar set on the home with homes/{id}/update: an earlier homes/solar/create may "
            "have been processed, and setting the values again is harmless."
        )
        if solar_sent_before
        else ""
    )
    move(
        onboarding,
        expected=[Status.SUBMITTING],
        to=Status.COMPLETE,
        last_error="",
        events=[
            history.event(
                action,
                Outcome.SUCCEEDED,
                detail,
                by=by,
                timed=timed,
                params={"size_kw": f"{size.normalize():f}", "net_metered": net_metered},
            )
        ],
        events_anyway=True,
    )


def needs_attention(
    *, onboarding: Onboarding, message: str, events: list[Event] | None = None
) -> bool:
    """The create's outcome is unknown: hold the onboarding for a check, never re-send it."""
    return move(
        onboarding,
        expected=[Status.SUBMITTING],
        to=Status.NEEDS_ATTENTION,
        last_error=_(
            "%(reason)s To avoid creating the home twice, it will not be sent again automatically."
        )
        % {"reason": message},
        events=events or [],
        events_anyway=True,
    )


# Private: the steps of a claimed submission. Each is entered holding the claim (submitting).


def _create_home(*, onboarding: Onboarding, by: User) -> None:
    # Imported here: reconciliation finishes what submission starts, and imports it too.
    from onboarding.wizard.services import checks
    from onboarding.wizard.services.reconciliation import reconcile_onboarding

    timed = history.Stopwatch()
    try:
        created = wattshift_client.get_client().create_home(
            payload.home_details(onboarding=onboarding)
        )
    except WattShiftError as error:
        if error.outcome_known:
            # Certainly not created: the draft goes back, untouched, with the reason; what
            # WattShift said of an answer goes to its question, and a wait it asked for is kept.
            move(
                onboarding,
                expected=[Status.SUBMITTING],
                to=Status.DRAFT,
                last_error=error.message,
                upstream_field_errors=payload.questions_refused(error),
                retry_not_before=wait_asked(error),
                events=[history.failure(Action.CREATE_HOME, error, by=by, timed=timed)],
                events_anyway=True,
            )
            return
        needs_attention(
            onboarding=onboarding,
            message=error.message,
            events=[history.failure(Action.CREATE_HOME, error, by=by, timed=timed)],
        )
        with contextlib.suppress(AskedToWait):  # WattShift's list is rate limited: check later
            reconcile_onboarding(onboarding=onboarding, by=by)
        if onboarding.status == Status.NEEDS_ATTENTION:
            checks.schedule_first_check(onboarding=onboarding)
        return
    except Exception:
        # A bug after sending: the home may exist, so never leave the row claimed or retryable.
        needs_attention(
            onboarding=onboarding,
            message=_("Something went wrong while creating the home. Support will check it."),
            events=[
                history.event(
                    Action.CREATE_HOME,
                    Outcome.UNKNOWN,
                    _("Unexpected error in this app; see the server log."),
                    by=by,
                    timed=timed,
                    params={"error": "bug"},
                )
            ],
        )
        raise
    succeeded = history.event(
        Action.CREATE_HOME,
        Outcome.SUCCEEDED,
        _("Home id %(id)s.") % {"id": created.id},
        by=by,
        timed=timed,
        params={"home_id": created.id},
    )
    # The id is saved in the same move that records it: never a moment with the home unknown.
    if not onboarding.has_solar:
        if move(
            onboarding,
            expected=[Status.SUBMITTING],
            to=Status.COMPLETE,
            without_home_id=True,
            home_id=created.id,
            last_error="",
            events=[succeeded],
        ):
            return
    elif move(
        onboarding,
        expected=[Status.SUBMITTING],
        to=Status.SUBMITTING,
        without_home_id=True,
        home_id=created.id,
        events=[succeeded],
    ):
        finish_after_create(onboarding=onboarding, by=by, solar_sent_before=False)
        return
    _record_late_home_id(onboarding=onboarding, created=created, succeeded=succeeded, by=by)


def _record_late_home_id(
    *,
    onboarding: Onboarding,
    created: CreatedHome,
    succeeded: Event,
    by: User,
) -> None:
    """The row was released while the create was under way (stale recovery, or support):
    the id is written whatever the status, so it is never lost, and never replaces another."""
    rows = Onboarding.objects.filter(pk=onboarding.pk, home_id="")
    if update_returning(onboarding, rows, home_id=created.id):
        history.record(onboarding, succeeded)
    else:
        onboarding.refresh_from_db()
        history.record(
            onboarding,
            succeeded,
            history.event(
                Action.CREATE_HOME,
                Outcome.NOT_RECORDED,
                _(
                    "WattShift created home %(new)s, but this onboarding already has home id "
                    "%(old)s. Support must check WattShift for a second home."
                )
                % {"new": created.id, "old": onboarding.home_id},
                by=by,
                params={"home_id": created.id, "recorded": onboarding.home_id},
            ),
        )
        return
    # Released meanwhile (stale recovery, or support's retry before anyone re-sent): take it back.
    if onboarding.status != Status.SUBMITTING and not move(
        onboarding,
        expected=[Status.NEEDS_ATTENTION, Status.DRAFT],
        to=Status.SUBMITTING,
        last_error="",
    ):
        return
    finish_after_create(onboarding=onboarding, by=by)
