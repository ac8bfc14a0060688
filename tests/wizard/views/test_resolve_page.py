"""Support's resolve page shows what the last check of homes/list found, read from the history:
viewing it asks WattShift nothing (views/support.py, selectors/found_homes.py)."""

import re
from datetime import timedelta

import responses
from django.test import Client
from django.utils import timezone

from onboarding.wizard.models import Onboarding
from tests.wizard import factories
from tests.wizard.pages import action_url, resolve_url
from tests.wizard.upstream import end_the_cache_window, listed_home, url

# The session, the user with their role, the onboarding, its history, and a little slack.
MAX_RESOLVE_PAGE_QUERIES = 8
CHECKED_TODAY = re.compile(r"Checked with WattShift at \d{1,2}:\d\d [AP]M\.")


def two_matches_and_a_neighbour(onboarding: Onboarding) -> list[dict[str, str]]:
    return [
        listed_home(onboarding, "ws_home_a"),
        listed_home(onboarding, "ws_home_b"),
        listed_home(onboarding, "ws_home_same_zip", name="Oak House"),
    ]


def test_the_page_asks_wattshift_nothing_and_shows_what_the_last_check_found(
    support_client: Client,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
    django_assert_max_num_queries,
) -> None:
    listed = wattshift_api.add(
        responses.POST, url("homes/list"), json=two_matches_and_a_neighbour(needs_attention)
    )
    factories.checked_with_wattshift(needs_attention)
    # From here any call to WattShift fails the test: nothing is registered, nothing cached.
    wattshift_api.remove(listed)
    end_the_cache_window()
    calls_before = len(wattshift_api.calls)

    with django_assert_max_num_queries(MAX_RESOLVE_PAGE_QUERIES):
        response = support_client.get(resolve_url(needs_attention))

    assert len(wattshift_api.calls) == calls_before
    page = response.content.decode()
    assert response.status_code == 200
    assert CHECKED_TODAY.search(page)
    assert "could not be fetched" not in page
    table = page[page.index('<table class="responsive listed-homes">') :]
    table = table[: table.index("</table>")]
    assert "ws_home_a" in table and "ws_home_b" in table and "Maple House" in table
    assert "ws_home_same_zip" in page  # among the near ones
    assert page.count('<input type="hidden" name="home_id"') == 2  # a "Use this home id" each


def test_a_check_made_on_another_day_says_which_day(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/list"), json=two_matches_and_a_neighbour(needs_attention)
    )
    factories.checked_with_wattshift(needs_attention)
    checked_at = timezone.now() - timedelta(days=3)
    # All of it three days ago: the create, then the check.
    needs_attention.events.exclude(action="homes/list").update(at=checked_at - timedelta(minutes=1))
    needs_attention.events.filter(action="homes/list").update(at=checked_at)

    page = support_client.get(resolve_url(needs_attention)).content.decode()

    day = timezone.localtime(checked_at)
    assert f"Checked with WattShift on {day.day} {day:%b %Y} at " in page
    assert len(wattshift_api.calls) == 1  # the check's, not the page's


def test_with_no_check_yet_the_page_says_so_and_checking_fills_it(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    page = support_client.get(resolve_url(needs_attention)).content.decode()

    assert len(wattshift_api.calls) == 0
    assert "The homes WattShift lists like this one are not known yet" in page
    assert "listed-homes" not in page
    check_again = f'action="{action_url(needs_attention, "reconcile")}"'
    assert check_again in page and "Check WattShift again" in page

    wattshift_api.add(
        responses.POST, url("homes/list"), json=two_matches_and_a_neighbour(needs_attention)
    )
    response = support_client.post(action_url(needs_attention, "reconcile"), follow=True)

    assert response.redirect_chain == [(resolve_url(needs_attention), 302)]
    page = response.content.decode()
    assert page.count("Still not sure") == 1  # the outcome, said once
    assert CHECKED_TODAY.search(page)
    assert "ws_home_a" in page and "ws_home_b" in page
    assert "not known yet" not in page
    assert len(wattshift_api.calls) == 1


def test_check_wattshift_again_refreshes_the_homes_shown(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    first = wattshift_api.add(
        responses.POST, url("homes/list"), json=two_matches_and_a_neighbour(needs_attention)
    )
    factories.checked_with_wattshift(needs_attention)
    wattshift_api.remove(first)
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(needs_attention, "ws_home_c"), listed_home(needs_attention, "ws_home_d")],
    )

    page = support_client.post(
        action_url(needs_attention, "reconcile"), follow=True
    ).content.decode()

    assert "ws_home_c" in page and "ws_home_d" in page
    assert "ws_home_a" not in page.split("<h2>History</h2>")[0]
    assert len(wattshift_api.calls) == 2


def test_a_check_whose_list_failed_is_shown_with_its_reason(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), status=503, json={"error": "busy"})
    factories.checked_with_wattshift(needs_attention)
    calls_before = len(wattshift_api.calls)

    page = support_client.get(resolve_url(needs_attention)).content.decode()

    assert len(wattshift_api.calls) == calls_before
    assert CHECKED_TODAY.search(page)
    assert "list of homes could not be fetched." in page
    assert "I have checked this id in WattShift myself" in page
