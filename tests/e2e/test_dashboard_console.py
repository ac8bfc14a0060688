"""The support console in Chromium: filters, the CSV download, one line per onboarding at a
desk's width, and the phone layout and axe on the filtered and erroneous dashboard."""

import csv
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from onboarding.wizard.models import Onboarding
from tests.e2e.checks import DESKTOP, assert_page_ok
from tests.e2e.conftest import SUPPORT_PASSWORD, ensure_support_group, log_in
from tests.wizard import factories

FORMULA_STARTS = ("=", "+", "-", "@")


def _support(page: Page) -> User:
    support = User.objects.create_user("sam", password=SUPPORT_PASSWORD, first_name="Sam")
    support.groups.add(ensure_support_group())
    log_in(page, support.get_username(), SUPPORT_PASSWORD)
    return support


def _twenty_onboardings(installer: User) -> None:
    """A page of onboardings as support sees them: every status, long ids, drafts not yet named
    (named by place and time), plans to confirm, and the longest status there is."""
    other = User.objects.create_user("marisol.vasquez", password="pw-mv-12345")
    for number in range(20):
        owner = other if number % 3 else installer
        kind = number % 5
        factories.onboarding(
            owner,
            through="zip" if kind == 0 else "solar",
            home_name="" if kind == 0 else f"Ramírez residence, {number} Oak St",
            zipcode="95630",
            status=["draft", "complete", "home_created", "needs_attention", "draft"][kind],
            home_id=f"ws_home_{number:02d}2bf116590a1a" if kind in (1, 2) else "",
            plan_to_confirm=number % 4 == 0,
            last_error="WattShift refused the request." if kind == 4 else "",
        )


def test_support_filters_the_list_and_downloads_exactly_it(
    page: Page, installer: User, tmp_path: Path
) -> None:
    onboarded = ['=HYPERLINK("http://evil")', "@SUM(1)", "-2+3", "Maple House"]
    for number, name in enumerate(onboarded):
        factories.onboarding(
            installer, home_name=name, status="complete", home_id=f"ws_home_{number}"
        )
    factories.onboarding(installer, home_name="Draft House")
    factories.onboarding(installer, home_name="Stuck House", status="needs_attention")
    _support(page)

    page.get_by_label("Status", exact=True).select_option(label="Onboarded")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.onboardings tbody tr")
    expect(rows).to_have_count(len(onboarded))
    expect(page.get_by_label("Status", exact=True)).to_have_value("complete")
    assert_page_ok(page, "the dashboard filtered to Onboarded")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this list (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("onboardings-")
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    with saved.open(newline="", encoding="utf-8-sig") as file:
        lines = list(csv.reader(file))
    header, *body = lines
    assert header[:2] == ["Home id", "Home name"]
    assert sorted(line[0] for line in body) == [f"ws_home_{n}" for n in range(len(onboarded))]
    assert sorted(line[1] for line in body) == sorted(
        f"'{name}" if name.startswith(FORMULA_STARTS) else name for name in onboarded
    )
    assert {line[5] for line in body} == {"Onboarded"}
    for line in lines:
        for cell in line:
            assert not cell.startswith(FORMULA_STARTS), line


# For each row: its height, the height of one line of it (the line of text or the 44 px tap
# target, whichever is taller, plus the cell's padding), and each cell whose contents do not all
# sit on one line (some box of it entirely above or below another).
_ROWS_SCRIPT = """
() => [...document.querySelectorAll("table.onboardings tbody tr")].map((row) => {
  const cell = getComputedStyle(row.cells[0]);
  const padding = parseFloat(cell.paddingTop) + parseFloat(cell.paddingBottom);
  const line = Math.max(parseFloat(cell.lineHeight), 44) + padding;
  const wrapped = [];
  for (const td of row.cells) {
    const range = document.createRange();
    range.selectNodeContents(td);
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const apart = boxes.some((a) => boxes.some((b) => a.bottom <= b.top + 1));
    if (apart) wrapped.push(`${td.dataset.label || "actions"}: ${td.innerText.trim()}`);
  }
  const actions = [...row.querySelectorAll(".onboardings__actions a")].map((a) => {
    const r = a.getBoundingClientRect();
    return [r.left, r.top];
  });
  return { height: row.getBoundingClientRect().height, line, wrapped, actions };
})
"""


def test_at_a_desk_each_onboarding_is_one_line(page: Page, installer: User) -> None:
    _twenty_onboardings(installer)
    page.set_viewport_size(DESKTOP)
    _support(page)
    expect(page.locator("table.onboardings tbody tr")).to_have_count(20)
    expect(page.get_by_text("Plan to confirm", exact=True).first).to_be_visible()

    rows = page.evaluate(_ROWS_SCRIPT)
    for number, row in enumerate(rows):
        assert row["height"] < 2 * row["line"], (number, row)
        assert not row["wrapped"], (number, row["wrapped"])
    # Resume and Discard side by side; every row's first action starts where the others' do.
    assert {round(row["actions"][0][0]) for row in rows} == {round(rows[0]["actions"][0][0])}
    for row in rows:
        assert len({round(top) for _, top in row["actions"]}) == 1, row
    assert any(len(row["actions"]) == 2 for row in rows)

    widths = page.evaluate(
        """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
                  document.querySelector(".table-wrap").scrollWidth,
                  document.querySelector(".table-wrap").clientWidth]"""
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths
    # The same page at 375 px: stacked rows, no sideways scroll, 44 px targets, and axe.
    assert_page_ok(page, "support's dashboard with 20 onboardings", axe_on_phone=True)


def test_the_filters_with_an_error_are_accessible(page: Page, installer: User) -> None:
    _twenty_onboardings(installer)
    _support(page)
    today = timezone.localdate()
    page.get_by_label("Search", exact=True).fill("ramirez oak")
    page.get_by_label("Installer").select_option(label="marisol.vasquez")
    page.get_by_label("Only plans to confirm").check()
    page.get_by_label("Created from").fill(today.isoformat())
    page.get_by_label("Created to").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Search").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    message = "The created to date must be the same as or after the created from date"
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page).to_have_title("Error: Onboardings – WattShift onboarding")
    # What was chosen is kept, and the filters without an error still apply.
    expect(page.get_by_label("Created to")).to_have_value((today - timedelta(days=1)).isoformat())
    expect(page.get_by_label("Only plans to confirm")).to_be_checked()
    expected = Onboarding.objects.filter(
        owner__username="marisol.vasquez", plan_to_confirm=True, home_name__contains="Oak"
    ).count()
    expect(page.locator("table.onboardings tbody tr")).to_have_count(expected)
    assert_page_ok(page, "the dashboard with filters and a date error", axe_on_phone=True)

    summary.get_by_role("link", name=message).click()
    expect(page.get_by_label("Created to")).to_be_focused()
    page.get_by_label("Created to").fill(today.isoformat())
    page.get_by_role("button", name="Search").click()
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    assert_page_ok(page, "the dashboard's search results with every filter")
