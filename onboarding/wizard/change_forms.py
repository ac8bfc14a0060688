"""The forms of changing a created home: the change page and the confirmation page.

The change page asks the wizard's own questions, each validated by its step's form: the home
step's name, the utility step's utility and plan radios (without "I'm not sure"), the solar
step's questions (without a way to remove solar). The forms write their answers on a copy of
the onboarding, never on the row: the row changes only once WattShift has the changes
(`services.edits`). The confirmation page carries the change it shows, signed, with the
home's `updated_at` as it was checked, so what is sent is exactly what was checked.
"""

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext_lazy as _

from onboarding.wattshift.types import RatePlan, Utility
from onboarding.wizard.links import onboarding_url
from onboarding.wizard.models import Onboarding
from onboarding.wizard.services.edits import HomeValues
from onboarding.wizard.steps.base import BuiltForOnboarding, FollowUp, StepForm, is_blank
from onboarding.wizard.steps.home import HomeForm
from onboarding.wizard.steps.solar import NO, YES, SolarForm
from onboarding.wizard.steps.utility import UtilityPlanForm, plan_value


class NameForm(HomeForm):
    """The home step's name question, alone."""

    follow_ups: ClassVar[dict[str, FollowUp]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name != "home_name"]:
            del self.fields[name]


class PlanForm(UtilityPlanForm):
    """The utility step's radios for a created home: a plan is chosen, or left as it is."""

    offers_not_sure = False
    error_messages: ClassVar[dict[str, Any]] = {
        **UtilityPlanForm.error_messages,
        "plan_required": _("Select the home's rate plan"),
    }

    def plans_url(self) -> str:
        return onboarding_url("wizard:change_home", self.onboarding)

    def _saved_plan_value(self) -> str:
        # A plan to confirm is confirmed by choosing it: nothing is chosen for the person.
        return "" if self.onboarding.plan_to_confirm else super()._saved_plan_value()

    def asks(self, name: str, cleaned: dict[str, Any]) -> bool:
        # With the same utility, a plan left unselected stays as it is (to confirm, if it was).
        same_utility = cleaned["utility"].id == self.onboarding.utility_id
        return super().asks(name, cleaned) and not (same_utility and is_blank(cleaned.get(name)))


class SolarChangeForm(SolarForm):
    """The solar step's questions: a home without solar may get it; one with it keeps it (there
    is no removing solar), and its size and net metering may change."""

    page_heading = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.had_solar = bool(self.onboarding.has_solar)
        if self.had_solar:
            self.fields["has_solar"].required = False

    def clean_has_solar(self) -> bool:
        return True if self.had_solar else super().clean_has_solar()


class ChangeHomeForm(BuiltForOnboarding):
    """The change page's questions as one form to the views and templates (`form.errors`,
    `form.home_name`, iterating its fields), each part validated by its own step form."""

    def __init__(
        self,
        data: Any = None,
        *,
        onboarding: Onboarding,
        utilities: list[Utility],
        initial: dict[str, Any] | None = None,
    ) -> None:
        self.onboarding = onboarding
        self.data = data
        # The parts write their answers on this copy; the row itself is not touched.
        self._proposed = copy.copy(onboarding)
        part: dict[str, Any] = {"onboarding": self._proposed, "initial": initial}
        self.name_form = NameForm(data, **part)
        self.plan_form = PlanForm(data, utilities=utilities, **part)
        self.solar_form = SolarChangeForm(data, **part)
        self.parts: tuple[StepForm, ...] = (self.name_form, self.plan_form, self.solar_form)

    @classmethod
    def read_first(cls, onboarding: Onboarding, fresh: bool) -> dict[str, Any]:
        """What its plan question reads first: the ZIP code's utilities."""
        return PlanForm.read_first(onboarding, fresh)

    @property
    def since(self) -> str:
        """The home's updated_at as this page shows it; the page posts it back."""
        return self.onboarding.updated_at.isoformat()

    @property
    def changed_since_shown(self) -> bool:
        """The home was written after the page was shown (another tab, another person)."""
        return self.data is not None and self.data.get("since") != self.since

    def is_valid(self) -> bool:
        return all([part.is_valid() for part in self.parts])

    @property
    def errors(self) -> ErrorDict:
        merged = ErrorDict()
        for part in self.parts:
            merged.update(part.errors)
        return merged

    def non_field_errors(self) -> ErrorList:
        merged = ErrorList()
        for part in self.parts:
            merged.extend(part.non_field_errors())
        return merged

    def __iter__(self) -> Iterator[BoundField]:
        for part in self.parts:
            yield from part

    def __getitem__(self, name: str) -> BoundField:
        for part in self.parts:
            if name in part.fields:
                return part[name]
        raise KeyError(name)

    @property
    def plans_pending(self) -> bool:
        """A utility was just picked without JavaScript: its plans are shown before anything."""
        return self.plan_form.plans_pending

    def proposed(self) -> HomeValues:
        """The home's values once these (valid) answers are applied."""
        if not self.is_valid():
            raise ValueError("proposed() needs a valid form.")
        for part in self.parts:
            part.apply(part.cleaned_data)
        return HomeValues.of(self._proposed)


def initial_from(values: HomeValues) -> dict[str, str]:
    """The change page's answers that lead to these values (the confirmation page's Back)."""
    size = values.solar_size_kw
    initial = {
        "home_name": values.home_name,
        "utility": values.utility_id,
        "has_solar": YES if values.has_solar else NO,
        "solar_size_kw": "" if size is None else f"{size.normalize():f}",
        "solar_net_metered": {True: YES, False: NO, None: ""}[values.solar_net_metered],
    }
    if not values.plan_to_confirm:
        initial["plan"] = plan_value(RatePlan(id=values.rate_plan_id, name=values.rate_plan_name))
    return initial


@dataclass(frozen=True)
class Proposal:
    """A change as checked: the values it leads to, from the home as it was at `since`."""

    values: HomeValues
    since: datetime

    def token(self, onboarding: Onboarding) -> str:
        data = {"values": self.values.as_json(), "since": self.since.isoformat()}
        return signing.dumps(data, salt=_salt(onboarding), compress=True)


def _salt(onboarding: Onboarding) -> str:
    # Per home: a change checked for one home is never read as another's.
    return f"wizard.change_home:{onboarding.public_id}"


class ConfirmChangeForm(forms.Form):
    """The confirmation page's form: the change it shows (a Proposal), signed."""

    error_messages: ClassVar[dict[str, Any]] = {
        "unreadable": _(
            "These changes could not be read, so nothing was sent. Make the changes again."
        ),
    }

    change = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": error_messages["unreadable"]}
    )

    def __init__(self, *args: Any, onboarding: Onboarding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.onboarding = onboarding

    def clean_change(self) -> Proposal:
        try:
            data = signing.loads(self.cleaned_data["change"], salt=_salt(self.onboarding))
            since = datetime.fromisoformat(data["since"])
            proposal = Proposal(values=HomeValues.from_json(data["values"]), since=since)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ValidationError(self.error_messages["unreadable"], code="unreadable") from None
        if since.tzinfo is None:
            raise ValidationError(self.error_messages["unreadable"], code="unreadable")
        return proposal

    @property
    def proposal(self) -> Proposal:
        proposal: Proposal = self.cleaned_data["change"]
        return proposal
