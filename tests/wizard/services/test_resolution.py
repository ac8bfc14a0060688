"""Support's decisions on an onboarding that needs attention: record the home id found, or
mark it safe to retry (services/resolution.py)."""

from datetime import timedelta

import pytest
import responses
from django.contrib.auth.models import User
from django.utils import timezone

from onboarding.wattshift.types import Home
from onboarding.wizard import selectors
from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.services import resolution, submission
from tests.wizard import factories
from tests.wizard.upstream import add_created, add_solar_ok, calls_to, listed_home, url

Status = Onboarding.Status


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


def test_a_wait_for_wattshift_s_list_does_not_hold_back_the_create_support_allows(
    needs_attention: Onboarding,
    support_user: User,
    installer: User,
    wattshift_api: responses.RequestsMock,
) -> None:
    """homes/list was rate limited while it needed attention: that wait is the checks'; the
    draft support lets be sent again is sent at once (homes/create was never limited)."""
    Onboarding.objects.filter(pk=needs_attention.pk).update(
        retry_not_before=timezone.now() + timedelta(minutes=5)
    )
    needs_attention.refresh_from_db()

    result = resolution.mark_safe_to_retry(onboarding=needs_attention, by=support_user)

    assert result.retry_not_before is None
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
