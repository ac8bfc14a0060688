"""Creating the home, the page of the created home, and its price signal."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onboarding.accounts.roles import is_support
from onboarding.http import AuthenticatedRequest
from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard import steps
from onboarding.wizard.chart_text import describe_chart
from onboarding.wizard.charts import home_timezone, price_chart
from onboarding.wizard.links import check_url, home_url
from onboarding.wizard.models import Onboarding
from onboarding.wizard.rate_limits import AskedToWait, not_checked, nothing_sent
from onboarding.wizard.selectors import get_onboarding_for
from onboarding.wizard.services import (
    edits,
    notices,
    payload,
    prices,
    reconciliation,
    recovery,
    submission,
)
from onboarding.wizard.views.steps import navigate, render_check_answers

Status = Onboarding.Status
SolarStatus = Onboarding.SolarStatus


@require_POST
def submit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """Create the home. A repeat (double click, second tab) only shows the current state."""
    onboarding = get_onboarding_for(request.user, public_id)
    before = onboarding.status
    try:
        onboarding = submission.submit_onboarding(onboarding=onboarding, by=request.user)
    except submission.OnboardingNotReady:
        messages.error(request, _("Some answers are missing. Answer them, then create the home."))
        return redirect("wizard:resume", public_id=onboarding.public_id)
    except AskedToWait as error:
        messages.error(request, nothing_sent(error))
        return _show_check_answers(request, onboarding)
    except payload.PlanUnavailable as error:
        messages.error(
            request,
            _(
                "Nothing was sent: WattShift's plans could not be read to pick one for this "
                "home. %(reason)s"
            )
            % {"reason": error.message},
        )
        return _show_check_answers(request, onboarding)

    if onboarding.status == Status.DRAFT:
        # Check answers shows last_error above the button, with every answer still there.
        return _show_check_answers(request, onboarding)
    # A solar failure is not repeated here: the home page shows it once, beside its retry.
    if before not in {Status.DRAFT, Status.HOME_CREATED}:
        messages.info(request, _("This onboarding was already sent. Nothing was sent again."))
    if request.htmx:
        # One request: the home page itself, its prices fetched right after the create.
        return navigate(render_home(request, onboarding), home_url(onboarding))
    return redirect("wizard:home", public_id=onboarding.public_id)


def _show_check_answers(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    if request.htmx:
        return navigate(render_check_answers(request, onboarding), check_url(onboarding))
    return redirect("wizard:check", public_id=onboarding.public_id)


@require_http_methods(["GET", "POST"])
def home(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The created home: confirmation after submitting, and its detail page afterwards.

    POST is "Check again": anyone who may see the onboarding may ask homes/list once more.
    """
    onboarding = get_onboarding_for(request.user, public_id)
    # A submission whose worker died would otherwise say "being created" forever.
    recovery.release_if_stale(onboarding=onboarding)
    if request.method == "POST":
        try:
            reconciliation.reconcile_onboarding(onboarding=onboarding, by=request.user)
        except AskedToWait as error:
            messages.error(request, not_checked(error))
        return after_reconcile(request, onboarding)
    watched = request.GET.get("watch")
    if request.htmx and watched is not None:
        # The page watches a home being created or checked: reload it once its status moves.
        if watched == onboarding.status:
            return HttpResponse(status=204)
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    if onboarding.status == Status.DRAFT:
        return redirect("wizard:resume", public_id=onboarding.public_id)
    return render_home(request, onboarding)


def render_home(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    """The created home's page: its id, what was sent, each call's result, its prices."""
    context = {
        "onboarding": onboarding,
        "notice": notices.read_by(onboarding, request.user),
        "sent": sent_answers(onboarding),
        "steps": step_results(onboarding),
        "events": onboarding.events.select_related("by").all(),
        "is_support": is_support(request.user),
        "can_change": edits.changeable(onboarding) and edits.may_change(request.user, onboarding),
        "Status": Status,
        **price_signal_context(onboarding),
    }
    return render(request, "wizard/home.html", context)


@require_http_methods(["GET", "POST"])
def price_signal(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The price chart alone (GET, or POST to try again); without htmx, back to the page."""
    onboarding = get_onboarding_for(request.user, public_id)
    if not onboarding.home_id:
        return redirect("wizard:home", public_id=onboarding.public_id)
    if request.method == "POST" and not request.htmx:
        return redirect(home_url(onboarding) + "#price-signal")
    context = {"onboarding": onboarding, **price_signal_context(onboarding)}
    return render(request, "wizard/home.html#price-signal", context)


def price_signal_context(onboarding: Onboarding) -> dict[str, object]:
    """The chart, or the reason it is missing; the page is shown either way."""
    if not onboarding.home_id:
        return {"chart": None, "price_error": ""}
    try:
        signal = prices.price_signal_for(onboarding=onboarding)
    except WattShiftError as error:
        return {"chart": None, "price_error": error.message}
    tz = home_timezone(onboarding.zipcode)
    chart = price_chart(signal, tz=tz)
    return {
        "chart": chart,
        "chart_text": describe_chart(chart) if chart else None,
        "chart_tz": tz,
        "price_error": "",
    }


def after_reconcile(request: AuthenticatedRequest, onboarding: Onboarding) -> HttpResponse:
    """Where the installer's "Check again" leads: the draft when safe to send again (its page
    says why, once), else the home's page."""
    if onboarding.status == Status.DRAFT:
        return redirect("wizard:check", public_id=onboarding.public_id)
    return redirect("wizard:home", public_id=onboarding.public_id)


def sent_answers(onboarding: Onboarding) -> list[steps.SummaryRow]:
    """What was sent to WattShift: the answers as check answers shows them, plus the ids."""
    rows = [row for _step, rows in steps.summary(onboarding, with_ids=True) for row in rows]
    if not onboarding.rate_plan_rate_id:
        return rows
    return [*rows, steps.SummaryRow(_("Tariff reference"), onboarding.rate_plan_rate_id)]


def step_results(onboarding: Onboarding) -> list[steps.SummaryRow]:
    """The result of each API step, in words."""
    if onboarding.home_id:
        created = _("Created: %(id)s") % {"id": onboarding.home_id}
    elif onboarding.status == Status.SUBMITTING:
        created = _("In progress")
    else:
        created = _("Not confirmed: WattShift did not give a clear answer")
    solar = {
        SolarStatus.NOT_NEEDED: _("Not needed: the home has no solar panels"),
        SolarStatus.PENDING: _("Not sent yet"),
        SolarStatus.ADDED: _("Added"),
        SolarStatus.FAILED: _("Failed"),
    }[onboarding.solar_status]
    return [steps.SummaryRow(_("Create home"), created), steps.SummaryRow(_("Add solar"), solar)]
