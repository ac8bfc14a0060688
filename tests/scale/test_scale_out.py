"""Scaled out, as production runs it (conftest.py): what one server starts another finishes,
nothing is ever created twice whichever server or worker gets it, and losing a worker or Redis
loses nothing. Every count is read from the upstream's own request log and the databases."""

import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from bench.browser import Action, Browser, parse
from bench.journey import (
    UUID,
    answer_home,
    answer_solar,
    answer_utility,
    answer_zip,
    appliance_answers,
    create_home,
    form_to,
    start_onboarding,
)
from tests.scale.conftest import SUPPORT, Cluster, wait_for

pytestmark = pytest.mark.scale

ANSWER_LOST = "Test Answer Lost"  # the sandbox creates it, then its answer is lost (README)


def actor(browser: Browser) -> Callable[..., Action]:
    return lambda *args, **kwargs: browser.act(*args, floor=False, **kwargs)


def start(browser: Browser) -> Action:
    dashboard = browser.act("dashboard", "GET", "/", floor=False)
    form = next(f for f in parse(dashboard.text).forms if f.action.endswith("/new"))
    return start_onboarding(actor(browser), form)


def to_check_answers(
    browser: Browser, *, zipcode: str, name: str, solar_kw: str | None = None
) -> Action:
    """A whole draft, step by step: check answers, ready for Create home."""
    act = actor(browser)
    page = answer_utility(
        act, browser, answer_zip(act, browser, start(browser), zipcode, preview=False)
    )
    page = answer_home(act, page, name, appliance_answers(form_to(page, "/about-home"), 0))
    return answer_solar(act, page, solar_kw=solar_kw)


def public_id(browser: Browser) -> str:
    found = re.search(UUID, browser.path())
    assert found, browser.path()
    return found.group(0)


def onboarding_row(cluster: Cluster, reference: str) -> tuple[str, str]:
    [row] = cluster.app_rows(
        "SELECT status, home_id FROM wizard_onboarding WHERE public_id = %s", reference
    )
    return row


def created_named(cluster: Cluster, name: str) -> list[str]:
    """Homes the upstream created with this name."""
    return [
        row[0]
        for row in cluster.upstream_rows("SELECT id FROM sandbox_sandboxhome WHERE name = %s", name)
    ]


def post_at_once(
    posts: list[tuple[requests.Session, str, dict[str, str], str]],
) -> list[requests.Response]:
    """Each (session, url, data, origin) posted by its own thread, all released together."""
    barrier = threading.Barrier(len(posts))
    answers: list[Any] = [None] * len(posts)

    def send(
        i: int, session: requests.Session, url: str, data: dict[str, str], origin: str
    ) -> None:
        barrier.wait()
        answers[i] = session.post(
            url,
            data=data,
            headers={"HX-Request": "true", "HX-Target": "page", "Origin": origin},
            allow_redirects=False,
            timeout=60,
        )

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def same_person(browser: Browser) -> requests.Session:
    """Another connection of the same logged-in browser (its cookies)."""
    session = requests.Session()
    session.cookies.update(browser.session.cookies)
    return session


# A fresh database, prepared by `migrate` alone.


def test_a_database_made_by_migrate_alone_serves_every_page(cluster: Cluster) -> None:
    installer = cluster.browser(0)
    check = to_check_answers(installer, zipcode="95630", name="Every Page House")
    reference = public_id(installer)
    create_home(actor(installer), check)
    support = cluster.browser(1, SUPPORT)
    pages = [
        "/",
        "/?q=every+page",
        "/?status=complete",
        "/?plan_to_confirm=1",
        "/onboardings.csv",
        f"/onboardings/{reference}/home/",
        f"/onboardings/{reference}/change/",
        f"/onboardings/{reference}/resolve/",
        "/admin/",
        "/offline/",
        "/sw.js",
        "/healthz",
    ]
    for path in pages:
        answer = support.session.get(urljoin(cluster.servers[1], path), timeout=30)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])


# Servers share everything a person has started.


