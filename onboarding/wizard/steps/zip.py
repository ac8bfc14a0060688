"""Step 1: the home's ZIP code, with a live preview of its place and utilities."""

import re
from typing import Any, ClassVar

from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard import selectors
from onboarding.wizard.places import place_for_zip
from onboarding.wizard.steps.base import Step, StepForm, SummaryRow
from onboarding.wizard.widgets import TextInput

# [0-9], not \d: \d also matches other scripts' digits, such as fullwidth ones.
ZIP_FORMAT = re.compile(r"([0-9]{5})(?:[- ]?[0-9]{4})?")


def normalise_zipcode(value: str) -> str | None:
    """The 5-digit ZIP code in a well-formed ZIP or ZIP+4, or None."""
    match = ZIP_FORMAT.fullmatch(value.strip())
    return match.group(1) if match else None


class ZipForm(StepForm):
    page_heading = "zipcode"
    error_messages: ClassVar[dict[str, Any]] = {
        "required": _("Enter the ZIP code of the home"),
        "not_ascii_digits": _("Enter the ZIP code using the digits 0 to 9"),
        "letters": _("A ZIP code can only contain the digits 0 to 9, like 95313"),
        "wrong_length": _("Enter a 5-digit ZIP code, like 95313, or a ZIP+4, like 95313-1234"),
        "no_utility": _(
            "WattShift lists no electricity utility for ZIP code %(zipcode)s, so a home there "
            "cannot be onboarded. Check the ZIP code is right"
        ),
    }

    zipcode = forms.CharField(
        label=_("What is the home's ZIP code?"),
        help_text=_("5 digits, like 95313. A ZIP+4 such as 95313-1234 also works."),
        max_length=20,
        widget=TextInput(
            attrs={
                "class": "input--short",
                "autocomplete": "postal-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            },
            also_described_by="zip-preview",
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["zipcode"]
        field.error_messages["required"] = self.error_messages["required"]
        field.initial = self.onboarding.zipcode
        # The place and utilities appear as the ZIP code is typed (htmx; nothing without JS).
        preview = reverse("wizard:step", args=[self.onboarding.public_id, ZipStep.slug])
        field.widget.attrs.update(
            {
                "hx-get": f"{preview}?partial=preview",
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#zip-preview",
                "hx-swap": "outerHTML",
                "hx-sync": "this:replace",
                "hx-indicator": "#zip-lookup",
                "hx-disabled-elt": "unset",
            }
        )

    def clean_zipcode(self) -> str:
        value: str = self.cleaned_data["zipcode"]
        zipcode = normalise_zipcode(value)
        if zipcode:
            return self._served(zipcode)
        compact = value.replace(" ", "").replace("-", "")
        if any(character.isdigit() and not character.isascii() for character in compact):
            raise self._error("not_ascii_digits")
        if not compact.isascii() or not compact.isdigit():
            raise self._error("letters")
        raise self._error("wrong_length")

    def _served(self, zipcode: str) -> str:
        """The ZIP code, once WattShift's list shows a utility serves it. A lookup that fails
        proves nothing: the ZIP code is kept and the utility step says what happened."""
        try:
            utilities = selectors.utilities_for_zip(zipcode)
        except WattShiftError:
            return zipcode
        if not utilities:
            self.no_utility = True
            raise self._error("no_utility", zipcode=zipcode)
        return zipcode

    no_utility = False

    def preview_zipcode(self) -> str | None:
        """The well-formed ZIP code to preview: typed (htmx) or saved."""
        typed = self.initial.get("zipcode")
        return normalise_zipcode(typed) if typed is not None else self.onboarding.zipcode or None


class ZipStep(Step):
    slug = "zip"
    title = _("ZIP code")
    template_name = "wizard/step_zip.html"
    form_class = ZipForm
    answers = ("zipcode",)
    partials = ("preview",)

    def summary_rows(self, onboarding: Any, *, with_ids: bool = False) -> list[SummaryRow]:
        place = place_for_zip(onboarding.zipcode)
        value = f"{onboarding.zipcode} ({place})" if place else onboarding.zipcode
        return [SummaryRow(gettext("ZIP code"), value, "zipcode")]

    def context(self, form: StepForm | None, partial: str) -> dict[str, Any]:
        """The place and utilities for the ZIP code typed (htmx preview) or saved."""
        if not isinstance(form, ZipForm):
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
