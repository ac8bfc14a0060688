"""Changing a created home (views/changes.py): the change page with the current values, the
confirmation page with exactly the differences, sending, and everything without JavaScript."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import responses
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from onboarding.wizard.models import Onboarding
from tests.wizard import factories
from tests.wizard.pages import (
    HTMX,
    change_url,
    checked_radios,
    confirm_url,
    home_url,
    plan_choice,
    send_url,
)
from tests.wizard.upstream import (
    HOME_ID,
    PGE_95313,
    RATE_LIMITED,
    SHARED_ID,
    TOU_D_ID,
    TWO_UTILITIES,
    add_price_signal,
    body_of,
    calls_to,
    url,
)

Status = Onboarding.Status
UPDATE = f"homes/{HOME_ID}/update"


@pytest.fixture
def upstream(wattshift_api: responses.RequestsMock) -> responses.RequestsMock:
    """WattShift with the ZIP codes' utilities, the price signal and a working update."""
    wattshift_api.add(
        responses.POST,
        url("utility/get"),
        json=PGE_95313,
        match=[responses.matchers.json_params_matcher({"zipcode": "95313"})],
    )
    wattshift_api.add(
        responses.POST,
        url("utility/get"),
        json=TWO_UTILITIES,
        match=[responses.matchers.json_params_matcher({"zipcode": "95630"})],
    )
    add_price_signal(wattshift_api)
    wattshift_api.add(responses.POST, url(UPDATE), json={"id": HOME_ID})
    return wattshift_api


def page_form(onboarding: Onboarding, **answers: str) -> dict[str, str]:
    """What the change page posts with the home's values left as they are, then `answers`."""
    onboarding.refresh_from_db()
    size = onboarding.solar_size_kw
    data = {
        "since": onboarding.updated_at.isoformat(),
        "for_zipcode": onboarding.zipcode,
        "home_name": onboarding.home_name,
        "utility": onboarding.utility_id,
        "plans_for": onboarding.utility_id,
        "plan": ""
        if onboarding.plan_to_confirm
        else plan_choice(onboarding.rate_plan_id, onboarding.rate_plan_name),
        "solar_size_kw": "" if size is None else f"{size.normalize():f}",
        "solar_net_metered": {True: "yes", False: "no", None: ""}[onboarding.solar_net_metered],
        "continue": "1",
    }
    if not onboarding.has_solar:
        data["has_solar"] = "no"
    data.update(answers)
    return data


def check(client: Client, onboarding: Onboarding, **answers: str) -> HttpResponse:
    """Continue on the change page, following to the confirmation page."""
    response = client.post(change_url(onboarding), page_form(onboarding, **answers), follow=True)
    assert response.status_code == 200
    return response


def token(page: HttpResponse) -> str:
    found = re.search(r'name="change" value="([^"]+)"', page.content.decode())
    assert found, "no change to send on this page"
    return html.unescape(found.group(1))


def rows(page: HttpResponse) -> list[tuple[str, str]]:
    """The confirmation page's changes: (what, "old → new")."""
    listed = page.content.decode().split('id="changes"')[1].split("</dl>")[0]
    found = re.findall(
        r'<dt class="summary-list__key">(.*?)</dt>\s*<dd class="summary-list__value">(.*?)</dd>',
        listed,
    )
    return [(html.unescape(key), html.unescape(value)) for key, value in found]


def messages_on(page: HttpResponse) -> list[str]:
    return [
        html.unescape(m)
        for m in re.findall(r'<p class="notice[^"]*">(.*?)</p>', page.content.decode())
    ]


# The home page and the change page ------------------------------------------------------------