def test_a_draft_started_on_one_server_resumes_on_the_other(cluster: Cluster) -> None:
    on_first = cluster.browser(0)
    act = actor(on_first)
    page = answer_zip(act, on_first, start(on_first), "95630", preview=True)
    answer_utility(act, on_first, page)
    reference = public_id(on_first)

    on_second = Browser(cluster.servers[1], "/healthz")
    on_second.session = on_first.session  # the same person's browser, the other server
    resumed = on_second.act("resume", "GET", f"/onboardings/{reference}/", floor=False)

    assert on_second.path() == f"/onboardings/{reference}/about-home/"
    utility = on_second.act("utility", "GET", f"/onboardings/{reference}/utility/", floor=False)
    fields = form_to(utility, "/utility").fields
    chosen = {name: value for _kind, name, value, checked in fields if checked}
    assert chosen.get("utility") and chosen.get("plan"), chosen
    page = answer_home(actor(on_second), resumed, "Two Servers House", {})
    check = answer_solar(actor(on_second), page, solar_kw="5.6")
    for answer in ("95630", "Two Servers House", "5.6"):
        assert answer in check.text


# Exactly once, whichever server a Create home reaches.


def test_twenty_onboardings_each_sent_on_both_servers_at_once_make_twenty_homes(
    cluster: Cluster,
) -> None:
    installer = cluster.browser(0)
    drafts = []
    for i in range(20):
        check = to_check_answers(
            installer, zipcode="95630", name=f"Twin {i} House", solar_kw="4.2" if i % 2 else None
        )
        drafts.append((public_id(installer), form_to(check, "/submit")))

    posts = [
        (same_person(installer), urljoin(server, form.action), form.values(), server)
        for _reference, form in drafts
        for server in cluster.servers
    ]
    answers = post_at_once(posts)

    assert all(answer.status_code == 200 for answer in answers), [a.status_code for a in answers]
    home_ids = []
    for i, (reference, _form) in enumerate(drafts):
        status, home_id = onboarding_row(cluster, reference)
        assert status == "complete" and home_id
        assert created_named(cluster, f"Twin {i} House") == [home_id]
        home_ids.append(home_id)
    assert len(set(home_ids)) == 20


# One lookup per ZIP code, across processes, whichever cache.


@pytest.mark.parametrize("cache", ["redis", "database"])
def test_one_zip_looked_up_through_two_servers_at_once_asks_wattshift_once(
    cluster: Cluster, cache: str, request: pytest.FixtureRequest
) -> None:
    servers = (
        cluster.servers if cache == "redis" else request.getfixturevalue("database_cache_servers")
    )
    installer = cluster.browser(0)
    start(installer)
    zip_page = installer.path()
    misses = []
    for burst in range(20):
        # A new ZIP code each time (the sandbox serves none there: one call all the same).
        zipcode = f"{7 if cache == 'redis' else 8}{burst:04d}"
        posts_before = len(_lookups_of(cluster, zipcode))
        answers = _get_at_once(
            [
                (
                    same_person(installer),
                    urljoin(server, f"{zip_page}?partial=preview&zipcode={zipcode}"),
                )
                for server in servers
                for _ in range(3)
            ]
        )
        assert all(answer.status_code == 200 for answer in answers)
        calls = len(_lookups_of(cluster, zipcode)) - posts_before
        if calls != 1:
            misses.append((zipcode, calls))
    assert misses == [], f"ZIP codes not looked up exactly once: {misses}"


def _lookups_of(cluster: Cluster, zipcode: str) -> list[tuple[str, int]]:
    return [
        (body, status)
        for body, status in cluster.upstream_calls("utility/get")
        if json.loads(body or "{}").get("zipcode") == zipcode
    ]


