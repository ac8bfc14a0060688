"""Changing a created home, GOV.UK's "check before you send": the change page (the current
values filled in), the confirmation page (exactly what will change, old → new) and sending.

Each is a plain form, POST then redirect; htmx only shows a newly chosen utility's plans
without a round trip. Nothing is sent until the confirmation page's button.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.http import AuthenticatedRequest
from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard.change_forms import (
    ChangeHomeForm,
    ConfirmChangeForm,
    Proposal,
    initial_from,
)
from onboarding.wizard.links import change_url, confirm_url
from onboarding.wizard.models import Onboarding
from onboarding.wizard.places import place_for_zip
from onboarding.wizard.rate_limits import AskedToWait, nothing_sent
from onboarding.wizard.selectors import get_onboarding_for
from onboarding.wizard.services import edits, recovery
from onboarding.wizard.services.edits import Change, Result, What
from onboarding.wizard.steps.base import NOT_PROVIDED
from onboarding.wizard.steps.solar import format_kw, yes_no_label

Status = Onboarding.Status
ChangeView = Callable[[AuthenticatedRequest, Onboarding], HttpResponse]


def changeable_home(view: ChangeView) -> Callable[..., HttpResponse]:
    """The created home, if this person may change it (someone else's: 404, as everywhere);
    a home not complete (a draft, one being sent or changed) goes back to its page."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
        onboarding = get_onboarding_for(request.user, public_id)
        if not edits.may_change(request.user, onboarding):
            raise Http404("No such onboarding.")
        recovery.release_if_stale(onboarding=onboarding)
        if not edits.changeable(onboarding):
            messages.info(request, not_changeable_message(onboarding))
            return redirect("wizard:home", public_id=onboarding.public_id)
        return view(request, onboarding)

    return wrapper


def not_changeable_message(onboarding: Onboarding) -> str:
    if onboarding.status == Status.UPDATING:
        return _(
            "This home is being changed right now, so nothing was sent. This page shows the "
            "result when it is done."
        )
    if onboarding.status == Status.DRAFT:
        return _("This home has not been created yet: change its answers before creating it.")
    return _("This home can be changed once WattShift has created it completely.")


@require_http_methods(["GET", "POST"])
@changeable_home
def change_home(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    """The change page, with the home's values (or, back from checking, the changes) filled in."""
    if request.method == "POST":
        return _post_change(request, onboarding)
    partial = "plans" if request.htmx and request.GET.get("partial") == "plans" else ""
    initial = request.GET.dict() if partial else _checked_answers(request, onboarding)
    try:
        form = ChangeHomeForm.for_onboarding(
            onboarding=onboarding, initial=initial, fresh="retry" in request.GET
        )
    except WattShiftError as error:
        return _change_page(request, onboarding, upstream_error=error)
    return _change_page(request, onboarding, form=form, partial=partial)


def _checked_answers(request: AuthenticatedRequest, onboarding: Onboarding) -> dict[str, str]:
    """Back from the confirmation page: the answers that led to it, if the home is unchanged."""
    if "change" not in request.GET:
        return {}
    confirm = ConfirmChangeForm(request.GET, onboarding=onboarding)
    if not confirm.is_valid() or confirm.proposal.since != onboarding.updated_at:
        return {}
    return initial_from(confirm.proposal.values)


def _post_change(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    try:
        form = ChangeHomeForm.for_onboarding(request.POST, onboarding=onboarding)
    except WattShiftError as error:
        return _change_page(request, onboarding, upstream_error=error)
    if form.changed_since_shown:
        messages.warning(
            request,
            _(
                "This home was changed in another tab or window while this page was open, so "
                "your changes were not kept. These are its values now: make your changes again."
            ),
        )
        return redirect(change_url(onboarding))
    if not form.is_valid() or form.plans_pending:
        # The errors in place, or (without JavaScript) the plans of the utility just chosen.
        return _change_page(request, onboarding, form=form)
    proposed = form.proposed()
    if not edits.changes_between(onboarding, proposed):
        messages.info(request, _("Nothing was changed, so nothing was sent to WattShift."))
        return redirect("wizard:home", public_id=onboarding.public_id)
    token = Proposal(values=proposed, since=onboarding.updated_at).token(onboarding)
    return redirect(confirm_url(onboarding, change=token))


def _change_page(
    request: AuthenticatedRequest,
    onboarding: Onboarding,
    *,
    form: ChangeHomeForm | None = None,
    upstream_error: WattShiftError | None = None,
    partial: str = "",
) -> HttpResponse:
    context = {
        "onboarding": onboarding,
        "form": form,
        "upstream_error": upstream_error,
        "place": place_for_zip(onboarding.zipcode),
        "retry_url": change_url(onboarding, retry="1"),
    }
    template = "wizard/change_home.html" + (f"#{partial}" if partial else "")
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def checked_changes(
    view: Callable[[AuthenticatedRequest, Onboarding, ConfirmChangeForm], HttpResponse],
) -> Callable[..., HttpResponse]:
    """A changeable home (changeable_home) and the changes its confirmation page carries
    (signed, in the query or the form); changes that cannot be read go back to the change
    page."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
        sent = request.POST if request.method == "POST" else request.GET
        confirm = ConfirmChangeForm(sent, onboarding=onboarding)
        if not confirm.is_valid():
            messages.warning(request, str(ConfirmChangeForm.error_messages["unreadable"]))
            return redirect(change_url(onboarding))
        return view(request, onboarding, confirm)

    return changeable_home(wrapper)


@require_GET
@checked_changes
def confirm_change(
    request: AuthenticatedRequest, onboarding: Onboarding, confirm: ConfirmChangeForm
) -> HttpResponse:
    """Exactly what will change, old → new, and the one button that sends it."""
    proposal = confirm.proposal
    if proposal.since != onboarding.updated_at:
        messages.warning(request, changed_since_message())
        return redirect(change_url(onboarding))
    changes = edits.changes_between(onboarding, proposal.values)
    if not changes:
        messages.info(request, _("Nothing was changed, so nothing was sent to WattShift."))
        return redirect("wizard:home", public_id=onboarding.public_id)
    token = request.GET["change"]
    context = {
        "onboarding": onboarding,
        "rows": change_rows(changes),
        "confirm": confirm,
        "back_url": change_url(onboarding, change=token),
    }
    return render(request, "wizard/change_confirm.html", context)


def changed_since_message() -> str:
    return _(
        "This home was changed in another tab or window after these changes were checked, so "
        "nothing was sent. These are its values now: make your changes again."
    )


@require_POST
@checked_changes
def send_change(
    request: AuthenticatedRequest, onboarding: Onboarding, confirm: ConfirmChangeForm
) -> HttpResponse:
    """Send the checked changes, once; the home's page then states the outcome."""
    try:
        result = edits.change_home(
            onboarding=onboarding,
            proposed=confirm.proposal.values,
            by=request.user,
            shown_at=confirm.proposal.since,
        )
    except AskedToWait as error:
        # The changes stay on their confirmation page, to send once the wait is over.
        messages.error(request, nothing_sent(error))
        return redirect(confirm_url(onboarding, change=request.POST["change"]))
    if result == Result.CHANGED_SINCE:
        messages.warning(request, changed_since_message())
        return redirect(change_url(onboarding))
    said = {
        Result.SENT: (messages.SUCCESS, _("The changes were sent to WattShift.")),
        Result.NOTHING_TO_SEND: (
            messages.INFO,
            _("Nothing was changed, so nothing was sent to WattShift."),
        ),
        Result.ALREADY_MADE: (
            messages.INFO,
            _("These changes were already made. Nothing was sent again."),
        ),
        Result.BUSY: (messages.INFO, not_changeable_message(onboarding)),
        Result.NOT_CHANGEABLE: (messages.INFO, not_changeable_message(onboarding)),
    }
    # A failure is not repeated here: the home's page states it once, beside "Change this home".
    if result in said:
        level, message = said[result]
        messages.add_message(request, level, message)
    return redirect("wizard:home", public_id=onboarding.public_id)


@dataclass(frozen=True)
class ChangeRow:
    """One line of the confirmation page: what changes, from what, to what."""

    key: str
    old: str
    new: str


def change_rows(changes: list[Change]) -> list[ChangeRow]:
    """The changes in the words of the home's page ("What was sent")."""
    return [ChangeRow(_label(change.what), *_texts(change)) for change in changes]


def _label(what: What) -> str:
    return {
        What.NAME: _("Home name"),
        What.UTILITY: _("Utility"),
        What.RATE_PLAN: _("Rate plan"),
        What.SOLAR: _("Solar panels"),
        What.SOLAR_SIZE: _("Solar system size"),
        What.NET_METERING: _("Net metered"),
    }[what]


def _texts(change: Change) -> tuple[str, str]:
    if change.what == What.SOLAR_SIZE:
        return _kw(change.old), _kw(change.new)
    if change.what in {What.SOLAR, What.NET_METERING}:
        old = None if change.old is None else bool(change.old)
        return yes_no_label(old), yes_no_label(None if change.new is None else bool(change.new))
    if change.what == What.RATE_PLAN and change.was_to_confirm:
        return _("%(plan)s (to be confirmed)") % {"plan": change.old}, str(change.new)
    return str(change.old), str(change.new)


def _kw(size: object) -> str:
    return format_kw(Decimal(str(size))) if isinstance(size, str) else str(NOT_PROVIDED)
