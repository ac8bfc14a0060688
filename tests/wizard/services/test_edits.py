"""Changing a created home (services/edits.py): only the changed fields sent, each change once,
every failure leaving the home as it was with words a person can act on."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import responses
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from onboarding.wattshift.client import WattShiftClient
from onboarding.wizard import history_text
from onboarding.wizard.models import Onboarding
from onboarding.wizard.rate_limits import AskedToWait
from onboarding.wizard.selectors.upstream import PRICE_SIGNAL_CACHE_KEY
from onboarding.wizard.services import edits, recovery
from onboarding.wizard.services.edits import Change, HomeValues, Result, What
from tests.wizard import factories
from tests.wizard.factories import events
from tests.wizard.services.test_concurrency import at_the_same_moment, slow
from tests.wizard.upstream import (
    CERTAINLY_NOT_CREATED,
    HOME_ID,
    RATE_LIMITED,
    SHARED_ID,
    SOLAR_UNKNOWN,
    TOU_D_ID,
    body_of,
    calls_to,
    url,
)

Status = Onboarding.Status
UPDATE = f"homes/{HOME_ID}/update"
# What the home keeps through a failed change: every value a change could set.
KEPT = [field for field in HomeValues.__dataclass_fields__]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The keyword arguments of each update_home call, as the wizard made it."""
    calls: list[dict[str, Any]] = []
    real = WattShiftClient.update_home

    def spy(self: WattShiftClient, home_id: str, **kwargs: Any) -> None:
        calls.append({"home_id": home_id, **kwargs})
        real(self, home_id, **kwargs)

    monkeypatch.setattr(WattShiftClient, "update_home", spy)
    return calls


@pytest.fixture
def update_ok(wattshift_api: responses.RequestsMock) -> responses.RequestsMock:
    wattshift_api.add(responses.POST, url(UPDATE), json={"id": HOME_ID, "name": "whatever"})
    return wattshift_api


def created(owner: User, **fields: object) -> Onboarding:
    """A home WattShift created (complete, unless `status` says otherwise), as a page loads it."""
    fields = {"status": Status.COMPLETE, "home_id": HOME_ID, **fields}
    home = factories.onboarding(owner, **fields)
    home.refresh_from_db()  # as a page loads it
    return home


def values_of(home: Onboarding, **changed: object) -> HomeValues:
    return replace(HomeValues.of(home), **changed)


def change(home: Onboarding, by: User, **changed: object) -> Result:
    """The home's values with `changed`, sent as checked on the home as it is now."""
    return edits.change_home(
        onboarding=home, proposed=values_of(home, **changed), by=by, shown_at=home.updated_at
    )


def kept(home: Onboarding) -> dict[str, object]:
    return {name: getattr(home, name) for name in KEPT}


E6_TO_TOU_D = {"rate_plan_id": TOU_D_ID, "rate_plan_name": "TOU-D", "rate_plan_rate_id": ""}


# Each kind of change: only its fields are sent, as the client's keyword arguments --------------


def test_a_new_name_sends_the_name_only(
    installer: User, update_ok: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer)

    assert change(home, installer, home_name="Oak House") == Result.SENT

    assert sent == [{"home_id": HOME_ID, "name": "Oak House"}]
    assert body_of(calls_to(update_ok, UPDATE)[0]) == {"name": "Oak House"}
    home.refresh_from_db()
    assert (home.status, home.home_name, home.last_error) == (Status.COMPLETE, "Oak House", "")
    assert "oak house" in home.search_text


def test_a_new_plan_sends_the_plan_id_and_records_the_plan_picked(
    installer: User, update_ok: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer, **E6_TO_TOU_D)

    # E-6 shares its id with TOU-C: the id sent is the shared one, the plan recorded is E-6.
    assert change(home, installer, rate_plan_id=SHARED_ID, rate_plan_name="E-6") == Result.SENT

    assert sent == [{"home_id": HOME_ID, "rate_plan_id": SHARED_ID}]
    home.refresh_from_db()
    assert (home.rate_plan_id, home.rate_plan_name) == (SHARED_ID, "E-6")


