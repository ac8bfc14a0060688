"""Submitting an onboarding to WattShift, exactly once, and resolving what went wrong.

Every status change goes through `_move`, a compare-and-set UPDATE on the row: the caller
names the statuses it expects the row to be in, and the UPDATE only matches if it still is.
So of two requests (two clicks, two tabs, two servers) that both see a draft, exactly one
claims it (draft -> submitting) and talks to the upstream; the other reads the current state.
No transaction or row lock is held while an HTTP call is in flight.

Whether a failed call may have changed something upstream is decided by the client alone
(`WattShiftError.outcome_known`); this module branches on that flag, never on error classes.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.errors import WattShiftError
from onboarding.wattshift.types import Home, HomeDetails, PriceSignal
from onboarding.wizard import selectors, steps
from onboarding.wizard.models import APPLIANCE_COLUMNS, Answer, Event, Onboarding

logger = logging.getLogger(__name__)

Status = Onboarding.Status
SolarStatus = Onboarding.SolarStatus

ANSWER_VALUES: dict[str, bool | None] = {Answer.YES: True, Answer.NO: False, Answer.NOT_SURE: None}

PRICE_SIGNAL_CACHE_SECONDS = 300


class Action:
    """What an Event records; support reads these on the resolve page."""

    SUBMIT = "submit"
    CREATE_HOME = "homes/create"
    ADD_SOLAR = "homes/solar/create"
    UPDATE_SOLAR = "homes/update"
    LIST_HOMES = "homes/list"
    PRICE_SIGNAL = "price_signal"
    RECONCILE = "reconcile"
    RESOLVE_HOME_ID = "resolve_with_home_id"
    SAFE_TO_RETRY = "mark_safe_to_retry"
    INTERRUPTED = "interrupted"


class Outcome:
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    UNKNOWN = "unknown"
    CLAIMED = "claimed"
    ALREADY_IN_PROGRESS = "already_in_progress"
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


class OnboardingNotReady(Exception):
    """The draft lacks an answer homes/create needs; nothing was sent."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            _("Some answers are missing: %(fields)s.") % {"fields": ", ".join(missing)}
        )


class CannotResolve(Exception):
    """Support tried to resolve an onboarding that does not (or no longer) need attention."""


def record_event(
    *,
    onboarding: Onboarding,
    action: str,
    outcome: str,
    detail: str = "",
    by: AbstractBaseUser | None = None,
) -> Event:
    """Write down one upstream call or decision. `detail` must already be safe to show."""
    return Event.objects.create(
        onboarding=onboarding, action=action, outcome=outcome, detail=detail, by=_user(by)
    )


def home_details(*, onboarding: Onboarding) -> HomeDetails:
    """The homes/create payload: unanswered questions omitted, "Not sure" sent as null."""
    appliances = {
        appliance: ANSWER_VALUES[getattr(onboarding, column)]
        for column, appliance in APPLIANCE_COLUMNS.items()
        if getattr(onboarding, column) in ANSWER_VALUES
    }
    return HomeDetails(
        name=onboarding.home_name.strip(),
        zipcode=onboarding.zipcode,
        utility_id=onboarding.utility_id,
        rate_plan_id=onboarding.rate_plan_id,
        appliances=appliances,
        ac_type=onboarding.ac_type if onboarding.has_ac == Answer.YES else "",
    )


