"""The support issue's acceptance in the browser: a lost answer settled by the background
worker with no click, and WattShift refusing a name shown at the name question."""

import threading
from collections.abc import Iterator

import pytest
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Page, expect

from onboarding.sandbox.models import SandboxHome
from onboarding.wizard.management.commands.worker import beat
from tests.e2e import wizard_flow as flow
from tests.e2e.checks import assert_page_ok
from tests.e2e.wizard_flow import Home


@pytest.fixture
def background_worker() -> Iterator[None]:
    """The task worker, as `manage.py worker` runs it, in a thread of this process (the live
    server's database is this process's): due tasks every half second, and its heartbeat."""
    stopped = threading.Event()

    def work() -> None:
        while not stopped.wait(0.5):
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="e2e-worker",
                excluded_queue_names=[],
            ).run()
            beat("e2e-worker")
            close_old_connections()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    stopped.set()
    thread.join(timeout=10)


def test_a_lost_answer_is_settled_by_the_worker_with_no_click(
    installer_page: Page, background_worker: None
) -> None:
    page = installer_page
    home = Home(name="Test Answer Lost", solar_kw=None)
    flow.answer_through(page, home, flow.answer_solar)
    page.get_by_role("button", name="Create home").click()

    # The create's answer was lost and the first look at WattShift's list failed too.
    expect(flow.heading(page)).to_have_text("We could not confirm the home was created")
    expect(page.get_by_text("checked again automatically")).to_be_visible()
    assert_page_ok(page, "home page while the background check runs")

    # Nobody clicks: the worker finds the home and the page updates itself.
    expect(flow.heading(page)).to_have_text("Home created", timeout=20_000)
    [created] = SandboxHome.objects.all()
    expect(page.locator("#home-id")).to_have_text(created.id)
    assert len(flow.received("homes/create")) == 1
    page.get_by_text("History").click()
    expect(page.locator("ol.history")).to_contain_text(
        "Found in WattShift's list and recorded automatically"
    )


def test_a_name_wattshift_refuses_is_shown_at_the_name_question(installer_page: Page) -> None:
    page = installer_page
    home = Home(name="Test Name Refused", solar_kw=None)
    flow.answer_through(page, home, flow.answer_solar)
    page.get_by_role("button", name="Create home").click()

    # Back on check answers, with WattShift's word and a way to the question.
    expect(flow.heading(page)).to_have_text(flow.CHECK_HEADING)
    refused = page.locator("#last-error")
    expect(refused).to_contain_text("This name is not accepted by WattShift")
    refused.get_by_role("link", name="Change Home name").click()

    # At the question: WattShift's message as the field's error.
    expect(page.get_by_label("Home name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_contain_text("This name is not accepted by WattShift")
    assert_page_ok(page, "home step with WattShift's refusal")
    page.get_by_label("Home name").fill("Rivera residence, 12 Oak St")
    flow.continue_(page)
    flow.create_home(page)

    assert SandboxHome.objects.count() == 1
    assert SandboxHome.objects.get().name == "Rivera residence, 12 Oak St"
