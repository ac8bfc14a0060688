"""The wizard's steps, in order, written once.

URLs, the progress indicator, "next", "back", resume (the first unanswered step), what a
draft still lacks (`missing_answers`) and the check-answers page all derive from STEPS.
Adding a step is one entry here plus its form and template.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import zipcodes
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard import forms, selectors
from onboarding.wizard.models import APPLIANCE_COLUMNS, AcType, Answer, Onboarding


@dataclass(frozen=True)
class SummaryRow:
    """One labelled answer; `field` is the form field a Change link targets ("" for none)."""

    key: str
    value: str
    field: str = ""


def _always(onboarding: Onboarding) -> bool:
    return True


def _no_context(form: forms.StepForm | None, partial: str) -> dict[str, Any]:
    return {}


def _no_rows(onboarding: Onboarding) -> list[SummaryRow]:
    return []


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any  # a lazy translation
    form_class: type[forms.StepForm]
    template_name: str
    # The Onboarding fields this step still has to fill in; empty once it is answered.
    missing: Callable[[Onboarding], list[str]]
    summary_rows: Callable[[Onboarding], list[SummaryRow]]
    # Whether this onboarding is asked this step at all.
    applies: Callable[[Onboarding], bool] = _always
    # Whether the step can be shown yet (it needs an earlier answer, e.g. the ZIP code).
    ready: Callable[[Onboarding], bool] = _always
    # Named partials of the template that htmx may ask for with ?partial=<name>.
    partials: tuple[str, ...] = field(default=())
    # What the template needs beyond the form, given the form (None if it could not be built)
    # and the htmx partial asked for ("" for the whole page).
    extra_context: Callable[[forms.StepForm | None, str], dict[str, Any]] = _no_context
    # The upstream ids behind the answers, for the home page's record of what was sent.
    id_rows: Callable[[Onboarding], list[SummaryRow]] = _no_rows

    def is_answered(self, onboarding: Onboarding) -> bool:
        return not self.missing(onboarding)


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


def _zip_context(form: forms.StepForm | None, partial: str) -> dict[str, Any]:
    """The place and utilities for the ZIP code typed (htmx preview) or saved."""
    if not isinstance(form, forms.ZipForm):
        return {}
    zipcode = form.preview_zipcode()
    if not zipcode:
        return {"preview": None}
    lookup_failed = False
    if partial == "preview":
        try:
            utilities = selectors.utilities_for_zip(zipcode)
        except WattShiftError:
            utilities, lookup_failed = None, True
    else:
        # The full page only shows utilities already looked up: no upstream call per view.
        utilities = selectors.cached_utilities_for_zip(zipcode)
    return {
        "preview": {
            "zipcode": zipcode,
            "place": place_for_zip(zipcode),
            "utilities": utilities,
            "lookup_failed": lookup_failed,
        }
    }


def _utility_context(form: forms.StepForm | None, partial: str) -> dict[str, Any]:
    return {"place": place_for_zip(form.onboarding.zipcode)} if form is not None else {}


def _utility_rows(onboarding: Onboarding) -> list[SummaryRow]:
    plan = onboarding.rate_plan_name
    if onboarding.rate_plan_rate_id and onboarding.rate_plan_rate_id != plan:
        plan = f"{plan} ({onboarding.rate_plan_rate_id})"
    return [
        SummaryRow(gettext("Utility"), onboarding.utility_name, "utility"),
        SummaryRow(gettext("Rate plan"), plan, "plan"),
    ]


def _utility_id_rows(onboarding: Onboarding) -> list[SummaryRow]:
    return [
        SummaryRow(gettext("Utility id"), onboarding.utility_id, "utility"),
        SummaryRow(gettext("Rate plan id"), onboarding.rate_plan_id, "plan"),
    ]


def _home_rows(onboarding: Onboarding) -> list[SummaryRow]:
    form_fields = forms.HomeForm.base_fields
    rows = [SummaryRow(gettext("Home name"), onboarding.home_name, "home_name")]
    for name in APPLIANCE_COLUMNS:
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


def _zip_missing(onboarding: Onboarding) -> list[str]:
    return [] if onboarding.zipcode else ["zipcode"]


def _utility_missing(onboarding: Onboarding) -> list[str]:
    names = ("utility_id", "rate_plan_id", "rate_plan_name")
    return [name for name in names if not getattr(onboarding, name)]


def _home_missing(onboarding: Onboarding) -> list[str]:
    missing = [] if onboarding.home_name.strip() else ["home_name"]
    if onboarding.has_ac == Answer.YES and not onboarding.ac_type:
        missing.append("ac_type")
    return missing


def _solar_missing(onboarding: Onboarding) -> list[str]:
    if onboarding.has_solar is None:
        return ["has_solar"]
    if onboarding.has_solar is False:
        return []
    names = ("solar_size_kw", "solar_net_metered")
    return [name for name in names if getattr(onboarding, name) is None]


STEPS: tuple[Step, ...] = (
    Step(
        slug="zip",
        title=_("ZIP code"),
        form_class=forms.ZipForm,
        template_name="wizard/step_zip.html",
        missing=_zip_missing,
        summary_rows=_zip_rows,
        partials=("preview",),
        extra_context=_zip_context,
    ),
    Step(
        slug="utility",
        title=_("Utility and rate plan"),
        form_class=forms.UtilityPlanForm,
        template_name="wizard/step_utility.html",
        missing=_utility_missing,
        summary_rows=_utility_rows,
        ready=lambda o: bool(o.zipcode),
        partials=("plans",),
        extra_context=_utility_context,
        id_rows=_utility_id_rows,
    ),
    Step(
        slug="about-home",
        title=_("About the home"),
        form_class=forms.HomeForm,
        template_name="wizard/step_home.html",
        missing=_home_missing,
        summary_rows=_home_rows,
    ),
    Step(
        slug="solar",
        title=_("Solar panels"),
        form_class=forms.SolarForm,
        template_name="wizard/step_solar.html",
        missing=_solar_missing,
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


def missing_answers(onboarding: Onboarding) -> list[str]:
    """What this draft still lacks: the Onboarding fields its applicable steps need, in order.

    Empty when every step is answered, i.e. when the draft can be sent.
    """
    return [name for step in applicable_steps(onboarding) for name in step.missing(onboarding)]


def summary(
    onboarding: Onboarding, *, with_ids: bool = False
) -> list[tuple[Step, list[SummaryRow]]]:
    """Every applicable step with its answers: check answers, and (with the upstream ids of
    the utility and plan) the home page's record of what was sent."""
    return [
        (step, step.summary_rows(onboarding) + (step.id_rows(onboarding) if with_ids else []))
        for step in applicable_steps(onboarding)
    ]