def submit_onboarding(*, onboarding: Onboarding, by: AbstractBaseUser) -> Onboarding:
    """Create the home (once), then add solar if the home has it.

    A draft is claimed and created; a home whose solar failed is claimed and only gets solar.
    Any other state (someone else is submitting, outcome unknown, already complete) is
    returned as it is, without calling the upstream.
    """
    release_if_stale(onboarding=onboarding)
    missing = steps.missing_answers(onboarding)
    if onboarding.status == Status.DRAFT and missing:
        raise OnboardingNotReady(missing)

    if _move(
        onboarding,
        expected=[Status.DRAFT],
        to=Status.SUBMITTING,
        without_home_id=True,
        submitted_at=timezone.now(),
        submitted_by=_user(by),
        last_error="",
        solar_status=SolarStatus.PENDING if onboarding.has_solar else SolarStatus.NOT_NEEDED,
    ):
        record_event(onboarding=onboarding, action=Action.SUBMIT, outcome=Outcome.CLAIMED, by=by)
        # Checked again on the claimed row: another tab may have changed an answer meanwhile.
        missing = steps.missing_answers(onboarding)
        if missing:
            _move(
                onboarding,
                expected=[Status.SUBMITTING],
                to=Status.DRAFT,
                last_error=_(
                    "An answer changed while the home was being sent, so nothing was sent. "
                    "Check the answers, then create the home."
                ),
            )
            record_event(
                onboarding=onboarding,
                action=Action.SUBMIT,
                outcome=Outcome.SKIPPED,
                detail=_("Answers missing after the claim: %(fields)s. Nothing was sent.")
                % {"fields": ", ".join(missing)},
                by=by,
            )
            raise OnboardingNotReady(missing)
        _create_home(onboarding=onboarding, by=by)
    elif _move(onboarding, expected=[Status.HOME_CREATED], to=Status.SUBMITTING, last_error=""):
        record_event(
            onboarding=onboarding,
            action=Action.SUBMIT,
            outcome=Outcome.CLAIMED,
            detail=_("Retrying solar only: the home already exists."),
            by=by,
        )
        _finish_after_create(onboarding=onboarding, by=by)
    else:
        onboarding.refresh_from_db()
    return onboarding


def reconcile_onboarding(*, onboarding: Onboarding, by: AbstractBaseUser | None) -> Onboarding:
    """Find out from homes/list whether a create with an unknown outcome made the home.

    Exactly one matching home not yet claimed by another onboarding: adopt its id and carry
    on with solar. None, in a list requested at least reconcile_grace() after the create was
    sent: back to draft, safe to retry; in an earlier list the upstream may still be creating
    it, so it keeps needing attention. Several, or the list failing: it keeps needing
    attention until support resolves it.
    """
    onboarding.refresh_from_db()
    if onboarding.status != Status.NEEDS_ATTENTION:
        return onboarding
    try:
        search = find_homes(onboarding=onboarding)
    except WattShiftError as error:
        record_event(
            onboarding=onboarding,
            action=Action.LIST_HOMES,
            outcome=_error_outcome(error),
            detail=_error_detail(error),
            by=by,
        )
        record_event(
            onboarding=onboarding,
            action=Action.RECONCILE,
            outcome=Outcome.SKIPPED,
            detail=_("Could not check WattShift's list of homes; support will resolve it."),
            by=by,
        )
        return onboarding
    record_event(
        onboarding=onboarding,
        action=Action.LIST_HOMES,
        outcome=Outcome.SUCCEEDED,
        detail=_("%(count)d homes listed.") % {"count": len(search.homes)},
        by=by,
    )

    candidates = search.candidates
    if len(candidates) == 1:
        home_id = candidates[0].id
        if _move(
            onboarding,
            expected=[Status.NEEDS_ATTENTION],
            to=Status.SUBMITTING,
            without_home_id=True,
            home_id=home_id,
        ):
            record_event(
                onboarding=onboarding,
                action=Action.RECONCILE,
                outcome=Outcome.ADOPTED,
                detail=_("Exactly one matching home found: %(id)s.") % {"id": home_id},
                by=by,
            )
            _finish_after_create(onboarding=onboarding, by=by)
        else:
            onboarding.refresh_from_db()
        return onboarding
    if not candidates:
        waited = search.requested_at - _create_sent_at(onboarding)
        if waited < reconcile_grace():
            if _move(
                onboarding,
                expected=[Status.NEEDS_ATTENTION],
                to=Status.NEEDS_ATTENTION,
                last_error=_("WattShift may still be creating this home. Check again in a minute."),
            ):
                record_event(
                    onboarding=onboarding,
                    action=Action.RECONCILE,
                    outcome=Outcome.TOO_SOON,
                    detail=_(
                        "No matching home yet, but the list was fetched only %(seconds)d seconds "
                        "after the create was sent: WattShift may still be creating it."
                    )
                    % {"seconds": max(0, int(waited.total_seconds()))},
                    by=by,
                )
            return onboarding
        if _move(
            onboarding,
            expected=[Status.NEEDS_ATTENTION],
            to=Status.DRAFT,
            last_error=_(
                "WattShift has no home with this name, ZIP code and rate plan, so it was not "
                "created. It is safe to try again."
            ),
        ):
            record_event(
                onboarding=onboarding,
                action=Action.RECONCILE,
                outcome=Outcome.NOT_FOUND,
                detail=_("No matching home: safe to retry."),
                by=by,
            )
        else:
            onboarding.refresh_from_db()
        return onboarding
    record_event(
        onboarding=onboarding,
        action=Action.RECONCILE,
        outcome=Outcome.SEVERAL,
        detail=_("Several matching homes: %(ids)s. Support must choose.")
        % {"ids": ", ".join(home.id for home in candidates)},
        by=by,
    )
    return onboarding


