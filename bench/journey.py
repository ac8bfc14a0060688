"""One onboarding, click by click, as a person with a JavaScript browser does it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.browser import Action, Browser, Form, parse, snippet
from bench.servers import BenchError

# The rows of the table, in the order a person meets them.
START = "Start → ZIP page"
PREVIEW = "ZIP preview (typing)"
ZIP = "ZIP Continue"
PLANS = "Utility picked → its plans"
UTILITY = "Utility and plan Continue"
HOME_INVALID = "Home Continue, name missing"
HOME = "Home Continue"
BACK = "Back (to the home step)"
HOME_AGAIN = "Home Continue again"
SOLAR = "Solar Continue → check answers"
SUBMIT = "Create home → home page"
STEPS = (START, PREVIEW, ZIP, PLANS, UTILITY, HOME_INVALID, HOME, BACK, HOME_AGAIN, SOLAR, SUBMIT)

APPLIANCES = (
    "has_ev_charger",
    "has_electric_heater",
    "has_smart_water_heater",
    "has_electric_water_heater",
    "has_ac",
)
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
NOT_SURE = "not_sure"


@dataclass(frozen=True)
class Plan:
    """What one onboarding answers."""

    index: int
    zipcode: str
    solar: bool
    # No earlier onboarding of this run (warm-up included) used this ZIP code.
    first_lookup: bool
    warmup: bool = False


@dataclass
class Journey:
    plan: Plan
    actions: list[Action]

    def action(self, label: str) -> Action | None:
        return next((a for a in self.actions if a.label == label), None)


def form_to(action: Action, path_end: str) -> Form:
    """The form on the page `action` ended on that posts to …path_end/."""
    forms = parse(action.text).forms
    form = next((f for f in forms if f.action.rstrip("/").endswith(path_end)), None)
    if form is None:
        last = action.hits[-1]
        raise BenchError(
            f"{action.label}: the page has no form posting to …{path_end}/.\n"
            f"  {last.method} {last.url} -> {last.status}\n"
            f"  page: {snippet(action.text)}"
        )
    return form


def sent_by(form: Form) -> str | None:
    """How the browser sends `form`: through htmx into its hx-target, or as a plain post."""
    return form.target if form.htmx else None


Act = Callable[..., Action]


def onboard(browser: Browser, plan: Plan, start: Form) -> Journey:
    """One onboarding as the bench walks it: every step, one validation error and one Back."""
    actions: list[Action] = []

    def act(label: str, method: str, path: str, **kwargs: Any) -> Action:
        action = browser.act(label, method, path, **kwargs)
        actions.append(action)
        return action

    i = plan.index
    page = start_onboarding(act, start)
    page = answer_zip(act, browser, page, plan.zipcode, preview=True)
    page = answer_utility(act, browser, page)
    form = form_to(page, "/about-home")
    answers = appliance_answers(form, i)
    refused = act(
        HOME_INVALID,
        "POST",
        form.action,
        data=form.values(home_name="", **answers),
        htmx=sent_by(form),
        expect_path=r"/about-home/$",
        expect_text="Enter a name for the home",
    )
    page = answer_home(act, refused, f"Bench home {i} in {plan.zipcode}", answers)

    back = parse(page.text).back_link
    if not back:
        raise BenchError(f"{HOME}: the solar page has no Back link.")
    page = act(BACK, "GET", back, expect_path=r"/about-home/$")
    form = form_to(page, "/about-home")
    page = act(
        HOME_AGAIN,
        "POST",
        form.action,
        data=form.values(),
        htmx=sent_by(form),
        expect_path=r"/solar/$",
    )
    page = answer_solar(act, page, solar_kw=f"{4 + i % 5}.6" if plan.solar else None)
    create_home(act, page)
    return Journey(plan=plan, actions=actions)


def start_onboarding(act: Act, start: Form) -> Action:
    """The dashboard's Start onboarding: the ZIP page."""
    return act(
        START,
        "POST",
        start.action,
        data=start.values(),
        htmx=sent_by(start),
        expect_path=rf"/{UUID}/zip/$",
    )


def answer_zip(act: Act, browser: Browser, page: Action, zipcode: str, *, preview: bool) -> Action:
    """The ZIP code (with the preview htmx asks for while it is typed): the utility page."""
    form = form_to(page, "/zip")
    if preview:
        act(
            PREVIEW,
            "GET",
            f"{browser.path()}?partial=preview&zipcode={zipcode}",
            htmx="zip-preview",
            expect_text=zipcode,
        )
    return act(
        ZIP,
        "POST",
        form.action,
        data=form.values(zipcode=zipcode),
        htmx=sent_by(form),
        expect_path=r"/utility/$",
    )


def answer_utility(act: Act, browser: Browser, page: Action) -> Action:
    """The first utility and its first known plan: the home page."""
    form = form_to(page, "/utility")
    utilities = form.options("utility")
    if not utilities:
        raise BenchError(f"{ZIP}: the utility page lists no utility.")
    answers = {"utility": utilities[0]}
    plans = form.options("plan")
    if not plans:
        # Several utilities: picking one asks for its plans (hx-get on the radio's change).
        fragment = act(
            PLANS,
            "GET",
            f"{browser.path()}?partial=plans&utility={utilities[0]}",
            htmx="plans",
            expect_text='name="plan"',
        )
        loose = parse(fragment.text).loose
        plans = loose.options("plan")
        answers.update(
            {name: value for kind, name, value, _c in loose.fields if kind == "hidden" and name}
        )
    answers["plan"] = next((p for p in plans if p != NOT_SURE), NOT_SURE)
    return act(
        UTILITY,
        "POST",
        form.action,
        data=form.values(**answers),
        htmx=sent_by(form),
        expect_path=r"/about-home/$",
    )


def appliance_answers(form: Form, i: int) -> dict[str, str]:
    """An answer to each appliance question, varied by `i`."""
    answers = {}
    for k, name in enumerate(APPLIANCES):
        options = form.options(name)
        if options:
            answers[name] = options[(i + k) % len(options)]
    if answers.get("has_ac") == "yes" and form.options("ac_type"):
        answers["ac_type"] = form.options("ac_type")[i % len(form.options("ac_type"))]
    return answers


def answer_home(act: Act, page: Action, name: str, answers: dict[str, str]) -> Action:
    """The home's name and appliances: the solar page."""
    form = form_to(page, "/about-home")
    return act(
        HOME,
        "POST",
        form.action,
        data=form.values(home_name=name, **answers),
        htmx=sent_by(form),
        expect_path=r"/solar/$",
    )


def answer_solar(act: Act, page: Action, *, solar_kw: str | None) -> Action:
    """Solar panels of `solar_kw` (net metered), or none: check answers."""
    form = form_to(page, "/solar")
    solar = (
        {"has_solar": "yes", "solar_size_kw": solar_kw, "solar_net_metered": "yes"}
        if solar_kw
        else {"has_solar": "no"}
    )
    return act(
        SOLAR,
        "POST",
        form.action,
        data=form.values(**solar),
        htmx=sent_by(form),
        expect_path=r"/check/$",
    )


def create_home(act: Act, page: Action) -> Action:
    """Check answers' Create home: the home page with its id."""
    form = form_to(page, "/submit")
    return act(
        SUBMIT,
        "POST",
        form.action,
        data=form.values(),
        htmx=sent_by(form),
        expect_path=r"/home/$",
        expect_text="ws_home_",
    )
