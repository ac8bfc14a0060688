"""Support's choices for an onboarding that needs attention."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onboarding.wizard.models import Onboarding

# Upstream ids look like "ws_home_123456789"; accept the characters ids are made of, no spaces.
HOME_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*")


class ResolveWithHomeIdForm(forms.Form):
    error_messages = {
        "required": _("Enter the home id you found in WattShift"),
        "invalid": _(
            "Enter the home id exactly as WattShift shows it, for example ws_home_123456789 "
            "(letters, numbers, _ . : and - only)"
        ),
        "taken": _("That home id is already recorded on another onboarding (%(home)s)"),
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

    def __init__(self, *args: object, onboarding: Onboarding, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.onboarding = onboarding

    def clean_home_id(self) -> str:
        home_id = self.cleaned_data["home_id"].strip()
        if not HOME_ID_PATTERN.fullmatch(home_id):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        other = Onboarding.objects.exclude(pk=self.onboarding.pk).filter(home_id=home_id).first()
        if other is not None:
            raise ValidationError(
                self.error_messages["taken"], code="taken", params={"home": str(other)}
            )
        return home_id


class MarkSafeToRetryForm(forms.Form):
    error_messages = {
        "required": _("Confirm that you checked WattShift and the home was not created"),
    }

    confirm = forms.BooleanField(
        label=_("I checked WattShift and this home was not created"),
        error_messages={"required": error_messages["required"]},
    )
