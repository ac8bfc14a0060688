"""Support's resolve page and its actions (views/support.py): the history and the matching
homes, recording a home id, retrying knowingly, checking again."""

import re

import pytest
import responses
from django.contrib.auth.models import User
from django.test import Client

from onboarding.wizard.models import Onboarding
from tests.wizard import factories
from tests.wizard.pages import action_url, home_url, resolve_url
from tests.wizard.upstream import (
    HOME_ID,
    RATE_LIMITED,
    add_price_signal,
    add_solar_ok,
    calls_to,
    listed_home,
    url,
)

Status = Onboarding.Status


def test_installers_cannot_open_the_resolve_page(
    installer_client: Client, needs_attention: Onboarding, other_installer: User
) -> None:
    assert installer_client.get(resolve_url(needs_attention)).status_code == 403
    assert installer_client.post(action_url(needs_attention, "retry"), {}).status_code == 403
    theirs = factories.onboarding(other_installer, status=Status.NEEDS_ATTENTION)
    assert installer_client.get(resolve_url(theirs)).status_code == 404


def test_support_sees_the_history_and_the_matching_homes(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[
            listed_home(needs_attention, "ws_home_match"),
            listed_home(needs_attention, "ws_home_match_too"),
            listed_home(needs_attention, "ws_home_same_zip", name="Oak House"),
            listed_home(needs_attention, "ws_home_elsewhere", name="Pine", zipcode="10001"),
        ],
    )
    factories.checked_with_wattshift(needs_attention)  # two matches: support must choose

    response = support_client.get(resolve_url(needs_attention))

    page = response.content.decode()
    assert response.status_code == 200
    assert "ws_home_match" in page
    assert 'name="home_id" value="ws_home_match"' in page  # not only ws_home_match_too
    assert "ws_home_same_zip" in page
    assert "ws_home_elsewhere" not in page
    assert "homes/create" in page  # the history
    assert "Record this home id" in page
    assert "Let it be sent again" in page  # the button says what it does (was "Retry knowingly")
    assert (
        "Resolve this onboarding" in support_client.get(home_url(needs_attention)).content.decode()
    )


def test_support_sees_when_the_list_cannot_be_fetched(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), status=401)
    factories.checked_with_wattshift(needs_attention)

    response = support_client.get(resolve_url(needs_attention))

    assert "list of homes could not be fetched" in response.content.decode()
    assert "Record this home id" in response.content.decode()


def test_support_records_a_home_id_and_it_is_attributed(
    support_client: Client,
    support_user: User,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_found")]
    )
    add_solar_ok(wattshift_api, "ws_home_found")
    add_price_signal(wattshift_api, "ws_home_found")

    response = support_client.post(
        action_url(needs_attention, "home_id"), {"home_id": " ws_home_found "}, follow=True
    )

    assert response.redirect_chain == [(home_url(needs_attention), 302)]
    assert "ws_home_found" in response.content.decode()
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.COMPLETE
    assert needs_attention.home_id == "ws_home_found"
    event = needs_attention.events.get(action="resolve_with_home_id")
    assert event.by == support_user
    assert event.outcome == "recorded"
    assert "WattShift lists it with this name, ZIP code and rate plan" in event.detail
    assert len(calls_to(wattshift_api, "homes/list")) == 1
    assert calls_to(wattshift_api, "homes/create") == []


def test_a_home_id_wattshift_does_not_list_is_refused_next_to_the_field(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_real")]
    )

    response = support_client.post(
        action_url(needs_attention, "home_id"),
        {"home_id": "ws_home_nope", "checked_in_wattshift": "on"},
    )

    assert response.status_code == 200
    form = response.context["home_id_form"]
    assert [error.code for error in form.errors.as_data()["home_id"]] == ["not_in_wattshift"]
    page = response.content.decode()
    field = page[page.index('<label class="label" for="id_home_id">') :]
    assert "WattShift has no home with the id ws_home_nope" in field[: field.index("<input")]
    assert 'href="#id_home_id"' in page  # the error summary links to the field
    assert 'value="ws_home_nope"' in page  # what was typed is kept
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION
    assert needs_attention.home_id == ""
    assert not needs_attention.events.filter(action="resolve_with_home_id").exists()
    assert calls_to(wattshift_api, "homes/solar/create") == []
    # The list fetched to check the id also fills the tables: WattShift is asked once.
    assert len(calls_to(wattshift_api, "homes/list")) == 1


