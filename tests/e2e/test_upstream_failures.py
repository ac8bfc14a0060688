"""The upstream fails (sandbox test triggers): the installer sees it, loses nothing, recovers."""

from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from onboarding.sandbox.models import SandboxHome
from tests.e2e import wizard_flow as flow
from tests.e2e.checks import assert_page_ok
from tests.e2e.wizard_flow import Home


def test_solar_failing_once_is_shown_and_the_retry_only_adds_solar(installer_page: Page) -> None:
    page = installer_page
    home = Home(name="Test Solar Fail Once")
    flow.answer_through(page, home, flow.answer_solar)
    page.get_by_role("button", name="Create home").click()

    # The home exists, so its id is shown; solar is not on it yet, and says so.
    expect(flow.heading(page)).to_have_text("Home created")
    home_id = page.locator("#home-id").inner_text().strip()
    retry = page.get_by_role("button", name="Try adding solar again")
    expect(retry).to_be_visible()
    expect(page.get_by_text("Trying again only adds solar")).to_be_visible()
    assert_page_ok(page, "home page with solar not added")

    retry.click()
    expect(flow.heading(page)).to_have_text("Home created")
    expect(page.locator("#home-id")).to_have_text(home_id)
    expect(page.get_by_role("button", name="Try adding solar again")).to_have_count(0)
    flow.expect_home_page(page, home, home_id)

    assert len(flow.received("homes/create")) == 1
    # The 503 may have been processed, so the retry sets solar with homes/{id}/update, which is
    # harmless to repeat, instead of a second homes/solar/create.
    assert flow.received("homes/solar/create") == [
        {"homeId": home_id, "solarSystemSizeKw": 7.6, "isNonNetMetered": False}
    ]
    [update] = flow.received(f"homes/{home_id}/update")
    assert {key: update.get(key) for key in ("solarSystemSizeKw", "isNonNetMetered")} == {
        "solarSystemSizeKw": 7.6,
        "isNonNetMetered": False,
    }


def test_utilities_unavailable_is_shown_and_another_zip_recovers(installer_page: Page) -> None:
    page = installer_page
    flow.start(page)
    page.get_by_label(flow.ZIP_LABEL).fill("00503")
    flow.continue_(page)

    expect(flow.heading(page)).to_have_text(
        "The utilities for this ZIP code could not be found right now"
    )
    expect(page.get_by_role("alert")).not_to_be_empty()
    expect(page.get_by_text("Your answers so far are saved.")).to_be_visible()
    assert_page_ok(page, "utility step with the upstream unavailable")

    page.get_by_role("link", name="Try again").click()
    expect(flow.heading(page)).to_have_text(
        "The utilities for this ZIP code could not be found right now"
    )
    page.get_by_role("link", name="Change the ZIP code").click()
    expect(page.get_by_label(flow.ZIP_LABEL)).to_have_value("00503")
    home = Home(solar_kw=None)
    flow.answer_zip(page, home)
    flow.answer_utility(page, home)
    flow.answer_home(page, home)
    flow.answer_solar(page, home)
    home_id = flow.create_home(page)
    expect(page.locator("#home-id")).to_have_text(home_id)
    [created] = flow.received("homes/create")
    assert created["zipcode"] == "95313"


def test_prices_failing_once_leave_the_home_shown_with_a_retry(installer_page: Page) -> None:
    # The sandbox fails this home's first price signal through all of the client's retries.
    page = installer_page
    home = Home(name="Test Price Fail Once", solar_kw=None)
    home_id = flow.onboard(page, home)

    prices = page.locator("#price-signal")
    expect(prices).to_contain_text("could not be fetched")
    expect(prices.locator("svg.chart")).to_have_count(0)
    expect(page.locator("#home-id")).to_have_text(home_id)
    assert_page_ok(page, "home page without prices")

    prices.get_by_role("button", name="Try again").click()
    expect(page.locator("#price-signal svg.chart")).to_be_visible()
    flow.expect_home_page(page, home, home_id)


def test_a_create_whose_answer_times_out_is_reconciled_not_sent_again(
    installer_page: Page, settings: Settings
) -> None:
    # The sandbox creates this home, then answers after the client has given up waiting.
    settings.WS_API_TIMEOUT = 1.0
    settings.WS_SANDBOX_SLOW_SECONDS = 1.5
    page = installer_page
    home = Home(name="Test Create Slow", solar_kw=None)
    home_id = flow.onboard(page, home)

    # homes/list found the one home with this name, ZIP code and plan: its id is adopted.
    [created] = SandboxHome.objects.all()
    assert home_id == created.id
    assert len(flow.received("homes/create")) == 1
    assert flow.received("homes/list")
    page.get_by_text("History").click()
    expect(page.locator("ol.history")).to_contain_text("homes/list")
    assert_page_ok(page, "home page after a reconciled create")
