"""Step 4: whether the home has solar panels, and if so their size and net metering."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.wizard.models import Onboarding
from onboarding.wizard.steps.base import NOT_PROVIDED, FollowUp, Step, StepForm, SummaryRow
from onboarding.wizard.widgets import Radios

# A plain or scientific decimal ("7.6", "1e-9"); [0-9] refuses other scripts' digits.
DECIMAL_FORMAT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# "7,6" is 7.6 where a comma is the decimal mark; "1,000" could be either, so it is asked again.
DECIMAL_COMMA = re.compile(r"([0-9]*),([0-9]{1,2})")
THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
SOLAR_SIZE_LIMIT_KW = Decimal(1000)
SOLAR_SIZE_MAX_CHARACTERS = 30
YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]


def has_solar(answer: object) -> bool:
    return answer is True


def yes_no_label(value: bool | None) -> str:
    return str(NOT_PROVIDED) if value is None else gettext("Yes") if value else gettext("No")


def format_kw(size: Decimal) -> str:
    return gettext("%(size)s kW") % {"size": f"{size.normalize():f}"}


def _bool_answer(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


class SolarForm(StepForm):
    page_heading = "has_solar"
    error_messages: ClassVar[dict[str, Any]] = {
        "has_solar_required": _("Select Yes if the home has solar panels, or No"),
        "size_required": _("Enter the size of the solar system in kW"),
        "size_not_a_number": _("Enter the system size as a number of kW, like 7.6"),
        "size_not_finite": _("Enter the system size as an actual number of kW, like 7.6"),
        "size_not_positive": _("The system size must be more than 0 kW"),
        "size_too_large": _("The system size must be %(limit)s kW or less"),
        "size_too_precise": _("Enter the system size with no more than 2 decimal places"),
        "size_too_long": _("Enter the system size as a short number of kW, like 7.6"),
        "size_thousands_separator": _(
            "Enter the system size without a thousands separator, like 1000 or 7.6"
        ),
        "net_metered_required": _("Select Yes if the system is net metered, or No"),
        "invalid_answer": _("Select Yes or No"),
    }
    follow_ups: ClassVar[dict[str, FollowUp]] = {
        "solar_size_kw": FollowUp("has_solar", asked_when=has_solar, required_code="size_required"),
        "solar_net_metered": FollowUp(
            "has_solar", asked_when=has_solar, required_code="net_metered_required"
        ),
    }

    has_solar = forms.CharField(
        label=_("Does the home have solar panels?"), widget=Radios(choices=YES_NO, inline=True)
    )
    solar_size_kw = forms.CharField(
        label=_("System size in kW"),
        help_text=_("The panels' total rated power, like 7.6."),
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "spellcheck": "false",
                "class": "input--short",
                "maxlength": str(SOLAR_SIZE_MAX_CHARACTERS),
            }
        ),
    )
    solar_net_metered = forms.CharField(
        label=_("Is the solar system net metered?"),
        help_text=_("Net metering: the utility credits the home for power it sends to the grid."),
        required=False,
        widget=Radios(choices=YES_NO, inline=True),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["has_solar"].error_messages["required"] = self.error_messages[
            "has_solar_required"
        ]
        self.fields["has_solar"].initial = _bool_answer(self.onboarding.has_solar)
        size = self.onboarding.solar_size_kw
        self.fields["solar_size_kw"].initial = "" if size is None else f"{size.normalize():f}"
        self.fields["solar_net_metered"].initial = _bool_answer(self.onboarding.solar_net_metered)

    def clean_has_solar(self) -> bool:
        value: str = self.cleaned_data["has_solar"]
        if value not in (YES, NO):
            raise self._error("invalid_answer")
        return value == YES

    def clean_follow_up(self, name: str, value: Any) -> Any:
        if name == "solar_size_kw":
            return self._parse_size(value)
        if value not in (YES, NO):
            raise self._error("invalid_answer")
        return value == YES

    def _parse_size(self, text: str) -> Decimal:
        if len(text) > SOLAR_SIZE_MAX_CHARACTERS:
            raise self._error("size_too_long")
        text = re.sub(r"\s*kw$", "", text.strip(), flags=re.IGNORECASE)
        if not text:
            raise self._error("size_required")
        if text.lower().lstrip("+-") in {"nan", "snan", "inf", "infinity"}:
            raise self._error("size_not_finite")
        if text.startswith("-"):
            raise self._error("size_not_positive")
        decimal_comma = DECIMAL_COMMA.fullmatch(text)
        if decimal_comma:
            text = f"{decimal_comma.group(1)}.{decimal_comma.group(2)}"
        elif "," in text and THOUSANDS.fullmatch(text):
            raise self._error("size_thousands_separator")
        if not DECIMAL_FORMAT.fullmatch(text):
            raise self._error("size_not_a_number")
        try:
            size = Decimal(text)
        except InvalidOperation:
            raise self._error("size_not_a_number") from None
        if size <= 0:
            raise self._error("size_not_positive")
        if size > SOLAR_SIZE_LIMIT_KW:
            raise self._error("size_too_large", limit=f"{SOLAR_SIZE_LIMIT_KW:,}")
        if size != size.quantize(Decimal("0.01")):
            raise self._error("size_too_precise")
        return size.quantize(Decimal("0.01"))


class SolarStep(Step):
    slug = "solar"
    title = _("Solar panels")
    template_name = "wizard/step_solar.html"
    form_class = SolarForm
    answers = ("has_solar", "solar_size_kw", "solar_net_metered")

    def summary_rows(self, onboarding: Onboarding, *, with_ids: bool = False) -> list[SummaryRow]:
        rows = [
            SummaryRow(gettext("Solar panels"), yes_no_label(onboarding.has_solar), "has_solar")
        ]
        if onboarding.has_solar:
            size = onboarding.solar_size_kw
            rows += [
                SummaryRow(
                    gettext("Solar system size"),
                    format_kw(size) if size is not None else str(NOT_PROVIDED),
                    "solar_size_kw",
                ),
                SummaryRow(
                    gettext("Net metered"),
                    yes_no_label(onboarding.solar_net_metered),
                    "solar_net_metered",
                ),
            ]
        return rows