@dataclass(frozen=True)
class HomeSearch:
    """What WattShift's list of homes shows for one onboarding."""

    # Same name, ZIP code and rate plan, and not recorded on another onboarding.
    candidates: list[Home]
    # Same name or same ZIP code: for support to look through.
    near: list[Home]
    requested_at: datetime
    homes: tuple[Home, ...] = field(default=(), repr=False)

    def home_with_id(self, home_id: str) -> Home | None:
        return next((home for home in self.homes if home.id == home_id), None)


def find_homes(*, onboarding: Onboarding) -> HomeSearch:
    """Look for this onboarding's home in homes/list. Raises WattShiftError."""
    # Taken before sending: the list shows at least everything created by this moment.
    requested_at = timezone.now()
    homes = wattshift_client.get_client().list_homes()
    candidates = _matching_homes(onboarding=onboarding, homes=homes)
    name = onboarding.home_name.strip().casefold()
    near = [
        home
        for home in homes
        if home not in candidates
        and (home.zipcode == onboarding.zipcode or home.name.strip().casefold() == name)
    ][:50]
    return HomeSearch(
        candidates=candidates,
        near=near,
        requested_at=requested_at,
        homes=tuple(homes),
    )


def reconcile_grace() -> timedelta:
    """How long after sending a create an empty search proves the home was not created."""
    seconds = settings.WS_RECONCILE_GRACE_SECONDS
    if seconds is None:
        seconds = 2 * float(settings.WS_API_TIMEOUT)
    return timedelta(seconds=float(seconds))


def _matching_homes(*, onboarding: Onboarding, homes: Iterable[Home]) -> list[Home]:
    """Homes with this onboarding's name, ZIP and rate plan that no other onboarding owns."""
    name = onboarding.home_name.strip().casefold()
    taken = set(
        Onboarding.objects.exclude(pk=onboarding.pk)
        .exclude(home_id="")
        .values_list("home_id", flat=True)
    )
    return [
        home
        for home in homes
        if home.name.strip().casefold() == name
        and home.zipcode == onboarding.zipcode
        and home.rate_plan_id == onboarding.rate_plan_id
        and home.id not in taken
    ]


@dataclass(frozen=True)
class Difference:
    """One detail WattShift lists differently for a home than this onboarding has it."""

    label: str
    onboarding_value: str
    wattshift_value: str


