"""The submission service: exactly one home, solar only when needed, honest about unknowns."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
import responses
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.errors import Rejected, UpstreamServerError, WattShiftError
from onboarding.wizard import selectors, steps
from onboarding.wizard.models import Answer, Onboarding
from onboarding.wizard.rate_limits import AskedToWait
from onboarding.wizard.services import payload, submission
from tests.wizard import factories
from tests.wizard.factories import events
from tests.wizard.upstream import (
    CERTAINLY_NOT_CREATED,
    HOME_ID,
    OUTCOME_UNKNOWN,
    SOLAR_UNKNOWN,
    add_created,
    add_solar_ok,
    body_of,
    calls_to,
    url,
)

Status = Onboarding.Status
SolarStatus = Onboarding.SolarStatus


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


def test_an_unknown_outcome_while_the_list_is_rate_limited_is_checked_later(
    ready_onboarding: Onboarding,
    installer: User,
    wattshift_api: responses.RequestsMock,
) -> None:
    """WattShift asked (for another check) that homes/list wait: the check right after the
    create asks nothing, and the background check is still scheduled."""
    until = timezone.now() + timedelta(minutes=2)
    cache.set(selectors.upstream.HOMES_WAIT_KEY, until, 120)
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    assert calls_to(wattshift_api, "homes/list") == []
    result.refresh_from_db()
    assert result.retry_not_before == until
    assert result.next_check_at is not None


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


# A homeowner not sure of the plan -------------------------------------------------------------

LISTED_PLANS = [
    {
        "utilityId": "14328",
        "utilityName": "Pacific Gas & Electric",
        "ratePlans": [
            {"id": "pge-e1", "ratePlanName": "E-1", "rateID": "PGE-E-1"},
            {"id": "pge-e6", "ratePlanName": "E-6", "rateID": "PGE-E-6"},
        ],
    }
]
SOLAR_FIRST = [{**LISTED_PLANS[0], "ratePlans": LISTED_PLANS[0]["ratePlans"][::-1]}]


def _utilities(upstream: responses.RequestsMock) -> None:
    """utility/get, answering with the plans that suit solar first when asked to."""

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        solar_first = json.loads(request.body or "{}").get("isSolarPrioritizedOrder") is True
        return 200, {}, json.dumps(SOLAR_FIRST if solar_first else LISTED_PLANS)

    upstream.add_callback(responses.POST, url("utility/get"), callback=answer)


@pytest.mark.parametrize(
    ("has_solar", "first_plan", "solar_first"),
    [(False, ("pge-e1", "E-1"), None), (True, ("pge-e6", "E-6"), True)],
)
def test_not_sure_of_the_plan_creates_the_home_with_the_plan_listed_first(
    installer: User,
    wattshift_api: responses.RequestsMock,
    has_solar: bool,
    first_plan: tuple[str, str],
    solar_first: bool | None,
) -> None:
    onboarding = factories.onboarding(
        installer,
        rate_plan_id="",
        rate_plan_name="",
        plan_to_confirm=True,
        has_solar=has_solar,
        **({} if has_solar else {"solar_size_kw": None, "solar_net_metered": None}),
    )
    _utilities(wattshift_api)
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)

    result = submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert result.status == Status.COMPLETE
    [lookup] = calls_to(wattshift_api, "utility/get")
    assert body_of(lookup).get("isSolarPrioritizedOrder") is solar_first
    [create] = calls_to(wattshift_api, "homes/create")
    assert body_of(create)["ratePlanId"] == first_plan[0]
    assert (result.rate_plan_id, result.rate_plan_name) == first_plan
    assert result.plan_to_confirm is True  # until someone checks the bill


def test_not_sure_of_the_plan_and_no_plans_to_read_sends_nothing(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(
        installer, rate_plan_id="", rate_plan_name="", plan_to_confirm=True
    )
    wattshift_api.add(responses.POST, url("utility/get"), status=503)

    with pytest.raises(payload.PlanUnavailable) as raised:
        submission.submit_onboarding(onboarding=onboarding, by=installer)

    assert "WattShift" in raised.value.message
    assert calls_to(wattshift_api, "homes/create") == []
    onboarding.refresh_from_db()
    assert (onboarding.status, onboarding.rate_plan_id) == (Status.DRAFT, "")


# WattShift's error envelope -------------------------------------------------------------------

REFUSED_NAME = {
    "request_id": "req_5f2a",
    "error_code": "VALIDATION_FAILED",
    "message": "Request validation failed.",
    "field_errors": [{"field": "name", "message": "This name is not accepted by WattShift."}],
}


def test_a_refused_answer_goes_back_to_its_question_with_the_request_id_kept(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), status=400, json=REFUSED_NAME)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.DRAFT
    assert result.upstream_field_errors == {"home_name": "This name is not accepted by WattShift."}
    failed = result.events.get(action="homes/create")
    assert (failed.http_status, failed.error_code, failed.request_id) == (
        400,
        "VALIDATION_FAILED",
        "req_5f2a",
    )


def test_a_rate_limit_is_waited_out_before_anything_is_sent_again(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/create"),
        status=429,
        json={
            "request_id": "req_1",
            "error_code": "RATE_LIMITED",
            "message": "Slow down.",
            "retry_after_seconds": 120,
        },
    )

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.DRAFT
    assert "Try again in about 2 minutes" in result.last_error
    assert result.retry_not_before is not None
    with pytest.raises(AskedToWait):
        submission.submit_onboarding(onboarding=result, by=installer)
    assert len(calls_to(wattshift_api, "homes/create")) == 1
