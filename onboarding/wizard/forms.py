"""One server-side form per wizard step.

Each form validates what was posted and writes it to the Onboarding row. Messages live in
`error_messages`, keyed by code, and are raised as ValidationError(message, code=...).
`save()` stores a valid step; `save_draft()` stores only the fields that are valid, so
"Save and come back later" keeps what is typed even when the step is incomplete, and
`not_kept()` names the answers it had to leave out.
"""

import hashlib
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Self

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.wattshift.types import RatePlan, Utility
from onboarding.wizard import selectors
from onboarding.wizard.models import APPLIANCE_COLUMNS, AcType, Answer, Onboarding

# [0-9], not \d: \d also matches other scripts' digits, such as fullwidth ones.
ZIP_FORMAT = re.compile(r"([0-9]{5})(?:[- ]?[0-9]{4})?")
# A plain or scientific decimal ("7.6", "1e-9"); [0-9] refuses other scripts' digits.
DECIMAL_FORMAT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# "7,6" is 7.6 where a comma is the decimal mark; "1,000" could be either, so it is asked again.
DECIMAL_COMMA = re.compile(r"([0-9]*),([0-9]{1,2})")
SOLAR_SIZE_LIMIT_KW = Decimal(1000)
SOLAR_SIZE_MAX_CHARACTERS = 30
YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]


def _radios(choices: list[tuple[str, Any]], **attrs: str) -> forms.RadioSelect:
    return forms.RadioSelect(choices=choices, attrs=attrs)