def _get_at_once(gets: list[tuple[requests.Session, str]]) -> list[requests.Response]:
    barrier = threading.Barrier(len(gets))
    answers: list[Any] = [None] * len(gets)

    def send(i: int, session: requests.Session, url: str) -> None:
        barrier.wait()
        answers[i] = session.get(
            url, headers={"HX-Request": "true", "HX-Target": "zip-preview"}, timeout=30
        )

    threads = [threading.Thread(target=send, args=(i, *get)) for i, get in enumerate(gets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


# Workers.


def test_an_unknown_outcome_is_settled_once_by_whichever_worker_gets_it(cluster: Cluster) -> None:
    installer = cluster.browser(1)
    check = to_check_answers(installer, zipcode="94110", name=ANSWER_LOST)
    reference = public_id(installer)
    form = form_to(check, "/submit")
    page = installer.act(
        "Create home", "POST", form.action, data=form.values(), htmx="page", floor=False
    )
    assert "We could not confirm the home was created" in page.text

    _status, home_id = wait_for(
        "a worker to settle it",
        lambda: (row := onboarding_row(cluster, reference))[0] == "complete" and row,
    )

    assert created_named(cluster, ANSWER_LOST) == [home_id]
    adopted = cluster.app_rows(
        "SELECT count(*) FROM wizard_event e JOIN wizard_onboarding o ON o.id = e.onboarding_id"
        " WHERE o.public_id = %s AND e.action = 'reconcile' AND e.outcome = 'adopted'",
        reference,
    )
    assert adopted == [(1,)]
    health = requests.get(urljoin(cluster.servers[0], "/healthz"), timeout=10).json()
    assert health["worker"]["recent"] is True, health
    beating = {row[0] for row in cluster.app_rows("SELECT worker_id FROM wizard_workerheartbeat")}
    assert {"worker-1", "worker-2"} <= beating


def test_a_worker_killed_mid_check_loses_nothing(cluster: Cluster) -> None:
    installer = cluster.browser(0)
    zipcodes = ("92618", "92101", "78701", "02139")  # one lost answer in each: one match each
    references = []
    # Both workers wait while the creates are sent (each create's own look at the list fails,
    # as the sandbox arranges); then worker-1 alone starts checking, and dies mid-check.
    cluster.pause_worker("worker-1", True)
    cluster.pause_worker("worker-2", True)
    try:
        for zipcode in zipcodes:
            check = to_check_answers(installer, zipcode=zipcode, name=ANSWER_LOST)
            references.append(public_id(installer))
            form = form_to(check, "/submit")
            installer.act(
                "Create", "POST", form.action, data=form.values(), htmx="page", floor=False
            )
        cluster.pause_worker("worker-1", False)
        wait_for(
            "worker-1 to be running a check",
            lambda: cluster.app_rows(
                "SELECT id FROM django_tasks_database_dbtaskresult"
                " WHERE status = 'RUNNING' AND worker_ids::text LIKE '%%worker-1%%'"
            ),
            seconds=30,
        )
        cluster.kill_worker("worker-1")
    finally:
        cluster.pause_worker("worker-2", False)

    for reference in references:
        wait_for(
            f"onboarding {reference} to be settled by worker-2",
            lambda reference=reference: onboarding_row(cluster, reference)[0] == "complete",
        )
    recorded = sorted(onboarding_row(cluster, reference)[1] for reference in references)
    assert sorted(created_named(cluster, ANSWER_LOST)) == sorted(
        [*recorded, *_earlier_lost_homes(cluster, references)]
    )
    cluster.start_worker("worker-1")


def _earlier_lost_homes(cluster: Cluster, references: list[str]) -> list[str]:
    """Lost-answer homes recorded by onboardings other than these (an earlier test's)."""
    return [
        row[0]
        for row in cluster.app_rows(
            "SELECT home_id FROM wizard_onboarding"
            " WHERE home_name = %s AND NOT public_id::text = ANY(%s)",
            ANSWER_LOST,
            references,
        )
    ]


# Redis.


def test_with_redis_stopped_mid_run_the_wizard_still_completes(cluster: Cluster) -> None:
    installer = cluster.browser(0)
    act = actor(installer)
    page = answer_zip(act, installer, start(installer), "10001", preview=False)

    cluster.stop_redis()
    time.sleep(0.5)

    page = answer_utility(act, installer, page)
    page = answer_home(act, page, "No Redis House", {})
    check = answer_solar(act, page, solar_kw=None)
    home = create_home(act, check)
    reference = public_id(installer)
    assert onboarding_row(cluster, reference)[0] == "complete"
    assert created_named(cluster, "No Redis House") == [onboarding_row(cluster, reference)[1]]
    assert "ws_home_" in home.text
    logs = cluster.log("server-1") + cluster.log("server-2")
    assert "Cache unavailable" in logs
    assert "Internal Server Error" not in logs and " 500 " not in logs