def test_tou_c_to_e6_is_a_change_though_the_id_is_the_same(
    installer: User, update_ok: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer, rate_plan_name="TOU-C")

    assert change(home, installer, rate_plan_name="E-6") == Result.SENT

    assert sent == [{"home_id": HOME_ID, "rate_plan_id": SHARED_ID}]
    home.refresh_from_db()
    assert home.rate_plan_name == "E-6"


def test_a_new_utility_is_sent_with_its_plan(
    installer: User, update_ok: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer, zipcode="95630")

    result = change(
        home,
        installer,
        utility_id="19229",
        utility_name="Sacramento Municipal Utility District",
        rate_plan_id="smud-r-tod",
        rate_plan_name="R-TOD",
        rate_plan_rate_id="SMUD-R-TOD",
    )

    assert result == Result.SENT
    assert sent == [{"home_id": HOME_ID, "utility_id": "19229", "rate_plan_id": "smud-r-tod"}]
    home.refresh_from_db()
    assert (home.utility_id, home.utility_name, home.rate_plan_rate_id) == (
        "19229",
        "Sacramento Municipal Utility District",
        "SMUD-R-TOD",
    )


def test_adding_solar_sends_its_size_and_metering(
    installer: User, update_ok: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer, has_solar=False, solar_size_kw=None, solar_net_metered=None)

    result = change(
        home, installer, has_solar=True, solar_size_kw=Decimal("7.6"), solar_net_metered=True
    )

    assert result == Result.SENT
    assert sent == [
        {"home_id": HOME_ID, "solar_size_kw": Decimal("7.6"), "net_metered": True},
    ]
    assert body_of(calls_to(update_ok, UPDATE)[0]) == {
        "solarSystemSizeKw": 7.6,
        "isNonNetMetered": False,
    }
    home.refresh_from_db()
    assert (home.has_solar, home.solar_size_kw, home.solar_net_metered) == (
        True,
        Decimal("7.6"),
        True,
    )
    assert home.solar_status == Onboarding.SolarStatus.ADDED


@pytest.mark.parametrize(
    ("changed", "arguments"),
    [
        ({"solar_size_kw": Decimal("9.25")}, {"solar_size_kw": Decimal("9.25")}),
        ({"solar_net_metered": False}, {"net_metered": False}),
    ],
    ids=["size only", "net metering only"],
)
def test_a_solar_home_sends_only_what_changed_of_its_solar(
    installer: User,
    update_ok: responses.RequestsMock,
    sent: list[dict[str, Any]],
    changed: dict[str, object],
    arguments: dict[str, object],
) -> None:
    home = created(installer)

    assert change(home, installer, **changed) == Result.SENT

    assert sent == [{"home_id": HOME_ID, **arguments}]


def test_several_changes_go_in_one_call(
    installer: User, update_ok: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer)

    change(home, installer, home_name="Oak House", solar_net_metered=False, **E6_TO_TOU_D)

    assert sent == [
        {"home_id": HOME_ID, "name": "Oak House", "rate_plan_id": TOU_D_ID, "net_metered": False}
    ]


def test_no_change_sends_nothing(
    installer: User, wattshift_api: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer)

    assert change(home, installer) == Result.NOTHING_TO_SEND
    assert change(home, installer, solar_size_kw=Decimal("7.60")) == Result.NOTHING_TO_SEND

    assert sent == []
    assert events(home) == []


def test_solar_cannot_be_removed(installer: User) -> None:
    home = created(installer)

    with pytest.raises(ValueError, match="Solar cannot be removed"):
        edits.changes_between(home, values_of(home, has_solar=False))


# History ---------------------------------------------------------------------------------------


