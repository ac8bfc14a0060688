"""The forms that are not wizard steps: the dashboard's search and support's decisions.

Each step's form lives with its step in `onboarding.wizard.steps`.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onboarding.wizard import selectors
from onboarding.wizard.models import Onboarding
from onboarding.wizard.widgets import DatePicker


def without_control_characters(text: str) -> str:
    """PostgreSQL refuses NUL, and no name or date has control characters."""
    return "".join(c for c in text if unicodedata.category(c) != "Cc")


class SearchText(forms.CharField):
    """Search text without control characters."""

    def to_python(self, value: Any) -> str:
        return without_control_characters(super().to_python(value) or "").strip()


class OptionalChoice(forms.ChoiceField):
    """A choice whose unknown value (an old link, a hand-edited URL) counts as not chosen."""

    def clean(self, value: Any) -> str:
        value = self.to_python(value)
        return value if self.valid_value(value) else ""


# Days outside these years are typing mistakes, and some are not even a moment in every zone.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2999, 12, 31)


class Day(forms.DateField):
    """A day picked with the browser's date picker (sent as 2026-11-27, as typed without one)."""

    input_formats = ["%Y-%m-%d"]

    widget = DatePicker

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> date | None:
        invalid = ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        try:
            day = super().to_python(value)
        except ValidationError as error:
            raise invalid from error
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise invalid
        return day


class OnboardingSearchForm(forms.Form):
    """The dashboard's search and filters: words, a status, an installer (support only), plan
    to confirm and a range of creation dates. An unknown status or installer counts as not
    chosen; a date that is not one, or a range that ends before it starts, is an error."""

    error_messages = {
        "invalid_date": _("Enter a real date, for example 2026-11-27"),
        "date_order": _("The created to date must be the same as or after the created from date"),
    }

    q = SearchText(
        label=_("Search"),
        help_text=_("Home name, ZIP code, home id, onboarding reference or installer"),
        required=False,
        widget=forms.SearchInput,
    )
    status = OptionalChoice(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Onboarding.Status.choices],
    )
    installer = OptionalChoice(label=_("Installer"), required=False)
    plan_to_confirm = forms.BooleanField(label=_("Only plans to confirm"), required=False)
    created_from = Day(
        label=_("Created from"), error_messages={"invalid_date": error_messages["invalid_date"]}
    )
    created_to = Day(
        label=_("Created to"), error_messages={"invalid_date": error_messages["invalid_date"]}
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        people: Sequence[tuple[int, str, str, str]] | None = None,
    ) -> None:
        """`people`: whom the installer filter offers (support's), as (id, username, first
        name, last name); None leaves it out."""
        if data is not None:
            data = {name: without_control_characters(str(data.get(name, ""))) for name in data}
        super().__init__(data)
        if people is None:
            # An installer's list is their own: searching it by installer means nothing to them.
            del self.fields["installer"]
            self.fields["q"].help_text = _("Home name, ZIP code, home id or onboarding reference")
        else:
            installer = self.fields["installer"]
            assert isinstance(installer, OptionalChoice)  # noqa: S101 - declared above
            installer.choices = [("", _("Anyone")), *((str(p[0]), _name(*p[1:])) for p in people)]

    def is_blank(self) -> bool:
        """Nothing typed or chosen in it: as a new page shows it (for installers, the same for
        every installer)."""
        return not any(self.data.get(name) for name in self.fields)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and end < start:
            self.add_error(
                "created_to",
                ValidationError(self.error_messages["date_order"], code="date_order"),
            )
        return cleaned

    def filters(self) -> selectors.Filters:
        """What to narrow the list to; a field with an error narrows nothing."""
        self.is_valid()
        cleaned = self.cleaned_data
        installer = cleaned.get("installer", "")
        return selectors.Filters(
            query=cleaned.get("q", ""),
            status=cleaned.get("status", ""),
            owner_id=int(installer) if installer else None,
            plan_to_confirm=bool(cleaned.get("plan_to_confirm")),
            created_from=cleaned.get("created_from"),
            created_to=cleaned.get("created_to"),
        )

    def link_query(self) -> dict[str, str]:
        """The filters in force as a link carries them (pages, the CSV): cleaned, and only
        those that narrow something."""
        self.is_valid()
        query = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, date):
                query[name] = value.isoformat()
            elif value is True:
                query[name] = "on"
            elif value:
                query[name] = str(value)
        return query


