"""The submission service: exactly one home, solar only when needed, honest about unknowns."""

from datetime import timedelta
from decimal import Decimal

import pytest
import requests
import responses
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone
from pytest_django.fixtures import Settings

from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.errors import (
    Rejected,
    UpstreamServerError,
    WattShiftError,
)
from onboarding.wattshift.types import Home
from onboarding.wizard import selectors, steps
from onboarding.wizard.models import Answer, Event, Onboarding
from onboarding.wizard.services import prices, reconciliation, recovery, resolution, submission
from tests.wizard import factories
from tests.wizard.factories import events
from tests.wizard.upstream import (
    CERTAINLY_NOT_CREATED,
    EVERY_FAILURE,
    HOME_ID,
    OUTCOME_UNKNOWN,
    SHARED_ID,
    SOLAR_UNKNOWN,
    add_created,
    add_price_signal,
    add_solar_ok,
    body_of,
    calls_to,
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


def answer_values(onboarding: Onboarding) -> dict[str, object]:
    """Every answer column (every field a complete draft answers), to show a failure left the
    draft intact."""
    return {name: getattr(onboarding, name) for name in factories.answers()}


# The happy paths ------------------------------------------------------------------------------


def test_with_solar_creates_the_home_then_adds_solar_with_documented_json(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer, has_electric_water_heater="")
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)

    result = submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert result.status == Status.COMPLETE
    assert result.home_id == HOME_ID
    assert result.solar_status == SolarStatus.ADDED
    assert result.submitted_by == installer
    assert result.submitted_at is not None
    assert result.last_error == ""
    [create] = calls_to(wattshift_api, "homes/create")
    assert body_of(create) == {
        "name": "Maple House",
        "zipcode": "95313",
        "utilityId": "14328",
        "ratePlanId": "66d811ce52c6fe40859130e8",
        "hasEvCharger": True,
        "hasElectricHeater": False,
        "hasSmartWaterHeater": None,
        "hasAC": True,
        "acType": "central",
    }
    assert "hasElectricWaterHeater" not in body_of(create)  # unanswered: omitted
    [solar] = calls_to(wattshift_api, "homes/solar/create")
    assert body_of(solar) == {"homeId": HOME_ID, "solarSystemSizeKw": 7.6, "isNonNetMetered": False}
    assert [call.request.url for call in wattshift_api.calls] == [
        url("homes/create"),
        url("homes/solar/create"),
    ]
    assert events(result) == [
        ("submit", "claimed"),
        ("homes/create", "succeeded"),
        ("homes/solar/create", "succeeded"),
    ]
    assert {event.by for event in result.events.all()} == {installer}


