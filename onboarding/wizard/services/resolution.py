"""Support's decisions on an onboarding whose create had an unknown outcome."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from onboarding.wizard.models import Onboarding
from onboarding.wizard.selectors import HomeIdCheck
from onboarding.wizard.services import history, recovery
from onboarding.wizard.services.history import Action, Outcome
from onboarding.wizard.services.reconciliation import adopt_home_id, notice_for_owner
from onboarding.wizard.services.status import move

Status = Onboarding.Status


class CannotResolve(Exception):
    """Support tried to resolve an onboarding that does not (or no longer) need attention."""


def resolve_with_home_id(
    *,
    onboarding: Onboarding,
    home_id: str,
    by: User,
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
    recovery.release_if_stale(onboarding=onboarding)
    if not adopt_home_id(
        onboarding,
        home_id=home_id,
        by=by,
        notice=_("Support found this home in WattShift and recorded its id."),
        events=[
            history.event(
                Action.RESOLVE_HOME_ID,
                Outcome.RECORDED if check.listed else Outcome.RECORDED_WITHOUT_LIST,
                _resolution_detail(check),
                by=by,
                params={"home_id": home_id, "differences": bool(check.differences)},
            )
        ],
    ):
        raise CannotResolve(_("This onboarding does not need attention any more."))
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


def mark_safe_to_retry(*, onboarding: Onboarding, by: User) -> Onboarding:
    """Support checked that the home was not created: the draft may be submitted again."""
    recovery.release_if_stale(onboarding=onboarding)
    if not move(
        onboarding,
        expected=[Status.NEEDS_ATTENTION],
        to=Status.DRAFT,
        last_error=_("Support checked that the home was not created. It is safe to try again."),
        owner_notice=notice_for_owner(
            onboarding,
            by,
            _(
                "Support checked that WattShift did not create this home. You can send it "
                "again: check the answers and press Create home."
            ),
        ),
        events=[
            history.event(
                Action.SAFE_TO_RETRY, Outcome.RECORDED, _("Support marked it safe to retry."), by=by
            )
        ],
    ):
        raise CannotResolve(_("This onboarding does not need attention any more."))
    return onboarding
