"""The whole wizard through Django's test client, without JavaScript: POST, redirect, GET."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.wizard.models import AcType, Answer, Onboarding
from tests.wizard import factories
from tests.wizard.pages import check_url, checked_radios, plan_choice, step_url
from tests.wizard.upstream import SHARED_ID, TOU_D_ID, UtilityApi

HOME_ANSWERS = {
    "home_name": "  Maple House  ",
    "has_ev_charger": "yes",
    "has_electric_heater": "no",
    "has_smart_water_heater": "not_sure",
    "has_electric_water_heater": "no",
    "has_ac": "yes",
    "ac_type": "central",
}


def start(client: Client) -> Onboarding:
    response = client.post(reverse("wizard:new"))
    onboarding = Onboarding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(onboarding, "zip")
    return onboarding


def test_the_documented_example_with_solar_records_e6(
    installer_client: Client, utility_api: UtilityApi
) -> None:
    onboarding = start(installer_client)

    response = installer_client.post(step_url(onboarding, "zip"), {"zipcode": " 95313 "})
    assert response["Location"] == step_url(onboarding, "utility")

    page = installer_client.get(step_url(onboarding, "utility"))
    assert page.status_code == 200
    content = page.content.decode()
    # One utility: preselected, its plans shown straight away.
    assert checked_radios(content, "utility") == ["14328"]
    assert "For ZIP code 95313 (Crows Landing, CA)." in content
    for name in ("TOU-D", "TOU-C", "E-6"):
        assert name in content
    response = installer_client.post(
        step_url(onboarding, "utility"),
        {"utility": "14328", "plans_for": "14328", "plan": plan_choice(SHARED_ID, "E-6")},
    )
    assert response["Location"] == step_url(onboarding, "about-home")

    response = installer_client.post(step_url(onboarding, "about-home"), HOME_ANSWERS)
    assert response["Location"] == step_url(onboarding, "solar")

    response = installer_client.post(
        step_url(onboarding, "solar"),
        {"has_solar": "yes", "solar_size_kw": "7.6", "solar_net_metered": "yes"},
    )
    assert response["Location"] == check_url(onboarding)

    onboarding.refresh_from_db()
    assert onboarding.zipcode == "95313"
    assert (onboarding.utility_id, onboarding.utility_name) == ("14328", "Pacific Gas & Electric")
    assert (onboarding.rate_plan_id, onboarding.rate_plan_name) == (SHARED_ID, "E-6")
    assert onboarding.home_name == "Maple House"
    assert onboarding.has_smart_water_heater == Answer.NOT_SURE
    assert onboarding.ac_type == AcType.CENTRAL
    assert onboarding.has_solar is True
    assert onboarding.solar_size_kw == Decimal("7.6")
    assert onboarding.solar_net_metered is True

    check = installer_client.get(check_url(onboarding))
    content = check.content.decode()
    assert check.status_code == 200
    assert "E-6" in content and "TOU-C" not in content
    assert "Crows Landing, CA" in content
    assert "7.6 kW" in content
    assert "Create home" in content
    assert reverse("wizard:submit", args=[onboarding.public_id]) in content
    # Going back and forth made one upstream call for the ZIP code.
    assert utility_api.calls() == ["95313"]


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