def _bool_answer(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


class StepForm(forms.Form):
    """A step's form bound to one onboarding. Subclasses say how answers land on the row."""

    error_messages: ClassVar[dict[str, Any]] = {}
    # Shown when the row changed under the form (another tab) so nothing was stored.
    conflict_message: ClassVar[Any] = _(
        "This onboarding was changed in another tab or window, so this page was not saved. "
        "Check the answers and try again."
    )

    @classmethod
    def for_onboarding(
        cls, data: Any = None, *, onboarding: Onboarding, initial: dict[str, Any] | None = None
    ) -> Self:
        """The form with everything it needs read first. May raise WattShiftError."""
        return cls(data, onboarding=onboarding, initial=initial)

    def __init__(self, *args: Any, onboarding: Onboarding, **kwargs: Any) -> None:
        self.onboarding = onboarding
        super().__init__(*args, **kwargs)

    def stays_on_step(self) -> bool:
        """After a valid save, show this step again instead of the next (a second stage)."""
        return False

    def not_kept(self) -> list[str]:
        """The labels of questions whose typed answer was refused, so save_draft left it out."""
        return [
            str(field.label)
            for name, field in self.fields.items()
            if name in self.errors and str(self.data.get(self.add_prefix(name), "")).strip()
        ]

    def store_guard(self) -> dict[str, Any]:
        """Extra conditions the row must still meet for the answers to be stored."""
        return {}

    def apply(self, values: dict[str, Any]) -> set[str]:
        """Write these (valid) answers onto the onboarding; return the model fields changed.

        Every step's form defines it: a StepForm without it is a programming error."""
        raise TypeError(f"{type(self).__name__} must define apply(values).")

    def save(self) -> bool:
        """Store the whole step. False if the onboarding stopped being a draft meanwhile."""
        if not self.is_valid():
            raise ValueError("save() needs a valid form.")
        return self._store(self.apply(self.cleaned_data))

    def save_draft(self) -> bool:
        """Store the answers that are valid and leave the rest as they were."""
        self.is_valid()
        return self._store(self.apply(self.cleaned_data))

    def _store(self, changed: set[str]) -> bool:
        # Compare-and-set on the status: answers never change under a running submission.
        values = {name: getattr(self.onboarding, name) for name in changed}
        values["updated_at"] = timezone.now()
        current = Onboarding.objects.filter(
            pk=self.onboarding.pk, status=Onboarding.Status.DRAFT, **self.store_guard()
        )
        return bool(current.update(**values))

    def _error(self, code: str, **params: Any) -> ValidationError:
        return ValidationError(self.error_messages[code], code=code, params=params or None)

    def _set(self, name: str, value: Any, changed: set[str]) -> None:
        if getattr(self.onboarding, name) != value:
            setattr(self.onboarding, name, value)
            changed.add(name)


def normalise_zipcode(value: str) -> str | None:
    """The 5-digit ZIP code in a well-formed ZIP or ZIP+4, or None."""
    match = ZIP_FORMAT.fullmatch(value.strip())
    return match.group(1) if match else None


class ZipForm(StepForm):
    error_messages: ClassVar[dict[str, Any]] = {
        "required": _("Enter the ZIP code of the home"),
        "not_ascii_digits": _("Enter the ZIP code using the digits 0 to 9"),
        "letters": _("A ZIP code can only contain the digits 0 to 9, like 95313"),
        "wrong_length": _("Enter a 5-digit ZIP code, like 95313, or a ZIP+4, like 95313-1234"),
    }

    zipcode = forms.CharField(
        label=_("What is the home's ZIP code?"),
        help_text=_("5 digits, like 95313. A ZIP+4 such as 95313-1234 also works."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zipcode"].error_messages["required"] = self.error_messages["required"]
        self.fields["zipcode"].initial = self.onboarding.zipcode

    def clean_zipcode(self) -> str:
        value: str = self.cleaned_data["zipcode"]
        zipcode = normalise_zipcode(value)
        if zipcode:
            return zipcode
        compact = value.replace(" ", "").replace("-", "")
        if any(character.isdigit() and not character.isascii() for character in compact):
            raise self._error("not_ascii_digits")
        if not compact.isascii() or not compact.isdigit():
            raise self._error("letters")
        raise self._error("wrong_length")

    def apply(self, values: dict[str, Any]) -> set[str]:
        changed: set[str] = set()
        if "zipcode" in values and values["zipcode"] != self.onboarding.zipcode:
            self._set("zipcode", values["zipcode"], changed)
            # A utility and plan chosen for another ZIP code no longer apply.
            for name in UtilityPlanForm.model_fields:
                self._set(name, "", changed)
        return changed

    def preview_zipcode(self) -> str | None:
        """The well-formed ZIP code to preview: typed (htmx) or saved."""
        typed = self.initial.get("zipcode")
        return normalise_zipcode(typed) if typed is not None else self.onboarding.zipcode or None


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

    model_fields: ClassVar[tuple[str, ...]] = (
        "utility_id",
        "utility_name",
        "rate_plan_id",
        "rate_plan_name",
        "rate_plan_rate_id",
    )
    error_messages: ClassVar[dict[str, Any]] = {
        "utility_required": _("Select the home's electricity utility"),
        "invalid_utility": _(
            "Select one of the utilities listed for this ZIP code. The list may have changed."
        ),
        "plan_required": _("Select the home's rate plan"),
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

    utility = forms.CharField(label=_("Which utility supplies the home's electricity?"))
    plan = forms.CharField(label=_("Which rate plan is the home on?"), required=False)

    @classmethod
    def for_onboarding(
        cls, data: Any = None, *, onboarding: Onboarding, initial: dict[str, Any] | None = None
    ) -> Self:
        """The form with the ZIP code's utilities (cached); raises WattShiftError if unreadable."""
        utilities = selectors.utilities_for_zip(onboarding.zipcode)
        return cls(data, onboarding=onboarding, initial=initial, utilities=utilities)

    def __init__(self, *args: Any, utilities: list[Utility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.utilities = list(utilities)
        # The ZIP code these utilities are for; the save requires it still on the row.
        self.zipcode = self.onboarding.zipcode
        self.fields["utility"].error_messages["required"] = self.error_messages["utility_required"]
        self.fields["utility"].widget = _radios([(u.id, u.name) for u in self.utilities])
        self.selected_utility = self._selected_utility()
        self.fields["plan"].widget = _radios(
            [(value, plan.name) for value, plan in self.plan_choices()]
        )
        self.fields["utility"].initial = self.selected_utility.id if self.selected_utility else ""
        self.fields["plan"].initial = self._saved_plan_value()

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
        return bool(utility) and self.data.get("plans_for") != utility.id

    def stays_on_step(self) -> bool:
        return self.plans_pending

    def store_guard(self) -> dict[str, Any]:
        return {"zipcode": self.zipcode}

    def clean_utility(self) -> Utility:
        utility = self._utility(self.cleaned_data["utility"])
        if utility is None:
            raise self._error("invalid_utility")
        return utility

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        shown_for = self.data.get("for_zipcode")
        if shown_for is not None and shown_for != self.zipcode:
            # The page was shown for another ZIP code: its choices do not apply to this one.
            self.add_error("utility", self._error("zipcode_changed", zipcode=self.zipcode))
        utility: Utility | None = cleaned.get("utility")
        value = cleaned.get("plan") or ""
        cleaned["plan"] = None
        if utility is None or self.plans_pending or "plan" in self.errors:
            return cleaned
        if not value:
            self.add_error("plan", self._error("plan_required"))
            return cleaned
        plan = next((p for p in utility.rate_plans if plan_value(p) == value), None)
        if plan is None:
            self.add_error("plan", self._error("invalid_plan", utility=utility.name))
            return cleaned
        cleaned["plan"] = plan
        return cleaned

    def apply(self, values: dict[str, Any]) -> set[str]:
        changed: set[str] = set()
        utility: Utility | None = values.get("utility")
        plan: RatePlan | None = values.get("plan")
        if utility is None:
            return changed
        if utility.id != self.onboarding.utility_id:
            self._set("rate_plan_id", "", changed)
            self._set("rate_plan_name", "", changed)
            self._set("rate_plan_rate_id", "", changed)
        self._set("utility_id", utility.id, changed)
        self._set("utility_name", utility.name, changed)
        if plan is not None:
            self._set("rate_plan_id", plan.id, changed)
            self._set("rate_plan_name", plan.name, changed)
            self._set("rate_plan_rate_id", plan.rate_id, changed)
        return changed


def _answer_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=_radios(list(Answer.choices)))


HOME_NAME_MAX_LENGTH = Onboarding._meta.get_field("home_name").max_length or 255
APPLIANCE_FIELDS = tuple(APPLIANCE_COLUMNS)


class HomeForm(StepForm):
    error_messages: ClassVar[dict[str, Any]] = {
        "name_required": _("Enter a name for the home"),
        "name_too_long": _("The home name must be 255 characters or fewer (it has %(length)d)"),
        "invalid_answer": _("Select Yes, No or Not sure"),
        "ac_type_required": _("Select the type of air conditioning"),
        "invalid_ac_type": _("Select one of the types of air conditioning listed"),
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
        widget=_radios(list(AcType.choices)),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_name"].error_messages["required"] = self.error_messages["name_required"]
        for name in ("home_name", *APPLIANCE_FIELDS, "ac_type"):
            self.fields[name].initial = getattr(self.onboarding, name)

    def clean_home_name(self) -> str:
        name: str = self.cleaned_data["home_name"]
        if len(name) > HOME_NAME_MAX_LENGTH:
            raise self._error("name_too_long", length=len(name))
        return name

    def _clean_answer(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        if value and value not in Answer.values:
            raise self._error("invalid_answer")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # add_error() takes a refused field out of cleaned_data; a field that failed its own
        # checks (a NUL character, say) is not in it at all.
        for name in APPLIANCE_FIELDS:
            if name in cleaned:
                try:
                    cleaned[name] = self._clean_answer(name)
                except ValidationError as error:
                    self.add_error(name, error)
        if "has_ac" not in cleaned:
            # The AC answer was refused: the saved AC type stays as it is.
            cleaned.pop("ac_type", None)
        elif cleaned["has_ac"] != Answer.YES:
            # Asked only when the home has AC; an answer to a hidden question is dropped.
            cleaned["ac_type"] = ""
        elif "ac_type" not in cleaned:
            pass
        elif not cleaned["ac_type"]:
            self.add_error("ac_type", self._error("ac_type_required"))
        elif cleaned["ac_type"] not in AcType.values:
            self.add_error("ac_type", self._error("invalid_ac_type"))
        return cleaned

    def apply(self, values: dict[str, Any]) -> set[str]:
        changed: set[str] = set()
        for name in ("home_name", *APPLIANCE_FIELDS, "ac_type"):
            if name in values:
                self._set(name, values[name], changed)
        if self.onboarding.has_ac != Answer.YES:
            self._set("ac_type", "", changed)
        return changed


class SolarForm(StepForm):
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

    has_solar = forms.CharField(label=_("Does the home have solar panels?"), widget=_radios(YES_NO))
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
        widget=_radios(YES_NO),
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
        value = self.cleaned_data["has_solar"]
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
        elif "," in text and re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?", text):
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "has_solar" not in cleaned:
            # The solar answer was refused: its follow-up answers stay as they were saved.
            cleaned.pop("solar_size_kw", None)
            cleaned.pop("solar_net_metered", None)
            return cleaned
        if cleaned["has_solar"] is False:
            # Size and net metering are asked only for a home with solar.
            cleaned["solar_size_kw"] = None
            cleaned["solar_net_metered"] = None
            return cleaned
        # add_error() takes a refused field out of cleaned_data; a field that failed its own
        # checks (a NUL character, say) is not in it at all.
        if "solar_size_kw" in cleaned:
            try:
                cleaned["solar_size_kw"] = self._parse_size(cleaned["solar_size_kw"])
            except ValidationError as error:
                self.add_error("solar_size_kw", error)
        if "solar_net_metered" in cleaned:
            net_metered = cleaned["solar_net_metered"]
            if net_metered in (YES, NO):
                cleaned["solar_net_metered"] = net_metered == YES
            else:
                code = "invalid_answer" if net_metered else "net_metered_required"
                self.add_error("solar_net_metered", self._error(code))
        return cleaned

    def apply(self, values: dict[str, Any]) -> set[str]:
        changed: set[str] = set()
        for name in ("has_solar", "solar_size_kw", "solar_net_metered"):
            if name in values:
                self._set(name, values[name], changed)
        if self.onboarding.has_solar is not True:
            self._set("solar_size_kw", None, changed)
            self._set("solar_net_metered", None, changed)
        return changed


class SearchText(forms.CharField):
    """Search text without control characters: PostgreSQL refuses NUL, and no name has them."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return "".join(c for c in text if unicodedata.category(c) != "Cc").strip()


class OnboardingSearchForm(forms.Form):
    """The dashboard's search: a name, ZIP code or home id, and a status; bad values are ignored."""

    q = SearchText(label=_("Search by home name, ZIP code or home id"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Onboarding.Status.choices],
    )

    def search(self) -> tuple[str, str]:
        """The query and status to search with; a refused value counts as not given."""
        self.is_valid()
        return self.cleaned_data.get("q", ""), self.cleaned_data.get("status", "")
