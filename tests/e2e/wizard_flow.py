"""The wizard as an installer goes through it: each step by its labels and buttons.

Each function answers one page and leaves the browser on the next one. `check` (when given)
is called on every page reached, so one walk can also run axe, the phone checks or screenshots.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Locator, Page, expect

from onboarding.sandbox.models import ReceivedRequest

ZIP_LABEL = "What is the home's ZIP code?"
UTILITY_QUESTION = "Which utility supplies the home's electricity?"
PLAN_QUESTION = "Which rate plan is the home on?"
APPLIANCE_QUESTIONS = {
    "ev_charger": "Does the home have an electric vehicle (EV) charger?",
    "electric_heater": "Does the home have electric heating?",
    "smart_water_heater": "Does the home have a smart water heater?",
    "electric_water_heater": "Does the home have an electric water heater?",
    "ac": "Does the home have air conditioning?",
}
AC_TYPE_QUESTION = "What type of air conditioning?"
SOLAR_QUESTION = "Does the home have solar panels?"
SOLAR_SIZE_LABEL = "System size in kW"
NET_METERED_QUESTION = "Is the solar system net metered?"
CHECK_HEADING = "Check your answers before creating the home"

PGE = "Pacific Gas & Electric"
PGE_ID = "14328"
E6_PLAN_ID = "66d811ce52c6fe40859130e8"

Check = Callable[[Page, str], None]


def no_check(page: Page, where: str) -> None:
    """The default `check`: nothing beyond what each step asserts itself."""


@dataclass
class Home:
    """What one walk through the wizard answers."""

    name: str = "Rivera residence"
    zipcode: str = "95313"
    utility: str = PGE
    plan: str = "E-6"
    # Question key -> "Yes" / "No" / "Not sure"; a missing key is left unanswered.
    appliances: dict[str, str] = field(
        default_factory=lambda: {
            "ev_charger": "Yes",
            "electric_heater": "No",
            "smart_water_heater": "Not sure",
            "electric_water_heater": "Yes",
            "ac": "Yes",
        }
    )
    ac_type: str = "Central"
    solar_kw: str | None = "7.6"
    net_metered: bool = True


def question(page: Page, legend: str) -> Locator:
    """A radio question, found by its legend, as a screen reader announces the group."""
    return page.get_by_role("group", name=legend)


def choose(page: Page, legend: str, answer: str) -> None:
    question(page, legend).get_by_role("radio", name=answer, exact=True).check()


def plan_radio(page: Page, plan: str) -> Locator:
    """A plan's radio; its accessible name is the plan name, then its rateID when it has one."""
    name = re.compile("^" + re.escape(plan) + r"( ?[\w.-]+)?$")
    return question(page, PLAN_QUESTION).get_by_role("radio", name=name)


def scripts_run(page: Page) -> bool:
    """Whether the page's own scripts ran (htmx loaded): False in a context without JavaScript."""
    return bool(page.evaluate("() => typeof window.htmx !== 'undefined'"))


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def start(page: Page, check: Check = no_check) -> None:
    page.goto("/")
    expect(heading(page)).to_have_text("Onboardings")
    check(page, "dashboard")
    page.get_by_role("button", name="Start onboarding").click()
    expect(page.get_by_label(ZIP_LABEL)).to_be_visible()


def answer_zip(page: Page, home: Home, check: Check = no_check) -> None:
    expect(heading(page)).to_have_text(ZIP_LABEL)
    page.get_by_label(ZIP_LABEL).fill(home.zipcode)
    if scripts_run(page):
        # As a person does: read the place and utilities shown for the ZIP code, then continue.
        expect(page.locator("#zip-preview")).to_contain_text(f"ZIP code {home.zipcode}")
    check(page, "ZIP code step")
    continue_(page)
    expect(question(page, UTILITY_QUESTION)).to_be_visible()


