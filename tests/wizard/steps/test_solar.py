"""The solar step: what its form accepts and refuses (by error code), and its follow-up
questions, asked only for a home with solar."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onboarding.wizard.models import Onboarding
from onboarding.wizard.steps.solar import SolarForm
from tests.wizard import factories
from tests.wizard.pages import check_url, step_url
from tests.wizard.upstream import TOU_D_ID, UtilityApi


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


def test_without_solar_skips_the_size_questions(
    installer_client: Client, installer: User, utility_api: UtilityApi
) -> None:
    onboarding = factories.onboarding(
        installer, through="utility", rate_plan_id=TOU_D_ID, rate_plan_name="TOU-D", home_name="Oak"
    )
    response = installer_client.post(
        step_url(onboarding, "solar"),
        # Values left in the hidden follow-up questions are dropped.
        {"has_solar": "no", "solar_size_kw": "banana", "solar_net_metered": "yes"},
    )
    assert response["Location"] == check_url(onboarding)
    onboarding.refresh_from_db()
    assert onboarding.has_solar is False
    assert onboarding.solar_size_kw is None
    assert onboarding.solar_net_metered is None
    check = installer_client.get(check_url(onboarding)).content.decode()
    assert "Solar system size" not in check
    # Appliance questions left unanswered read "Not provided".
    assert check.count("Not provided") == 5