def test_a_listed_home_with_other_details_needs_an_explicit_confirmation(
    support_client: Client,
    support_user: User,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(needs_attention, "ws_home_other", name="Oak House", zipcode="95314")],
    )
    add_solar_ok(wattshift_api, "ws_home_other")

    first = support_client.post(
        action_url(needs_attention, "home_id"), {"home_id": "ws_home_other"}
    )

    form = first.context["home_id_form"]
    assert [e.code for e in form.errors.as_data()["confirm_differences"]] == ["differs"]
    page = first.content.decode()
    assert "How WattShift lists home ws_home_other" in page
    assert '<td data-label="In WattShift">Oak House</td>' in page
    assert '<td data-label="In this onboarding">Maple House</td>' in page
    assert '<td data-label="In WattShift">95314</td>' in page
    assert 'name="differences_shown_for" value="ws_home_other"' in page
    assert 'href="#id_confirm_differences"' in page
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION

    confirmed = support_client.post(
        action_url(needs_attention, "home_id"),
        {
            "home_id": "ws_home_other",
            "confirm_differences": "on",
            "differences_shown_for": "ws_home_other",
        },
    )

    assert confirmed["Location"] == home_url(needs_attention)
    needs_attention.refresh_from_db()
    assert needs_attention.home_id == "ws_home_other"
    assert needs_attention.status == Status.COMPLETE
    event = needs_attention.events.get(action="resolve_with_home_id")
    assert event.by == support_user
    assert "confirmed it is the right home" in event.detail
    assert "Oak House in WattShift, Maple House here" in event.detail


def test_a_confirmation_given_for_another_id_does_not_count(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(needs_attention, "ws_home_b", name="Oak House")],
    )

    response = support_client.post(
        action_url(needs_attention, "home_id"),
        {
            "home_id": "ws_home_b",
            "confirm_differences": "on",
            "differences_shown_for": "ws_home_a",
        },
    )

    form = response.context["home_id_form"]
    assert [e.code for e in form.errors.as_data()["confirm_differences"]] == ["differs"]
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION


def test_without_the_list_an_id_is_recorded_only_if_support_checked_it_themselves(
    support_client: Client,
    support_user: User,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), status=401)
    add_solar_ok(wattshift_api, "ws_home_by_hand")
    factories.checked_with_wattshift(needs_attention)

    page = support_client.get(resolve_url(needs_attention)).content.decode()
    assert "I have checked this id in WattShift myself" in page

    refused = support_client.post(
        action_url(needs_attention, "home_id"), {"home_id": "ws_home_by_hand"}
    )

    form = refused.context["home_id_form"]
    assert [e.code for e in form.errors.as_data()["checked_in_wattshift"]] == ["unchecked"]
    assert 'href="#id_checked_in_wattshift"' in refused.content.decode()
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION

    accepted = support_client.post(
        action_url(needs_attention, "home_id"),
        {"home_id": "ws_home_by_hand", "checked_in_wattshift": "on"},
    )

    assert accepted["Location"] == home_url(needs_attention)
    needs_attention.refresh_from_db()
    assert needs_attention.home_id == "ws_home_by_hand"
    event = needs_attention.events.get(action="resolve_with_home_id")
    assert event.by == support_user
    assert event.outcome == "recorded_without_list"
    assert "support confirmed they checked this id in WattShift themselves" in event.detail
    assert "could not be fetched" in event.detail


def test_each_matching_home_has_a_use_this_home_id_button_that_records_it(
    support_client: Client,
    support_user: User,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[
            listed_home(needs_attention, "ws_home_first"),
            listed_home(needs_attention, "ws_home_second"),
        ],
    )
    add_solar_ok(wattshift_api, "ws_home_second")
    factories.checked_with_wattshift(needs_attention)

    page = support_client.get(resolve_url(needs_attention)).content.decode()

    forms = re.findall(r'<form method="post" action="([^"]*)">(.*?)</form>', page, flags=re.S)
    buttons = [(action, f) for action, f in forms if "Use this home id" in f]
    assert len(buttons) == 2
    # Each button posts to the same action as typing the id: it records it as if typed.
    assert buttons[1][0] == action_url(needs_attention, "home_id")
    buttons = [f for _action, f in buttons]
    assert '<input type="hidden" name="home_id" value="ws_home_second">' in buttons[1]

    response = support_client.post(
        action_url(needs_attention, "home_id"), {"home_id": "ws_home_second"}
    )

    assert response["Location"] == home_url(needs_attention)
    needs_attention.refresh_from_db()
    assert needs_attention.home_id == "ws_home_second"
    assert needs_attention.status == Status.COMPLETE
    assert needs_attention.events.get(action="resolve_with_home_id").by == support_user
    # Same validation as a typed id: WattShift's list was asked again before recording.
    assert len(calls_to(wattshift_api, "homes/list")) == 2


