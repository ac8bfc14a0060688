"""WattShift slow to answer: the button says what it is doing at once, and if the wait goes on,
a message beside it (and in the live region) says what will happen.

The sandbox's slow triggers wait WS_SANDBOX_SLOW_SECONDS (3 s here), so the message is asked for
after 1 s instead of the usual 4 (SLOW_NOTICE_SECONDS, which pages give app.js)."""

import json

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from onboarding.sandbox import triggers
from onboarding.sandbox.models import SandboxHome
from tests.e2e import wizard_flow as flow
from tests.e2e.checks import PHONE, assert_page_ok
from tests.e2e.wizard_flow import Home

LOOKUP_SLOW = "WattShift is slow to answer. We wait up to about"
CREATE_SLOW = (
    "WattShift is taking longer than usual. Keep this page open: the home is created once, "
    "however long it takes, and you will see the result here."
)


# The page waiting for a plain form's answer cannot be read by Playwright (its locators and
# evaluate wait for the navigation), so the page records what it shows, with the time since the
# button was pressed, in sessionStorage, which the next page of the tab can still read.
RECORD_WHAT_IS_SHOWN = """() => {
    const started = performance.now();
    const seen = [];
    new MutationObserver(() => {
        seen.push({
            at: performance.now() - started,
            button: document.querySelector("form[data-submitting] button")?.textContent ?? "",
            notice: document.querySelector("[data-request-notice]")?.textContent ?? "",
            live: document.getElementById("live-region").textContent,
        });
        sessionStorage.setItem("seen", JSON.stringify(seen));
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(autouse=True)
def slow_notice_after_one_second(settings: Settings) -> None:
    settings.SLOW_NOTICE_SECONDS = 1


def test_a_slow_zip_lookup_says_so_then_shows_the_answer(installer_page: Page) -> None:
    page = installer_page
    page.set_viewport_size(PHONE)
    flow.start(page)
    page.get_by_label(flow.ZIP_LABEL).fill(triggers.ZIP_SLOW)
    continue_button = page.get_by_role("button", name="Continue")
    continue_button.click()

    expect(page.get_by_role("button", name="Checking…")).to_be_visible(timeout=1_000)
    notice = page.locator("[data-request-notice]")
    expect(notice).to_contain_text(LOOKUP_SLOW, timeout=2_500)
    expect(notice).to_contain_text("then tell you what happened; your answers are saved.")
    expect(page.locator("#live-region")).to_contain_text(LOOKUP_SLOW)
    assert_page_ok(page, "ZIP code step, WattShift slow")

    # The answer (no utility for this ZIP code) replaces the wait.
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "WattShift lists no electricity utility for ZIP code 00408"
    )
    expect(notice).to_have_count(0)
    expect(continue_button).to_be_enabled()


def test_a_slow_create_says_the_home_is_created_once(installer_page: Page) -> None:
    page = installer_page
    home = Home(name="Test Create Slow", solar_kw=None)
    flow.answer_through(page, home, flow.answer_solar)
    page.evaluate(RECORD_WHAT_IS_SHOWN)
    page.get_by_role("button", name="Create home").click()

    # The create timed out, homes/list found the one home it made: its id is shown.
    expect(flow.heading(page)).to_have_text("Home created", timeout=10_000)
    seen = json.loads(page.evaluate("sessionStorage.getItem('seen')"))
    assert seen[0]["button"] == "Creating the home…"
    assert seen[0]["at"] < 1_000
    slow = next(moment for moment in seen if moment["notice"] == CREATE_SLOW)
    assert 900 < slow["at"] < 2_000, slow
    assert slow["button"] == "Creating the home…"
    assert any(moment["live"] == CREATE_SLOW for moment in seen)
    assert SandboxHome.objects.count() == 1
    assert len(flow.received("homes/create")) == 1
