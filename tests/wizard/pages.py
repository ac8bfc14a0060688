"""The wizard's pages for the tests: their URLs, and what the tests read off them."""

import re

from django.urls import reverse

from onboarding.wattshift.types import RatePlan
from onboarding.wizard.models import Onboarding
from onboarding.wizard.steps.utility import plan_value

# The header htmx sends with every request it makes.
HTMX = {"HX-Request": "true"}


def step_url(onboarding: Onboarding, slug: str, *, returning: bool = False) -> str:
    url = reverse("wizard:step", args=[onboarding.public_id, slug])
    return f"{url}?return=check" if returning else url


def check_url(onboarding: Onboarding) -> str:
    return reverse("wizard:check", args=[onboarding.public_id])


def submit_url(onboarding: Onboarding) -> str:
    return reverse("wizard:submit", args=[onboarding.public_id])


def home_url(onboarding: Onboarding) -> str:
    return reverse("wizard:home", args=[onboarding.public_id])


def price_url(onboarding: Onboarding) -> str:
    return reverse("wizard:price_signal", args=[onboarding.public_id])


def change_url(onboarding: Onboarding) -> str:
    return reverse("wizard:change_home", args=[onboarding.public_id])


def confirm_url(onboarding: Onboarding) -> str:
    return reverse("wizard:change_confirm", args=[onboarding.public_id])


def send_url(onboarding: Onboarding) -> str:
    return reverse("wizard:change_send", args=[onboarding.public_id])


def resolve_url(onboarding: Onboarding) -> str:
    return reverse("wizard:resolve", args=[onboarding.public_id])


# One URL per support action.
ACTION_URLS = {
    "home_id": "wizard:resolve_record_home_id",
    "retry": "wizard:resolve_allow_retry",
    "reconcile": "wizard:resolve_check_again",
}


def action_url(onboarding: Onboarding, action: str) -> str:
    return reverse(ACTION_URLS[action], args=[onboarding.public_id])


def plan_choice(plan_id: str, name: str) -> str:
    """The radio value the utility step gives the plan with this id and name."""
    return plan_value(RatePlan(id=plan_id, name=name))


def checked_radios(page: str, name: str) -> list[str]:
    """The values of the radios named `name` that the page shows checked."""
    inputs = re.findall(r'<input type="radio" name="' + re.escape(name) + r'"[^>]*>', page)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if " checked" in tag]


def error_codes(response: object, field_name: str) -> list[str]:
    """The ValidationError codes the page's form raised for one field."""
    form = response.context["form"]  # type: ignore[attr-defined]
    return [error.code for error in form.errors.as_data().get(field_name, [])]


def summary_row(key: str, value: str) -> str:
    """One row of a summary list (check answers, what was sent, the chart's summary)."""
    return f'<dt class="summary-list__key">{key}</dt><dd class="summary-list__value">{value}</dd>'
