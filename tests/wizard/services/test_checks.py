"""The background check (services/checks.py, tasks.py, `manage.py worker`): an unknown outcome
is settled without a person, never by sending the create again."""

from datetime import timedelta

import pytest
import requests
import responses
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from onboarding.wizard import selectors
from onboarding.wizard.models import Onboarding, WorkerHeartbeat
from onboarding.wizard.selectors.upstream import HOMES_CACHE_KEY
from onboarding.wizard.services import checks, submission
from tests.wizard import factories
from tests.wizard.upstream import add_solar_ok, calls_to, listed_home, url

Status = Onboarding.Status


@pytest.fixture(autouse=True)
def grace(settings: Settings) -> None:
    settings.WS_RECONCILE_GRACE_SECONDS = 20


def _due_now(onboarding: Onboarding) -> None:
    """Pretend the check's time has come (and the grace period has passed since the create)."""
    long_ago = timezone.now() - timedelta(minutes=5)
    Onboarding.objects.filter(pk=onboarding.pk).update(
        next_check_at=timezone.now(), submitted_at=long_ago
    )
    onboarding.events.update(at=long_ago)


def test_an_unknown_create_schedules_a_check_once_the_grace_period_has_passed(
    installer: User,
    wattshift_api: responses.RequestsMock,
    django_capture_on_commit_callbacks,
) -> None:
    onboarding = factories.onboarding(installer)
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(responses.POST, url("homes/list"), json=[])

    with django_capture_on_commit_callbacks(execute=True):
        result = submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    result.refresh_from_db()
    assert result.next_check_at is not None
    assert result.next_check_at - result.submitted_at >= timedelta(seconds=20)
    [queued] = DBTaskResult.objects.all()
    assert queued.task_result.args == [onboarding.pk] and queued.run_after == result.next_check_at


def test_a_check_that_finds_the_one_home_records_it_and_tells_the_installer(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    _due_now(needs_attention)
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_late")]
    )
    add_solar_ok(wattshift_api, "ws_home_late")

    assert checks.run_check(onboarding_id=needs_attention.pk) == "settled: complete"

    needs_attention.refresh_from_db()
    assert (needs_attention.status, needs_attention.home_id) == (Status.COMPLETE, "ws_home_late")
    assert needs_attention.next_check_at is None
    assert "WattShift created this home after all" in needs_attention.owner_notice
    assert calls_to(wattshift_api, "homes/create") == []
    assert ("reconcile", "adopted") in factories.events(needs_attention)


def test_a_check_whose_list_fails_keeps_why_for_support(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    _due_now(needs_attention)
    wattshift_api.add(responses.POST, url("homes/list"), status=401)

    assert checks.run_check(onboarding_id=needs_attention.pk).startswith("unsettled")

    found = selectors.last_found(needs_attention.events.all())
    assert found is not None and found.candidates == [] and found.near == []
    assert found.list_error
    assert found.list_error == needs_attention.events.get(action="homes/list").params["message"]


def test_a_list_cached_before_the_grace_period_ended_is_not_used_by_a_check(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    _due_now(needs_attention)
    # Another check's list, asked for before this home was created: it cannot hold it.
    stale = timezone.now() - timedelta(minutes=10)
    cache.set(HOMES_CACHE_KEY, (stale, ()), 60)
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_late")]
    )
    add_solar_ok(wattshift_api, "ws_home_late")

    assert checks.run_check(onboarding_id=needs_attention.pk) == "settled: complete"

    assert len(calls_to(wattshift_api, "homes/list")) == 1
    # The list asked for now is the one kept for the next check.
    assert cache.get(HOMES_CACHE_KEY)[0] > stale


def test_checks_due_together_share_one_list(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    first, second = (
        factories.onboarding(installer, status=Status.NEEDS_ATTENTION, home_name=name)
        for name in ("Maple House", "Oak House")
    )
    for onboarding in (first, second):
        _due_now(onboarding)
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(first, "ws_home_maple"), listed_home(second, "ws_home_oak")],
    )
    for home_id in ("ws_home_maple", "ws_home_oak"):
        add_solar_ok(wattshift_api, home_id)

    for onboarding in (first, second):
        assert checks.run_check(onboarding_id=onboarding.pk) == "settled: complete"

    assert len(calls_to(wattshift_api, "homes/list")) == 1