@dataclass(frozen=True)
class HomeIdCheck:
    """What WattShift's list of homes says about a home id support wants to record."""

    home_id: str
    # None when homes/list could not be fetched; then nothing is known about the id.
    search: HomeSearch | None
    list_error: str = ""
    home: Home | None = None
    differences: tuple[Difference, ...] = ()

    @property
    def listed(self) -> bool:
        return self.search is not None

    @property
    def found(self) -> bool:
        return self.home is not None


def check_home_id(*, onboarding: Onboarding, home_id: str) -> HomeIdCheck:
    """Look the id up in homes/list and compare the home's name, ZIP code and plan with ours.

    A failing list is an answer too (listed is False), not an exception: support decides.
    """
    home_id = home_id.strip()
    try:
        search = find_homes(onboarding=onboarding)
    except WattShiftError as error:
        return HomeIdCheck(home_id=home_id, search=None, list_error=error.message)
    home = search.home_with_id(home_id)
    if home is None:
        return HomeIdCheck(home_id=home_id, search=search)
    return HomeIdCheck(
        home_id=home_id,
        search=search,
        home=home,
        differences=home_differences(onboarding=onboarding, home=home),
    )


def home_differences(*, onboarding: Onboarding, home: Home) -> tuple[Difference, ...]:
    """Name, ZIP code and rate plan where the listed home differs; a missing value differs."""
    not_listed = _("Not listed")
    plan = onboarding.rate_plan_id
    if onboarding.rate_plan_name:
        plan = f"{onboarding.rate_plan_name} ({onboarding.rate_plan_id})"
    compared = [
        (
            _("Name"),
            onboarding.home_name.strip(),
            home.name.strip(),
            onboarding.home_name.strip().casefold() == home.name.strip().casefold(),
        ),
        (_("ZIP code"), onboarding.zipcode, home.zipcode, onboarding.zipcode == home.zipcode),
        (
            _("Rate plan"),
            plan,
            home.rate_plan_id,
            onboarding.rate_plan_id == home.rate_plan_id,
        ),
    ]
    return tuple(
        Difference(label=label, onboarding_value=ours, wattshift_value=theirs or not_listed)
        for label, ours, theirs, same in compared
        if not same
    )


def resolve_with_home_id(
    *,
    onboarding: Onboarding,
    home_id: str,
    by: AbstractBaseUser,
    check: HomeIdCheck,
    differences_confirmed: bool = False,
    checked_by_hand: bool = False,
) -> Onboarding:
    """Support found the home upstream: record its id, then add solar if the home has it.

    Only an id WattShift lists (its different details confirmed), or, when the list could not
    be fetched, one support vouches for having checked in WattShift; how it was checked is
    written in the history.
    """
    home_id = home_id.strip()
    if check.home_id != home_id:
        raise ValueError("The check is for another home id.")
    if check.listed and not check.found:
        raise ValueError("WattShift does not list this home id.")
    if check.differences and not differences_confirmed:
        raise ValueError("The listed home differs and that was not confirmed.")
    if not check.listed and not checked_by_hand:
        raise ValueError("The id could not be checked and support did not check it by hand.")
    release_if_stale(onboarding=onboarding)
    if not _move(
        onboarding,
        expected=[Status.NEEDS_ATTENTION],
        to=Status.SUBMITTING,
        without_home_id=True,
        home_id=home_id,
    ):
        raise CannotResolve(_("This onboarding does not need attention any more."))
    record_event(
        onboarding=onboarding,
        action=Action.RESOLVE_HOME_ID,
        outcome=Outcome.RECORDED if check.listed else Outcome.RECORDED_WITHOUT_LIST,
        detail=_resolution_detail(check),
        by=by,
    )
    _finish_after_create(onboarding=onboarding, by=by)
    return onboarding


