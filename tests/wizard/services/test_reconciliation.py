"""Reconciling with homes/list: what a create with an unknown outcome did, found out without
ever sending it again (services/reconciliation.py)."""

from datetime import timedelta

import pytest
import requests
import responses
from django.contrib.auth.models import User
from django.utils import timezone
from pytest_django.fixtures import Settings

from onboarding.wizard import selectors
from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.rate_limits import AskedToWait
from onboarding.wizard.services import reconciliation, submission
from tests.wizard import factories
from tests.wizard.factories import events
from tests.wizard.upstream import (
    EVERY_FAILURE,
    RATE_LIMITED,
    add_solar_ok,
    body_of,
    calls_to,
    end_the_cache_window,
    listed_home,
    url,
)

Status = Onboarding.Status
SolarStatus = Onboarding.SolarStatus


def backdate(onboarding: Onboarding, seconds: float) -> None:
    """Pretend the last submission was sent `seconds` earlier (the claim and its events)."""
    earlier = timedelta(seconds=seconds)
    row = Onboarding.objects.get(pk=onboarding.pk)
    if row.submitted_at is not None:
        Onboarding.objects.filter(pk=row.pk).update(submitted_at=row.submitted_at - earlier)
    for event in Event.objects.filter(onboarding=row):
        Event.objects.filter(pk=event.pk).update(at=event.at - earlier)
    onboarding.refresh_from_db()  # services work on the onboarding as it is now


def test_exactly_one_matching_home_is_adopted_and_solar_added(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[
            listed_home(ready_onboarding, "ws_home_found", name="  maple house "),
            listed_home(ready_onboarding, "ws_home_other_zip", zipcode="95314"),
            listed_home(
                ready_onboarding, "ws_home_other_plan", ratePlanId="662955dff338bcedec0dbfe7"
            ),
            listed_home(ready_onboarding, "ws_home_other_name", name="Oak House"),
        ],
    )
    add_solar_ok(wattshift_api, "ws_home_found")

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.COMPLETE
    assert result.home_id == "ws_home_found"
    assert result.solar_status == SolarStatus.ADDED
    assert len(calls_to(wattshift_api, "homes/create")) == 1
    assert body_of(calls_to(wattshift_api, "homes/solar/create")[0])["homeId"] == "ws_home_found"
    assert ("reconcile", "adopted") in events(result)


def test_no_matching_home_means_safe_to_retry_once_the_grace_period_is_over(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    settings: Settings,
) -> None:
    settings.WS_RECONCILE_GRACE_SECONDS = 0
    wattshift_api.add(responses.POST, url("homes/create"), status=500)
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(ready_onboarding, "x", name="Oak House")],
    )

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.DRAFT
    assert "safe to try again" in result.last_error
    assert result.home_id == ""
    assert events(result)[-1] == ("reconcile", "not_found")
    assert len(calls_to(wattshift_api, "homes/create")) == 1  # not re-sent by itself


