"""Each step of the wizard, and the check-answers page.

Views are thin: load the onboarding the person may see, bind the step's form, save, redirect.
For htmx requests they render a named partial of the same template instead of the page.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect, push_url, reselect, reswap, retarget

from onboarding.http import AuthenticatedRequest
from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard import selectors, steps
from onboarding.wizard.links import RETURN_TO_CHECK, check_url, home_url, resume_url, step_url
from onboarding.wizard.models import Onboarding
from onboarding.wizard.rate_limits import still_ahead, try_again_after
from onboarding.wizard.services import notices
from onboarding.wizard.steps import Step, StepForm

# Says the server now has the step's answers, so the browser forgets its copy (app.js).
ANSWERS_SAVED_HEADER = "Answers-Saved"


def _answers_saved(response: HttpResponse, step: Step) -> HttpResponse:
    response[ANSWERS_SAVED_HEADER] = step.slug
    return response


def _redirect(request: AuthenticatedRequest, url: str) -> HttpResponse:
    # htmx would swap a plain redirect's page into the form; ask it to navigate instead.
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def _following(onboarding: Onboarding, step: Step, *, returning: bool) -> Step | None:
    """The page Continue leads to: the next step, or (None) check answers; returning to check
    answers, through any follow-up question first."""
    if returning:
        return steps.first_unanswered(onboarding)
    return steps.next_step(step)


def _back_url(onboarding: Onboarding, step: Step, *, returning: bool) -> str:
    if returning:
        return check_url(onboarding)
    previous = steps.previous_step(step)
    return step_url(onboarding, previous) if previous else reverse("wizard:dashboard")


@require_http_methods(["GET", "POST"])
def step_view(request: AuthenticatedRequest, public_id: UUID, step: str) -> HttpResponse:
    current = steps.get_step(step)
    if current is None:
        raise Http404("No such step.")
    returning = RETURN_TO_CHECK in (request.GET.get("return"), request.POST.get("return"))
    # A Continue on the last step, or back to check answers, shows check answers, which needs
    # the likely duplicates: count them with the row then (nothing else needs them).
    onboarding = selectors.get_onboarding_for(
        request.user,
        public_id,
        with_duplicate_count=request.method == "POST"
        and (returning or not steps.next_step(current)),
    )
    if not onboarding.is_draft:
        return _redirect(request, home_url(onboarding))
    if not current.is_ready(onboarding):
        return _redirect(request, resume_url(onboarding))
    if request.method == "POST":
        return _post(request, onboarding, current, returning=returning)
    partial = request.GET.get("partial", "")
    if not request.htmx or partial not in current.partials:
        partial = ""
    return render_step(request, onboarding, current, returning=returning, partial=partial)


def _post(
    request: AuthenticatedRequest, onboarding: Onboarding, step: Step, *, returning: bool
) -> HttpResponse:
    this_step = step_url(onboarding, step, returning=returning)
    try:
        form = step.form_class.for_onboarding(request.POST, onboarding=onboarding)
    except WattShiftError as error:
        if "save_later" in request.POST:
            # Nothing on this page could be read, so nothing new to save; the draft is intact.
            messages.info(request, _("Your earlier answers are saved."))
            return _redirect(request, reverse("wizard:dashboard"))
        return render_step(request, onboarding, step, returning=returning, upstream_error=error)
    if "save_later" in request.POST:
        if not form.save_draft():
            return _not_saved(request, form, this_step)
        return _answers_saved(_saved_for_later(request, form), step)
    if not form.is_valid():
        # The form again, its errors in place (with htmx, only the form).
        return render_step(request, onboarding, step, returning=returning, form=form)
    if not form.save():
        return _not_saved(request, form, this_step)
    if form.changed & {"home_name", "zipcode"}:
        onboarding.duplicate_count = None  # type: ignore[attr-defined]  # for the old name
    if form.stays_on_step():
        return _answers_saved(_redirect(request, this_step), step)
    following = _following(onboarding, step, returning=returning)
    if following is None and (unanswered := steps.first_unanswered(onboarding)) is not None:
        # Check answers comes once everything is answered: first what is still missing.
        following, returning = unanswered, True
    url = check_url(onboarding)
    if following is not None:
        url = step_url(onboarding, following, returning=returning)
    if not request.htmx:
        return _answers_saved(HttpResponseRedirect(url), step)
    # With htmx, one request per step: the next page itself, swapped in and put in the history.
    if following is None:
        page = render_check_answers(request, onboarding)
    else:
        page = render_step(request, onboarding, following, returning=returning, whole_page=True)
    return _answers_saved(navigate(page, url), step)


def navigate(response: HttpResponse, url: str) -> HttpResponse:
    """Ask htmx to show this whole page (its #page region) at `url`, as if it were opened."""
    push_url(response, url)
    retarget(response, "#page")
    reselect(response, "#page")
    reswap(response, "outerHTML")
    return response


def render_step(
    request: AuthenticatedRequest,
    onboarding: Onboarding,
    step: Step,
    *,
    returning: bool,
    partial: str = "",
    form: StepForm | None = None,
    upstream_error: WattShiftError | None = None,
    whole_page: bool = False,
) -> HttpResponse:
    """The step's page; for htmx (unless whole_page) only its form, or the partial asked for."""
    if form is None and upstream_error is None:
        try:
            initial = request.GET.dict() if partial else None
            form = step.form_class.for_onboarding(
                onboarding=onboarding, initial=initial, fresh="retry" in request.GET
            )
        except WattShiftError as error:
            upstream_error = error
    context: dict[str, Any] = {
        "onboarding": onboarding,
        "step": step,
        "form": form,
        "upstream_error": upstream_error,
        "returning": returning,
        "back_url": _back_url(onboarding, step, returning=returning),
        "steps": steps.STEPS,
        "step_number": steps.STEPS.index(step) + 1,
        "step_count": len(steps.STEPS),
        "action_url": step_url(onboarding, step, returning=returning),
        "retry_url": step_url(onboarding, step, returning=returning, retry=True),
        # Each step's URL by slug, so a page can link to an earlier answer (Change the ZIP code).
        "step_urls": {s.slug: step_url(onboarding, s, returning=returning) for s in steps.STEPS},
    }
    context.update(step.context(form, partial))
    template = step.template_name
    if partial or (request.htmx and not whole_page and not request.htmx.history_restore_request):
        template = f"{template}#{partial or 'form'}"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _not_saved(request: AuthenticatedRequest, form: StepForm, step_page: str) -> HttpResponse:
    """Nothing was stored: the onboarding was sent meanwhile, or another tab changed it."""
    onboarding = selectors.get_onboarding_for(request.user, form.onboarding.public_id)
    if not onboarding.is_draft:
        return _redirect(request, home_url(onboarding))
    messages.warning(request, str(form.conflict_message))
    return _redirect(request, step_page)


def _saved_for_later(request: AuthenticatedRequest, form: StepForm) -> HttpResponse:
    not_kept = form.not_kept()
    if not_kept:
        messages.warning(
            request,
            _(
                "Your other answers are saved. These answers were not valid, so they were not "
                "saved: %(questions)s"
            )
            % {"questions": ", ".join(f"“{label}”" for label in not_kept)},
        )
    else:
        messages.success(
            request,
            _("Your answers are saved. Resume this onboarding from the list when you are ready."),
        )
    return _redirect(request, reverse("wizard:dashboard"))


def check_answers(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    onboarding = selectors.get_onboarding_for(request.user, public_id, with_duplicate_count=True)
    if not onboarding.is_draft:
        return redirect(home_url(onboarding))
    unanswered = steps.first_unanswered(onboarding)
    if unanswered is not None:
        return redirect(step_url(onboarding, unanswered, returning=True))
    return render_check_answers(request, onboarding)


def render_check_answers(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    """Every answer with its Change link, likely duplicates, and the Create home button."""
    others = []
    if getattr(onboarding, "duplicate_count", None) != 0:
        others = list(selectors.likely_duplicates(onboarding, seen_by=request.user))
    # What the person may not open themselves is only counted: no id, status, owner or link.
    duplicates = [other for other in others if other.visible]  # type: ignore[attr-defined]
    return render(
        request,
        "wizard/check_answers.html",
        {
            "onboarding": onboarding,
            "notice": notices.read_by(onboarding, request.user),
            "sections": [
                {
                    "step": step,
                    "rows": rows,
                    "change_url": step_url(onboarding, step, returning=True),
                }
                for step, rows in steps.summary(onboarding)
            ],
            "refused": [
                {
                    "question": step.form_class.base_fields[name].label,
                    "message": message,
                    "change_url": f"{step_url(onboarding, step, returning=True)}#id_{name}",
                }
                for name, message in (onboarding.upstream_field_errors or {}).items()
                for step in steps.STEPS
                if name in step.form_class.base_fields
            ],
            # The same words as the refusal's message (rate_limits.try_again_after).
            "wait": try_again_after(onboarding.retry_not_before)
            if still_ahead(onboarding.retry_not_before)
            else "",
            "duplicates": duplicates,
            "hidden_duplicates": len(others) - len(duplicates),
            "duplicate_count": len(others),
            "back_url": step_url(onboarding, steps.STEPS[-1]),
        },
    )