def test_the_history_records_who_changed_what_from_what_to_what(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer)

    change(home, installer, home_name="Oak House", **E6_TO_TOU_D)

    [event] = home.events.all()
    assert (event.action, event.outcome, event.by) == ("change_home", "succeeded", installer)
    assert event.params == {
        "changes": [
            {"what": "name", "old": "Maple House", "new": "Oak House"},
            {"what": "rate_plan", "old": "E-6", "new": "TOU-D"},
        ]
    }
    assert event.duration_ms is not None
    assert history_text.in_words(event) == (
        "Ina changed the home name from Maple House to Oak House; the rate plan from E-6 to TOU-D"
    )
    assert history_text.technical(event).startswith("POST /v1/homes/{id}/update")


def test_the_history_says_solar_was_added(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer, has_solar=False, solar_size_kw=None, solar_net_metered=None)

    change(home, installer, has_solar=True, solar_size_kw=Decimal("5"), solar_net_metered=False)

    [event] = home.events.all()
    assert event.params["changes"] == [
        {"what": "solar", "old": False, "new": True},
        {"what": "solar_size", "old": None, "new": "5"},
        {"what": "net_metering", "old": None, "new": False},
    ]
    assert history_text.in_words(event) == "Ina added solar panels: 5 kW, not net metered"


def test_the_history_of_solar_changes_in_words(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer)

    change(home, installer, solar_size_kw=Decimal("9"), solar_net_metered=False)

    [event] = home.events.all()
    assert history_text.in_words(event) == (
        "Ina changed the solar system size from 7.6 kW to 9 kW; "
        "the solar system from net metered to not net metered"
    )


# Plan to confirm -------------------------------------------------------------------------------


def test_choosing_the_same_plan_confirms_a_plan_to_confirm(
    installer: User, update_ok: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer, plan_to_confirm=True)

    assert change(home, installer, plan_to_confirm=False) == Result.SENT

    assert sent == [{"home_id": HOME_ID, "rate_plan_id": SHARED_ID}]
    home.refresh_from_db()
    assert home.plan_to_confirm is False
    [event] = home.events.all()
    assert event.params["changes"] == [
        {"what": "rate_plan", "old": "E-6", "new": "E-6", "was_to_confirm": True}
    ]
    assert history_text.in_words(event) == (
        "Ina changed the rate plan from E-6 (to be confirmed) to E-6"
    )


def test_choosing_another_plan_confirms_it_too(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer, plan_to_confirm=True)

    change(home, installer, plan_to_confirm=False, **E6_TO_TOU_D)

    home.refresh_from_db()
    assert (home.rate_plan_name, home.plan_to_confirm) == ("TOU-D", False)


def test_a_plan_left_as_it_is_stays_to_confirm(
    installer: User, update_ok: responses.RequestsMock, sent: list[dict[str, Any]]
) -> None:
    home = created(installer, plan_to_confirm=True)

    change(home, installer, home_name="Oak House")

    assert sent == [{"home_id": HOME_ID, "name": "Oak House"}]
    home.refresh_from_db()
    assert home.plan_to_confirm is True