def test_a_created_home_offers_change_this_home(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    page = installer_client.get(home_url(created_home)).content.decode()

    assert f'href="{change_url(created_home)}"' in page
    assert "Change this home" in page


@pytest.mark.parametrize("status", [Status.HOME_CREATED, Status.NEEDS_ATTENTION, Status.UPDATING])
def test_a_home_not_complete_offers_no_change_and_its_change_page_sends_back(
    installer_client: Client,
    installer: User,
    upstream: responses.RequestsMock,
    status: str,
) -> None:
    home = factories.onboarding(installer, status=status, home_id=HOME_ID)

    assert "Change this home" not in installer_client.get(home_url(home)).content.decode()
    response = installer_client.get(change_url(home), follow=True)

    assert response.redirect_chain[0] == (home_url(home), 302)
    assert any("changed" in message for message in messages_on(response))


def test_a_draft_goes_back_to_its_answers_with_a_message(
    installer_client: Client, complete_draft: Onboarding
) -> None:
    response = installer_client.get(change_url(complete_draft), follow=True)

    assert response.redirect_chain[0] == (home_url(complete_draft), 302)
    assert "This home has not been created yet" in response.content.decode()


def test_someone_elses_home_is_not_found(
    installer_client: Client, other_installer: User, upstream: responses.RequestsMock
) -> None:
    theirs = factories.onboarding(other_installer, status=Status.COMPLETE, home_id=HOME_ID)

    assert installer_client.get(change_url(theirs)).status_code == 404
    assert installer_client.get(confirm_url(theirs), {"change": "x"}).status_code == 404
    assert installer_client.post(send_url(theirs), {"change": "x"}).status_code == 404
    assert calls_to(upstream, UPDATE) == []


def test_the_change_page_has_the_current_values_filled_in(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    response = installer_client.get(change_url(created_home))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Maple House"' in page
    assert checked_radios(page, "utility") == ["14328"]
    # E-6, not TOU-C, though they share an id: the plan picked is the plan shown.
    assert checked_radios(page, "plan") == [plan_choice(SHARED_ID, "E-6")]
    assert "I'm not sure" not in page
    assert 'value="7.6"' in page
    assert checked_radios(page, "solar_net_metered") == ["yes"]
    # A home with solar keeps it: there is no question that would remove it.
    assert 'name="has_solar"' not in page
    assert calls_to(upstream, UPDATE) == []


def test_the_plan_radios_show_the_tariff_reference(
    installer_client: Client, installer: User, upstream: responses.RequestsMock
) -> None:
    home = factories.onboarding(
        installer,
        status=Status.COMPLETE,
        home_id=HOME_ID,
        zipcode="95630",
        rate_plan_id="pge-e1",
        rate_plan_name="E-1",
        rate_plan_rate_id="PGE-E-1",
    )

    page = installer_client.get(change_url(home)).content.decode()

    hint = r'<label for="(id_plan_\d+)">E-1</label><p class="radio__hint" id="\1_hint">PGE-E-1</p>'
    assert re.search(hint, page)
    assert checked_radios(page, "plan") == [plan_choice("pge-e1", "E-1")]


def test_a_home_without_solar_is_asked_whether_it_has_it_now(
    installer_client: Client, installer: User, upstream: responses.RequestsMock
) -> None:
    home = factories.onboarding(
        installer,
        status=Status.COMPLETE,
        home_id=HOME_ID,
        has_solar=False,
        solar_size_kw=None,
        solar_net_metered=None,
    )

    page = installer_client.get(change_url(home)).content.decode()

    assert checked_radios(page, "has_solar") == ["no"]
    assert "System size in kW" in page


# Continue: the confirmation page lists exactly the differences --------------------------------


def test_the_confirmation_shows_exactly_what_changes_and_nothing_is_sent_yet(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    response = check(installer_client, created_home, plan=plan_choice(TOU_D_ID, "TOU-D"))

    assert response.redirect_chain[0][0].startswith(confirm_url(created_home) + "?change=")
    assert rows(response) == [("Rate plan", "E-6 → TOU-D")]
    assert "Send these changes to WattShift" in response.content.decode()
    assert calls_to(upstream, UPDATE) == []
    created_home.refresh_from_db()
    assert created_home.rate_plan_name == "E-6"


def test_every_kind_of_change_is_listed_old_then_new(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    response = check(
        installer_client,
        created_home,
        home_name="Maple House (Rivera)",
        plan=plan_choice(SHARED_ID, "TOU-C"),
        solar_size_kw="8,25",
        solar_net_metered="no",
    )

    assert rows(response) == [
        ("Home name", "Maple House → Maple House (Rivera)"),
        ("Rate plan", "E-6 → TOU-C"),
        ("Solar system size", "7.6 kW → 8.25 kW"),
        ("Net metered", "Yes → No"),
    ]


def test_no_change_at_all_says_so_and_sends_nothing(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    response = installer_client.post(
        change_url(created_home), page_form(created_home, home_name="  Maple House "), follow=True
    )

    assert response.redirect_chain == [(home_url(created_home), 302)]
    assert messages_on(response) == ["Nothing was changed, so nothing was sent to WattShift."]
    assert calls_to(upstream, UPDATE) == []


def test_refused_answers_show_the_page_again_with_errors(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    response = installer_client.post(
        change_url(created_home), page_form(created_home, home_name="", solar_size_kw="-2")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert "Enter a name for the home" in page
    assert "The system size must be more than 0 kW" in page
    assert 'value="-2"' in page  # what was typed is kept
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["home_name"]] == ["required"]
    assert calls_to(upstream, UPDATE) == []


def test_a_plan_of_another_utility_is_refused_as_tampered(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    response = installer_client.post(
        change_url(created_home), page_form(created_home, plan=plan_choice("smud-r-tod", "R-TOD"))
    )

    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["plan"]] == ["invalid_plan"]


def test_changes_made_while_the_page_was_open_are_not_kept(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    data = page_form(created_home, home_name="Oak House")
    Onboarding.objects.filter(pk=created_home.pk).update(updated_at=timezone.now())

    response = installer_client.post(change_url(created_home), data, follow=True)

    assert response.redirect_chain == [(change_url(created_home), 302)]
    assert "changed in another tab or window" in response.content.decode()
    assert 'value="Maple House"' in response.content.decode()


# Sending ---------------------------------------------------------------------------------------


def test_sending_makes_one_update_and_the_home_page_states_it_once(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    confirmation = check(installer_client, created_home, plan=plan_choice(TOU_D_ID, "TOU-D"))

    response = installer_client.post(
        send_url(created_home), {"change": token(confirmation)}, follow=True
    )

    assert response.redirect_chain == [(home_url(created_home), 302)]
    [update] = calls_to(upstream, UPDATE)
    assert body_of(update) == {"ratePlanId": TOU_D_ID}
    page = response.content.decode()
    assert messages_on(response) == ["The changes were sent to WattShift."]
    assert page.count("The changes were sent to WattShift.") == 1
    assert '<dd class="summary-list__value">TOU-D</dd>' in page
    assert "Ina changed the rate plan from E-6 to TOU-D" in page
    created_home.refresh_from_db()
    assert (created_home.status, created_home.rate_plan_id) == (Status.COMPLETE, TOU_D_ID)


def test_a_double_click_on_send_sends_once(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    confirmation = check(installer_client, created_home, home_name="Oak House")

    installer_client.post(send_url(created_home), {"change": token(confirmation)})
    again = installer_client.post(
        send_url(created_home), {"change": token(confirmation)}, follow=True
    )

    assert len(calls_to(upstream, UPDATE)) == 1
    # The first click's answer never showed (the browser left it for the second's).
    assert messages_on(again) == [
        "The changes were sent to WattShift.",
        "These changes were already made. Nothing was sent again.",
    ]


def test_a_stale_confirmation_from_another_tab_is_refused(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    first_tab = check(installer_client, created_home, home_name="Oak House")
    second_tab = check(installer_client, created_home, plan=plan_choice(TOU_D_ID, "TOU-D"))
    installer_client.post(send_url(created_home), {"change": token(second_tab)})

    # The first tab's confirmation was checked against the home before the second's change.
    stale = installer_client.post(send_url(created_home), {"change": token(first_tab)}, follow=True)

    assert stale.redirect_chain == [(change_url(created_home), 302)]
    assert "nothing was sent" in stale.content.decode()
    [update] = calls_to(upstream, UPDATE)
    assert body_of(update) == {"ratePlanId": TOU_D_ID}
    created_home.refresh_from_db()
    assert (created_home.home_name, created_home.rate_plan_name) == ("Maple House", "TOU-D")


def test_opening_a_stale_confirmation_sends_back_to_the_change_page(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    confirmation = check(installer_client, created_home, home_name="Oak House")
    Onboarding.objects.filter(pk=created_home.pk).update(updated_at=timezone.now())

    response = installer_client.get(
        confirm_url(created_home), {"change": token(confirmation)}, follow=True
    )

    assert response.redirect_chain == [(change_url(created_home), 302)]
    assert "changed in another tab or window" in response.content.decode()


def test_a_tampered_confirmation_is_not_read(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    confirmation = check(installer_client, created_home, home_name="Oak House")
    other = factories.onboarding(created_home.owner, status=Status.COMPLETE, home_id="ws_home_2")

    for target, change in [(created_home, token(confirmation) + "x"), (other, token(confirmation))]:
        response = installer_client.post(send_url(target), {"change": change}, follow=True)
        assert "These changes could not be read, so nothing was sent" in response.content.decode()
    assert upstream.calls and calls_to(upstream, UPDATE) == []


def test_back_from_the_confirmation_keeps_the_changes(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    confirmation = check(installer_client, created_home, home_name="Oak House", solar_size_kw="9")
    back = re.search(r'class="back-link" href="([^"]+)"', confirmation.content.decode())
    assert back

    page = installer_client.get(html.unescape(back.group(1))).content.decode()

    assert 'value="Oak House"' in page
    assert 'value="9"' in page
    assert checked_radios(page, "plan") == [plan_choice(SHARED_ID, "E-6")]


def test_a_refused_change_is_stated_once_on_the_home_page_and_nothing_changes(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("utility/get"), json=PGE_95313)
    add_price_signal(wattshift_api)
    wattshift_api.add(
        responses.POST,
        url(UPDATE),
        status=400,
        json={
            "request_id": "req_abc",
            "error_code": "VALIDATION_FAILED",
            "message": "This name is not accepted by WattShift.",
            "field_errors": [{"field": "name", "message": "Not accepted."}],
        },
    )
    confirmation = check(installer_client, created_home, home_name="Test Name Refused")

    response = installer_client.post(
        send_url(created_home), {"change": token(confirmation)}, follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain == [(home_url(created_home), 302)]
    problem = page.split('id="change-problem"')[1].split("</div>")[0]
    assert "WattShift did not make these changes" in problem
    assert "This name is not accepted by WattShift." in problem
    assert page.count("WattShift did not make these changes") == 1
    assert messages_on(response) == []
    assert "request_id=req_abc" in page
    created_home.refresh_from_db()
    assert (created_home.status, created_home.home_name) == (Status.COMPLETE, "Maple House")


def test_a_rate_limited_change_waits_on_its_confirmation_page_for_the_time_given(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("utility/get"), json=PGE_95313)
    add_price_signal(wattshift_api)
    wattshift_api.add(responses.POST, url(UPDATE), status=429, json=RATE_LIMITED)
    first = check(installer_client, created_home, home_name="Oak House")
    installer_client.post(send_url(created_home), {"change": token(first)})
    confirmation = check(installer_client, created_home, home_name="Oak House")

    response = installer_client.post(
        send_url(created_home), {"change": token(confirmation)}, follow=True
    )

    [(landed, _status)] = response.redirect_chain
    assert landed.startswith(confirm_url(created_home))
    [said] = messages_on(response)
    assert re.fullmatch(
        r"Nothing was sent: WattShift asked to wait, so try again after \d{1,2}:\d\d [AP]M\.",
        said,
    )
    assert rows(response) == [("Home name", "Maple House → Oak House")]  # ready to send later
    assert len(calls_to(wattshift_api, UPDATE)) == 1

    # The time WattShift gave has passed: the same confirmation sends it.
    passed = timezone.now() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=created_home.pk).update(retry_not_before=passed)
    wattshift_api.replace(responses.POST, url(UPDATE), json={"id": HOME_ID})

    sent = installer_client.post(
        send_url(created_home), {"change": token(confirmation)}, follow=True
    )

    assert messages_on(sent) == ["The changes were sent to WattShift."]
    assert len(calls_to(wattshift_api, UPDATE)) == 2


# Plan to confirm, solar, another utility -------------------------------------------------------


def test_a_plan_to_confirm_is_confirmed_by_choosing_it(
    installer_client: Client, installer: User, upstream: responses.RequestsMock
) -> None:
    home = factories.onboarding(
        installer,
        status=Status.COMPLETE,
        home_id=HOME_ID,
        rate_plan_id=TOU_D_ID,
        rate_plan_name="TOU-D",
        plan_to_confirm=True,
    )
    page = installer_client.get(change_url(home)).content.decode()
    assert "The rate plan is still to be confirmed" in page
    assert checked_radios(page, "plan") == []  # nothing chosen for the person

    confirmation = check(installer_client, home, plan=plan_choice(TOU_D_ID, "TOU-D"))
    assert rows(confirmation) == [("Rate plan", "TOU-D (to be confirmed) → TOU-D")]
    installer_client.post(send_url(home), {"change": token(confirmation)})

    [update] = calls_to(upstream, UPDATE)
    assert body_of(update) == {"ratePlanId": TOU_D_ID}
    home.refresh_from_db()
    assert home.plan_to_confirm is False


def test_a_plan_to_confirm_left_unselected_stays_to_confirm(
    installer_client: Client, installer: User, upstream: responses.RequestsMock
) -> None:
    home = factories.onboarding(
        installer, status=Status.COMPLETE, home_id=HOME_ID, plan_to_confirm=True
    )

    confirmation = check(installer_client, home, home_name="Oak House")

    assert rows(confirmation) == [("Home name", "Maple House → Oak House")]
    installer_client.post(send_url(home), {"change": token(confirmation)})
    home.refresh_from_db()
    assert home.plan_to_confirm is True


def test_adding_solar_lists_and_sends_its_size_and_metering(
    installer_client: Client, installer: User, upstream: responses.RequestsMock
) -> None:
    home = factories.onboarding(
        installer,
        status=Status.COMPLETE,
        home_id=HOME_ID,
        has_solar=False,
        solar_size_kw=None,
        solar_net_metered=None,
    )

    confirmation = check(
        installer_client, home, has_solar="yes", solar_size_kw="5", solar_net_metered="no"
    )
    assert rows(confirmation) == [
        ("Solar panels", "No → Yes"),
        ("Solar system size", "Not provided → 5 kW"),
        ("Net metered", "Not provided → No"),
    ]
    response = installer_client.post(send_url(home), {"change": token(confirmation)}, follow=True)

    [update] = calls_to(upstream, UPDATE)
    assert body_of(update) == {"solarSystemSizeKw": 5, "isNonNetMetered": True}
    assert "Ina added solar panels: 5 kW, not net metered" in response.content.decode()
    home.refresh_from_db()
    assert (home.has_solar, home.solar_size_kw, home.solar_net_metered) == (
        True,
        Decimal("5"),
        False,
    )


def test_removing_solar_is_not_offered_and_not_taken(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    response = installer_client.post(
        change_url(created_home), page_form(created_home, has_solar="no"), follow=True
    )

    assert messages_on(response) == ["Nothing was changed, so nothing was sent to WattShift."]
    created_home.refresh_from_db()
    assert created_home.has_solar is True


def test_another_utility_without_javascript_shows_its_plans_then_confirms_both(
    installer_client: Client, installer: User, upstream: responses.RequestsMock
) -> None:
    home = factories.onboarding(
        installer,
        status=Status.COMPLETE,
        home_id=HOME_ID,
        zipcode="95630",
        rate_plan_id="pge-e1",
        rate_plan_name="E-1",
        rate_plan_rate_id="PGE-E-1",
    )

    # The utility changed, but its plans were not shown yet: the page shows them, nothing else.
    shown = installer_client.post(change_url(home), page_form(home, utility="19229"))
    page = shown.content.decode()
    assert shown.status_code == 200
    assert "There is a problem" not in page
    assert "R-TOD" in page and 'name="plans_for" value="19229"' in page
    confirmation = check(
        installer_client,
        home,
        utility="19229",
        plans_for="19229",
        plan=plan_choice("smud-r-tod", "R-TOD"),
    )

    assert rows(confirmation) == [
        ("Utility", "Pacific Gas & Electric → Sacramento Municipal Utility District"),
        ("Rate plan", "E-1 → R-TOD"),
    ]
    installer_client.post(send_url(home), {"change": token(confirmation)})
    [update] = calls_to(upstream, UPDATE)
    assert body_of(update) == {"utilityId": "19229", "ratePlanId": "smud-r-tod"}
    home.refresh_from_db()
    assert (home.utility_name, home.rate_plan_rate_id) == (
        "Sacramento Municipal Utility District",
        "SMUD-R-TOD",
    )


def test_with_htmx_choosing_a_utility_shows_its_plans_alone(
    installer_client: Client, installer: User, upstream: responses.RequestsMock
) -> None:
    home = factories.onboarding(
        installer, status=Status.COMPLETE, home_id=HOME_ID, zipcode="95630", rate_plan_id="pge-e1"
    )

    response = installer_client.get(
        change_url(home), {"partial": "plans", "utility": "19229"}, headers=HTMX
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="plans"')
    assert "R-TOD" in page and "<html" not in page
    assert (
        f'hx-get="{change_url(home)}?partial=plans"'
        in installer_client.get(change_url(home)).content.decode()
    )


def test_support_may_change_anyones_home(
    support_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    confirmation = check(support_client, created_home, plan=plan_choice(TOU_D_ID, "TOU-D"))

    response = support_client.post(
        send_url(created_home), {"change": token(confirmation)}, follow=True
    )

    assert "Sam changed the rate plan from E-6 to TOU-D" in response.content.decode()
    assert len(calls_to(upstream, UPDATE)) == 1


def test_the_pages_are_plain_forms(
    installer_client: Client, created_home: Onboarding, upstream: responses.RequestsMock
) -> None:
    """Nothing needs JavaScript: each page posts a plain form to a URL of its own."""
    page = installer_client.get(change_url(created_home)).content.decode()
    confirmation = check(installer_client, created_home, home_name="Oak House").content.decode()

    assert f'<form method="post" action="{change_url(created_home)}" novalidate>' in page
    assert f'<form method="post" action="{send_url(created_home)}" novalidate>' in confirmation
    assert "hx-post" not in page + confirmation
