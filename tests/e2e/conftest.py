"""Real-browser tests: Debian's Chromium, driven by Playwright, against the live server.

The upstream is the sandbox inside that same live server. Without Chromium these tests are
skipped with a loud notice; with E2E_REQUIRED=1 (set by .ci/run) a missing Chromium fails them,
so CI always runs them.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from playwright.sync_api import (
    Browser,
    BrowserContext,
    BrowserType,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from onboarding.accounts.roles import SUPPORT_GROUP

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Every wait in these tests is short: the app and its sandbox run on this machine.
EXPECT_TIMEOUT_MS = 5_000
ACTION_TIMEOUT_MS = 10_000
INSTALLER_PASSWORD = "pw-ina-12345"
SUPPORT_PASSWORD = "pw-sam-12345"

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def find_chromium() -> str | None:
    """Debian's Chromium: $CHROMIUM_PATH if set, else /usr/bin/chromium or `chromium` on PATH."""
    chosen = os.environ.get("CHROMIUM_PATH", "").strip()
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def e2e_required() -> bool:
    return os.environ.get("E2E_REQUIRED", "").strip().lower() in {"1", "true", "yes", "on"}


CHROMIUM = find_chromium()
SKIP_REASON = (
    "Chromium not found (/usr/bin/chromium or `chromium` on PATH): browser tests NOT run. "
    "Install it with `apt-get install chromium`."
)


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    e2e_items = [item for item in items if _is_e2e(item)]
    for item in e2e_items:
        item.add_marker(pytest.mark.e2e)
        if CHROMIUM is None and not e2e_required():
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
    config.stash[_E2E_COUNT] = len(e2e_items)


_E2E_COUNT = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    count = config.stash.get(_E2E_COUNT, 0)
    if not count:
        return
    if CHROMIUM is None and not e2e_required():
        terminalreporter.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.write_line(f"{count} browser tests were SKIPPED. {SKIP_REASON}", red=True)
        terminalreporter.write_line(
            "CI sets E2E_REQUIRED=1, which turns this skip into a failure.", red=True
        )
        return
    outcomes: dict[str, list[str]] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if nodeid.startswith("tests/e2e/") and (outcome != "passed" or report.when == "call"):
                outcomes.setdefault(outcome, []).append(nodeid)
    passed = outcomes.get("passed", [])
    no_js = sum("without_javascript" in nodeid for nodeid in passed)
    keyboard = sum("keyboard" in nodeid for nodeid in passed)
    problems = len(outcomes.get("failed", [])) + len(outcomes.get("error", []))
    terminalreporter.write_line(
        f"Browser tests in Chromium ({CHROMIUM or 'NOT FOUND'}): {len(passed)} ran and passed "
        f"({no_js} of them without JavaScript, {keyboard} by keyboard only); "
        f"{problems} did not pass; {len(outcomes.get('skipped', []))} skipped.",
        green=not problems,
        red=bool(problems),
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if CHROMIUM is None:
        pytest.fail(f"E2E_REQUIRED is set and {SKIP_REASON}", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    """Started for the browser tests and stopped right after them, not at the end of the run:
    while it runs, its event loop counts as running in this thread, and Django refuses the ORM
    to the tests that follow (SynchronousOnlyOperation)."""
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="package")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def browser(
    browser_type: BrowserType, browser_type_launch_args: dict[str, Any]
) -> Iterator[Browser]:
    browser = browser_type.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(base_url: str) -> dict[str, Any]:
    return {"base_url": base_url, "viewport": {"width": 1280, "height": 800}, "locale": "en-US"}


@pytest.fixture
def new_browser_context(new_context: Any) -> Any:
    """new_context(**options), with actions that give up after a few seconds, not thirty."""

    def make(**options: Any) -> BrowserContext:
        context: BrowserContext = new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        return context

    return make


@pytest.fixture
def context(new_browser_context: Any) -> BrowserContext:
    return new_browser_context()


@pytest.fixture(scope="package", autouse=True)
def orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running in this thread, so Django would refuse
    the ORM here (SynchronousOnlyOperation). Allowed while the browser tests run, not for the
    whole process: other tests' subprocesses would inherit it (`check --deploy` rejects it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(autouse=True)
def upstream_is_the_live_sandbox(
    transactional_db: None,
    live_server: LiveServer,
    settings: Settings,
) -> Iterator[LiveServer]:
    """The app under test is the live server, and its upstream is the sandbox inside it."""
    settings.SANDBOX_ENABLED = True
    settings.WS_USING_SANDBOX = True
    settings.WS_API_URL = live_server.url + "/sandbox"
    settings.WS_API_KEY = settings.WS_SANDBOX_API_KEY
    settings.WS_API_AUTH = "api-key"
    settings.WS_API_TIMEOUT = 2.0
    settings.WS_SANDBOX_SLOW_SECONDS = 3.0
    settings.WS_RECONCILE_GRACE_SECONDS = 0  # "Test Create Fail": no match means safe at once
    # Hashing each test user's password the production way costs a second per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The database cache outlives the flush between tests: no ZIP lookup leaks from one to the next.
    cache.clear()
    ensure_support_group()
    yield live_server
    cache.clear()


def ensure_support_group() -> Group:
    """The migration makes this group, but the flush after each live-server test removes it."""
    content_type = ContentType.objects.get_or_create(app_label="wizard", model="onboarding")[0]
    permission = Permission.objects.get_or_create(
        content_type=content_type,
        codename="support",
        defaults={"name": "Support staff: see and resolve everyone's onboardings"},
    )[0]
    group = Group.objects.get_or_create(name=SUPPORT_GROUP)[0]
    group.permissions.add(permission)
    return group


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Pages are opened by path (page.goto("/")) on the live server."""
    return live_server.url


def log_in(page: Page, username: str, password: str) -> None:
    """Sign in through the login page, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")


@pytest.fixture
def installer_page(page: Page, installer: User) -> Page:
    log_in(page, installer.get_username(), INSTALLER_PASSWORD)
    return page
