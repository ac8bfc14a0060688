"""The About the home step: its form's validation, and the appliance questions defined once."""

import pytest

from onboarding.wattshift.client import APPLIANCE_WIRE_NAMES
from onboarding.wattshift.types import Appliance
from onboarding.wizard.models import APPLIANCE_COLUMNS, Onboarding
from onboarding.wizard.steps.home import HomeForm, HomeStep


def home_form(draft: Onboarding, **data: str) -> HomeForm:
    return HomeForm({"home_name": "Maple House", **data}, onboarding=draft)


def test_home_questions_may_be_left_unanswered(draft: Onboarding):
    form = home_form(draft)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["has_ev_charger"] == ""


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"home_name": "   "}, "home_name", "required"),
        ({"home_name": "x" * 256}, "home_name", "name_too_long"),
        ({"has_ev_charger": "maybe"}, "has_ev_charger", "invalid_answer"),
        ({"has_ac": "yes"}, "ac_type", "ac_type_required"),
        ({"has_ac": "yes", "ac_type": "nuclear"}, "ac_type", "invalid_ac_type"),
    ],
)
def test_home_refuses(draft: Onboarding, data: dict[str, str], field: str, code: str):
    form = home_form(draft, **data)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()[field]] == [code]


def test_home_name_is_trimmed_and_255_characters_fit(draft: Onboarding):
    form = home_form(draft, home_name=" " + "x" * 255 + " ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["home_name"] == "x" * 255


@pytest.mark.parametrize("has_ac", ["no", "not_sure", ""])
def test_ac_type_is_dropped_unless_the_home_has_ac(draft: Onboarding, has_ac: str):
    form = home_form(draft, has_ac=has_ac, ac_type="window")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ac_type"] == ""


def test_appliance_fields_are_defined_once():
    # The columns, in the order asked, are the home step's answers and its form's fields.
    assert list(APPLIANCE_COLUMNS.values()) == list(Appliance)
    assert HomeStep.answers == ("home_name", *APPLIANCE_COLUMNS, "ac_type")
    assert set(APPLIANCE_COLUMNS) <= set(HomeForm.base_fields)
    # Each appliance has exactly one wire name, known only to the client.
    assert set(APPLIANCE_WIRE_NAMES) == set(Appliance)
    assert set(APPLIANCE_WIRE_NAMES.values()) == {
        "hasEvCharger",
        "hasElectricHeater",
        "hasSmartWaterHeater",
        "hasElectricWaterHeater",
        "hasAC",
    }
    model_fields = {f.name for f in Onboarding._meta.get_fields()}
    assert set(APPLIANCE_COLUMNS) <= model_fields
