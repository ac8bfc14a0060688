"""An installer onboards homes in Chromium against the sandbox upstream."""

from decimal import Decimal
from functools import partial

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.e2e import wizard_flow as flow
from tests.e2e.checks import assert_page_ok
from tests.e2e.conftest import INSTALLER_PASSWORD, log_in
from tests.e2e.wizard_flow import E6_PLAN_ID, PGE_ID, Home

# The plan WattShift lists first for PG&E at 95313 (the documented example): TOU-D.
TOU_D_PLAN_ID = "662955dff338bcedec0dbfe7"


def test_onboarding_a_home_with_solar(installer_page: Page) -> None:
    page = installer_page
    home = Home()
    home_id = flow.onboard(page, home)

    flow.expect_home_page(page, home, home_id)
    page.get_by_role("link", name="All onboardings", exact=True).click()
    row = page.get_by_role("row").filter(has_text=home.name)
    expect(row).to_contain_text(home_id)
    expect(row).to_contain_text("Onboarded")

    assert flow.received("utility/get") == [{"zipcode": "95313"}]
    assert flow.received("homes/create") == [
        {
            "name": home.name,
            "zipcode": "95313",
            "utilityId": PGE_ID,
            "ratePlanId": E6_PLAN_ID,
            "hasEvCharger": True,
            "hasElectricHeater": False,
            "hasSmartWaterHeater": None,
            "hasElectricWaterHeater": True,
            "hasAC": True,
            "acType": "central",
        }
    ]
    [solar] = flow.received("homes/solar/create")
    assert solar == {"homeId": home_id, "solarSystemSizeKw": 7.6, "isNonNetMetered": False}
    # JSON types: a number (not a string) for the size, a real boolean for net metering.
    assert type(solar["solarSystemSizeKw"]) in (int, float)
    assert Decimal(str(solar["solarSystemSizeKw"])) == Decimal("7.6")
    assert solar["isNonNetMetered"] is False


def test_onboarding_a_home_without_solar_in_a_zip_with_two_utilities(
    installer_page: Page,
) -> None:
    page = installer_page
    home = Home(
        name="Okafor house",
        zipcode="95630",
        utility="Sacramento Municipal Utility District",
        plan="Time-of-Day (5-8 p.m.) Rate with EV Credit",
        appliances={"ev_charger": "Yes", "ac": "No"},
        solar_kw=None,
    )
    flow.start(page)
    flow.answer_zip(page, home)
    # Two utilities: nothing is chosen for the installer, and no plans show until one is.
    utilities = flow.question(page, flow.UTILITY_QUESTION)
    expect(utilities.get_by_role("radio")).to_have_count(2)
    expect(utilities.get_by_role("radio", checked=True)).to_have_count(0)
    # Its long names ("Sacramento Municipal Utility District") wrap beside their radios at 375 px.
    flow.answer_utility(page, home, check=partial(assert_page_ok, axe=False))
    flow.answer_home(page, home)
    flow.answer_solar(page, home)

    check = page.get_by_role("main")
    expect(check.locator(".summary-list__row").filter(has_text="Solar panels")).to_contain_text(
        "No"
    )
    electric_heater = check.locator(".summary-list__row").filter(has_text="electric heating")
    expect(electric_heater).to_contain_text("Not provided")
    home_id = flow.create_home(page)

    expect(page.get_by_role("main").locator("#home-id")).to_have_text(home_id)
    expect(page.get_by_role("main").locator("svg.chart")).to_be_visible()
    [created] = flow.received("homes/create")
    # Unanswered questions are left out of the request; no AC means no acType.
    assert created == {
        "name": "Okafor house",
        "zipcode": "95630",
        "utilityId": "16534",
        "ratePlanId": "e9b4d87167d7b0d86f862cc3",
        "hasEvCharger": True,
        "hasAC": False,
    }
    assert flow.received("homes/solar/create") == []


