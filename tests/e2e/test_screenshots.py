"""`make screenshots` (SCREENSHOTS=1): a PNG of every step at desktop and phone size, for review."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.e2e import wizard_flow as flow
from tests.e2e.checks import DESKTOP, PHONE
from tests.e2e.wizard_flow import Home

SCREENSHOTS_DIR = Path(settings.BASE_DIR) / "screenshots"

pytestmark = pytest.mark.skipif(
    os.environ.get("SCREENSHOTS", "") in {"", "0"},
    reason="screenshots are taken only with SCREENSHOTS=1 (make screenshots)",
)


class Camera:
    def __init__(self, page: Page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def __call__(self, page: Page, where: str) -> None:
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", where.lower()).strip("-")
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            path = self.folder / f"{self.count:02d}-{slug}-{size_name}.png"
            page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(DESKTOP)


def test_screenshots_of_every_step(installer_page: Page) -> None:
    page = installer_page
    camera = Camera(page, SCREENSHOTS_DIR)
    home = Home()

    flow.start(page, camera)
    flow.continue_(page)
    expect(page.locator("[data-error-summary]")).to_be_visible()
    camera(page, "ZIP code with an error")
    flow.answer_zip(page, home, camera)
    flow.answer_utility(page, home, camera)
    flow.continue_(page)
    expect(page.locator("[data-error-summary]")).to_be_visible()
    camera(page, "home step with errors")
    flow.answer_home(page, home, camera)
    flow.choose(page, flow.SOLAR_QUESTION, "Yes")
    page.get_by_label(flow.SOLAR_SIZE_LABEL).fill("-1")
    flow.continue_(page)
    expect(page.locator("[data-error-summary]")).to_be_visible()
    camera(page, "solar step with errors")
    flow.answer_solar(page, home, camera)
    home_id = flow.create_home(page, camera)
    flow.expect_home_page(page, home, home_id)
    page.get_by_text("Show the prices as a table").click()
    camera(page, "home page")
    page.get_by_role("link", name="All onboardings", exact=True).click()
    camera(page, "dashboard with the home")

    page.goto("/")
    page.get_by_role("button", name="Log out").click()
    camera(page, "login")
    assert len(list(SCREENSHOTS_DIR.glob("*.png"))) == camera.count * 2
