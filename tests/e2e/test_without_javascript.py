"""The whole wizard with JavaScript turned off: plain POST, redirect, GET on every step."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e import wizard_flow as flow
from tests.e2e.checks import assert_page_ok, expect_error_page
from tests.e2e.conftest import INSTALLER_PASSWORD, log_in
from tests.e2e.wizard_flow import E6_PLAN_ID, Home

# 85004 in fullwidth digits: digits, but not the ASCII ones a ZIP code is made of.
FULLWIDTH_ZIP = "\uff18\uff15\uff10\uff10\uff14"


@pytest.fixture
def no_js_page(new_browser_context: Any, installer: User) -> Iterator[Page]:
    context: BrowserContext = new_browser_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, installer.get_username(), INSTALLER_PASSWORD)
    yield page
    context.close()


def test_onboarding_with_solar_without_javascript(no_js_page: Page) -> None:
    page = no_js_page
    sent = []
    page.on("request", lambda request: sent.append(request))
    home = Home()
    home_id = flow.onboard(page, home)

    # Every step was a plain form POST and a full page load: htmx never ran.
    posts = [request for request in sent if request.method == "POST"]
    assert len(posts) == 6, [request.url for request in posts]
    assert not [request.url for request in sent if "hx-request" in request.headers]
    assert all(request.is_navigation_request() for request in posts)

    flow.expect_home_page(page, home, home_id)
    page.get_by_role("link", name="All onboardings", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=home.name)).to_contain_text(home_id)
    assert flow.received("utility/get") == [{"zipcode": "95313"}]
    [created] = flow.received("homes/create")
    assert created["ratePlanId"] == E6_PLAN_ID
    assert created["hasSmartWaterHeater"] is None
    assert len(flow.received("homes/solar/create")) == 1


def test_errors_and_two_utilities_without_javascript(no_js_page: Page) -> None:
    page = no_js_page
    home = Home(
        name="Okafor house",
        zipcode="85004",
        utility="Salt River Project",
        plan="Time-of-Use Price Plan (E-26)",
        solar_kw=None,
    )
    flow.start(page)
    page.get_by_label(flow.ZIP_LABEL).fill(FULLWIDTH_ZIP)
    flow.continue_(page)
    expect_error_page(page, "Enter the ZIP code using the digits 0 to 9", focused=False)
    expect(page.get_by_label(flow.ZIP_LABEL)).to_have_value(FULLWIDTH_ZIP)
    assert_page_ok(page, "ZIP code step with an error, no JavaScript", axe=False)
    flow.answer_zip(page, home)

    # Two utilities: choosing one and continuing shows its plans on the same step.
    expect(flow.question(page, flow.PLAN_QUESTION)).to_have_count(0)
    flow.answer_utility(page, home)
    page.get_by_label("Home name").fill("")
    flow.continue_(page)
    expect_error_page(page, "Enter a name for the home", focused=False)
    assert_page_ok(page, "home step with an error, no JavaScript", axe=False)
    flow.answer_home(page, home)
    flow.answer_solar(page, home)
    home_id = flow.create_home(page)
    expect(page.locator("#home-id")).to_have_text(home_id)
    [created] = flow.received("homes/create")
    assert (created["zipcode"], created["utilityId"]) == ("85004", "16572")
