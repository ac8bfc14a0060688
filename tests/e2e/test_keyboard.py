"""The whole onboarding with the keyboard only: Tab, Shift+Tab, arrow keys, Space and Enter."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e import wizard_flow as flow
from tests.e2e.checks import press_tab_until
from tests.e2e.wizard_flow import E6_PLAN_ID, Home

FOCUSED_INSIDE = "(group) => group.contains(document.activeElement)"


def tab_into(page: Page, group: Locator, limit: int = 40) -> None:
    """Tab until focus is inside a radio group (on its checked radio, or its first one)."""
    for _ in range(limit):
        if group.evaluate(FOCUSED_INSIDE):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {group}", pytrace=False)


def pick_with_keys(page: Page, legend: str, answer: str) -> None:
    """Select a radio as a keyboard user does: Tab into the group, Space, then arrow keys."""
    group = flow.question(page, legend)
    target = group.get_by_role("radio", name=answer, exact=True)
    tab_into(page, group)
    if group.get_by_role("radio", checked=True).count() == 0:
        page.keyboard.press("Space")
    for _ in range(group.get_by_role("radio").count()):
        if target.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(target).to_be_checked()
    expect(target).to_be_focused()


def press_button(page: Page, name: str, key: str = "Enter") -> None:
    press_tab_until(page, page.get_by_role("button", name=name))
    page.keyboard.press(key)


def test_onboarding_with_the_keyboard_only(installer_page: Page) -> None:
    page = installer_page
    home = Home(name="Keyboard cottage")
    page.goto("/")
    press_button(page, "Start onboarding")

    zipcode = page.get_by_label(flow.ZIP_LABEL)
    press_tab_until(page, zipcode)
    page.keyboard.type("9531")
    press_button(page, "Continue")
    # The error summary takes focus; its link takes the installer back to the field.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(zipcode).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type("3")
    press_button(page, "Continue", key="Space")

    # One utility: already selected, so Tab lands on it; then the plans, with the arrow keys.
    utility = flow.question(page, flow.UTILITY_QUESTION)
    expect(utility.get_by_role("radio", name=flow.PGE)).to_be_checked()
    pick_with_keys(page, flow.PLAN_QUESTION, "E-6")
    press_button(page, "Continue")

    press_tab_until(page, page.get_by_label("Home name"))
    page.keyboard.type(home.name)
    for key, answer in home.appliances.items():
        pick_with_keys(page, flow.APPLIANCE_QUESTIONS[key], answer)
    pick_with_keys(page, flow.AC_TYPE_QUESTION, home.ac_type)
    # Shift+Tab goes back through the questions: the name is still there to check.
    press_tab_until(page, page.get_by_label("Home name"), backwards=True)
    expect(page.get_by_label("Home name")).to_have_value(home.name)
    press_button(page, "Continue")

    pick_with_keys(page, flow.SOLAR_QUESTION, "Yes")
    press_tab_until(page, page.get_by_label(flow.SOLAR_SIZE_LABEL))
    page.keyboard.type("7.6")
    pick_with_keys(page, flow.NET_METERED_QUESTION, "Yes")
    press_button(page, "Continue")

    expect(flow.heading(page)).to_have_text(flow.CHECK_HEADING)
    press_button(page, "Create home")
    expect(flow.heading(page)).to_have_text("Home created")
    home_id = page.locator("#home-id").inner_text().strip()
    flow.expect_home_page(page, home, home_id)

    [created] = flow.received("homes/create")
    assert created["name"] == home.name
    assert created["ratePlanId"] == E6_PLAN_ID
    assert created["acType"] == "central"
    assert len(flow.received("homes/solar/create")) == 1
