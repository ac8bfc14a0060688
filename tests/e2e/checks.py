"""What every page of the flow must pass: axe-core WCAG 2.1 A/AA, phone width, touch target size."""

import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
MIN_TARGET_PX = 44

_axe = Axe()


def assert_no_axe_violations(page: Page, where: str) -> None:
    """Run axe-core on the page as it is now; fail with a readable list of what it found."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS},
            "resultTypes": ["violations"],
        },
    )
    if results.violations_count:
        pytest.fail(
            f"axe-core found WCAG 2.1 A/AA violations on {where} ({page.url}):\n"
            + results.generate_report(),
            pytrace=False,
        )


# The box a person can tap for each visible interactive element. A radio or checkbox counts
# together with its label (tapping the label selects it); a link inside a sentence is exempt,
# as WCAG's "inline" exception says, because its size is set by the line of text around it.
_TARGETS_SCRIPT = """
() => {
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    if (r.right <= 0 || r.bottom <= 0) return false;
    return !el.closest(".visually-hidden");
  };
  const inSentence = (el) => {
    if (el.tagName !== "A") return false;
    const parent = el.parentElement;
    if (!parent || !["P", "LI", "TD", "DD", "SPAN"].includes(parent.tagName)) return false;
    const text = parent.textContent.replace(el.textContent, "").trim();
    return text.length > 0 && getComputedStyle(el).display === "inline";
  };
  const describe = (el) => {
    const labelled = el.labels && el.labels.length ? el.labels[0].innerText : "";
    const text = (labelled || el.innerText || el.getAttribute("aria-label") || "").trim();
    const id = el.id ? "#" + el.id : "";
    const type = el.type ? `[type=${el.type}]` : "";
    return `<${el.tagName.toLowerCase()}${id}${type}> "${text.slice(0, 40)}"`;
  };
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el) && !(el.type === "radio" || el.type === "checkbox")) continue;
    if (inSentence(el)) continue;
    let top = Infinity, bottom = -Infinity;
    const boxes = [el];
    if (el.type === "radio" || el.type === "checkbox") boxes.push(...el.labels);
    for (const box of boxes) {
      if (!visible(box)) continue;
      const r = box.getBoundingClientRect();
      top = Math.min(top, r.top);
      bottom = Math.max(bottom, r.bottom);
    }
    if (top === Infinity) continue;
    const height = Math.round((bottom - top) * 10) / 10;
    if (height < MIN) small.push(`${describe(el)} is ${height}px high`);
  }
  return small;
}
"""


# Each radio whose label starts below its circle (a long name wrapped under it, so the circle
# beside it looks empty): the label's text.
_LABELS_UNDER_THEIR_RADIO = """() => [...document.querySelectorAll(".radio")].filter((item) => {
    const input = item.querySelector("input"), label = item.querySelector("label");
    if (!input || !label || !label.getClientRects().length) return false;
    return label.getBoundingClientRect().top >= input.getBoundingClientRect().bottom;
}).map((item) => item.querySelector("label").textContent.trim())"""


def assert_fits_phone(page: Page, where: str) -> None:
    """At phone size: nothing scrolls sideways, every tap target is at least 44 px high, and
    each radio's label starts beside its circle."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    scroll_width, client_width = widths
    if scroll_width > client_width:
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
                .slice(0, 8)
                .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`)""",
            client_width,
        )
        pytest.fail(
            f"{where} ({page.url}) scrolls sideways at {client_width}px: scrollWidth is "
            f"{scroll_width}. Wider than the screen: {json.dumps(wide)}",
            pytrace=False,
        )
    small = page.evaluate(_TARGETS_SCRIPT.replace("MIN", str(MIN_TARGET_PX)))
    if small:
        pytest.fail(
            f"{where} ({page.url}) has touch targets under {MIN_TARGET_PX}px high:\n  "
            + "\n  ".join(small),
            pytrace=False,
        )
    if under := page.evaluate(_LABELS_UNDER_THEIR_RADIO):
        pytest.fail(
            f"{where} ({page.url}) has radio labels under their circle: {json.dumps(under)}",
            pytrace=False,
        )


def assert_page_ok(page: Page, where: str, *, axe: bool = True, axe_on_phone: bool = False) -> None:
    """Axe at the current size, then the phone checks at 375x667, then back to the size it had.

    axe_on_phone runs axe again at phone size (the walk through every page does). Pass
    axe=False where JavaScript is disabled: axe-core's run never settles there (the page's
    timers do not fire); the same markup is checked by axe in the scripted tests.
    """
    if axe:
        assert_no_axe_violations(page, where)
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        assert_fits_phone(page, where)
        if axe and axe_on_phone:
            assert_no_axe_violations(page, where + " at phone size")
    finally:
        if size:
            page.set_viewport_size(size)


def press_tab_until(
    page: Page, target: Locator, *, backwards: bool = False, limit: int = 40
) -> None:
    """Move focus with Tab (or Shift+Tab) until `target` has it, as a keyboard user does."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if target.evaluate("(el) => el === document.activeElement"):
            return
        page.keyboard.press(key)
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
    pytest.fail(
        f"{key} pressed {limit} times never reached {target}; focus is on {focused}",
        pytrace=False,
    )


def expect_error_page(page: Page, *messages: str, focused: bool = True) -> None:
    """A form with errors: title starts "Error: ", the summary (focused when scripts run) links
    to each field that has an error."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    if focused:
        expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    for message in messages:
        expect(links.filter(has_text=message).first).to_be_visible()
    for href in [link.get_attribute("href") or "" for link in links.all()]:
        assert href.startswith("#"), f"the summary link to {href!r} leaves the page"
        expect(page.locator(f"[id='{href[1:]}']")).to_have_count(1)
