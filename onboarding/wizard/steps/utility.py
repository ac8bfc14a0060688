"""Step 2: the utility and rate plan, from WattShift's list for the ZIP code."""

import hashlib
import json
from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.wattshift.types import RatePlan, Utility
from onboarding.wizard import selectors
from onboarding.wizard.models import Onboarding
from onboarding.wizard.places import place_for_zip
from onboarding.wizard.steps.base import FollowUp, Step, StepForm, SummaryRow
from onboarding.wizard.widgets import Radios

# The plan answer of a homeowner who does not know their plan (GOV.UK's "I'm not sure").
NOT_SURE = "not_sure"


def plan_value(plan: RatePlan) -> str:
    """A radio value naming one plan by its id AND name: ids repeat (TOU-C and E-6 share one),
    and unlike a position it still names the same plan if the cached list comes back reordered.
    """
    key = json.dumps([plan.id, plan.name]).encode()
    return hashlib.blake2s(key, digest_size=8).hexdigest()


class UtilityPlanForm(StepForm):
    """The utility and rate plan, from the cached utility/get answer for the ZIP code.

    Without JavaScript it is a two-stage form: choosing a different utility than the one whose
    plans are shown (the posted `plans_for`) stores the utility and shows its plans. The page
    posts the ZIP code it was shown for (`for_zipcode`), and the save requires that ZIP code
    still on the row, so a choice made for a ZIP code changed meanwhile is never stored.
    """

    error_messages: ClassVar[dict[str, Any]] = {
        "utility_required": _("Select the home's electricity utility"),
        "invalid_utility": _(
            "Select one of the utilities listed for this ZIP code. The list may have changed."
        ),
        "plan_required": _("Select the home's rate plan, or I'm not sure"),
        "invalid_plan": _(
            "Select one of the rate plans listed for %(utility)s. The list may have changed."
        ),
        "zipcode_changed": _(
            "The ZIP code was changed in another tab or window. Choose the utility and rate "
            "plan again for ZIP code %(zipcode)s."
        ),
    }
    conflict_message: ClassVar[Any] = _(
        "The ZIP code was changed in another tab or window, so this utility and rate plan were "
        "not saved. Choose them again for the new ZIP code."
    )
    # The plan is checked against the utility chosen, so it follows that question; every
    # utility has its plan asked.
    follow_ups: ClassVar[dict[str, FollowUp]] = {
        "plan": FollowUp("utility", asked_when=lambda utility: True, required_code="plan_required"),
    }
    answer_fields: ClassVar[dict[str, tuple[str, ...]]] = {
        "utility": ("utility_id",),
        "plan": ("rate_plan_id", "rate_plan_name"),
    }

    utility = forms.CharField(label=_("Which utility supplies the home's electricity?"))
    plan = forms.CharField(label=_("Which rate plan is the home on?"), required=False)

    # "I'm not sure" is offered in the wizard; a created home's plan is chosen or left as it is.
    offers_not_sure: ClassVar[bool] = True

    @classmethod
    def read_first(cls, onboarding: Onboarding, fresh: bool) -> dict[str, Any]:
        """The ZIP code's utilities (cached); raises WattShiftError if unreadable."""
        return {"utilities": selectors.utilities_for_zip(onboarding.zipcode, fresh=fresh)}

    def __init__(self, *args: Any, utilities: list[Utility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.utilities = list(utilities)
        # The ZIP code these utilities are for; the save requires it still on the row.
        self.zipcode = self.onboarding.zipcode
        self.fields["utility"].error_messages["required"] = self.error_messages["utility_required"]
        # Choosing a utility shows its plans (htmx; a second stage without JS).
        self.fields["utility"].widget = Radios(
            attrs={
                "hx-get": f"{self.plans_url()}?partial=plans",
                "hx-trigger": "change",
                "hx-target": "#plans",
                "hx-swap": "outerHTML",
            },
            choices=[(u.id, u.name) for u in self.utilities],
        )
        self.selected_utility = self._selected_utility()
        choices = self.plan_choices()
        # Each plan as the bill names it: its name, and its tariff reference where WattShift
        # gives one, as a hint beside the name.
        hints = {
            value: plan.rate_id
            for value, plan in choices
            if plan.rate_id and plan.rate_id != plan.name
        }
        if self.selected_utility:
            self.fields["plan"].help_text = _(
                "The rate plans %(utility)s offers. The plan is on the customer's electricity bill."
            ) % {"utility": self.selected_utility.name}
        if self.selected_utility and self.offers_not_sure:
            hints[NOT_SURE] = _(
                "The home is created with the plan WattShift lists first for %(utility)s, marked "
                "“plan to confirm” until someone checks the bill."
            ) % {"utility": self.selected_utility.name}
        self.fields["plan"].widget = Radios(
            choices=[(value, plan.name) for value, plan in choices]
            + ([(NOT_SURE, _("I'm not sure"))] if choices and self.offers_not_sure else []),
            hints=hints,
            divider_before=NOT_SURE,
        )
        self.fields["utility"].initial = self.selected_utility.id if self.selected_utility else ""
        self.fields["plan"].initial = self._saved_plan_value()

    def plans_url(self) -> str:
        """The page whose "plans" partial shows a utility's plans (htmx asks it on a change)."""
        return reverse("wizard:step", args=[self.onboarding.public_id, UtilityStep.slug])

    def _utility(self, utility_id: object) -> Utility | None:
        return next((u for u in self.utilities if u.id == utility_id), None)

    def _selected_utility(self) -> Utility | None:
        """The utility whose plans to show: posted, asked for (htmx), saved, or the only one."""
        for source in (self.data, self.initial):
            if source.get("utility"):
                chosen = self._utility(source.get("utility"))
                if chosen:
                    return chosen
        saved = self._utility(self.onboarding.utility_id)
        if saved:
            return saved
        return self.utilities[0] if len(self.utilities) == 1 else None

    def _saved_plan_value(self) -> str:
        utility = self.selected_utility
        if not utility or utility.id != self.onboarding.utility_id:
            return ""
        if self.onboarding.plan_to_confirm and not self.onboarding.rate_plan_id:
            return NOT_SURE
        saved = (self.onboarding.rate_plan_id, self.onboarding.rate_plan_name)
        return next(
            (value for value, plan in self.plan_choices() if (plan.id, plan.name) == saved), ""
        )

    def plan_choices(self) -> list[tuple[str, RatePlan]]:
        """The selected utility's plans with their radio values, for the template."""
        plans = self.selected_utility.rate_plans if self.selected_utility else ()
        return [(plan_value(plan), plan) for plan in plans]

    @property
    def plans_pending(self) -> bool:
        """The person picked a utility whose plans they have not been shown yet (no JS)."""
        utility = self.cleaned_data.get("utility") if hasattr(self, "cleaned_data") else None
        return utility is not None and self.data.get("plans_for") != utility.id

    def stays_on_step(self) -> bool:
        return self.plans_pending

    def store_guard(self) -> dict[str, Any]:
        return {"zipcode": self.zipcode}

    def clean_utility(self) -> Utility:
        utility = self._utility(self.cleaned_data["utility"])
        if utility is None:
            raise self._error("invalid_utility")
        return utility

    def asks(self, name: str, cleaned: dict[str, Any]) -> bool:
        # A utility just picked without JavaScript has its plans shown first, then asked.
        return super().asks(name, cleaned) and not self.plans_pending

    def unasked_value(self, name: str) -> Any:
        return None

    @classmethod
    def required_answers(cls, answers: Mapping[str, Any]) -> list[str]:
        needed = super().required_answers(answers)
        if answers.get("plan_to_confirm"):
            # "I'm not sure" answers the plan question: WattShift's first plan is used.
            return [name for name in needed if name not in cls.answer_fields["plan"]]
        return needed

    def clean_follow_up(self, name: str, value: Any) -> RatePlan | str:
        utility: Utility = self.cleaned_data["utility"]
        if value == NOT_SURE and utility.rate_plans and self.offers_not_sure:
            return NOT_SURE
        plan = next((p for p in utility.rate_plans if plan_value(p) == value), None)
        if plan is None:
            raise self._error("invalid_plan", utility=utility.name)
        return plan

    def clean(self) -> dict[str, Any]:
        shown_for = self.data.get("for_zipcode")
        if shown_for is not None and shown_for != self.zipcode:
            # The page was shown for another ZIP code: its choices do not apply to this one.
            self.add_error("utility", self._error("zipcode_changed", zipcode=self.zipcode))
        cleaned = super().clean()
        cleaned.setdefault("plan", None)
        return cleaned

    def apply(self, values: dict[str, Any]) -> set[str]:
        changed: set[str] = set()
        utility: Utility | None = values.get("utility")
        plan: RatePlan | str | None = values.get("plan")
        if utility is None:
            return changed
        if utility.id != self.onboarding.utility_id or plan == NOT_SURE:
            self._set("rate_plan_id", "", changed)
            self._set("rate_plan_name", "", changed)
            self._set("rate_plan_rate_id", "", changed)
            self._set("plan_to_confirm", False, changed)
        self._set("utility_id", utility.id, changed)
        self._set("utility_name", utility.name, changed)
        if plan == NOT_SURE:
            self._set("plan_to_confirm", True, changed)
        elif isinstance(plan, RatePlan):
            self._set("rate_plan_id", plan.id, changed)
            self._set("rate_plan_name", plan.name, changed)
            self._set("rate_plan_rate_id", plan.rate_id, changed)
            self._set("plan_to_confirm", False, changed)
        return changed


class UtilityStep(Step):
    slug = "utility"
    title = _("Utility and rate plan")
    template_name = "wizard/step_utility.html"
    form_class = UtilityPlanForm
    answers = (
        "utility_id",
        "utility_name",
        "rate_plan_id",
        "rate_plan_name",
        "rate_plan_rate_id",
        "plan_to_confirm",
    )
    builds_on = ("zipcode",)
    partials = ("plans",)

    def summary_rows(self, onboarding: Onboarding, *, with_ids: bool = False) -> list[SummaryRow]:
        plan = onboarding.rate_plan_name
        if onboarding.rate_plan_rate_id and onboarding.rate_plan_rate_id != plan:
            plan = f"{plan} ({onboarding.rate_plan_rate_id})"
        if onboarding.plan_to_confirm:
            plan = (
                gettext("%(plan)s: to be confirmed (WattShift's first listed plan)")
                % {"plan": plan}
                if plan
                else gettext(
                    "Not sure: WattShift's first listed plan will be used, to be confirmed"
                )
            )
        rows = [
            SummaryRow(gettext("Utility"), onboarding.utility_name, "utility"),
            SummaryRow(gettext("Rate plan"), plan, "plan"),
        ]
        if with_ids:
            rows += [
                SummaryRow(gettext("Utility id"), onboarding.utility_id, "utility"),
                SummaryRow(gettext("Rate plan id"), onboarding.rate_plan_id, "plan"),
            ]
        return rows

    def context(self, form: StepForm | None, partial: str) -> dict[str, Any]:
        return {"place": place_for_zip(form.onboarding.zipcode)} if form is not None else {}