def test_no_matching_home_straight_after_the_create_proves_nothing(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """The upstream may still be processing the create when homes/list answers."""
    wattshift_api.add(responses.POST, url("homes/create"), status=500)
    wattshift_api.add(responses.POST, url("homes/list"), json=[])

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    assert result.last_error == (
        "WattShift may still be creating this home. Check again in a minute."
    )
    assert events(result)[-2:] == [("homes/list", "succeeded"), ("reconcile", "too_soon")]

    again = reconciliation.reconcile_onboarding(onboarding=result, by=installer)

    assert again.status == Status.NEEDS_ATTENTION
    assert len(calls_to(wattshift_api, "homes/list")) == 2
    assert len(calls_to(wattshift_api, "homes/create")) == 1


def test_the_check_after_an_unknown_create_keeps_the_homes_it_found_for_support(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[
            listed_home(ready_onboarding, "ws_home_a", createdAt="2025-06-02T23:05:09Z"),
            listed_home(ready_onboarding, "ws_home_b"),
            listed_home(ready_onboarding, "ws_home_same_zip", name="Oak House"),
            listed_home(ready_onboarding, "ws_home_elsewhere", name="Pine", zipcode="10001"),
        ],
    )

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    listed = result.events.get(action="homes/list")
    assert (listed.params["count"], listed.params["matches"]) == (4, 2)
    assert [home["id"] for home in listed.params["candidates"]] == ["ws_home_a", "ws_home_b"]
    assert [home["id"] for home in listed.params["near"]] == ["ws_home_same_zip"]
    found = selectors.last_found(result.events.all())
    assert found is not None and found.at == listed.at and found.list_error == ""
    assert [home.id for home in found.candidates] == ["ws_home_a", "ws_home_b"]
    assert found.candidates[0].created_at == "2025-06-02T23:05:09Z"
    assert found.candidates[0].rate_plan_id == ready_onboarding.rate_plan_id
    assert [home.name for home in found.near] == ["Oak House"]


def test_a_check_keeps_at_most_twenty_homes_the_matches_first(
    needs_attention: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    same_zip = [
        listed_home(needs_attention, f"ws_home_zip_{n:02}", name=f"House {n}") for n in range(30)
    ]
    matches = [listed_home(needs_attention, f"ws_home_match_{n}") for n in range(3)]
    wattshift_api.add(responses.POST, url("homes/list"), json=same_zip + matches)

    reconciliation.reconcile_onboarding(onboarding=needs_attention, by=installer)

    params = needs_attention.events.get(action="homes/list").params
    assert (params["count"], params["matches"]) == (33, 3)
    assert [home["id"] for home in params["candidates"]] == [
        "ws_home_match_0",
        "ws_home_match_1",
        "ws_home_match_2",
    ]
    assert len(params["near"]) == selectors.KEPT_HOMES - 3
    assert params["near"][0]["id"] == "ws_home_zip_00"


def test_checking_again_after_the_grace_period_finds_it_safe_to_retry(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    settings: Settings,
) -> None:
    settings.WS_API_TIMEOUT = 5  # the grace period defaults to twice the timeout: 10 s
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(responses.POST, url("homes/list"), json=[])
    assert submission.submit_onboarding(onboarding=ready_onboarding, by=installer).status == (
        Status.NEEDS_ATTENTION
    )

    backdate(ready_onboarding, 9)
    assert reconciliation.reconcile_onboarding(
        onboarding=ready_onboarding, by=installer
    ).status == (Status.NEEDS_ATTENTION)
    backdate(ready_onboarding, 2)
    result = reconciliation.reconcile_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.DRAFT
    assert events(result)[-1] == ("reconcile", "not_found")
    assert len(calls_to(wattshift_api, "homes/create")) == 1


def test_the_grace_period_setting_is_read_when_checking(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    settings: Settings,
) -> None:
    settings.WS_RECONCILE_GRACE_SECONDS = 60
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(responses.POST, url("homes/list"), json=[])
    submission.submit_onboarding(onboarding=ready_onboarding, by=installer)
    backdate(ready_onboarding, 30)

    assert reconciliation.reconcile_onboarding(
        onboarding=ready_onboarding, by=installer
    ).status == (Status.NEEDS_ATTENTION)
    settings.WS_RECONCILE_GRACE_SECONDS = 20
    assert reconciliation.reconcile_onboarding(
        onboarding=ready_onboarding, by=installer
    ).status == (Status.DRAFT)


def test_one_matching_home_is_adopted_even_within_the_grace_period(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), status=503)
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(ready_onboarding, "ws_home_made")]
    )
    add_solar_ok(wattshift_api, "ws_home_made")

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.COMPLETE
    assert result.home_id == "ws_home_made"


def test_several_matching_homes_are_left_to_support(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json={
            "homes": [
                listed_home(ready_onboarding, "ws_home_a"),
                listed_home(ready_onboarding, "ws_home_b"),
            ]
        },
    )

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    assert result.home_id == ""
    last = result.events.last()
    assert (last.action, last.outcome) == ("reconcile", "several")
    assert "ws_home_a" in last.detail
    assert "ws_home_b" in last.detail


