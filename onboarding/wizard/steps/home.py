"""Step 3: the home's name and its appliances."""

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.wizard.models import APPLIANCE_COLUMNS, AcType, Answer, Onboarding
from onboarding.wizard.steps.base import NOT_PROVIDED, FollowUp, Step, StepForm, SummaryRow
from onboarding.wizard.widgets import Radios

HOME_NAME_MAX_LENGTH = Onboarding._meta.get_field("home_name").max_length or 255


def answer_label(value: str) -> str:
    return str(Answer(value).label) if value in Answer.values else str(NOT_PROVIDED)


def _answer_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=Radios(choices=Answer.choices, inline=True)
    )


class HomeForm(StepForm):
    error_messages: ClassVar[dict[str, Any]] = {
        "name_required": _("Enter a name for the home"),
        "name_too_long": _("The home name must be 255 characters or fewer (it has %(length)d)"),
        "invalid_answer": _("Select Yes, No or Not sure"),
        "ac_type_required": _("Select the type of air conditioning"),
        "invalid_ac_type": _("Select one of the types of air conditioning listed"),
    }
    follow_ups: ClassVar[dict[str, FollowUp]] = {
        "ac_type": FollowUp(
            "has_ac",
            asked_when=lambda has_ac: has_ac == Answer.YES,
            required_code="ac_type_required",
        ),
    }

    home_name = forms.CharField(
        label=_("Home name"),
        help_text=_("Usually the customer's name or the street address, up to 255 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    has_ev_charger = _answer_field(_("Does the home have an electric vehicle (EV) charger?"))
    has_electric_heater = _answer_field(_("Does the home have electric heating?"))
    has_smart_water_heater = _answer_field(_("Does the home have a smart water heater?"))
    has_electric_water_heater = _answer_field(_("Does the home have an electric water heater?"))
    has_ac = _answer_field(_("Does the home have air conditioning?"))
    ac_type = forms.CharField(
        label=_("What type of air conditioning?"),
        required=False,
        widget=Radios(choices=AcType.choices),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_name"].error_messages["required"] = self.error_messages["name_required"]
        for name, field in self.fields.items():
            field.initial = getattr(self.onboarding, name)

    def clean_home_name(self) -> str:
        name: str = self.cleaned_data["home_name"]
        if len(name) > HOME_NAME_MAX_LENGTH:
            raise self._error("name_too_long", length=len(name))
        return name

    def clean(self) -> dict[str, Any]:
        # Appliance answers first: the AC type follows the AC answer.
        for name in APPLIANCE_COLUMNS:
            value = self.cleaned_data.get(name)
            if value and value not in Answer.values:
                self.add_error(name, self._error("invalid_answer"))
        return super().clean()

    def clean_follow_up(self, name: str, value: Any) -> Any:
        if value not in AcType.values:
            raise self._error("invalid_ac_type")
        return value


class HomeStep(Step):
    slug = "about-home"
    title = _("About the home")
    template_name = "wizard/step_home.html"
    form_class = HomeForm
    answers = ("home_name", *APPLIANCE_COLUMNS, "ac_type")

    def summary_rows(self, onboarding: Onboarding, *, with_ids: bool = False) -> list[SummaryRow]:
        labels = HomeForm.base_fields
        rows = [SummaryRow(gettext("Home name"), onboarding.home_name, "home_name")]
        for name in APPLIANCE_COLUMNS:
            rows.append(
                SummaryRow(str(labels[name].label), answer_label(getattr(onboarding, name)), name)
            )
        if onboarding.has_ac == Answer.YES:
            ac_type = AcType(onboarding.ac_type).label if onboarding.ac_type else NOT_PROVIDED
            rows.append(SummaryRow(gettext("Type of air conditioning"), str(ac_type), "ac_type"))
        return rows