def test_a_failed_confirmation_leaves_the_plan_to_confirm(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    home = created(installer, plan_to_confirm=True)
    wattshift_api.add(responses.POST, url(UPDATE), status=503)

    assert change(home, installer, plan_to_confirm=False) == Result.FAILED

    home.refresh_from_db()
    assert home.plan_to_confirm is True


# Each change is sent once ----------------------------------------------------------------------


def test_a_second_send_of_the_same_confirmation_sends_nothing(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer)
    shown_at = home.updated_at
    proposed = values_of(home, home_name="Oak House")

    first = edits.change_home(onboarding=home, proposed=proposed, by=installer, shown_at=shown_at)
    again = Onboarding.objects.get(pk=home.pk)  # the second click's request loads it afresh
    second = edits.change_home(onboarding=again, proposed=proposed, by=installer, shown_at=shown_at)

    assert (first, second) == (Result.SENT, Result.ALREADY_MADE)
    assert len(calls_to(update_ok, UPDATE)) == 1


def test_a_stale_confirmation_cannot_overwrite_a_newer_change(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer)
    shown_at = home.updated_at
    first_tab = values_of(home, home_name="Oak House")
    second_tab = values_of(home, **E6_TO_TOU_D)

    change_second = edits.change_home(
        onboarding=home, proposed=second_tab, by=installer, shown_at=shown_at
    )
    stale = Onboarding.objects.get(pk=home.pk)
    change_first = edits.change_home(
        onboarding=stale, proposed=first_tab, by=installer, shown_at=shown_at
    )

    assert (change_second, change_first) == (Result.SENT, Result.CHANGED_SINCE)
    [update] = calls_to(update_ok, UPDATE)
    assert body_of(update) == {"ratePlanId": TOU_D_ID}
    home.refresh_from_db()
    assert (home.home_name, home.rate_plan_name) == ("Maple House", "TOU-D")


def test_the_claim_itself_requires_the_row_as_checked(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """Loaded as checked, written by someone else before the claim: the claim does not match."""
    home = created(installer)
    shown_at = home.updated_at
    Onboarding.objects.filter(pk=home.pk).update(home_name="Elm House", updated_at=timezone.now())

    result = edits.change_home(
        onboarding=home,
        proposed=values_of(home, home_name="Oak House"),
        by=installer,
        shown_at=shown_at,
    )

    assert result == Result.CHANGED_SINCE
    assert len(wattshift_api.calls) == 0
    home.refresh_from_db()
    assert home.home_name == "Elm House"


def test_a_change_being_sent_is_not_sent_again(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    home = created(installer, status=Status.UPDATING)

    assert change(home, installer, home_name="Oak House") == Result.BUSY
    assert len(wattshift_api.calls) == 0


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTING, Status.NEEDS_ATTENTION, Status.HOME_CREATED]
)
def test_only_a_complete_home_is_changed(
    installer: User, wattshift_api: responses.RequestsMock, status: str
) -> None:
    home = created(installer, status=status)

    assert change(home, installer, home_name="Oak House") == Result.NOT_CHANGEABLE
    assert len(wattshift_api.calls) == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sends_make_one_update(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    """A double click reaching two web workers at once: the database lets one through."""
    home = created(installer)
    shown_at = home.updated_at
    proposed = values_of(home, **E6_TO_TOU_D)
    wattshift_api.add_callback(responses.POST, url(UPDATE), callback=slow(f'{{"id": "{HOME_ID}"}}'))

    def send() -> Any:
        # Each thread loads its own copy, as two requests would: both see it complete.
        mine = Onboarding.objects.get(pk=home.pk)
        return edits.change_home(
            onboarding=mine, proposed=proposed, by=installer, shown_at=shown_at
        )

    results = at_the_same_moment(send)

    assert [r for r in results if isinstance(r, BaseException)] == []
    assert len(calls_to(wattshift_api, UPDATE)) == 1
    # The one that lost saw the other's change in flight, or already made.
    assert Result.SENT in results
    assert set(results) - {Result.SENT} <= {Result.BUSY, Result.ALREADY_MADE}
    home.refresh_from_db()
    assert (home.status, home.rate_plan_name) == (Status.COMPLETE, "TOU-D")
    assert home.events.filter(action="change_home").count() == 1


# Failures leave the home as it was, in words ---------------------------------------------------


@pytest.mark.parametrize("failure", list(CERTAINLY_NOT_CREATED), ids=list(CERTAINLY_NOT_CREATED))
def test_a_change_certainly_not_made_leaves_the_home_and_says_so(
    installer: User, wattshift_api: responses.RequestsMock, failure: str
) -> None:
    home = created(installer)
    before = kept(home)
    wattshift_api.add(responses.POST, url(UPDATE), **CERTAINLY_NOT_CREATED[failure])

    assert change(home, installer, home_name="Oak House", **E6_TO_TOU_D) == Result.FAILED

    home.refresh_from_db()
    assert home.status == Status.COMPLETE
    assert kept(home) == before
    assert home.last_error.startswith("WattShift did not make these changes: ")
    assert "This home keeps its earlier values, here and on WattShift." in home.last_error
    assert "may or may not" not in home.last_error
    [event] = home.events.all()
    assert (event.action, event.outcome) == ("change_home", "failed")
    assert len(event.params["changes"]) == 2
    assert len(calls_to(wattshift_api, UPDATE)) == 1  # never repeated


@pytest.mark.parametrize("failure", list(SOLAR_UNKNOWN), ids=list(SOLAR_UNKNOWN))
def test_a_change_whose_outcome_is_unknown_says_sending_again_is_safe(
    installer: User, wattshift_api: responses.RequestsMock, failure: str
) -> None:
    home = created(installer)
    before = kept(home)
    wattshift_api.add(responses.POST, url(UPDATE), **SOLAR_UNKNOWN[failure])

    assert change(home, installer, home_name="Oak House") == Result.FAILED

    home.refresh_from_db()
    assert home.status == Status.COMPLETE
    assert kept(home) == before
    assert "It may or may not have applied them" in home.last_error
    assert "Sending the same changes again is safe" in home.last_error
    [event] = home.events.all()
    assert (event.action, event.outcome) == ("change_home", "unknown")
    assert len(calls_to(wattshift_api, UPDATE)) == 1  # never repeated


def test_a_rate_limited_change_is_not_sent_again_before_the_time_wattshift_gave(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url(UPDATE), status=429, json=RATE_LIMITED)
    home = created(installer)
    assert change(home, installer, home_name="Oak House") == Result.FAILED
    home.refresh_from_db()
    assert "Try again in about 2 minutes" in home.last_error
    until = home.retry_not_before
    assert until is not None and until > timezone.now() + timedelta(seconds=110)

    with pytest.raises(AskedToWait) as raised:
        change(home, installer, home_name="Oak House")

    assert raised.value.until == until
    assert "WattShift asked to wait, so try again after" in raised.value.message
    assert len(calls_to(wattshift_api, UPDATE)) == 1
    home.refresh_from_db()
    assert (home.status, home.home_name) == (Status.COMPLETE, "Maple House")

    # The time WattShift gave has passed: the change is sent.
    passed = timezone.now() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=home.pk).update(retry_not_before=passed)
    home.refresh_from_db()
    wattshift_api.replace(responses.POST, url(UPDATE), json={"id": HOME_ID})

    assert change(home, installer, home_name="Oak House") == Result.SENT
    assert len(calls_to(wattshift_api, UPDATE)) == 2


def test_a_failure_keeps_the_technical_record(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    home = created(installer)
    wattshift_api.add(
        responses.POST,
        url(UPDATE),
        status=400,
        json={
            "request_id": "req_0a1b",
            "error_code": "VALIDATION_FAILED",
            "message": "This name is not accepted by WattShift.",
            "field_errors": [{"field": "name", "message": "Not accepted."}],
        },
    )

    change(home, installer, home_name="Test Name Refused")

    [event] = home.events.all()
    assert (event.http_status, event.error_code, event.request_id) == (
        400,
        "VALIDATION_FAILED",
        "req_0a1b",
    )
    assert event.duration_ms is not None
    assert event.by == installer
    assert "This name is not accepted by WattShift." in home.last_error
    assert history_text.in_words(event).startswith("WattShift refused it: ")
    technical = history_text.technical(event)
    assert "HTTP 400" in technical and "request_id=req_0a1b" in technical


def test_a_bug_after_sending_releases_the_home_and_is_raised(
    installer: User, wattshift_api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = created(installer)

    def broken(self: WattShiftClient, home_id: str, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(WattShiftClient, "update_home", broken)

    with pytest.raises(RuntimeError):
        change(home, installer, home_name="Oak House")

    home.refresh_from_db()
    assert (home.status, home.home_name) == (Status.COMPLETE, "Maple House")
    assert "Sending the same changes again is safe" in home.last_error
    assert events(home) == [("change_home", "unknown")]


def test_a_successful_change_clears_the_last_failure(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer, last_error="WattShift did not make these changes: ...")

    change(home, installer, home_name="Oak House")

    home.refresh_from_db()
    assert home.last_error == ""


def test_a_new_plan_forgets_the_cached_prices(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer)
    key = PRICE_SIGNAL_CACHE_KEY.format(home_id=HOME_ID)
    cache.set(key, "the prices of E-6")

    change(home, installer, **E6_TO_TOU_D)

    assert cache.get(key) is None


# A change whose worker died --------------------------------------------------------------------


def test_a_stale_change_goes_back_to_complete_with_the_earlier_values(
    installer: User, wattshift_api: responses.RequestsMock
) -> None:
    home = created(installer, status=Status.UPDATING)
    long_ago = timezone.now() - recovery.stale_after() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=home.pk).update(updated_at=long_ago)
    home.refresh_from_db()

    recovery.release_if_stale(onboarding=home)

    assert home.status == Status.COMPLETE
    assert "may or may not have applied" in home.last_error
    assert "Sending the same changes again is safe" in home.last_error
    [event] = home.events.all()
    assert (event.action, event.outcome) == ("interrupted", "unknown")
    assert history_text.in_words(event).startswith("The change stopped without an answer")
    assert len(wattshift_api.calls) == 0


def test_a_change_under_way_is_not_released(installer: User) -> None:
    home = created(installer, status=Status.UPDATING)

    recovery.release_if_stale(onboarding=home)

    assert home.status == Status.UPDATING
    assert events(home) == []


def test_a_stale_change_is_released_when_the_home_is_changed_again(
    installer: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer, status=Status.UPDATING)
    long_ago = timezone.now() - recovery.stale_after() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=home.pk).update(updated_at=long_ago)
    home.refresh_from_db()

    # The person saw the home as recovery left it, then sent the change again.
    recovery.release_if_stale(onboarding=home)
    assert change(home, installer, home_name="Oak House") == Result.SENT


# Who may ---------------------------------------------------------------------------------------


def test_installers_change_only_their_own_homes(
    installer: User, other_installer: User, wattshift_api: responses.RequestsMock
) -> None:
    home = created(installer)

    assert edits.may_change(installer, home)
    assert not edits.may_change(other_installer, home)
    with pytest.raises(PermissionDenied):
        change(home, other_installer, home_name="Oak House")
    assert len(wattshift_api.calls) == 0


def test_support_changes_any_home(
    installer: User, support_user: User, update_ok: responses.RequestsMock
) -> None:
    home = created(installer)

    assert change(home, support_user, home_name="Oak House") == Result.SENT

    [event] = home.events.all()
    assert event.by == support_user
    assert history_text.in_words(event).startswith("Sam changed the home name")


# The values a confirmation carries -------------------------------------------------------------


def test_values_survive_their_json_and_refuse_anything_else(installer: User) -> None:
    values = HomeValues.of(created(installer))

    assert HomeValues.from_json(values.as_json()) == values
    for broken in [
        None,
        {},
        {**values.as_json(), "has_solar": "yes"},
        {**values.as_json(), "solar_size_kw": "lots"},
        {**values.as_json(), "home_name": 3},
        {**values.as_json(), "extra": 1},
    ]:
        with pytest.raises(ValueError):
            HomeValues.from_json(broken)


def test_changes_between_lists_exactly_the_differences(installer: User) -> None:
    home = created(installer)

    assert edits.changes_between(home, values_of(home, solar_net_metered=False)) == [
        Change(What.NET_METERING, True, False)
    ]