@pytest.mark.parametrize("failure", EVERY_FAILURE.values(), ids=EVERY_FAILURE)
def test_when_homes_list_fails_it_keeps_needing_attention(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    failure: dict[str, object],
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(responses.POST, url("homes/list"), **failure)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    assert result.home_id == ""
    assert events(result)[-1] == ("reconcile", "skipped")
    assert len(calls_to(wattshift_api, "homes/create")) == 1


@pytest.mark.parametrize("who", ["a person", "the background check"])
def test_a_rate_limited_check_is_not_repeated_before_the_time_wattshift_gave(
    needs_attention: Onboarding,
    support_user: User,
    wattshift_api: responses.RequestsMock,
    who: str,
) -> None:
    by = support_user if who == "a person" else None
    wattshift_api.add(responses.POST, url("homes/list"), status=429, json=RATE_LIMITED)
    reconciliation.reconcile_onboarding(onboarding=needs_attention, by=support_user)
    until = needs_attention.retry_not_before
    assert until is not None and until > timezone.now() + timedelta(seconds=110)
    recorded = events(needs_attention)

    with pytest.raises(AskedToWait) as raised:
        reconciliation.reconcile_onboarding(onboarding=needs_attention, by=by)

    assert raised.value.until == until
    assert "WattShift asked to wait, so try again after" in raised.value.message
    assert len(calls_to(wattshift_api, "homes/list")) == 1
    assert events(needs_attention) == recorded  # nothing asked, so nothing to record

    # The time WattShift gave has passed (on the row, and for the account's list in the cache):
    # checking asks it again.
    passed = timezone.now() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=needs_attention.pk).update(retry_not_before=passed)
    needs_attention.refresh_from_db()
    end_the_cache_window()
    wattshift_api.replace(responses.POST, url("homes/list"), json=[])

    reconciliation.reconcile_onboarding(onboarding=needs_attention, by=by)

    assert len(calls_to(wattshift_api, "homes/list")) == 2
    assert events(needs_attention)[-1] == ("reconcile", "too_soon")


def test_a_rate_limited_list_holds_back_every_onboarding_s_check(
    needs_attention: Onboarding,
    installer: User,
    support_user: User,
    wattshift_api: responses.RequestsMock,
) -> None:
    """homes/list is one list for the whole account: after WattShift's 429 on one onboarding's
    check, another's asks nothing until the time given, keeps that wait and records no call."""
    other = factories.onboarding(
        installer,
        status=Status.NEEDS_ATTENTION,
        home_name="Other House",
        submitted_at=timezone.now(),
    )
    wattshift_api.add(responses.POST, url("homes/list"), status=429, json=RATE_LIMITED)
    reconciliation.reconcile_onboarding(onboarding=needs_attention, by=support_user)
    until = needs_attention.retry_not_before
    assert until is not None
    recorded = events(other)

    with pytest.raises(AskedToWait) as raised:
        reconciliation.reconcile_onboarding(onboarding=other, by=support_user)

    # The same wait (each side took it from the one 429, a moment apart).
    assert abs(raised.value.until - until) < timedelta(seconds=1)
    assert len(calls_to(wattshift_api, "homes/list")) == 1
    assert events(other) == recorded  # nothing asked, so nothing to record
    other.refresh_from_db()
    assert other.retry_not_before == raised.value.until

    # Once the wait is over, the list is asked for again.
    end_the_cache_window()
    Onboarding.objects.filter(pk=other.pk).update(retry_not_before=None)
    other.refresh_from_db()
    wattshift_api.replace(responses.POST, url("homes/list"), json=[])
    reconciliation.reconcile_onboarding(onboarding=other, by=support_user)
    assert len(calls_to(wattshift_api, "homes/list")) == 2


def test_a_home_already_recorded_on_another_onboarding_is_not_adopted(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    settings: Settings,
) -> None:
    """Two onboardings for one customer: the other's home must not be taken for this one."""
    settings.WS_RECONCILE_GRACE_SECONDS = 0
    factories.onboarding(installer, status=Status.COMPLETE, home_id="ws_home_theirs")
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(ready_onboarding, "ws_home_theirs")]
    )

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.DRAFT
    assert result.home_id == ""


def test_reconcile_does_nothing_unless_attention_is_needed(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    result = reconciliation.reconcile_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.DRAFT
    assert len(wattshift_api.calls) == 0
