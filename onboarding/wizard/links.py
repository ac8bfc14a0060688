"""Where each page of an onboarding lives."""

from collections.abc import Callable
from functools import cache
from uuid import UUID

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import urlencode

from onboarding.wizard import steps
from onboarding.wizard.models import Onboarding

RETURN_TO_CHECK = "check"
_SOME_ID = UUID(int=0)


def onboarding_url(name: str, onboarding: Onboarding, *more: str) -> str:
    """The page `name` (a wizard URL name) of this onboarding. Each URL is reversed once per
    process and the public id put in: reverse() costs ~60 µs, and a list makes dozens."""
    return url_for_each(name, *more)(onboarding)


def url_for_each(name: str, *more: str) -> Callable[[Onboarding], str]:
    """onboarding_url(name, …, *more) for the many onboardings of one page: what is around the
    id is looked up once (the request's URLconf and script prefix are per-request reads)."""
    before, after = _around_the_id(get_urlconf(), get_script_prefix(), name, *more)
    return lambda onboarding: f"{before}{onboarding.public_id}{after}"


@cache
def _around_the_id(
    urlconf: str | None, script_prefix: str, name: str, *more: str
) -> tuple[str, str]:
    # What reverse() reads besides the name is in the key: the request's URLconf (None: the
    # settings'), and the script prefix it puts in front of every URL.
    before, after = reverse(name, urlconf=urlconf, args=[_SOME_ID, *more]).split(str(_SOME_ID))
    return before, after


def step_url(
    onboarding: Onboarding, step: steps.Step, *, returning: bool = False, retry: bool = False
) -> str:
    """A step's page; `returning` to check answers after it; `retry` asks WattShift afresh."""
    url = onboarding_url("wizard:step", onboarding, step.slug)
    query = {"return": RETURN_TO_CHECK} if returning else {}
    if retry:
        query["retry"] = "1"
    return f"{url}?{urlencode(query)}" if query else url


def check_url(onboarding: Onboarding) -> str:
    return onboarding_url("wizard:check", onboarding)


def home_url(onboarding: Onboarding) -> str:
    return onboarding_url("wizard:home", onboarding)


def resume_url(onboarding: Onboarding, standing: steps.Standing | None = None) -> str:
    """Where to pick an onboarding up: its first unanswered step, check answers, or its home
    (`standing`: the draft's, when the caller has it already)."""
    if not onboarding.is_draft:
        return home_url(onboarding)
    step = standing.unanswered if standing else steps.first_unanswered(onboarding)
    return step_url(onboarding, step) if step else check_url(onboarding)


def change_url(onboarding: Onboarding, **query: str) -> str:
    """Change a created home's page (`query`: what it carries, e.g. retry)."""
    url = onboarding_url("wizard:change_home", onboarding)
    return f"{url}?{urlencode(query)}" if query else url


def confirm_url(onboarding: Onboarding, *, change: str) -> str:
    """The confirmation page of the checked changes signed in `change`."""
    return f"{onboarding_url('wizard:change_confirm', onboarding)}?{urlencode({'change': change})}"
