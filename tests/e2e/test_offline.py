"""On a phone with no signal: every step, and "Create home", sent while offline, then reloaded
offline (the service worker's offline page) and online again (the unsent answers put back).

Playwright's offline mode (context.set_offline) cuts the page and its service worker off the
network and sets navigator.onLine to false, as a phone without signal does."""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, Route, expect

from onboarding.sandbox.models import SandboxHome
from tests.e2e import wizard_flow as flow
from tests.e2e.checks import PHONE, assert_page_ok
from tests.e2e.conftest import INSTALLER_PASSWORD, log_in
from tests.e2e.wizard_flow import Home

NOT_SENT = "This was not sent: the phone could not reach the server."
NOTHING_LOST = "Nothing on this page has been lost. Try again when there is signal."
RESTORED = (
    "Answers on this phone that were not sent yet have been put back. Check them, then Continue."
)
OFFLINE_HEADING = "You are offline"
DRAFT_PREFIX = "wattshift:draft:"


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Every context here is a touch phone at 375x667 (conftest's own viewport replaced: given
    to new_browser_context as well, it would be passed twice)."""
    return {**browser_context_args, "viewport": PHONE, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(new_browser_context: Any, installer: User) -> Iterator[Page]:
    """A logged-in phone whose page the service worker controls."""
    context = new_browser_context()
    page = context.new_page()
    log_in(page, installer.get_username(), INSTALLER_PASSWORD)
    wait_for_service_worker(page)
    yield page
    context.close()


# Installing fetches every precached file first: on a busy machine that outlasts the usual wait.
SERVICE_WORKER_INSTALL_MS = 30_000


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null", timeout=SERVICE_WORKER_INSTALL_MS
    )


def drafts(page: Page) -> dict[str, dict[str, list[str]]]:
    """Every draft in localStorage, by key."""
    stored = page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage[k]]))"
    )
    assert all(key.startswith(DRAFT_PREFIX) for key in stored), stored
    return {key: json.loads(value) for key, value in stored.items()}


def public_id(page: Page) -> str:
    match = re.search(r"/onboardings/([0-9a-f-]{36})/", page.url)
    assert match, page.url
    return match.group(1)


def expect_not_sent(page: Page, button: Locator, label: str) -> None:
    """The page says, beside the button and in the live region, that nothing was sent."""
    notice = page.locator("[data-request-notice]")
    expect(notice).to_contain_text(NOT_SENT)
    expect(notice).to_contain_text(NOTHING_LOST)
    expect(page.locator("#live-region")).to_contain_text(NOT_SENT)
    expect(button).to_be_enabled()
    expect(button).to_have_text(label)


def offline_round_trip(
    page: Page,
    where: str,
    answers_shown: Callable[[], None],
    *,
    button: str = "Continue",
    private: tuple[str, ...] = (),
    restores: bool = True,
) -> None:
    """Offline: press the button, see it was not sent, answers still there; reload offline
    (the offline page, none of `private` on it); online, reload: the answers put back."""
    context = page.context
    pressed = page.get_by_role("button", name=button, exact=True)
    context.set_offline(True)
    pressed.click()
    expect_not_sent(page, pressed, button)
    answers_shown()
    assert_page_ok(page, f"{where}, not sent")

    page.reload()
    expect(flow.heading(page)).to_have_text(OFFLINE_HEADING)
    content = page.content()
    for secret in private:
        assert secret not in content, f"the offline page shows {secret!r}"

    context.set_offline(False)
    page.reload()
    expect(page.get_by_role("button", name=button, exact=True)).to_be_visible()
    answers_shown()
    if restores:
        expect(page.locator("[data-draft-notice]")).to_have_text(RESTORED)
        assert_page_ok(page, f"{where}, answers put back")
    else:
        expect(page.locator("[data-draft-notice]")).to_have_count(0)


def test_every_step_and_create_home_survive_no_signal(phone: Page) -> None:
    page = phone
    home = Home(name="Offline cottage")
    private = (home.name, home.zipcode)
    flow.start(page)

    zipcode = page.get_by_label(flow.ZIP_LABEL)
    zipcode.fill(home.zipcode)
    expect(page.locator("#zip-preview")).to_contain_text(f"ZIP code {home.zipcode}")
    offline_round_trip(
        page, "ZIP code step", lambda: expect(zipcode).to_have_value(home.zipcode), private=private
    )
    flow.continue_(page)

    plan = flow.plan_radio(page, home.plan)
    expect(plan).to_be_visible()
    plan.check()
    offline_round_trip(page, "utility step", lambda: expect(plan).to_be_checked(), private=private)
    flow.continue_(page)

    name = page.get_by_label("Home name")
    expect(name).to_be_visible()
    name.fill(home.name)
    for key, answer in home.appliances.items():
        flow.choose(page, flow.APPLIANCE_QUESTIONS[key], answer)
    flow.choose(page, flow.AC_TYPE_QUESTION, home.ac_type)
    ac_type = flow.question(page, flow.AC_TYPE_QUESTION).get_by_role("radio", name=home.ac_type)

    def home_answers_shown() -> None:
        expect(name).to_have_value(home.name)
        expect(ac_type).to_be_checked()

    offline_round_trip(page, "home step", home_answers_shown, private=private)
    flow.continue_(page)

    flow.choose(page, flow.SOLAR_QUESTION, "Yes")
    size = page.get_by_label(flow.SOLAR_SIZE_LABEL)
    size.fill("7.6")
    flow.choose(page, flow.NET_METERED_QUESTION, "Yes")
    offline_round_trip(
        page, "solar step", lambda: expect(size).to_have_value("7.6"), private=private
    )
    flow.continue_(page)

    expect(flow.heading(page)).to_have_text(flow.CHECK_HEADING)
    offline_round_trip(
        page, "check answers", lambda: None, button="Create home", private=private, restores=False
    )
    home_id = flow.create_home(page)

    assert SandboxHome.objects.count() == 1
    assert [created["name"] for created in flow.received("homes/create")] == [home.name]
    [solar] = flow.received("homes/solar/create")
    assert solar == {"homeId": home_id, "solarSystemSizeKw": 7.6, "isNonNetMetered": False}
    assert drafts(page) == {}


def test_the_answers_are_sent_when_the_connection_comes_back(phone: Page) -> None:
    page = phone
    home = Home(name="Signal returns")
    flow.answer_through(page, home, flow.answer_utility)
    page.get_by_label("Home name").fill(home.name)
    flow.choose(page, flow.APPLIANCE_QUESTIONS["ac"], "No")

    page.context.set_offline(True)
    flow.continue_(page)
    expect_not_sent(page, page.get_by_role("button", name="Continue"), "Continue")
    expect(page.get_by_role("button", name="Send my answers")).to_have_count(0)
    page.context.set_offline(False)
    send = page.get_by_role("button", name="Send my answers")
    expect(send).to_be_visible()
    expect(page.locator("#live-region")).to_contain_text("The connection is back.")
    assert_page_ok(page, "home step, connection back")
    send.click()

    expect(flow.question(page, flow.SOLAR_QUESTION)).to_be_visible()
    assert drafts(page) == {}


def test_local_storage_holds_only_the_steps_answers_until_they_are_saved(phone: Page) -> None:
    page = phone
    home = Home()
    flow.answer_through(page, home, flow.answer_utility)
    key = f"{DRAFT_PREFIX}{public_id(page)}:about-home"
    page.get_by_label("Home name").fill(home.name)
    flow.choose(page, flow.APPLIANCE_QUESTIONS["ac"], "Yes")
    flow.choose(page, flow.AC_TYPE_QUESTION, "Central")

    stored = drafts(page)
    assert list(stored) == [key]
    # Only the step's questions; no CSRF token, no "return", no button, no utility or plan.
    assert set(stored[key]) <= {
        "home_name",
        "has_ev_charger",
        "has_electric_heater",
        "has_smart_water_heater",
        "has_electric_water_heater",
        "has_ac",
        "ac_type",
    }
    assert stored[key]["home_name"] == [home.name]
    assert stored[key]["has_ac"] == ["yes"]
    assert stored[key]["has_ev_charger"] == []

    flow.continue_(page)
    expect(flow.question(page, flow.SOLAR_QUESTION)).to_be_visible()
    assert drafts(page) == {}

    # Typed and then "Save and come back later": saved, so forgotten on the phone.
    flow.choose(page, flow.SOLAR_QUESTION, "No")
    assert list(drafts(page)) == [f"{DRAFT_PREFIX}{public_id(page)}:solar"]
    page.get_by_role("button", name="Save and come back later").click()
    expect(flow.heading(page)).to_have_text("Onboardings")
    assert drafts(page) == {}


def test_answers_the_server_refused_are_kept_on_the_phone_until_it_has_them(phone: Page) -> None:
    """A page with errors shows answers the server did not save: a reload puts them back."""
    page = phone
    home = Home(solar_kw="7.6")
    flow.answer_through(page, home, flow.answer_home)
    flow.choose(page, flow.SOLAR_QUESTION, "Yes")
    page.get_by_label(flow.SOLAR_SIZE_LABEL).fill(home.solar_kw)
    flow.continue_(page)  # net metering not answered
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert list(drafts(page)) == [f"{DRAFT_PREFIX}{public_id(page)}:solar"]

    page.reload()
    expect(page.locator("[data-draft-notice]")).to_be_visible()
    expect(page.get_by_label(flow.SOLAR_SIZE_LABEL)).to_have_value(home.solar_kw)
    flow.choose(page, flow.NET_METERED_QUESTION, "Yes")
    flow.continue_(page)
    expect(flow.heading(page)).to_have_text(flow.CHECK_HEADING)
    assert drafts(page) == {}


def test_a_form_sent_when_the_server_cannot_be_reached_keeps_its_page(phone: Page) -> None:
    # Signal, but no way through ("lie-fi"): navigator.onLine stays true, so the form is sent
    # and the service worker's request fails. Its 204 keeps the page, which says so.
    page = phone
    home = Home(name="Lie-fi lodge", solar_kw=None)
    flow.answer_through(page, home, flow.answer_solar)

    def cut_off(route: Route) -> None:
        route.abort("internetdisconnected")

    page.context.route(re.compile(r"/submit/$"), cut_off)
    create = page.get_by_role("button", name="Create home")
    create.click()
    expect_not_sent(page, create, "Create home")
    expect(flow.heading(page)).to_have_text(flow.CHECK_HEADING)
    assert flow.received("homes/create") == []

    page.context.unroute(re.compile(r"/submit/$"), cut_off)
    flow.create_home(page)
    assert SandboxHome.objects.count() == 1


def test_the_wizard_is_installable_and_its_service_worker_controls_the_page(
    phone: Page, base_url: str
) -> None:
    page = phone
    registration = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            return {
                scope: registration.scope,
                script: registration.active.scriptURL,
                controlled: navigator.serviceWorker.controller !== null,
                caches: await caches.keys(),
            };
        }"""
    )
    assert registration["scope"] == base_url + "/"
    assert registration["script"].endswith("/sw.js")
    assert registration["controlled"]
    [cache] = registration["caches"]
    assert re.fullmatch(r"wattshift-static-[0-9a-f]{12}", cache)

    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href
    manifest = page.request.get(href)
    assert manifest.ok
    data = manifest.json()
    assert (data["name"], data["short_name"]) == ("WattShift onboarding", "WattShift")
    assert (data["start_url"], data["display"]) == ("/", "standalone")
    icons = {icon["sizes"]: icon for icon in data["icons"]}
    for size in ("192x192", "512x512"):
        assert icons[size]["type"] == "image/png"
        image = page.request.get(urljoin(manifest.url, icons[size]["src"]))
        assert image.ok and image.headers["content-type"] == "image/png"
    assert page.locator("meta[name=theme-color]").get_attribute("content") == data["theme_color"]
    expect(page.locator("link[rel=apple-touch-icon]")).to_have_count(1)


