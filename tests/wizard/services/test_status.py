"""status.move: the one compare-and-set a status change is, its history, and no reloads."""

import re

import pytest
import responses
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.services import history
from onboarding.wizard.services.history import Action, Outcome
from onboarding.wizard.services.status import move
from tests.wizard import factories
from tests.wizard.pages import submit_url
from tests.wizard.upstream import add_created, add_price_signal, add_solar_ok

Status = Onboarding.Status


def test_a_move_updates_the_row_and_the_instance_from_what_it_wrote(installer: User) -> None:
    onboarding = factories.onboarding(installer)
    # Someone else writes the row after this instance was read.
    Onboarding.objects.filter(pk=onboarding.pk).update(home_name="Renamed meanwhile")

    with CaptureQueriesContext(connection) as queries:
        moved = move(onboarding, expected=[Status.DRAFT], to=Status.SUBMITTING, last_error="x")

    assert moved
    assert (onboarding.status, onboarding.last_error) == (Status.SUBMITTING, "x")
    # The instance holds the row as the UPDATE left it, read back in the same statement.
    assert onboarding.home_name == "Renamed meanwhile"
    statements = [query["sql"] for query in queries.captured_queries]
    assert [s.split()[0] for s in statements if "wizard_onboarding" in s] == ["UPDATE"]
    row = Onboarding.objects.get(pk=onboarding.pk)
    assert (row.status, row.last_error) == (Status.SUBMITTING, "x")


def test_a_move_from_a_status_the_row_has_left_changes_nothing(installer: User) -> None:
    onboarding = factories.onboarding(installer)
    Onboarding.objects.filter(pk=onboarding.pk).update(status=Status.COMPLETE)
    entry = history.event(Action.SUBMIT, Outcome.CLAIMED)

    assert not move(onboarding, expected=[Status.DRAFT], to=Status.SUBMITTING, events=[entry])

    assert onboarding.status == Status.DRAFT  # the instance is not touched either
    assert Onboarding.objects.get(pk=onboarding.pk).status == Status.COMPLETE
    assert not Event.objects.exists()


def test_a_move_writes_its_history_with_it_and_a_call_s_record_even_if_it_did_not_move(
    installer: User,
) -> None:
    onboarding = factories.onboarding(installer)
    claimed = history.event(Action.SUBMIT, Outcome.CLAIMED, by=installer)

    assert move(onboarding, expected=[Status.DRAFT], to=Status.SUBMITTING, events=[claimed])
    answered = history.event(Action.CREATE_HOME, Outcome.SUCCEEDED)
    assert not move(
        onboarding,
        expected=[Status.DRAFT],
        to=Status.COMPLETE,
        events=[answered],
        events_anyway=True,
    )

    assert factories.events(onboarding) == [("submit", "claimed"), ("homes/create", "succeeded")]


def test_the_guards_refuse_a_row_with_a_home_id_or_written_since(installer: User) -> None:
    onboarding = factories.onboarding(installer)
    seen = onboarding.updated_at
    Onboarding.objects.filter(pk=onboarding.pk).update(updated_at=timezone.now())

    assert not move(onboarding, expected=[Status.DRAFT], to=Status.SUBMITTING, unchanged_since=seen)
    Onboarding.objects.filter(pk=onboarding.pk).update(home_id="ws_home_1")
    assert not move(onboarding, expected=[Status.DRAFT], to=Status.SUBMITTING, without_home_id=True)
    assert Onboarding.objects.get(pk=onboarding.pk).status == Status.DRAFT


def _statements(queries: CaptureQueriesContext, table: str) -> list[str]:
    """The first word (SELECT, UPDATE, INSERT) of each statement on one table."""
    words = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if re.search(rf'\b"?{table}"?\b', sql):
            words.append(sql.split()[0].upper())
    return words


@pytest.mark.parametrize(
    ("has_solar", "updates"),
    [
        # The claim, then the home id saved with the move to complete.
        (False, ["UPDATE", "UPDATE"]),
        # The claim, the home id as soon as it is known, then complete after solar.
        (True, ["UPDATE", "UPDATE", "UPDATE"]),
    ],
)
def test_a_submit_reads_the_row_once_and_writes_each_move_once(
    installer_client: Client,
    installer: User,
    wattshift_api: responses.RequestsMock,
    has_solar: bool,
    updates: list[str],
) -> None:
    onboarding = factories.onboarding(
        installer,
        has_solar=has_solar,
        **({} if has_solar else {"solar_size_kw": None, "solar_net_metered": None}),
    )
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)
    add_price_signal(wattshift_api)

    with CaptureQueriesContext(connection) as queries:
        response = installer_client.post(submit_url(onboarding))

    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.status == Status.COMPLETE
    on_row = _statements(queries, "wizard_onboarding")
    assert on_row.count("SELECT") == 1
    assert [word for word in on_row if word != "SELECT"] == updates
    # The history: one insert per phase (the claim, each call's answer), never one per event.
    assert _statements(queries, "wizard_event").count("INSERT") == len(updates)
