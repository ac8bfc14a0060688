"""Where each page of an onboarding lives."""

from django.urls import reverse
from django.utils.http import urlencode

from onboarding.wizard import steps
from onboarding.wizard.models import Onboarding

RETURN_TO_CHECK = "check"


def step_url(
    onboarding: Onboarding, step: steps.Step, *, returning: bool = False, retry: bool = False
) -> str:
    """A step's page; `returning` to check answers after it; `retry` asks WattShift afresh."""
    url = reverse("wizard:step", args=[onboarding.public_id, step.slug])
    query = {"return": RETURN_TO_CHECK} if returning else {}
    if retry:
        query["retry"] = "1"
    return f"{url}?{urlencode(query)}" if query else url


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
