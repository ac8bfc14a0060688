"""The wizard's steps, in order, written once.

URLs, the progress indicator, "next", "back", resume (the first unanswered step) and the
check-answers page all derive from STEPS. Adding a step is one entry here plus its form and
template.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import zipcodes
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.wizard import forms
from onboarding.wizard.models import AcType, Answer, Onboarding


@dataclass(frozen=True)
class SummaryRow:
    """One answer on the check-answers page; `field` is the form field its Change link targets."""

    key: str
    value: str
    field: str


def _always(onboarding: Onboarding) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any  # a lazy translation
    form_class: type[forms.StepForm]
    template_name: str
    is_answered: Callable[[Onboarding], bool]
    summary_rows: Callable[[Onboarding], list[SummaryRow]]
    # Whether this onboarding is asked this step at all.
    applies: Callable[[Onboarding], bool] = _always
    # Whether the step can be shown yet (it needs an earlier answer, e.g. the ZIP code).
    ready: Callable[[Onboarding], bool] = _always
    # Named partials of the template that htmx may ask for with ?partial=<name>.
    partials: tuple[str, ...] = field(default=())


NOT_PROVIDED = _("Not provided")


def place_for_zip(zipcode: str) -> str:
    """ "City, ST" for a ZIP code the offline list knows, else ""; never a reason to refuse it."""
    try:
        matches = zipcodes.matching(zipcode)
    except (TypeError, ValueError):
        return ""
    if not matches:
        return ""
    return f"{matches[0]['city']}, {matches[0]['state']}"


def _answer(value: str) -> str:
    return str(Answer(value).label) if value in Answer.values else str(NOT_PROVIDED)


def _yes_no(value: bool | None) -> str:
    return str(NOT_PROVIDED) if value is None else gettext("Yes") if value else gettext("No")


def _zip_rows(onboarding: Onboarding) -> list[SummaryRow]:
    place = place_for_zip(onboarding.zipcode)
    value = f"{onboarding.zipcode} ({place})" if place else onboarding.zipcode
    return [SummaryRow(gettext("ZIP code"), value, "zipcode")]


def _utility_rows(onboarding: Onboarding) -> list[SummaryRow]:
    plan = onboarding.rate_plan_name
    if onboarding.rate_plan_rate_id and onboarding.rate_plan_rate_id != plan:
        plan = f"{plan} ({onboarding.rate_plan_rate_id})"
    return [
        SummaryRow(gettext("Utility"), onboarding.utility_name, "utility"),
        SummaryRow(gettext("Rate plan"), plan, "plan"),
    ]


def _home_rows(onboarding: Onboarding) -> list[SummaryRow]:
    form_fields = forms.HomeForm.base_fields
    rows = [SummaryRow(gettext("Home name"), onboarding.home_name, "home_name")]
    for name in forms.APPLIANCE_FIELDS:
        rows.append(
            SummaryRow(str(form_fields[name].label), _answer(getattr(onboarding, name)), name)
        )
    if onboarding.has_ac == Answer.YES:
        ac_type = AcType(onboarding.ac_type).label if onboarding.ac_type else NOT_PROVIDED
        rows.append(SummaryRow(gettext("Type of air conditioning"), str(ac_type), "ac_type"))
    return rows


def format_kw(size: Decimal) -> str:
    return gettext("%(size)s kW") % {"size": f"{size.normalize():f}"}


def _solar_rows(onboarding: Onboarding) -> list[SummaryRow]:
    rows = [SummaryRow(gettext("Solar panels"), _yes_no(onboarding.has_solar), "has_solar")]
    if onboarding.has_solar:
        size = onboarding.solar_size_kw
        rows += [
            SummaryRow(
                gettext("Solar system size"),
                format_kw(size) if size is not None else str(NOT_PROVIDED),
                "solar_size_kw",
            ),
            SummaryRow(
                gettext("Net metered"), _yes_no(onboarding.solar_net_metered), "solar_net_metered"
            ),
        ]
    return rows


STEPS: tuple[Step, ...] = (
    Step(
        slug="zip",
        title=_("ZIP code"),
        form_class=forms.ZipForm,
        template_name="wizard/step_zip.html",
        is_answered=lambda o: bool(o.zipcode),
        summary_rows=_zip_rows,
        partials=("preview",),
    ),
    Step(
        slug="utility",
        title=_("Utility and rate plan"),
        form_class=forms.UtilityPlanForm,
        template_name="wizard/step_utility.html",
        is_answered=lambda o: bool(o.utility_id and o.rate_plan_id and o.rate_plan_name),
        summary_rows=_utility_rows,
        ready=lambda o: bool(o.zipcode),
        partials=("plans",),
    ),
    Step(
        slug="about-home",
        title=_("About the home"),
        form_class=forms.HomeForm,
        template_name="wizard/step_home.html",
        is_answered=lambda o: bool(o.home_name) and (o.has_ac != Answer.YES or bool(o.ac_type)),
        summary_rows=_home_rows,
    ),
    Step(
        slug="solar",
        title=_("Solar panels"),
        form_class=forms.SolarForm,
        template_name="wizard/step_solar.html",
        is_answered=lambda o: (
            o.has_solar is False
            or (
                o.has_solar is True
                and o.solar_size_kw is not None
                and o.solar_net_metered is not None
            )
        ),
        summary_rows=_solar_rows,
    ),
)


def get_step(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def applicable_steps(onboarding: Onboarding) -> list[Step]:
    return [step for step in STEPS if step.applies(onboarding)]


def first_unanswered(onboarding: Onboarding) -> Step | None:
    return next((s for s in applicable_steps(onboarding) if not s.is_answered(onboarding)), None)


def next_step(onboarding: Onboarding, step: Step) -> Step | None:
    steps = applicable_steps(onboarding)
    later = steps[steps.index(step) + 1 :] if step in steps else []
    return later[0] if later else None


def previous_step(onboarding: Onboarding, step: Step) -> Step | None:
    steps = applicable_steps(onboarding)
    earlier = steps[: steps.index(step)] if step in steps else []
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    def __str__(self) -> str:
        return gettext("%(answered)d of %(total)d steps") % {
            "answered": self.answered,
            "total": self.total,
        }


def progress(onboarding: Onboarding) -> Progress:
    steps = applicable_steps(onboarding)
    return Progress(sum(step.is_answered(onboarding) for step in steps), len(steps))


def summary(onboarding: Onboarding) -> list[tuple[Step, list[SummaryRow]]]:
    """Every applicable step with its answers, for the check-answers page."""
    return [(step, step.summary_rows(onboarding)) for step in applicable_steps(onboarding)]
