"""The wizard's pages: dashboard, start, resume, each step, check answers.

Views are thin: load the onboarding the person may see, bind the step's form, save, redirect.
For htmx requests they render a named partial of the same template instead of the page.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from onboarding.accounts.roles import is_support
from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard import selectors, steps
from onboarding.wizard.models import Onboarding

DASHBOARD_PAGE_SIZE = 20
RETURN_TO_CHECK = "check"


def step_url(onboarding: Onboarding, step: steps.Step, *, returning: bool = False) -> str:
    url = reverse("wizard:step", args=[onboarding.public_id, step.slug])
    return f"{url}?{urlencode({'return': RETURN_TO_CHECK})}" if returning else url


def check_url(onboarding: Onboarding) -> str:
    return reverse("wizard:check", args=[onboarding.public_id])


def home_url(onboarding: Onboarding) -> str:
    return reverse("wizard:home", args=[onboarding.public_id])


def resume_url(onboarding: Onboarding) -> str:
    """Where to pick an onboarding up: its first unanswered step, check answers, or its home."""
    if not onboarding.is_draft:
        return home_url(onboarding)
    step = steps.first_unanswered(onboarding)
    return step_url(onboarding, step) if step else check_url(onboarding)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    # htmx would swap a plain redirect's page into the form; ask it to navigate instead.
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def dashboard(request: HttpRequest) -> HttpResponse:
    visible = selectors.onboardings_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    found = selectors.search_onboardings(visible, query=query, status=status)
    page = Paginator(found, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "onboarding": onboarding,
            "progress": steps.progress(onboarding),
            "resume_url": resume_url(onboarding),
        }
        for onboarding in page
    ]
    return render(
        request,
        "wizard/dashboard.html",
        {
            "rows": rows,
            "page": page,
            "query": query,
            "status": status if status in Onboarding.Status.values else "",
            "statuses": Onboarding.Status.choices,
            "needs_attention": visible.filter(status=Onboarding.Status.NEEDS_ATTENTION),
            "is_support": is_support(request.user),
            "searching": bool(query or status),
        },
    )


@require_POST
def new_onboarding(request: HttpRequest) -> HttpResponse:
    onboarding = Onboarding.objects.create(owner=request.user)
    return redirect(step_url(onboarding, steps.STEPS[0]))


def resume(request: HttpRequest, public_id: UUID) -> HttpResponse:
    onboarding = selectors.get_onboarding_for(request.user, public_id)
    return redirect(resume_url(onboarding))


def _after_step(onboarding: Onboarding, step: steps.Step, *, returning: bool) -> str:
    """Where Continue leads: the next step, or back to check answers via any follow-up."""
    if returning:
        follow_up = steps.first_unanswered(onboarding)
        return (
            step_url(onboarding, follow_up, returning=True) if follow_up else check_url(onboarding)
        )
    following = steps.next_step(onboarding, step)
    return step_url(onboarding, following) if following else check_url(onboarding)


def _back_url(onboarding: Onboarding, step: steps.Step, *, returning: bool) -> str:
    if returning:
        return check_url(onboarding)
    previous = steps.previous_step(onboarding, step)
    return step_url(onboarding, previous) if previous else reverse("wizard:dashboard")


@require_http_methods(["GET", "POST"])
def step_view(request: HttpRequest, public_id: UUID, step: str) -> HttpResponse:
    onboarding = selectors.get_onboarding_for(request.user, public_id)
    current = steps.get_step(step)
    if current is None:
        raise Http404("No such step.")
    if not onboarding.is_draft:
        return _redirect(request, home_url(onboarding))
    if not current.applies(onboarding) or not current.ready(onboarding):
        return _redirect(request, resume_url(onboarding))
    returning = RETURN_TO_CHECK in (request.GET.get("return"), request.POST.get("return"))
    partial = request.GET.get("partial", "")
    partial = partial if request.htmx and partial in current.partials else ""

    form = None
    upstream_error = None
    try:
        if request.method == "POST":
            form = current.form_class(request.POST, onboarding=onboarding)
            if "save_later" in request.POST:
                return _save_for_later(request, onboarding, form)
            if form.is_valid():
                if not form.save():
                    return _redirect(request, home_url(onboarding))
                if getattr(form, "plans_pending", False):
                    # No JavaScript: a utility was chosen; now show its plans.
                    return _redirect(request, step_url(onboarding, current, returning=returning))
                return _redirect(request, _after_step(onboarding, current, returning=returning))
        elif partial:
            form = current.form_class(onboarding=onboarding, initial=request.GET.dict())
        else:
            form = current.form_class(onboarding=onboarding)
    except WattShiftError as error:
        if request.method == "POST" and "save_later" in request.POST:
            # Nothing on this page could be read, so nothing new to save; the draft is intact.
            messages.info(request, _("Your earlier answers are saved."))
            return _redirect(request, reverse("wizard:dashboard"))
        upstream_error = error

    step_list = steps.applicable_steps(onboarding)
    context: dict[str, Any] = {
        "onboarding": onboarding,
        "step": current,
        "form": form,
        "upstream_error": upstream_error,
        "returning": returning,
        "back_url": _back_url(onboarding, current, returning=returning),
        "steps": step_list,
        "step_number": step_list.index(current) + 1 if current in step_list else None,
        "step_count": len(step_list),
        "action_url": step_url(onboarding, current, returning=returning),
        "zip_url": step_url(onboarding, steps.STEPS[0], returning=returning),
    }
    context.update(_step_context(current, form, partial))
    template = current.template_name
    if partial or request.htmx:
        template = f"{template}#{partial or 'form'}"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _step_context(step: steps.Step, form: Any, partial: str) -> dict[str, Any]:
    """What one step's template needs beyond the form, e.g. the ZIP code preview."""
    if step.slug == "utility" and form is not None:
        return {"place": steps.place_for_zip(form.onboarding.zipcode)}
    if step.slug != "zip" or form is None:
        return {}
    zipcode = form.preview_zipcode()
    if not zipcode:
        return {"preview": None}
    if partial == "preview":
        try:
            utilities = selectors.utilities_for_zip(zipcode)
        except WattShiftError:
            utilities = None
    else:
        # The full page only shows utilities already looked up: no upstream call per view.
        utilities = selectors.cached_utilities_for_zip(zipcode)
    return {
        "preview": {
            "zipcode": zipcode,
            "place": steps.place_for_zip(zipcode),
            "utilities": utilities,
        }
    }