def test_the_matching_homes_show_local_times_and_ids_in_their_own_cell(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[
            listed_home(needs_attention, "ws_home_match", createdAt="2025-06-02T23:05:09Z"),
            listed_home(needs_attention, "ws_home_odd", createdAt="yesterday"),
        ],
    )
    factories.checked_with_wattshift(needs_attention)

    page = support_client.get(resolve_url(needs_attention)).content.decode()

    # The site's time zone (America/Los_Angeles), as in the history; not the raw UTC string.
    assert '<time datetime="2025-06-02T16:05:09-07:00">2 Jun 2025, 4:05:09 PM</time>' in page
    assert ">2025-06-02T23:05:09Z<" not in page
    assert ">yesterday<" in page  # an unreadable time is shown as WattShift sent it
    assert '<td data-label="Home id" class="cell--id"><code>ws_home_match</code></td>' in page


@pytest.mark.parametrize(
    ("home_id", "code"),
    [
        ("", "required"),
        ("ws home 1", "invalid"),
        ("<script>", "invalid"),
        ("x" * 129, "max_length"),
    ],
)
def test_a_home_id_must_look_like_one(
    support_client: Client,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
    home_id: str,
    code: str,
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), json=[])

    response = support_client.post(action_url(needs_attention, "home_id"), {"home_id": home_id})

    assert response.status_code == 200
    form = response.context["home_id_form"]
    assert [error.code for error in form.errors.as_data()["home_id"]] == [code]
    assert "There is a problem" in response.content.decode()
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION


def test_a_home_id_already_on_another_onboarding_is_refused(
    support_client: Client,
    installer: User,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    factories.onboarding(installer, status=Status.COMPLETE, home_id="ws_home_taken")
    wattshift_api.add(responses.POST, url("homes/list"), json=[])

    response = support_client.post(
        action_url(needs_attention, "home_id"), {"home_id": "ws_home_taken"}
    )

    form = response.context["home_id_form"]
    assert [error.code for error in form.errors.as_data()["home_id"]] == ["taken"]


def test_retry_knowingly_needs_a_confirmation_and_is_recorded(
    support_client: Client,
    support_user: User,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), json=[])

    unconfirmed = support_client.post(action_url(needs_attention, "retry"), {})
    assert unconfirmed.status_code == 200
    assert "Confirm that you checked WattShift" in unconfirmed.content.decode()
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION

    response = support_client.post(action_url(needs_attention, "retry"), {"confirm": "on"})

    # Support stays on this onboarding's page (issue 10.8); the installer is told.
    assert response["Location"] == resolve_url(needs_attention)
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.DRAFT
    assert needs_attention.events.get(action="mark_safe_to_retry").by == support_user
    assert calls_to(wattshift_api, "homes/create") == []


def test_check_again_adopts_the_one_matching_home(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_late")]
    )
    add_solar_ok(wattshift_api, "ws_home_late")

    response = support_client.post(action_url(needs_attention, "reconcile"), {})

    assert response["Location"] == home_url(needs_attention)
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.COMPLETE
    assert needs_attention.home_id == "ws_home_late"


def test_check_wattshift_again_waits_for_the_time_wattshift_gave(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), status=429, json=RATE_LIMITED)
    support_client.post(action_url(needs_attention, "reconcile"), {})

    # Pressed again at once: neither the check nor the resolve page asks WattShift.
    response = support_client.post(action_url(needs_attention, "reconcile"), {}, follow=True)

    assert response.redirect_chain == [(resolve_url(needs_attention), 302)]
    page = response.content.decode()
    assert re.search(
        r"WattShift was not asked again: WattShift asked to wait, so try again after "
        r"\d{1,2}:\d\d [AP]M\.",
        page,
    )
    assert len(calls_to(wattshift_api, "homes/list")) == 1
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.NEEDS_ATTENTION


def test_resolving_a_resolved_onboarding_changes_nothing(
    support_client: Client, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    done = factories.onboarding(installer, status=Status.COMPLETE, home_id=HOME_ID)

    page = support_client.get(resolve_url(done)).content.decode()
    response = support_client.post(action_url(done, "retry"), {"confirm": "on"})

    assert "does not need attention" in page
    assert response["Location"] == home_url(done)
    done.refresh_from_db()
    assert done.status == Status.COMPLETE
    assert len(wattshift_api.calls) == 0