def _resolution_detail(check: HomeIdCheck) -> str:
    """How the recorded id was checked, for the history."""
    if not check.listed:
        return _(
            "Support recorded the home id %(id)s. WattShift's list of homes could not be "
            "fetched (%(reason)s); support confirmed they checked this id in WattShift "
            "themselves."
        ) % {"id": check.home_id, "reason": check.list_error}
    if check.differences:
        differences = "; ".join(
            _("%(label)s: %(theirs)s in WattShift, %(ours)s here")
            % {"label": d.label, "theirs": d.wattshift_value, "ours": d.onboarding_value}
            for d in check.differences
        )
        return _(
            "Support recorded the home id %(id)s, listed in WattShift with different details, "
            "and confirmed it is the right home. %(differences)s."
        ) % {"id": check.home_id, "differences": differences}
    return _(
        "Support recorded the home id %(id)s; WattShift lists it with this name, ZIP code "
        "and rate plan."
    ) % {"id": check.home_id}


def mark_safe_to_retry(*, onboarding: Onboarding, by: AbstractBaseUser) -> Onboarding:
    """Support checked that the home was not created: the draft may be submitted again."""
    release_if_stale(onboarding=onboarding)
    if not _move(
        onboarding,
        expected=[Status.NEEDS_ATTENTION],
        to=Status.DRAFT,
        last_error=_("Support checked that the home was not created. It is safe to try again."),
    ):
        raise CannotResolve(_("This onboarding does not need attention any more."))
    record_event(
        onboarding=onboarding,
        action=Action.SAFE_TO_RETRY,
        outcome=Outcome.RECORDED,
        detail=_("Support marked it safe to retry."),
        by=by,
    )
    return onboarding


def discard_draft(*, onboarding: Onboarding) -> bool:
    """Delete a draft never sent to WattShift. False if a submission claimed it meanwhile."""
    with transaction.atomic():
        current = Onboarding.objects.select_for_update().filter(pk=onboarding.pk).first()
        if current is None or not selectors.is_discardable(current):
            return False
        current.delete()
    return True


def price_signal_for(*, onboarding: Onboarding) -> PriceSignal:
    """The home's next 24 hours of prices, cached briefly per home. Raises WattShiftError."""
    key = f"wizard:price_signal:{onboarding.home_id}"
    signal = cache.get(key)
    if signal is not None:
        return signal
    try:
        signal = wattshift_client.get_client().price_signal(onboarding.home_id)
    except WattShiftError as error:
        record_event(
            onboarding=onboarding,
            action=Action.PRICE_SIGNAL,
            outcome=_error_outcome(error),
            detail=_error_detail(error),
        )
        raise
    # Page views refetch every few minutes: only the first success is worth a history line.
    succeeded = {"action": Action.PRICE_SIGNAL, "outcome": Outcome.SUCCEEDED}
    if not onboarding.events.filter(**succeeded).exists():
        record_event(onboarding=onboarding, **succeeded)
    cache.set(key, signal, PRICE_SIGNAL_CACHE_SECONDS)
    return signal


def stale_after() -> timedelta:
    """How long a submission may hold the row: a create and a solar call, with margin."""
    return timedelta(seconds=4 * settings.WS_API_TIMEOUT + 60)


# Private: the steps of a claimed submission. Each is entered holding the claim (submitting).