def test_the_offline_page_passes_the_checks_and_names_nobody(phone: Page) -> None:
    page = phone
    page.goto("/offline/")
    expect(flow.heading(page)).to_have_text(OFFLINE_HEADING)
    assert_page_ok(page, "offline page")
    assert "ina" not in page.locator("header").inner_text()

    # As the service worker serves it, for a page that cannot be loaded.
    page.goto("/")
    page.context.set_offline(True)
    page.reload()
    expect(flow.heading(page)).to_have_text(OFFLINE_HEADING)
    expect(page.get_by_role("link", name="Try again")).to_be_visible()
    assert_page_ok(page, "offline page from the service worker")
    page.context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    expect(flow.heading(page)).to_have_text("Onboardings")


def test_a_plan_is_put_back_once_its_utilitys_plans_have_come(phone: Page) -> None:
    # Two utilities: the server shows none chosen, so the plans of the one chosen on the phone
    # are fetched first, then its plan is put back.
    page = phone
    home = Home(
        zipcode="95630",
        utility="Sacramento Municipal Utility District",
        plan="Time-of-Day (5-8 p.m.) Rate with EV Credit",
    )
    flow.start(page)
    flow.answer_zip(page, home)
    smud = flow.question(page, flow.UTILITY_QUESTION).get_by_role("radio", name=home.utility)
    smud.check()
    plan = flow.plan_radio(page, home.plan)
    plan.check()

    def chosen() -> None:
        expect(smud).to_be_checked()
        expect(plan).to_be_checked()

    offline_round_trip(page, "utility step, two utilities", chosen, private=(home.zipcode,))
    flow.continue_(page)
    expect(page.get_by_label("Home name")).to_be_visible()
    assert drafts(page) == {}