def test_without_solar_only_creates_the_home(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(
        installer,
        has_solar=False,
        solar_size_kw=None,
        solar_net_metered=None,
        has_ac=Answer.NO,
        ac_type="",
        has_ev_charger="",
        has_electric_heater="",
        has_smart_water_heater="",
        has_electric_water_heater="",
    )
    add_created(wattshift_api)

    result = submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert result.status == Status.COMPLETE
    assert result.solar_status == SolarStatus.NOT_NEEDED
    [create] = calls_to(wattshift_api, "homes/create")
    # AC answered No: no acType; unanswered questions: not in the body at all.
    assert body_of(create) == {
        "name": "Maple House",
        "zipcode": "95313",
        "utilityId": "14328",
        "ratePlanId": "66d811ce52c6fe40859130e8",
        "hasAC": False,
    }
    assert calls_to(wattshift_api, "homes/solar/create") == []


def test_a_leading_zero_zip_and_a_whole_kw_not_net_metered_keep_their_types(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(
        installer, zipcode="02139", solar_size_kw=Decimal("5.00"), solar_net_metered=False
    )
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)

    submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert body_of(calls_to(wattshift_api, "homes/create")[0])["zipcode"] == "02139"
    solar = body_of(calls_to(wattshift_api, "homes/solar/create")[0])
    assert solar == {"homeId": HOME_ID, "solarSystemSizeKw": 5, "isNonNetMetered": True}
    assert type(solar["solarSystemSizeKw"]) is int


def test_an_incomplete_draft_is_not_sent(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer, rate_plan_id="", has_solar=None)

    with pytest.raises(submission.OnboardingNotReady) as raised:
        submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert raised.value.missing == ["rate_plan_id", "has_solar"]
    assert len(wattshift_api.calls) == 0
    onboarding.refresh_from_db()
    assert onboarding.status == Status.DRAFT


def test_submit_and_the_wizard_agree_on_what_a_draft_lacks(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """A plan id without the plan's name is not an answered utility step, so nothing is sent."""
    onboarding = factories.onboarding(installer, rate_plan_name="")

    with pytest.raises(submission.OnboardingNotReady) as raised:
        submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert raised.value.missing == steps.missing_answers(onboarding) == ["rate_plan_name"]
    assert steps.first_unanswered(onboarding).slug == "utility"
    assert len(wattshift_api.calls) == 0


def test_an_answer_cleared_between_the_check_and_the_claim_sends_nothing(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second tab changes the ZIP (clearing the utility) just after the first check passed."""
    check = steps.missing_answers
    checks = []

    def then_another_tab_changes_the_zip(onboarding: Onboarding) -> list[str]:
        missing = check(onboarding)
        if not checks:
            Onboarding.objects.filter(pk=onboarding.pk).update(
                zipcode="10001", utility_id="", utility_name="", rate_plan_id="", rate_plan_name=""
            )
        checks.append(missing)
        return missing

    monkeypatch.setattr(steps, "missing_answers", then_another_tab_changes_the_zip)

    with pytest.raises(submission.OnboardingNotReady) as raised:
        submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert "utility_id" in raised.value.missing
    assert len(wattshift_api.calls) == 0
    ready_onboarding.refresh_from_db()
    assert ready_onboarding.status == Status.DRAFT
    assert ready_onboarding.zipcode == "10001"
    assert "nothing was sent" in ready_onboarding.last_error
    assert events(ready_onboarding) == [("submit", "claimed"), ("submit", "skipped")]


# Exactly once ---------------------------------------------------------------------------------


def test_submitting_twice_creates_one_home(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)

    first = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)
    stale_copy = Onboarding.objects.get(pk=ready_onboarding.pk)
    second = submission.submit_onboarding(onboarding=stale_copy, by=installer)

    assert first.status == second.status == Status.COMPLETE
    assert len(calls_to(wattshift_api, "homes/create")) == 1
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1


def test_a_stale_copy_that_still_says_draft_cannot_claim_the_row_again(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """Two tabs loaded the draft; the first submits; the second's in-memory copy says draft."""
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)
    second_tab = Onboarding.objects.get(pk=ready_onboarding.pk)
    submission.submit_onboarding(onboarding=ready_onboarding, by=installer)
    assert second_tab.status == Status.DRAFT

    result = submission.submit_onboarding(onboarding=second_tab, by=installer)

    assert result.status == Status.COMPLETE
    assert len(calls_to(wattshift_api, "homes/create")) == 1


def test_while_another_submission_holds_the_row_nothing_is_sent(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    Onboarding.objects.filter(pk=ready_onboarding.pk).update(status=Status.SUBMITTING)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.SUBMITTING
    assert len(wattshift_api.calls) == 0


# Failures of homes/create ---------------------------------------------------------------------


@pytest.mark.parametrize("failure", CERTAINLY_NOT_CREATED.values(), ids=CERTAINLY_NOT_CREATED)
def test_a_create_that_certainly_failed_returns_the_intact_draft_with_the_reason(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    failure: dict[str, object],
) -> None:
    before = answer_values(ready_onboarding)
    wattshift_api.add(responses.POST, url("homes/create"), **failure)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.DRAFT
    assert answer_values(result) == before
    assert result.home_id == ""
    assert result.last_error
    assert "test-key-not-secret-1234" not in result.last_error
    assert len(wattshift_api.calls) == 1  # no homes/list, no solar: nothing was created
    assert events(result)[-1] == ("homes/create", "failed")


def test_a_rejected_create_shows_the_upstream_reason(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/create"), status=400, json={"message": "zipcode is not served"}
    )

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert "zipcode is not served" in result.last_error
    assert "HTTP 400" in result.events.last().detail


def test_after_a_certain_failure_the_retry_creates_the_home(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ConnectionError("refused"))
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)

    submission.submit_onboarding(onboarding=ready_onboarding, by=installer)
    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.COMPLETE
    assert result.last_error == ""
    assert len(calls_to(wattshift_api, "homes/create")) == 2


@pytest.mark.parametrize("failure", OUTCOME_UNKNOWN.values(), ids=OUTCOME_UNKNOWN)
def test_an_unknown_outcome_needs_attention_and_is_never_resent(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    failure: dict[str, object],
) -> None:
    before = answer_values(ready_onboarding)
    wattshift_api.add(responses.POST, url("homes/create"), **failure)
    wattshift_api.add(responses.POST, url("homes/list"), status=503)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    assert answer_values(result) == before
    assert "will not be sent again automatically" in result.last_error
    assert ("homes/create", "unknown") in events(result)
    assert events(result)[-2:] == [("homes/list", "failed"), ("reconcile", "skipped")]

    again = submission.submit_onboarding(onboarding=result, by=installer)

    assert again.status == Status.NEEDS_ATTENTION
    assert len(calls_to(wattshift_api, "homes/create")) == 1


def test_an_unexpected_error_after_sending_needs_attention_and_is_raised(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: object, details: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(wattshift_client.WattShiftClient, "create_home", broken)

    with pytest.raises(RuntimeError):
        submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    ready_onboarding.refresh_from_db()
    assert ready_onboarding.status == Status.NEEDS_ATTENTION
    assert events(ready_onboarding)[-1] == ("homes/create", "unknown")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Rejected("refused, yet maybe processed", status=409, outcome_known=False), "unknown"),
        (UpstreamServerError(status=503, outcome_known=True), "known"),
    ],
    ids=["rejected-but-unknown", "server-error-but-known"],
)
def test_the_client_decides_whether_a_create_may_have_happened_not_the_error_class(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
    error: WattShiftError,
    status: str,
) -> None:
    def fails(self: object, details: object) -> None:
        raise error

    monkeypatch.setattr(wattshift_client.WattShiftClient, "create_home", fails)
    wattshift_api.add(responses.POST, url("homes/list"), status=503)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    if status == "unknown":
        assert result.status == Status.NEEDS_ATTENTION
        assert ("homes/create", "unknown") in events(result)
    else:
        assert result.status == Status.DRAFT
        assert events(result)[-1] == ("homes/create", "failed")
        assert calls_to(wattshift_api, "homes/list") == []


