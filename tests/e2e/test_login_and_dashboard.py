"""Signing in and the dashboard, in Chromium: accessible, phone-sized, usable with the keyboard."""

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.e2e.checks import assert_page_ok, expect_error_page, press_tab_until
from tests.e2e.conftest import INSTALLER_PASSWORD, log_in


def test_login_page_is_accessible_and_fits_a_phone(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_page_ok(page, "the login page")


def test_a_failed_login_shows_the_error_summary_with_focus(page: Page, installer: User) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(installer.get_username())
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect_error_page(page)
    expect(page.get_by_label("Username")).to_have_value(installer.get_username())
    assert_page_ok(page, "the login page with an error")


def test_the_error_summary_links_to_each_field(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()

    expect_error_page(page, "This field is required.")
    page.locator("[data-error-summary]").get_by_role("link").first.click()
    expect(page.get_by_label("Username")).to_be_focused()
    assert_page_ok(page, "the login page with empty fields")


def test_signing_in_with_the_keyboard_only(page: Page, installer: User) -> None:
    page.goto("/accounts/login/")
    # Django's login form puts the cursor in Username.
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(installer.get_username())
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")

    expect_error_page(page)
    press_tab_until(page, page.get_by_label("Password"))
    page.keyboard.type(INSTALLER_PASSWORD)
    press_tab_until(page, page.get_by_role("button", name="Sign in"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")


def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(
    page: Page, installer: User
) -> None:
    log_in(page, installer.get_username(), INSTALLER_PASSWORD)
    page.locator("body").focus()
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_dashboard_is_accessible_and_fits_a_phone(page: Page, installer: User) -> None:
    log_in(page, installer.get_username(), INSTALLER_PASSWORD)
    expect(page.get_by_text(installer.get_username(), exact=True)).to_be_visible()
    assert_page_ok(page, "the dashboard")


def test_logging_out_goes_back_to_the_login_page(page: Page, installer: User) -> None:
    log_in(page, installer.get_username(), INSTALLER_PASSWORD)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