def answer_utility(page: Page, home: Home, check: Check = no_check) -> None:
    utilities = question(page, UTILITY_QUESTION)
    utility = utilities.get_by_role("radio", name=home.utility, exact=True)
    if not utility.is_checked():
        utility.check()
    plans = question(page, PLAN_QUESTION)
    if scripts_run(page):
        # As a person does: wait for the chosen utility's plans to appear, then pick one.
        expect(plans).to_contain_text(home.plan)
        expect(page.locator("#plans.htmx-swapping, #plans.htmx-settling")).to_have_count(0)
    elif not plans.is_visible():
        # Without JavaScript the plans of a newly chosen utility come after a Continue.
        continue_(page)
    plan_radio(page, home.plan).check()
    check(page, "utility and rate plan step")
    continue_(page)
    expect(page.get_by_label("Home name")).to_be_visible()


def answer_home(page: Page, home: Home, check: Check = no_check) -> None:
    expect(heading(page)).to_have_text("About the home")
    page.get_by_label("Home name").fill(home.name)
    for key, answer in home.appliances.items():
        choose(page, APPLIANCE_QUESTIONS[key], answer)
    if home.appliances.get("ac") == "Yes":
        choose(page, AC_TYPE_QUESTION, home.ac_type)
    check(page, "home step")
    continue_(page)
    expect(question(page, SOLAR_QUESTION)).to_be_visible()


def answer_solar(page: Page, home: Home, check: Check = no_check) -> None:
    if home.solar_kw is None:
        choose(page, SOLAR_QUESTION, "No")
        expect(page.get_by_label(SOLAR_SIZE_LABEL)).to_be_hidden()
    else:
        choose(page, SOLAR_QUESTION, "Yes")
        page.get_by_label(SOLAR_SIZE_LABEL).fill(home.solar_kw)
        choose(page, NET_METERED_QUESTION, "Yes" if home.net_metered else "No")
    check(page, "solar step")
    continue_(page)
    expect(heading(page)).to_have_text(CHECK_HEADING)


Answer = Callable[[Page, Home, Check], None]
# Each step's answering, in the wizard's order.
ANSWERS: list[Answer] = [answer_zip, answer_utility, answer_home, answer_solar]


def create_home(page: Page, check: Check = no_check) -> str:
    """On check answers: Create home; returns the home id the home page shows."""
    expect(heading(page)).to_have_text(CHECK_HEADING)
    check(page, "check answers")
    page.get_by_role("button", name="Create home").click()
    expect(heading(page)).to_have_text("Home created")
    home_id = page.locator("#home-id").inner_text().strip()
    assert re.fullmatch(r"ws_home_\w+", home_id), home_id
    return home_id


def answer_through(page: Page, home: Home, last: "Answer", check: Check = no_check) -> None:
    """From the dashboard: start an onboarding and answer its steps in order, through `last`
    (answer_zip, answer_utility, answer_home or answer_solar)."""
    start(page, check)
    for answer in ANSWERS[: ANSWERS.index(last) + 1]:
        answer(page, home, check)


def onboard(page: Page, home: Home, check: Check = no_check) -> str:
    """The whole wizard from the dashboard; returns the created home's id."""
    answer_through(page, home, answer_solar, check)
    return create_home(page, check)


def expect_home_page(page: Page, home: Home, home_id: str) -> None:
    """The home page: its id, what was sent (the plan by its name) and a price chart."""
    main = page.get_by_role("main")
    expect(main.locator("#home-id")).to_have_text(home_id)
    expect(main.get_by_text(home.plan, exact=True)).to_be_visible()
    chart = main.locator("svg.chart")
    expect(chart).to_be_visible()
    expect(chart.locator("path.chart__line")).to_have_attribute("d", re.compile(r"^M"))
    expect(main.get_by_text("Lowest price", exact=True)).to_be_visible()
    expect(main.get_by_text("Highest price", exact=True)).to_be_visible()
    expect(main.get_by_text("Peak window", exact=True)).to_be_visible()


def received(endpoint: str) -> list[dict[str, object]]:
    """The JSON bodies the sandbox received on one endpoint (path after /v1/), oldest first."""
    requests = ReceivedRequest.objects.filter(path__endswith="/v1/" + endpoint)
    return [json.loads(request.body) if request.body else {} for request in requests]
