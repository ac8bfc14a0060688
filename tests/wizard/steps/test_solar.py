"""Each step form's validation: what it accepts, normalises, and refuses (by error code)."""

from decimal import Decimal

import pytest

from onboarding.wizard.models import Onboarding
from onboarding.wizard.steps.home import HomeForm
from onboarding.wizard.steps.solar import SolarForm
from onboarding.wizard.steps.zip import ZipForm


def zip_form(value: str, onboarding: Onboarding) -> ZipForm:
    return ZipForm({"zipcode": value}, onboarding=onboarding)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("95313", "95313"),
        ("  95313\t", "95313"),
        ("95313-1234", "95313"),
        ("95313 1234", "95313"),
        ("02139", "02139"),  # the leading zero stays
        ("00501", "00501"),
        ("99999", "99999"),  # well-formed, unknown to the offline list: still accepted
    ],
)
def test_zip_accepts_five_digits_and_zip_plus_four(draft: Onboarding, typed: str, stored: str):
    form = zip_form(typed, draft)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["zipcode"] == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("\uff19\uff15\uff13\uff11\uff13", "not_ascii_digits"),  # fullwidth 95313
        ("\u0669\u0665\u0663\u0661\u0663", "not_ascii_digits"),  # Arabic-Indic digits
        ("9531", "wrong_length"),
        ("953130", "wrong_length"),
        ("95313-12", "wrong_length"),
        ("9531a", "letters"),
        ("ABCDE", "letters"),
        ("95313-abcd", "letters"),
    ],
)
def test_zip_refuses_with_a_clear_code(draft: Onboarding, typed: str, code: str):
    form = zip_form(typed, draft)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["zipcode"]] == [code]
    assert str(form.errors["zipcode"][0]) == str(ZipForm.error_messages[code])


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


def solar_form(draft: Onboarding, size: str, net_metered: str = "no") -> SolarForm:
    data = {"has_solar": "yes", "solar_size_kw": size, "solar_net_metered": net_metered}
    return SolarForm(data, onboarding=draft)


@pytest.mark.parametrize(
    ("typed", "size"),
    [
        ("7.6", "7.60"),
        ("7.60", "7.60"),
        (" 10 ", "10.00"),
        (".5", "0.50"),
        ("7.6 kW", "7.60"),
        ("1000", "1000.00"),
        ("0.01", "0.01"),
        ("7,6", "7.60"),
        ("7,65 kW", "7.65"),
        (",5", "0.50"),
        ("1e3", "1000.00"),
        ("7.6E0", "7.60"),
    ],
)
def test_solar_size_accepts_decimals(draft: Onboarding, typed: str, size: str):
    form = solar_form(draft, typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["solar_size_kw"] == Decimal(size)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "size_required"),
        ("NaN", "size_not_finite"),
        ("nan", "size_not_finite"),
        ("Infinity", "size_not_finite"),
        ("-inf", "size_not_finite"),
        ("-5", "size_not_positive"),
        ("0", "size_not_positive"),
        ("0.00", "size_not_positive"),
        ("1000.01", "size_too_large"),
        ("1e9", "size_too_large"),
        ("1E+9", "size_too_large"),
        ("1e-9", "size_too_precise"),
        ("0e5", "size_not_positive"),
        ("-1e9", "size_not_positive"),
        ("-7,6", "size_not_positive"),
        ("1,000", "size_thousands_separator"),
        ("7,655", "size_thousands_separator"),
        ("7,6,5", "size_not_a_number"),
        ("1e", "size_not_a_number"),
        ("seven", "size_not_a_number"),
        ("\uff17.\uff16", "size_not_a_number"),
        ("7.555", "size_too_precise"),
    ],
)
def test_solar_size_refuses(draft: Onboarding, typed: str, code: str):
    form = solar_form(draft, typed)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["solar_size_kw"]] == [code]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e9", "The system size must be 1,000 kW or less"),
        ("1e-9", "Enter the system size with no more than 2 decimal places"),
        ("-1e-9", "The system size must be more than 0 kW"),
        ("Infinity", "Enter the system size as an actual number of kW, like 7.6"),
    ],
)
def test_solar_size_numbers_get_the_rule_they_break_not_not_a_number(
    draft: Onboarding, typed: str, message: str
):
    form = solar_form(draft, typed)
    assert form.errors["solar_size_kw"] == [message]


def test_solar_yes_needs_net_metering_answer(draft: Onboarding):
    form = solar_form(draft, "5", net_metered="")
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["solar_net_metered"]] == ["net_metered_required"]


def test_solar_question_is_required(draft: Onboarding):
    form = SolarForm({}, onboarding=draft)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["has_solar"]] == ["required"]
    assert str(form.errors["has_solar"][0]) == str(SolarForm.error_messages["has_solar_required"])