def test_resuming_a_draft_after_logging_out_and_in_again(
    installer_page: Page, installer: User
) -> None:
    page = installer_page
    home = Home(name="Nguyen home")
    flow.answer_through(page, home, flow.answer_utility)
    page.get_by_label("Home name").fill(home.name)
    flow.choose(page, flow.APPLIANCE_QUESTIONS["ev_charger"], "No")
    flow.choose(page, flow.APPLIANCE_QUESTIONS["ac"], "Yes")
    # AC type is still unanswered: the step is incomplete, and is saved all the same.
    page.get_by_role("button", name="Save and come back later").click()

    expect(flow.heading(page)).to_have_text("Onboardings")
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved")
    page.get_by_role("button", name="Log out").click()
    log_in(page, installer.get_username(), INSTALLER_PASSWORD)

    row = page.get_by_role("row").filter(has_text=home.name)
    expect(row).to_contain_text("2 of 4 steps")
    row.get_by_role("link", name=f"Resume {home.name}").click()

    expect(flow.heading(page)).to_have_text("About the home")
    expect(page.get_by_label("Home name")).to_have_value(home.name)
    ev_charger = flow.question(page, flow.APPLIANCE_QUESTIONS["ev_charger"])
    expect(ev_charger.get_by_role("radio", name="No", exact=True)).to_be_checked()
    ac = flow.question(page, flow.APPLIANCE_QUESTIONS["ac"])
    expect(ac.get_by_role("radio", name="Yes", exact=True)).to_be_checked()
    expect(flow.question(page, flow.AC_TYPE_QUESTION)).to_be_visible()
    flow.answer_home(page, home)
    flow.answer_solar(page, home)
    home_id = flow.create_home(page)
    flow.expect_home_page(page, home, home_id)
    assert len(flow.received("homes/create")) == 1


def test_change_links_on_check_answers_come_back_to_it(installer_page: Page) -> None:
    page = installer_page
    home = Home(name="Schmidt place", solar_kw=None)
    flow.answer_through(page, home, flow.answer_solar)

    # A new ZIP code clears the utility and plan, so its follow-up question comes first.
    page.get_by_role("link", name="Change ZIP code").click()
    expect(page.get_by_role("link", name="Back to check your answers")).to_be_visible()
    expect(page.get_by_label(flow.ZIP_LABEL)).to_have_value("95313")
    page.get_by_label(flow.ZIP_LABEL).fill("92618")
    flow.continue_(page)
    expect(flow.question(page, flow.PLAN_QUESTION)).to_be_visible()
    flow.plan_radio(page, "TOU-D-PRIME").check()
    flow.continue_(page)
    expect(flow.heading(page)).to_have_text(flow.CHECK_HEADING)
    rows = page.get_by_role("main").locator(".summary-list__row")
    expect(rows.filter(has_text="ZIP code")).to_contain_text("92618")
    expect(rows.filter(has_text="Utility")).to_contain_text("Southern California Edison")
    expect(rows.filter(has_text="Rate plan")).to_contain_text("TOU-D-PRIME")

    page.get_by_role("link", name="Change Solar panels").click()
    flow.choose(page, flow.SOLAR_QUESTION, "Yes")
    page.get_by_label(flow.SOLAR_SIZE_LABEL).fill("5")
    flow.choose(page, flow.NET_METERED_QUESTION, "No")
    flow.continue_(page)
    expect(flow.heading(page)).to_have_text(flow.CHECK_HEADING)
    expect(rows.filter(has_text="Solar system size")).to_contain_text("5 kW")
    expect(rows.filter(has_text="Net metered")).to_contain_text("No")

    home_id = flow.create_home(page)
    [created] = flow.received("homes/create")
    assert (created["zipcode"], created["utilityId"]) == ("92618", "17609")
    assert created["ratePlanId"] == "70697c14b1059f1be4c61a72"
    assert flow.received("homes/solar/create") == [
        {"homeId": home_id, "solarSystemSizeKw": 5, "isNonNetMetered": True}
    ]


def test_a_homeowner_unsure_of_the_plan_is_onboarded_with_the_plan_to_confirm(
    installer_page: Page,
) -> None:
    page = installer_page
    home = Home(name="Unsure Plan House", plan="I'm not sure", solar_kw=None)
    flow.answer_through(page, home, flow.answer_solar)
    expect(page.get_by_role("main")).to_contain_text("WattShift's first listed plan will be used")
    home_id = flow.create_home(page)

    expect(page.get_by_role("main")).to_contain_text("The rate plan is still to be confirmed")
    # Created with the plan WattShift lists first for the utility.
    [created] = flow.received("homes/create")
    assert created["utilityId"] == PGE_ID and created["ratePlanId"] == TOU_D_PLAN_ID
    page.get_by_role("link", name="All onboardings", exact=True).click()
    page.get_by_label("Only plans to confirm").check()
    page.get_by_role("button", name="Search").click()
    rows = page.get_by_role("row").filter(has_text=home.name)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(home_id)
    expect(rows).to_contain_text("Plan to confirm")
