"""An installer onboards homes in Chromium against the sandbox upstream."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from tests.e2e import wizard_flow as flow
from tests.e2e.wizard_flow import E6_PLAN_ID, PGE_ID, Home


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