def _name(username: str, first_name: str, last_name: str) -> str:
    """How the installer filter names someone: "Ina Ramírez (ina)", or the username alone (the
    full name as User.get_full_name writes it)."""
    full = f"{first_name} {last_name}".strip()
    return f"{full} ({username})" if full else username


# Upstream ids look like "ws_home_123456789"; accept the characters ids are made of, no spaces.
HOME_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*")


class ResolveWithHomeIdForm(forms.Form):
    """A home id support found (typed, or a "Use this home id" button), checked in homes/list.

    Listed with this onboarding's name, ZIP code and plan: accepted. Listed with other
    details: accepted once support confirms, for that id, having seen the differences. Not
    listed: refused. List unavailable: accepted only if support ticks that they checked the
    id in WattShift themselves.
    """

    error_messages = {
        "required": _("Enter the home id you found in WattShift"),
        "invalid": _(
            "Enter the home id exactly as WattShift shows it, for example ws_home_123456789 "
            "(letters, numbers, _ . : and - only)"
        ),
        "taken": _("That home id is already recorded on another onboarding (%(home)s)"),
        "not_in_wattshift": _(
            "WattShift has no home with the id %(id)s. Check the id in WattShift and enter it "
            "exactly as shown there"
        ),
        "differs": _(
            "WattShift lists home %(id)s with a different name, ZIP code or rate plan. Check it "
            "is the right home, then confirm"
        ),
        "unchecked": _(
            "WattShift's list of homes could not be fetched, so this id could not be checked. "
            "Confirm that you have checked it in WattShift yourself, or try again later"
        ),
    }

    home_id = forms.CharField(
        label=_("Home id found in WattShift"),
        help_text=_("For example, ws_home_123456789"),
        max_length=Onboarding._meta.get_field("home_id").max_length,
        error_messages={
            "required": error_messages["required"],
            "max_length": error_messages["invalid"],
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    confirm_differences = forms.BooleanField(
        label=_("This is the right home: record its id even though its details differ"),
        required=False,
    )
    # The id whose differences were shown: a tick confirms those, not another id's.
    differences_shown_for = forms.CharField(required=False, widget=forms.HiddenInput)
    checked_in_wattshift = forms.BooleanField(
        label=_("I have checked this id in WattShift myself"),
        help_text=_(
            "WattShift's list of homes cannot be fetched right now, so the id cannot be checked "
            "automatically. Record it only if you have found it in WattShift yourself; the "
            "history will say so."
        ),
        required=False,
    )

    def __init__(self, *args: Any, onboarding: Onboarding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.onboarding = onboarding
        self.check: selectors.HomeIdCheck | None = None

    def clean_home_id(self) -> str:
        home_id: str = self.cleaned_data["home_id"].strip()
        if not HOME_ID_PATTERN.fullmatch(home_id):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        other = Onboarding.objects.exclude(pk=self.onboarding.pk).filter(home_id=home_id).first()
        if other is not None:
            raise ValidationError(
                self.error_messages["taken"], code="taken", params={"home": str(other)}
            )
        return home_id

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        home_id = cleaned.get("home_id")
        if not home_id:
            return cleaned
        self.check = check = selectors.check_home_id(onboarding=self.onboarding, home_id=home_id)
        if not check.listed:
            if not cleaned.get("checked_in_wattshift"):
                self.add_error(
                    "checked_in_wattshift",
                    ValidationError(self.error_messages["unchecked"], code="unchecked"),
                )
        elif not check.found:
            self.add_error(
                "home_id",
                ValidationError(
                    self.error_messages["not_in_wattshift"],
                    code="not_in_wattshift",
                    params={"id": home_id},
                ),
            )
        elif check.differences and not self.differences_confirmed:
            self.add_error(
                "confirm_differences",
                ValidationError(
                    self.error_messages["differs"], code="differs", params={"id": home_id}
                ),
            )
        return cleaned

    @property
    def differences_confirmed(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("confirm_differences")) and (
            data.get("differences_shown_for") == data.get("home_id")
        )

    @property
    def shows_differences(self) -> bool:
        """Whether the page must show the listed home's differences and the confirmation."""
        return self.check is not None and self.check.found and bool(self.check.differences)

    @property
    def unchecked(self) -> bool:
        """Whether the list was unavailable when this id was submitted."""
        return self.check is not None and not self.check.listed


class MarkSafeToRetryForm(forms.Form):
    error_messages = {
        "required": _("Confirm that you checked WattShift and the home was not created"),
    }

    confirm = forms.BooleanField(
        label=_("I checked WattShift and this home was not created"),
        error_messages={"required": error_messages["required"]},
    )