def _save_for_later(request: HttpRequest, onboarding: Onboarding, form: Any) -> HttpResponse:
    if not form.save_draft():
        return _redirect(request, home_url(onboarding))
    messages.success(
        request,
        _("Your answers are saved. Resume this onboarding from the list when you are ready."),
    )
    return _redirect(request, reverse("wizard:dashboard"))


def check_answers(request: HttpRequest, public_id: UUID) -> HttpResponse:
    onboarding = selectors.get_onboarding_for(request.user, public_id)
    if not onboarding.is_draft:
        return redirect(home_url(onboarding))
    unanswered = steps.first_unanswered(onboarding)
    if unanswered is not None:
        return redirect(step_url(onboarding, unanswered, returning=True))
    visible = selectors.onboardings_visible_to(request.user)
    duplicates = [
        {"onboarding": other, "visible": visible.filter(pk=other.pk).exists()}
        for other in selectors.likely_duplicates(onboarding)
    ]
    step_list = steps.applicable_steps(onboarding)
    return render(
        request,
        "wizard/check_answers.html",
        {
            "onboarding": onboarding,
            "sections": [
                {
                    "step": step,
                    "rows": rows,
                    "change_url": step_url(onboarding, step, returning=True),
                }
                for step, rows in steps.summary(onboarding)
            ],
            "duplicates": duplicates,
            "back_url": step_url(onboarding, step_list[-1]),
        },
    )