def test_a_check_that_finds_none_after_the_grace_period_lets_it_be_sent_again(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    _due_now(needs_attention)
    wattshift_api.add(responses.POST, url("homes/list"), json=[])

    checks.run_check(onboarding_id=needs_attention.pk)

    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.DRAFT
    assert "safe to send it again" in needs_attention.owner_notice
    assert calls_to(wattshift_api, "homes/create") == []


def test_a_check_that_proves_nothing_tries_again_later_and_later(
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
    django_capture_on_commit_callbacks,
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), status=503)
    waits = []
    for _attempt in range(3):
        _due_now(needs_attention)
        with django_capture_on_commit_callbacks(execute=True):
            assert checks.run_check(onboarding_id=needs_attention.pk).startswith("unsettled")
        needs_attention.refresh_from_db()
        waits.append(needs_attention.next_check_at - timezone.now())

    assert needs_attention.status == Status.NEEDS_ATTENTION
    assert needs_attention.checks_made == 3
    assert waits[0] < waits[1] < waits[2]  # backoff
    assert DBTaskResult.objects.count() == 3


def test_a_check_due_while_wattshift_asked_to_wait_waits_as_asked(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    """Support's Check WattShift again was rate limited after this check was scheduled."""
    _due_now(needs_attention)
    until = timezone.now() + timedelta(minutes=2)
    Onboarding.objects.filter(pk=needs_attention.pk).update(retry_not_before=until)

    assert checks.run_check(onboarding_id=needs_attention.pk).startswith("waiting")

    assert len(wattshift_api.calls) == 0
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION
    assert needs_attention.next_check_at == until
    assert needs_attention.checks_made == 0  # postponed, not made: the backoff did not move on


def test_several_matches_stop_the_checks_for_support_to_choose(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    _due_now(needs_attention)
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(needs_attention, "ws_home_a"), listed_home(needs_attention, "ws_home_b")],
    )

    assert checks.run_check(onboarding_id=needs_attention.pk) == "settled: needs_attention"

    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION
    assert needs_attention.next_check_at is None
    # The homes it found are kept with the check, for support's page.
    found = selectors.last_found(needs_attention.events.all())
    assert found is not None
    assert [home.id for home in found.candidates] == ["ws_home_a", "ws_home_b"]
    assert found.at == needs_attention.events.get(action="homes/list").at


def test_a_check_not_due_or_held_by_another_worker_does_nothing(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    Onboarding.objects.filter(pk=needs_attention.pk).update(
        next_check_at=timezone.now() + timedelta(minutes=1)
    )
    assert checks.run_check(onboarding_id=needs_attention.pk) == "not due"
    assert len(wattshift_api.calls) == 0


def test_a_lost_check_is_enqueued_again_by_the_sweep(
    needs_attention: Onboarding, django_capture_on_commit_callbacks
) -> None:
    # Its worker died mid-check: the lease it took has run out.
    Onboarding.objects.filter(pk=needs_attention.pk).update(
        next_check_at=timezone.now() - checks.lease() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert checks.sweep() == 1
    assert DBTaskResult.objects.get().task_result.args == [needs_attention.pk]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_check_and_reports_a_heartbeat(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer, status=Status.NEEDS_ATTENTION)
    factories.Event.objects.create(onboarding=onboarding, action="homes/create", outcome="unknown")
    _due_now(onboarding)
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(onboarding, "ws_home_w")]
    )
    add_solar_ok(wattshift_api, "ws_home_w")
    checks.schedule_check(onboarding=onboarding, at=timezone.now())

    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    onboarding.refresh_from_db()
    assert (onboarding.status, onboarding.home_id) == (Status.COMPLETE, "ws_home_w")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert WorkerHeartbeat.objects.exists()
