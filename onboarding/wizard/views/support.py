"""Support's resolve page for a create whose outcome is unknown, and one view per action:
check WattShift again, record a home id, allow the draft to be sent again."""

from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onboarding.accounts.roles import is_support
from onboarding.http import AuthenticatedRequest
from onboarding.wizard import selectors
from onboarding.wizard.forms import MarkSafeToRetryForm, ResolveWithHomeIdForm
from onboarding.wizard.models import Onboarding
from onboarding.wizard.rate_limits import AskedToWait, not_checked
from onboarding.wizard.services import reconciliation, resolution
from onboarding.wizard.views.home import sent_answers

Status = Onboarding.Status
SupportView = Callable[[AuthenticatedRequest, Onboarding], HttpResponse]


def support_action(view: SupportView) -> Callable[..., HttpResponse]:
    """The onboarding, for support staff only (others: 403, or 404 if they may not see it);
    an onboarding that no longer needs attention goes back to its home page."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
        onboarding = selectors.get_onboarding_for(request.user, public_id)
        if not is_support(request.user):
            raise PermissionDenied
        try:
            return view(request, onboarding)
        except resolution.CannotResolve as error:
            messages.info(request, str(error))
            return redirect("wizard:home", public_id=onboarding.public_id)

    return wrapper


@require_GET
@support_action
def resolve(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    return resolve_page(request, onboarding)


@require_POST
@support_action
def check_again(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    try:
        reconciliation.reconcile_onboarding(onboarding=onboarding, by=request.user)
    except AskedToWait as error:
        messages.warning(request, not_checked(error))
        return redirect("wizard:resolve", public_id=onboarding.public_id)
    # Support stays with this onboarding, told the outcome once.
    if onboarding.status == Status.NEEDS_ATTENTION:
        messages.warning(request, _("Still not sure: see the latest entries in the history."))
        return redirect("wizard:resolve", public_id=onboarding.public_id)
    if onboarding.status == Status.DRAFT:
        messages.success(
            request,
            _(
                "WattShift has no such home, so it was not created. The installer can send it "
                "again and is told so when they next open it."
            ),
        )
        return redirect("wizard:resolve", public_id=onboarding.public_id)
    messages.success(request, _("WattShift had the home: its id is recorded."))
    return redirect("wizard:home", public_id=onboarding.public_id)


@require_POST
@support_action
def record_home_id(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    form = ResolveWithHomeIdForm(request.POST, onboarding=onboarding)
    if not form.is_valid() or form.check is None:
        return resolve_page(request, onboarding, home_id_form=form)
    resolution.resolve_with_home_id(
        onboarding=onboarding,
        home_id=form.cleaned_data["home_id"],
        by=request.user,
        check=form.check,
        differences_confirmed=form.differences_confirmed,
        checked_by_hand=bool(form.cleaned_data["checked_in_wattshift"]),
    )
    messages.success(request, _("The home id was recorded."))
    return redirect("wizard:home", public_id=onboarding.public_id)


@require_POST
@support_action
def allow_retry(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    form = MarkSafeToRetryForm(request.POST)
    if not form.is_valid():
        return resolve_page(request, onboarding, retry_form=form)
    resolution.mark_safe_to_retry(onboarding=onboarding, by=request.user)
    messages.success(
        request,
        _(
            "The installer can send this home again, and is told so when they next open it. "
            "You can also create it yourself from the check answers page."
        ),
    )
    return redirect("wizard:resolve", public_id=onboarding.public_id)


def resolve_page(
    request: AuthenticatedRequest,
    onboarding: Onboarding,
    *,
    home_id_form: ResolveWithHomeIdForm | None = None,
    retry_form: MarkSafeToRetryForm | None = None,
) -> HttpResponse:
    home_id_form = home_id_form or ResolveWithHomeIdForm(onboarding=onboarding)
    retry_form = retry_form or MarkSafeToRetryForm()
    events = list(onboarding.events.select_related("by"))
    context = {
        "onboarding": onboarding,
        "home_id_form": home_id_form,
        "retry_form": retry_form,
        "events": events,
        "sent": sent_answers(onboarding),
        "needs_attention": onboarding.status == Status.NEEDS_ATTENTION,
        "form": home_id_form if home_id_form.errors else retry_form,
        # What the last check found, from the history: a page view never asks WattShift.
        "found": selectors.homes_to_show(
            onboarding=onboarding, events=events, checked=home_id_form.check
        ),
    }
    return render(request, "wizard/resolve.html", context)
