"""Two submissions of the same draft at the same moment, in two threads with their own
database connections: the database, not the browser, lets exactly one of them through.

On PostgreSQL each thread opens its own connection, as two web workers would. The in-memory
SQLite test database answers "table is locked" at once instead of waiting its turn, so on
SQLite the threads run on a file copy of it (where SQLite waits for locks, as in production)
and the result is copied back. Run against PostgreSQL too:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/onboarding
"""

import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
import responses
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connection, connections
from requests import PreparedRequest

from onboarding.wizard import selectors
from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import reconciliation, resolution, submission
from tests.wizard import factories
from tests.wizard.upstream import HOME_ID, calls_to, url

Status = Onboarding.Status
SolarStatus = Onboarding.SolarStatus
THREADS = 2


def slow(answer: str, seconds: float = 0.3) -> Callable[[PreparedRequest], tuple]:
    """An upstream that takes a while, so the other thread arrives while the call is open."""

    def respond(request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        time.sleep(seconds)
        return 200, {"Content-Type": "application/json"}, answer

    return respond


def at_the_same_moment(action: Callable[[], Onboarding]) -> list[Onboarding | BaseException]:
    """Run `action` in THREADS threads released together, each on its own database connection;
    each returns or raises."""
    barrier = threading.Barrier(THREADS)
    results: list[Onboarding | BaseException] = []
    lock = threading.Lock()
    main = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the thread-local proxy
    on_file = main.vendor == "sqlite" and main.is_in_memory_db()

    with tempfile.TemporaryDirectory() as folder:
        copy = str(Path(folder) / "concurrency.sqlite3")

        def run() -> None:
            if on_file:
                settings_dict = {**main.settings_dict, "NAME": copy}
                connections[DEFAULT_DB_ALIAS] = type(main)(settings_dict, DEFAULT_DB_ALIAS)
            try:
                barrier.wait(timeout=10)
                result: Onboarding | BaseException = action()
            except BaseException as error:
                result = error
            finally:
                connection.close()  # this thread's own connection
            with lock:
                results.append(result)

        if on_file:
            main.ensure_connection()
            with closing(sqlite3.connect(copy)) as target:
                main.connection.backup(target)
        threads = [threading.Thread(target=run) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        if on_file:
            with closing(sqlite3.connect(copy)) as source:
                source.backup(main.connection)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_create_exactly_one_home(
    installer: User, other_installer: User, wattshift_api: responses.RequestsMock
) -> None:
    draft = factories.onboarding(installer)
    wattshift_api.add_callback(
        responses.POST, url("homes/create"), callback=slow(f'{{"id": "{HOME_ID}"}}')
    )
    wattshift_api.add_callback(
        responses.POST, url("homes/solar/create"), callback=slow(f'{{"homeId": "{HOME_ID}"}}')
    )
    people = iter([installer, other_installer])

    def submit() -> Onboarding:
        # Each thread loads its own copy, as two requests would: both see a draft.
        mine = Onboarding.objects.get(pk=draft.pk)
        return submission.submit_onboarding(onboarding=mine, by=next(people))

    results = at_the_same_moment(submit)

    assert [r for r in results if isinstance(r, BaseException)] == []
    assert len(calls_to(wattshift_api, "homes/create")) == 1
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1
    draft.refresh_from_db()
    assert draft.status == Status.COMPLETE
    assert draft.home_id == HOME_ID
    assert draft.events.filter(action="submit", outcome="claimed").count() == 1
    assert draft.events.filter(action="homes/create").count() == 1
    # The one that lost saw the other's submission, in flight or done; never a second draft.
    assert {r.status for r in results} <= {Status.SUBMITTING, Status.COMPLETE}


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_solar_retries_add_solar_once(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    home_created = factories.onboarding(installer, status=Status.HOME_CREATED, home_id=HOME_ID)
    wattshift_api.add_callback(
        responses.POST, url("homes/solar/create"), callback=slow(f'{{"homeId": "{HOME_ID}"}}')
    )

    def retry() -> Onboarding:
        mine = Onboarding.objects.get(pk=home_created.pk)
        return submission.submit_onboarding(onboarding=mine, by=installer)

    results = at_the_same_moment(retry)

    assert [r for r in results if isinstance(r, BaseException)] == []
    assert calls_to(wattshift_api, "homes/create") == []
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1
    home_created.refresh_from_db()
    assert home_created.status == Status.COMPLETE
    assert home_created.solar_status == SolarStatus.ADDED


@pytest.mark.django_db(transaction=True)
def test_support_resolving_while_automatic_reconcile_runs_adopts_one_id(
    installer: User, other_installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """The automatic check and a person decide at once: only one decision is applied."""
    stuck = factories.onboarding(
        installer,
        status=Status.NEEDS_ATTENTION,
        has_solar=False,
        solar_size_kw=None,
        solar_net_metered=None,
    )
    listed = (
        f'[{{"id": "ws_home_listed", "name": "{stuck.home_name}", "zipcode": "{stuck.zipcode}",'
        f' "utilityId": "{stuck.utility_id}", "ratePlanId": "{stuck.rate_plan_id}"}}]'
    )
    wattshift_api.add_callback(responses.POST, url("homes/list"), callback=slow(listed, 0.2))
    actions = iter(
        [
            lambda mine: reconciliation.reconcile_onboarding(onboarding=mine, by=None),
            lambda mine: resolution.resolve_with_home_id(
                onboarding=mine,
                home_id="ws_home_typed",
                by=other_installer,
                check=selectors.HomeIdCheck(home_id="ws_home_typed", search=None),
                checked_by_hand=True,
            ),
        ]
    )

    def decide() -> Onboarding:
        action = next(actions)
        mine = Onboarding.objects.get(pk=stuck.pk)
        return action(mine)

    results = at_the_same_moment(decide)

    stuck.refresh_from_db()
    assert stuck.status == Status.COMPLETE
    assert stuck.home_id in {"ws_home_listed", "ws_home_typed"}
    decisions = stuck.events.filter(action__in=["reconcile", "resolve_with_home_id"]).exclude(
        outcome="skipped"
    )
    assert [e.outcome for e in decisions] in (["adopted"], ["recorded_without_list"])
    # Whoever came second was told it no longer needed attention, or found it resolved.
    errors = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, resolution.CannotResolve) for e in errors)
