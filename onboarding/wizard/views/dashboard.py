"""The list of onboardings, and starting, resuming and discarding one."""

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onboarding.accounts.roles import is_support
from onboarding.http import AuthenticatedRequest
from onboarding.wizard import forms, selectors, steps
from onboarding.wizard.links import resume_url, step_url
from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import drafts

DASHBOARD_PAGE_SIZE = 20


def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    visible = selectors.onboardings_visible_to(request.user)
    query, status = forms.OnboardingSearchForm(request.GET).search()
    found = selectors.search_onboardings(visible, query=query, status=status)
    page = Paginator(found, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "onboarding": onboarding,
            "progress": steps.progress(onboarding),
            "resume_url": resume_url(onboarding),
            "discardable": selectors.is_discardable(onboarding),
        }
        for onboarding in page
    ]
    return render(
        request,
        "wizard/dashboard.html",
        {
            "rows": rows,
            "page": page,
            # Shown with what was searched for, once cleaned.
            "search_form": forms.OnboardingSearchForm(initial={"q": query, "status": status}),
            "query": query,
            "status": status,
            "needs_attention": visible.filter(status=Onboarding.Status.NEEDS_ATTENTION).order_by(
                "-submitted_at", "-updated_at"
            ),
            "is_support": is_support(request.user),
            "searching": bool(query or status),
        },
    )


@require_POST
def new_onboarding(request: AuthenticatedRequest) -> HttpResponse:
    onboarding = drafts.start_onboarding(owner=request.user)
    return redirect(step_url(onboarding, steps.STEPS[0]))


def resume(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    onboarding = selectors.get_onboarding_for(request.user, public_id)
    return redirect(resume_url(onboarding))


@require_http_methods(["GET", "POST"])
def discard(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """Ask "Are you sure…", then delete a draft that was never sent to WattShift."""
    onboarding = selectors.get_onboarding_for(request.user, public_id)
    sent = _("This onboarding was sent to WattShift, so it cannot be discarded.")
    if not selectors.is_discardable(onboarding):
        messages.error(request, sent)
        return redirect(resume_url(onboarding))
    if request.method == "POST":
        if not drafts.discard_draft(onboarding=onboarding):
            messages.error(request, sent)
            return redirect(resume_url(onboarding))
        messages.success(request, _("The draft “%(name)s” was discarded.") % {"name": onboarding})
        return redirect("wizard:dashboard")
    return render(
        request,
        "wizard/discard.html",
        {
            "onboarding": onboarding,
            "progress": steps.progress(onboarding),
            "back_url": reverse("wizard:dashboard"),
        },
    )