def test_a_home_id_arriving_after_a_stale_recovery_is_kept_and_solar_uses_it(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """The create answered so late that another request already released the claim."""

    def answer_after_the_recovery(request: object) -> tuple[int, dict[str, str], str]:
        Onboarding.objects.filter(pk=ready_onboarding.pk).update(
            status=Status.NEEDS_ATTENTION, last_error="Creating the home was interrupted."
        )
        return 200, {}, f'{{"id": "{HOME_ID}"}}'

    wattshift_api.add_callback(
        responses.POST, url("homes/create"), callback=answer_after_the_recovery
    )
    add_solar_ok(wattshift_api)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.home_id == HOME_ID
    assert result.status == Status.COMPLETE
    assert result.solar_status == SolarStatus.ADDED
    [solar] = calls_to(wattshift_api, "homes/solar/create")
    assert body_of(solar)["homeId"] == HOME_ID
    assert len(calls_to(wattshift_api, "homes/create")) == 1


def test_a_late_home_id_never_replaces_one_already_recorded(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """Support recorded the home found by hand before the create's own answer came back."""

    def answer_after_support_resolved(request: object) -> tuple[int, dict[str, str], str]:
        Onboarding.objects.filter(pk=ready_onboarding.pk).update(
            status=Status.COMPLETE, home_id="ws_home_found_by_hand"
        )
        return 200, {}, '{"id": "ws_home_second"}'

    wattshift_api.add_callback(
        responses.POST, url("homes/create"), callback=answer_after_support_resolved
    )

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.home_id == "ws_home_found_by_hand"
    assert result.status == Status.COMPLETE
    assert calls_to(wattshift_api, "homes/solar/create") == []
    last = result.events.last()
    assert (last.action, last.outcome) == ("homes/create", "not_recorded")
    assert "ws_home_second" in last.detail


def test_a_draft_that_already_has_a_home_id_is_never_created_again(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer, home_id=HOME_ID)

    result = submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert result.status == Status.DRAFT
    assert len(wattshift_api.calls) == 0


# Reconciling with homes/list ------------------------------------------------------------------


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


# Solar ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("failure", CERTAINLY_NOT_CREATED.values(), ids=CERTAINLY_NOT_CREATED)
def test_when_solar_certainly_failed_the_retry_only_adds_solar_again(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    failure: dict[str, object],
) -> None:
    add_created(wattshift_api)
    wattshift_api.add(responses.POST, url("homes/solar/create"), **failure)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.HOME_CREATED
    assert result.home_id == HOME_ID
    assert result.solar_status == SolarStatus.FAILED
    assert result.last_error.startswith("The home was created, but adding solar failed")
    assert events(result)[-1] == ("homes/solar/create", "failed")

    wattshift_api.replace(responses.POST, url("homes/solar/create"), json={"homeId": HOME_ID})
    retried = submission.submit_onboarding(onboarding=result, by=installer)

    assert retried.status == Status.COMPLETE
    assert retried.solar_status == SolarStatus.ADDED
    assert retried.last_error == ""
    assert len(calls_to(wattshift_api, "homes/create")) == 1
    assert [body_of(call) for call in calls_to(wattshift_api, "homes/solar/create")] == [
        {"homeId": HOME_ID, "solarSystemSizeKw": 7.6, "isNonNetMetered": False}
    ] * 2
    assert calls_to(wattshift_api, f"homes/{HOME_ID}/update") == []


@pytest.mark.parametrize("failure", SOLAR_UNKNOWN.values(), ids=SOLAR_UNKNOWN)
def test_after_solar_may_have_been_added_the_retry_sets_it_with_update(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    failure: dict[str, object],
) -> None:
    add_created(wattshift_api)
    wattshift_api.add(responses.POST, url("homes/solar/create"), **failure)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.HOME_CREATED
    assert result.solar_status == SolarStatus.FAILED
    assert events(result)[-1] == ("homes/solar/create", "unknown")

    wattshift_api.add(responses.POST, url(f"homes/{HOME_ID}/update"), json={"id": HOME_ID})
    retried = submission.submit_onboarding(onboarding=result, by=installer)

    assert retried.status == Status.COMPLETE
    assert retried.solar_status == SolarStatus.ADDED
    assert [call.request.url for call in wattshift_api.calls] == [
        url("homes/create"),
        url("homes/solar/create"),
        url(f"homes/{HOME_ID}/update"),
    ]
    [update] = calls_to(wattshift_api, f"homes/{HOME_ID}/update")
    assert body_of(update) == {"solarSystemSizeKw": 7.6, "isNonNetMetered": False}
    last = retried.events.last()
    assert (last.action, last.outcome) == ("homes/update", "succeeded")
    assert "homes/{id}/update" in last.detail


def test_once_solar_may_exist_every_later_retry_uses_update(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(
        installer,
        solar_size_kw=Decimal("5"),
        solar_net_metered=False,
    )
    add_created(wattshift_api)
    wattshift_api.add(responses.POST, url("homes/solar/create"), body=requests.ReadTimeout())
    update = url(f"homes/{HOME_ID}/update")
    wattshift_api.add(responses.POST, update, body=requests.ConnectionError("refused"))
    submission.submit_onboarding(onboarding=onboarding, by=installer)
    submission.submit_onboarding(onboarding=onboarding, by=installer)  # update: not connected

    wattshift_api.replace(responses.POST, update, json={})
    result = submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert result.status == Status.COMPLETE
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1
    bodies = [body_of(call) for call in calls_to(wattshift_api, f"homes/{HOME_ID}/update")]
    assert bodies == [{"solarSystemSizeKw": 5, "isNonNetMetered": True}] * 2
    assert events(result)[-4:] == [
        ("submit", "claimed"),
        ("homes/update", "failed"),
        ("submit", "claimed"),
        ("homes/update", "succeeded"),
    ]


# Support's manual resolution ------------------------------------------------------------------


def test_support_records_the_home_id_found_and_solar_is_added(
    needs_attention: Onboarding, support_user: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(needs_attention, "ws_home_found_by_hand")],
    )
    add_solar_ok(wattshift_api, "ws_home_found_by_hand")
    check = selectors.check_home_id(onboarding=needs_attention, home_id=" ws_home_found_by_hand ")

    result = resolution.resolve_with_home_id(
        onboarding=needs_attention, home_id=" ws_home_found_by_hand ", by=support_user, check=check
    )

    assert result.status == Status.COMPLETE
    assert result.home_id == "ws_home_found_by_hand"
    event = result.events.get(action="resolve_with_home_id")
    assert event.by == support_user
    assert event.outcome == "recorded"
    assert "ws_home_found_by_hand" in event.detail
    assert calls_to(wattshift_api, "homes/create") == []


def test_checking_a_home_id_finds_it_with_the_same_details(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(needs_attention, "ws_home_same", name="  maple house ")],
    )

    check = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_same")

    assert check.listed and check.found
    assert check.home is not None and check.home.id == "ws_home_same"
    assert check.differences == ()


def test_checking_a_home_id_names_each_detail_that_differs(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[
            listed_home(
                needs_attention, "ws_home_other", name="Oak House", zipcode="02139", ratePlanId=""
            )
        ],
    )

    check = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_other")

    assert check.found
    assert check.differences == (
        selectors.Difference("Name", "Maple House", "Oak House"),
        selectors.Difference("ZIP code", "95313", "02139"),
        selectors.Difference("Rate plan", f"E-6 ({SHARED_ID})", "Not listed"),
    )


def test_checking_a_home_id_that_is_not_listed_or_without_a_list(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_real")]
    )
    absent = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_nope")
    assert absent.listed and not absent.found

    wattshift_api.replace(responses.POST, url("homes/list"), status=403)
    unavailable = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_nope")

    assert not unavailable.listed and not unavailable.found
    assert unavailable.list_error
    assert "test-key" not in unavailable.list_error


def test_a_home_id_is_recorded_only_as_checked(
    needs_attention: Onboarding, support_user: User, wattshift_api: responses.RequestsMock
) -> None:
    """The service refuses what the form would refuse, whoever calls it."""
    absent = selectors.HomeIdCheck(
        home_id="ws_home_nope",
        search=selectors.HomeSearch(candidates=[], near=[], requested_at=timezone.now()),
    )
    unlisted = selectors.HomeIdCheck(home_id="ws_home_x", search=None, list_error="No answer.")
    differing = selectors.HomeIdCheck(
        home_id="ws_home_x",
        search=absent.search,
        home=Home(id="ws_home_x", name="Oak House"),
        differences=(selectors.Difference("Name", "Maple House", "Oak House"),),
    )

    for home_id, check, options in [
        ("ws_home_nope", absent, {"checked_by_hand": True}),
        ("ws_home_x", unlisted, {}),
        ("ws_home_x", differing, {}),
        ("ws_home_other", unlisted, {"checked_by_hand": True}),
    ]:
        with pytest.raises(ValueError):
            resolution.resolve_with_home_id(
                onboarding=needs_attention, home_id=home_id, by=support_user, check=check, **options
            )

    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION
    assert needs_attention.home_id == ""
    assert len(wattshift_api.calls) == 0


def test_a_home_id_vouched_for_without_the_list_is_recorded_as_such(
    needs_attention: Onboarding, support_user: User, wattshift_api: responses.RequestsMock
) -> None:
    add_solar_ok(wattshift_api, "ws_home_x")
    unlisted = selectors.HomeIdCheck(home_id="ws_home_x", search=None, list_error="No answer.")

    result = resolution.resolve_with_home_id(
        onboarding=needs_attention,
        home_id="ws_home_x",
        by=support_user,
        check=unlisted,
        checked_by_hand=True,
    )

    assert result.home_id == "ws_home_x"
    event = result.events.get(action="resolve_with_home_id")
    assert event.outcome == "recorded_without_list"
    assert "No answer." in event.detail
    assert "checked this id in WattShift themselves" in event.detail


def test_support_marks_it_safe_to_retry_and_the_next_submit_creates(
    needs_attention: Onboarding,
    support_user: User,
    installer: User,
    wattshift_api: responses.RequestsMock,
) -> None:
    result = resolution.mark_safe_to_retry(onboarding=needs_attention, by=support_user)

    assert result.status == Status.DRAFT
    assert result.events.get(action="mark_safe_to_retry").by == support_user
    assert len(wattshift_api.calls) == 0

    add_created(wattshift_api)
    add_solar_ok(wattshift_api)
    assert submission.submit_onboarding(onboarding=result, by=installer).status == Status.COMPLETE


@pytest.mark.parametrize("status", [Status.DRAFT, Status.COMPLETE, Status.HOME_CREATED])
def test_only_an_onboarding_that_needs_attention_can_be_resolved(
    installer: User, support_user: User, status: str
) -> None:
    onboarding = factories.onboarding(installer, status=status)

    vouched = selectors.HomeIdCheck(home_id="ws_home_x", search=None)
    with pytest.raises(resolution.CannotResolve):
        resolution.resolve_with_home_id(
            onboarding=onboarding,
            home_id="ws_home_x",
            by=support_user,
            check=vouched,
            checked_by_hand=True,
        )
    with pytest.raises(resolution.CannotResolve):
        resolution.mark_safe_to_retry(onboarding=onboarding, by=support_user)
    assert Event.objects.filter(onboarding=onboarding).count() == 0


# A submission whose worker died ---------------------------------------------------------------


def test_a_stale_claim_without_a_home_id_becomes_needs_attention(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    long_ago = timezone.now() - recovery.stale_after() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=ready_onboarding.pk).update(
        status=Status.SUBMITTING, updated_at=long_ago
    )
    ready_onboarding.refresh_from_db()  # as a page loads it

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    assert events(result) == [("interrupted", "unknown")]
    assert len(wattshift_api.calls) == 0


def test_a_stale_claim_with_a_home_id_lets_solar_be_retried(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    long_ago = timezone.now() - recovery.stale_after() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=ready_onboarding.pk).update(
        status=Status.SUBMITTING, home_id=HOME_ID, updated_at=long_ago
    )
    ready_onboarding.refresh_from_db()  # as a page loads it
    add_solar_ok(wattshift_api)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.COMPLETE
    assert calls_to(wattshift_api, "homes/create") == []
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1


# Price signal ---------------------------------------------------------------------------------


def test_the_price_signal_is_cached_per_home(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer, status=Status.COMPLETE, home_id=HOME_ID)
    sent = add_price_signal(wattshift_api)

    first = prices.price_signal_for(onboarding=onboarding)
    second = prices.price_signal_for(onboarding=onboarding)

    assert first == second
    assert [float(price) for price in first.prices] == sent
    assert len(wattshift_api.calls) == 1
    assert events(onboarding) == [("price_signal", "succeeded")]


def test_later_price_signal_fetches_write_no_history(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """Every page view after the cache expires fetches again: only failures are news."""
    onboarding = factories.onboarding(installer, status=Status.COMPLETE, home_id=HOME_ID)
    add_price_signal(wattshift_api)

    for _view in range(3):
        prices.price_signal_for(onboarding=onboarding)
        cache.clear()  # the cache window has passed

    assert len(wattshift_api.calls) == 3
    assert events(onboarding) == [("price_signal", "succeeded")]


@pytest.mark.parametrize("failure", EVERY_FAILURE.values(), ids=EVERY_FAILURE)
def test_a_price_signal_failure_is_recorded_and_not_cached(
    installer: User, wattshift_api: responses.RequestsMock, failure: dict[str, object]
) -> None:
    onboarding = factories.onboarding(installer, status=Status.COMPLETE, home_id=HOME_ID)
    wattshift_api.add(responses.POST, url(f"homes/{HOME_ID}/price_signal"), **failure)

    with pytest.raises(WattShiftError) as raised:
        prices.price_signal_for(onboarding=onboarding)

    assert raised.value.message
    assert events(onboarding)[-1][0] == "price_signal"
    assert events(onboarding)[-1][1] in {"failed", "unknown"}
    wattshift_api.replace(
        responses.POST,
        url(f"homes/{HOME_ID}/price_signal"),
        json={"startTime": "2025-06-02T07:00:00Z", "priceSignal": [0.2] * 96},
    )
    assert len(prices.price_signal_for(onboarding=onboarding).prices) == 96


def test_no_event_carries_the_api_key(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/create"),
        status=400,
        json={"message": "bad key test-key-not-secret-1234"},
    )

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert "test-key-not-secret-1234" not in result.last_error
    for event in result.events.all():
        assert "test-key-not-secret-1234" not in event.detail


UPDATE_FAILURES = {**CERTAINLY_NOT_CREATED, **SOLAR_UNKNOWN}


@pytest.mark.parametrize("failure", UPDATE_FAILURES.values(), ids=UPDATE_FAILURES)
def test_every_failure_of_the_solar_update_keeps_the_home_and_says_so(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
    failure: dict[str, object],
) -> None:
    add_created(wattshift_api)
    wattshift_api.add(responses.POST, url("homes/solar/create"), body=requests.ReadTimeout())
    submission.submit_onboarding(onboarding=ready_onboarding, by=installer)
    wattshift_api.add(responses.POST, url(f"homes/{HOME_ID}/update"), **failure)

    retried = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert retried.status == Status.HOME_CREATED
    assert retried.home_id == HOME_ID
    assert retried.solar_status == SolarStatus.FAILED
    assert retried.last_error.startswith("The home was created, but adding solar failed")
    assert events(retried)[-1][0] == "homes/update"
    assert len(calls_to(wattshift_api, "homes/create")) == 1
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1