def _create_home(*, onboarding: Onboarding, by: AbstractBaseUser) -> None:
    try:
        created = wattshift_client.get_client().create_home(home_details(onboarding=onboarding))
    except WattShiftError as error:
        if error.outcome_known:
            # Certainly not created: the draft goes back, untouched, with the reason.
            record_event(
                onboarding=onboarding,
                action=Action.CREATE_HOME,
                outcome=Outcome.FAILED,
                detail=_error_detail(error),
                by=by,
            )
            _move(
                onboarding, expected=[Status.SUBMITTING], to=Status.DRAFT, last_error=error.message
            )
            return
        record_event(
            onboarding=onboarding,
            action=Action.CREATE_HOME,
            outcome=Outcome.UNKNOWN,
            detail=_error_detail(error),
            by=by,
        )
        _needs_attention(onboarding=onboarding, message=error.message)
        reconcile_onboarding(onboarding=onboarding, by=by)
        return
    except Exception:
        # A bug after sending: the home may exist, so never leave the row claimed or retryable.
        record_event(
            onboarding=onboarding,
            action=Action.CREATE_HOME,
            outcome=Outcome.UNKNOWN,
            detail=_("Unexpected error in this app; see the server log."),
            by=by,
        )
        _needs_attention(
            onboarding=onboarding,
            message=_("Something went wrong while creating the home. Support will check it."),
        )
        raise
    record_event(
        onboarding=onboarding,
        action=Action.CREATE_HOME,
        outcome=Outcome.SUCCEEDED,
        detail=_("Home id %(id)s.") % {"id": created.id},
        by=by,
    )
    # Written whatever the status, so it is never lost: a stale recovery may have moved the row.
    Onboarding.objects.filter(pk=onboarding.pk, home_id="").update(
        home_id=created.id, updated_at=timezone.now()
    )
    onboarding.refresh_from_db()
    if onboarding.home_id != created.id:
        record_event(
            onboarding=onboarding,
            action=Action.CREATE_HOME,
            outcome=Outcome.NOT_RECORDED,
            detail=_(
                "WattShift created home %(new)s, but this onboarding already has home id "
                "%(old)s. Support must check WattShift for a second home."
            )
            % {"new": created.id, "old": onboarding.home_id},
            by=by,
        )
        return
    # Released meanwhile (stale recovery, or support's retry before anyone re-sent): take it back.
    if onboarding.status != Status.SUBMITTING and not _move(
        onboarding,
        expected=[Status.NEEDS_ATTENTION, Status.DRAFT],
        to=Status.SUBMITTING,
        last_error="",
    ):
        return
    _finish_after_create(onboarding=onboarding, by=by)


def _finish_after_create(*, onboarding: Onboarding, by: AbstractBaseUser | None) -> None:
    """The home exists (home_id is set) and we hold the claim: add solar if needed, finish.

    After a solar/create whose outcome is unknown, solar is set with homes/{id}/update
    instead: setting the values again is harmless, a second solar/create may not be.
    """
    if not onboarding.home_id:
        # Never reached by design; solar must not be sent without the home it belongs to.
        _needs_attention(
            onboarding=onboarding,
            message=_("The home id was not recorded, so solar was not sent."),
        )
        return
    if not onboarding.has_solar:
        _move(
            onboarding,
            expected=[Status.SUBMITTING],
            to=Status.COMPLETE,
            solar_status=SolarStatus.NOT_NEEDED,
            last_error="",
        )
        return
    client = wattshift_client.get_client()
    net_metered = bool(onboarding.solar_net_metered)
    by_update = onboarding.events.filter(action=Action.ADD_SOLAR, outcome=Outcome.UNKNOWN).exists()
    action = Action.UPDATE_SOLAR if by_update else Action.ADD_SOLAR
    try:
        if by_update:
            client.update_home(
                onboarding.home_id,
                solar_size_kw=onboarding.solar_size_kw,
                net_metered=net_metered,
            )
        else:
            client.add_solar(
                home_id=onboarding.home_id,
                size_kw=onboarding.solar_size_kw,
                net_metered=net_metered,
            )
    except Exception as error:
        message = (
            error.message
            if isinstance(error, WattShiftError)
            else _("Something went wrong while adding solar.")
        )
        record_event(
            onboarding=onboarding,
            action=action,
            outcome=_error_outcome(error) if isinstance(error, WattShiftError) else Outcome.FAILED,
            detail=_error_detail(error) if isinstance(error, WattShiftError) else message,
            by=by,
        )
        _move(
            onboarding,
            expected=[Status.SUBMITTING],
            to=Status.HOME_CREATED,
            solar_status=SolarStatus.FAILED,
            last_error=_("The home was created, but adding solar failed: %(reason)s")
            % {"reason": message},
        )
        if not isinstance(error, WattShiftError):
            raise
        return
    record_event(
        onboarding=onboarding,
        action=action,
        outcome=Outcome.SUCCEEDED,
        detail=_(
            "Solar set on the home with homes/{id}/update: an earlier homes/solar/create may "
            "have been processed, and setting the values again is harmless."
        )
        if by_update
        else "",
        by=by,
    )
    _move(
        onboarding,
        expected=[Status.SUBMITTING],
        to=Status.COMPLETE,
        solar_status=SolarStatus.ADDED,
        last_error="",
    )


