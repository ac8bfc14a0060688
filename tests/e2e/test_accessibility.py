"""Every page of the flow, with and without form errors: zero axe-core WCAG 2.1 A/AA violations,
no sideways scrolling at 375x667 and touch targets at least 44 px high."""

from playwright.sync_api import Page, expect

from tests.e2e import wizard_flow as flow
from tests.e2e.checks import assert_page_ok, expect_error_page
from tests.e2e.wizard_flow import Home


def assert_page_ok_at_both_sizes(page: Page, where: str) -> None:
    assert_page_ok(page, where, axe_on_phone=True)


def test_every_page_of_the_flow(installer_page: Page) -> None:
    page = installer_page
    home = Home()
    flow.onboard(page, home, check=assert_page_ok_at_both_sizes)

    page.get_by_text("Show the prices as a table").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert_page_ok_at_both_sizes(page, "home page")
    page.get_by_role("link", name="All onboardings", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=home.name)).to_be_visible()
    assert_page_ok_at_both_sizes(page, "dashboard with an onboarded home")


def test_every_step_showing_form_errors(installer_page: Page) -> None:
    page = installer_page
    home = Home()
    flow.start(page)

    flow.continue_(page)
    expect_error_page(page, "Enter the ZIP code of the home")
    assert_page_ok(page, "ZIP code step, nothing entered")
    page.get_by_label(flow.ZIP_LABEL).fill("9531")
    flow.continue_(page)
    expect_error_page(page, "Enter a 5-digit ZIP code")
    expect(page.get_by_label(flow.ZIP_LABEL)).to_have_value("9531")
    assert_page_ok(page, "ZIP code step, 4 digits")
    page.locator("[data-error-summary]").get_by_role("link").first.click()
    expect(page.get_by_label(flow.ZIP_LABEL)).to_be_focused()
    page.get_by_label(flow.ZIP_LABEL).fill(home.zipcode)
    flow.continue_(page)

    expect(flow.question(page, flow.PLAN_QUESTION)).to_be_visible()
    flow.continue_(page)
    expect_error_page(page, "Select the home's rate plan")
    assert_page_ok(page, "utility step, no plan chosen")
    flow.answer_utility(page, home)

    page.get_by_label("Home name").fill("")
    flow.choose(page, flow.APPLIANCE_QUESTIONS["ac"], "Yes")
    flow.continue_(page)
    expect_error_page(page, "Enter a name for the home", "Select the type of air conditioning")
    assert_page_ok(page, "home step, no name and no AC type")
    flow.answer_home(page, home)

    flow.continue_(page)
    expect_error_page(page, "Select Yes if the home has solar panels, or No")
    assert_page_ok(page, "solar step, nothing chosen")
    flow.choose(page, flow.SOLAR_QUESTION, "Yes")
    page.get_by_label(flow.SOLAR_SIZE_LABEL).fill("-1")
    flow.continue_(page)
    expect_error_page(
        page, "The system size must be more than 0 kW", "Select Yes if the system is net metered"
    )
    expect(page.get_by_label(flow.SOLAR_SIZE_LABEL)).to_have_value("-1")
    assert_page_ok(page, "solar step, negative size")
    flow.answer_solar(page, home)
    assert_page_ok(page, "check answers")
