"""With htmx, Continue is one request that answers with the next page, and the page then feels
like a full load: its title, the top of the page, focus on its heading."""

from collections.abc import Callable

from playwright.sync_api import Page, Request, expect

from tests.e2e import wizard_flow as flow
from tests.e2e.checks import PHONE
from tests.e2e.wizard_flow import Home


def continue_to(page: Page, heading: str, title: str) -> tuple[list[Request], bool]:
    """Press Continue, scrolled to the bottom as on a phone; the next page is shown as a full
    load would show it. Returns the requests the page sent on the way, and whether the page
    was scrolled down (a short page cannot be)."""
    sent: list[Request] = []

    def record(request: Request) -> None:
        # Chromium asks for the tab's icon again when the address changes; not the page's doing.
        if not request.url.endswith("/favicon.svg"):
            sent.append(request)

    button = page.get_by_role("button", name="Continue")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    scrolled = page.evaluate("window.scrollY") > 0
    page.on("request", record)
    button.click()
    h1 = flow.heading(page)
    expect(h1).to_have_text(heading)
    if h1.evaluate("(h1) => h1.closest('fieldset') !== null"):
        # A question as the heading is in its radio group's legend: <main> is focused instead.
        expect(page.get_by_role("main")).to_be_focused()
    else:
        expect(h1).to_be_focused()
    expect(page).to_have_title(f"{title} – WattShift onboarding")
    assert page.evaluate("window.scrollY") == 0
    page.remove_listener("request", record)
    return sent, scrolled


def test_each_continue_is_one_request_and_lands_on_the_next_heading(installer_page: Page) -> None:
    page = installer_page
    page.set_viewport_size(PHONE)
    home = Home(solar_kw=None)
    flow.start(page)
    page.get_by_label(flow.ZIP_LABEL).fill(home.zipcode)
    expect(page.locator("#zip-preview")).to_contain_text(f"ZIP code {home.zipcode}")

    def pick_plan() -> None:
        flow.plan_radio(page, home.plan).check()

    def name_home() -> None:
        page.get_by_label("Home name").fill(home.name)

    def no_solar() -> None:
        flow.choose(page, flow.SOLAR_QUESTION, "No")

    steps: list[tuple[str, str, Callable[[], None] | None]] = [
        ("Utility and rate plan", "Utility and rate plan", pick_plan),
        ("About the home", "About the home", name_home),
        (flow.SOLAR_QUESTION, "Solar panels", no_solar),
        (flow.CHECK_HEADING, flow.CHECK_HEADING, None),
    ]
    scrolled = []
    for heading, title, answer in steps:
        url = page.url
        sent, was_scrolled = continue_to(page, heading, title)
        scrolled.append(was_scrolled)
        [request] = sent
        assert (request.method, request.url) == ("POST", url)
        assert request.headers.get("hx-request") == "true"
        if answer:
            answer()
    assert page.url.endswith("/check/")
    assert any(scrolled), "no page was long enough to scroll: the top-of-page check proved nothing"


def test_what_is_typed_the_moment_a_page_appears_is_heard(installer_page: Page) -> None:
    """A page htmx swaps in is wired up as it appears: a ZIP code typed at once, before any
    timer could run, still brings its preview (with htmx's 20 ms settle delay it was lost)."""
    page = installer_page
    home = Home()
    page.goto("/")
    page.evaluate(
        """(zipcode) => document.addEventListener("htmx:afterSwap", () => setTimeout(() => {
            const field = document.querySelector("input[name=zipcode]");
            if (field && !field.value) {
                field.value = zipcode;
                field.dispatchEvent(new Event("input", {bubbles: true}));
            }
        }, 0))""",
        home.zipcode,
    )
    page.get_by_role("button", name="Start onboarding").click()
    expect(page.locator("#zip-preview")).to_contain_text(f"ZIP code {home.zipcode}")


# After the page htmx swaps in, what the live region is given (it stays: it is outside #page).
HEAR_WHAT_IS_SAID_AFTER_THE_SWAP = """() => {
    window.saidAfterSwap = null;
    document.addEventListener("htmx:afterSwap", (event) => {
        if (event.detail.target.id !== "page" || window.saidAfterSwap !== null) {
            return;
        }
        const live = document.getElementById("live-region");
        window.saidAfterSwap = [];
        new MutationObserver(() => window.saidAfterSwap.push(live.textContent))
            .observe(live, {childList: true, characterData: true, subtree: true});
    });
}"""


def test_a_wait_already_over_is_not_announced_on_the_next_page(installer_page: Page) -> None:
    """The busy words ("Saving…") are said 50 ms after the button is pressed; a save answered
    sooner is not announced at all, rather than announced over the page that followed it.

    The page's clock stands still from the press until the next page is in, so the save is
    always answered "sooner", however slow the server; then 200 ms pass."""
    page = installer_page
    home = Home(solar_kw=None)
    page.clock.install()

    def listen_on_the_home_step(page: Page, name: str) -> None:
        if name == "home step":
            page.evaluate(HEAR_WHAT_IS_SAID_AFTER_THE_SWAP)
            page.clock.pause_at(page.evaluate("Date.now()") + 1)

    flow.answer_through(page, home, flow.answer_utility)
    flow.answer_home(page, home, check=listen_on_the_home_step)
    page.clock.run_for(200)  # longer than the announcement's 50 ms
    assert page.evaluate("window.saidAfterSwap") == []