def _create_sent_at(onboarding: Onboarding) -> datetime:
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


def _needs_attention(*, onboarding: Onboarding, message: str) -> None:
    _move(
        onboarding,
        expected=[Status.SUBMITTING],
        to=Status.NEEDS_ATTENTION,
        last_error=_(
            "%(reason)s To avoid creating the home twice, it will not be sent again automatically."
        )
        % {"reason": message},
    )


def release_if_stale(*, onboarding: Onboarding) -> Onboarding:
    """A submission whose worker died holds the row forever; after a while, release it:
    without a home id the create's outcome is unknown, with one only solar is left to do.
    Reads and writes only the database, so any page may call it."""
    onboarding.refresh_from_db()
    if onboarding.status != Status.SUBMITTING:
        return onboarding
    if onboarding.updated_at > timezone.now() - stale_after():
        return onboarding
    # Only if nothing has touched the row since we read it: a late answer wins over recovery.
    if onboarding.home_id:
        moved = _move(
            onboarding,
            expected=[Status.SUBMITTING],
            to=Status.HOME_CREATED,
            unchanged_since=onboarding.updated_at,
            solar_status=SolarStatus.FAILED,
            last_error=_("Adding solar was interrupted. It is safe to try again."),
        )
    else:
        moved = _move(
            onboarding,
            expected=[Status.SUBMITTING],
            to=Status.NEEDS_ATTENTION,
            unchanged_since=onboarding.updated_at,
            last_error=_(
                "Creating the home was interrupted. WattShift may or may not have created it, "
                "so it will not be sent again automatically."
            ),
        )
    if moved:
        record_event(
            onboarding=onboarding,
            action=Action.INTERRUPTED,
            outcome=Outcome.UNKNOWN,
            detail=_("The submission stopped without an answer."),
        )
    return onboarding


def _move(
    onboarding: Onboarding,
    *,
    expected: list[str],
    to: str,
    without_home_id: bool = False,
    unchanged_since: datetime | None = None,
    **fields: object,
) -> bool:
    """The one place that changes the status: compare-and-set, then reload the instance.

    Returns False (and changes nothing) when the row is no longer in an expected status, or,
    with without_home_id, when a home id has been recorded on it meanwhile, or, with
    unchanged_since, when it has been written since that updated_at.
    """
    rows = Onboarding.objects.filter(pk=onboarding.pk, status__in=expected)
    if without_home_id:
        rows = rows.filter(home_id="")
    if unchanged_since is not None:
        rows = rows.filter(updated_at=unchanged_since)
    moved = rows.update(status=to, updated_at=timezone.now(), **fields)
    onboarding.refresh_from_db()
    if moved:
        logger.info(
            "onboarding %s: %s -> %s", onboarding.public_id, "|".join(map(str, expected)), to
        )
    return bool(moved)


def _error_outcome(error: WattShiftError) -> str:
    return Outcome.FAILED if error.outcome_known else Outcome.UNKNOWN


def _error_detail(error: WattShiftError) -> str:
    """The class, HTTP status and safe message of an upstream failure."""
    status = f" HTTP {error.status}" if error.status else ""
    return f"{type(error).__name__}{status}: {error.message}"


def _user(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None
