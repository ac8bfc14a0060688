"""Creating the home and its page (views/home.py): Create home, the page of the created home
with what was sent, each API step and its price signal, and Check again."""

import re
from datetime import timedelta

import pytest
import requests
import responses
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from onboarding.wizard import steps
from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import recovery
from tests.wizard import factories
from tests.wizard.pages import check_url, home_url, price_url, submit_url, summary_row
from tests.wizard.upstream import (
    HOME_ID,
    PRICE_SIGNAL,
    RATE_LIMITED,
    add_created,
    add_price_signal,
    add_solar_ok,
    calls_to,
    end_the_cache_window,
    listed_home,
    url,
)

Status = Onboarding.Status
SolarStatus = Onboarding.SolarStatus


# Submit ---------------------------------------------------------------------------------------


def test_create_home_leads_to_the_home_page(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)
    add_price_signal(wattshift_api)

    response = installer_client.post(submit_url(ready_onboarding), follow=True)

    assert response.redirect_chain == [(home_url(ready_onboarding), 302)]
    assert response.status_code == 200
    assert HOME_ID in response.content.decode()
    ready_onboarding.refresh_from_db()
    assert ready_onboarding.status == Status.COMPLETE


def test_submit_is_post_only(installer_client: Client, ready_onboarding: Onboarding) -> None:
    response = installer_client.get(submit_url(ready_onboarding))

    assert response.status_code == 405
    ready_onboarding.refresh_from_db()
    assert ready_onboarding.status == Status.DRAFT


def test_a_double_post_creates_one_home_and_shows_the_current_state(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)
    add_price_signal(wattshift_api)

    first = installer_client.post(submit_url(ready_onboarding))
    second = installer_client.post(submit_url(ready_onboarding), follow=True)

    assert first["Location"] == home_url(ready_onboarding)
    assert second.redirect_chain == [(home_url(ready_onboarding), 302)]
    assert "Nothing was sent again" in second.content.decode()
    assert len(calls_to(wattshift_api, "homes/create")) == 1
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1


def test_a_post_while_another_is_in_flight_shows_it_is_being_created(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    Onboarding.objects.filter(pk=ready_onboarding.pk).update(status=Status.SUBMITTING)

    response = installer_client.post(submit_url(ready_onboarding), follow=True)

    assert response.redirect_chain == [(home_url(ready_onboarding), 302)]
    assert "The home is being created" in response.content.decode()
    assert len(wattshift_api.calls) == 0


def test_someone_elses_onboarding_is_not_found(
    installer_client: Client,
    other_installer: User,
    wattshift_api: responses.RequestsMock,
) -> None:
    theirs = factories.onboarding(other_installer)

    assert installer_client.post(submit_url(theirs)).status_code == 404
    assert installer_client.get(home_url(theirs)).status_code == 404
    assert len(wattshift_api.calls) == 0
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT


def test_support_may_submit_anyones_onboarding(
    support_client: Client,
    support_user: User,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    add_created(wattshift_api)
    add_solar_ok(wattshift_api)

    response = support_client.post(submit_url(ready_onboarding))

    assert response["Location"] == home_url(ready_onboarding)
    ready_onboarding.refresh_from_db()
    assert ready_onboarding.submitted_by == support_user


def test_a_failed_create_goes_back_to_check_answers_with_the_reason_and_answers(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ConnectionError("no"))

    response = installer_client.post(submit_url(ready_onboarding), follow=True)

    assert response.redirect_chain == [(check_url(ready_onboarding), 302)]
    page = response.content.decode()
    assert "Could not reach the WattShift service" in page
    assert "Maple House" in page
    assert "E-6" in page


def test_an_incomplete_draft_goes_back_to_the_first_unanswered_step(
    installer_client: Client, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer, home_name="", has_solar=None)

    response = installer_client.post(submit_url(onboarding))

    assert response["Location"] == reverse("wizard:resume", args=[onboarding.public_id])
    assert len(wattshift_api.calls) == 0


def test_an_unknown_outcome_shows_needs_attention_and_support_will_resolve(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), body=requests.ReadTimeout())
    wattshift_api.add(responses.POST, url("homes/list"), status=503)

    response = installer_client.post(submit_url(ready_onboarding), follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(home_url(ready_onboarding), 302)]
    assert "We could not confirm the home was created" in page
    assert "Support will check with WattShift" in page
    assert "Resolve this onboarding" not in page  # installers cannot resolve
    again = installer_client.post(submit_url(ready_onboarding), follow=True)
    assert "We could not confirm the home was created" in again.content.decode()
    assert len(calls_to(wattshift_api, "homes/create")) == 1


def test_an_answer_changed_by_another_tab_during_submit_sends_nothing_and_shows_the_step(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = steps.missing_answers
    first = []

    def then_the_zip_changes(onboarding: Onboarding) -> list[str]:
        missing = check(onboarding)
        if not first:
            first.append(missing)
            Onboarding.objects.filter(pk=onboarding.pk).update(
                zipcode="10001", utility_id="", utility_name="", rate_plan_id="", rate_plan_name=""
            )
        return missing

    monkeypatch.setattr(steps, "missing_answers", then_the_zip_changes)

    response = installer_client.post(submit_url(ready_onboarding))

    assert response.status_code == 302
    assert response["Location"] == reverse("wizard:resume", args=[ready_onboarding.public_id])
    assert len(wattshift_api.calls) == 0
    ready_onboarding.refresh_from_db()
    assert ready_onboarding.status == Status.DRAFT


def test_solar_failure_offers_a_retry_that_only_adds_solar(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    add_created(wattshift_api)
    wattshift_api.add(responses.POST, url("homes/solar/create"), status=503)
    add_price_signal(wattshift_api)

    response = installer_client.post(submit_url(ready_onboarding), follow=True)

    page = response.content.decode()
    assert HOME_ID in page
    assert "Solar not added yet" in page
    # Said once, beside the retry: no banner repeating it above the panel.
    assert page.count("adding solar failed") == 1
    assert "Try adding solar again" in page

    # The 503 may hide solar that was added: the retry sets the values with homes/update.
    wattshift_api.add(responses.POST, url(f"homes/{HOME_ID}/update"), json={"id": HOME_ID})
    retried = installer_client.post(submit_url(ready_onboarding), follow=True)

    assert "Try adding solar again" not in retried.content.decode()
    ready_onboarding.refresh_from_db()
    assert ready_onboarding.status == Status.COMPLETE
    assert ready_onboarding.solar_status == SolarStatus.ADDED
    assert len(calls_to(wattshift_api, "homes/create")) == 1
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1
    assert len(calls_to(wattshift_api, f"homes/{HOME_ID}/update")) == 1


# The home page -------------------------------------------------------------------------------


def test_the_home_page_shows_the_id_the_plan_and_a_price_chart(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    response = installer_client.get(home_url(created_home))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="panel__title">Home created</h1>' in page
    assert f'<strong class="reference" id="home-id">{HOME_ID}</strong>' in page
    assert "E-6" in page
    assert "PGE-E-6" in page  # the plan's rateID
    assert "66d811ce52c6fe40859130e8" in page
    assert "Pacific Gas &amp; Electric" in page
    assert summary_row("Utility id", "14328") in page
    assert summary_row("Rate plan id", "66d811ce52c6fe40859130e8") in page
    assert summary_row("Tariff reference", "PGE-E-6") in page
    assert "rateID" not in page
    assert "Not provided" in page  # the unanswered electric water heater
    assert "7.6 kW" in page
    assert re.search(r'<svg class="chart"[^>]*role="img"', page)
    assert '<title id="price-chart-title">' in page
    assert '<desc id="price-chart-desc">' in page
    assert "Added" in page  # the solar step's result


def test_the_copy_button_is_progressive_enhancement_and_no_inline_script(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(created_home)).content.decode()

    assert re.search(r'<button type="button"[^>]*data-copy="home-id"[^>]*hidden>', page)
    # No inline script runs: the only script element without src is json_script's data.
    inline = re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page)
    assert inline == ['<script id="field-config" type="application/json">']
    # Only the script unhides it, and only where the clipboard can be written.
    script = (settings.BASE_DIR / "static" / "js" / "app.js").read_text()
    unhide = script.index("button.hidden = false")
    assert script.rindex("if (!navigator.clipboard)", 0, unhide) < unhide
    assert (
        "[hidden] { display: none !important; }"
        in (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    )


def test_the_price_signal_is_fetched_once_per_cache_window(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    installer_client.get(home_url(created_home))
    installer_client.get(home_url(created_home))

    assert len(wattshift_api.calls) == 1


@pytest.mark.parametrize(
    "failure",
    [{"status": 503}, {"status": 200, "body": "not json"}, {"status": 404, "json": {}}],
    ids=["503", "not json", "404"],
)
def test_when_prices_cannot_be_fetched_the_home_is_still_shown_with_a_retry(
    installer_client: Client,
    created_home: Onboarding,
    wattshift_api: responses.RequestsMock,
    failure: dict[str, object],
) -> None:
    wattshift_api.add(responses.POST, PRICE_SIGNAL, **failure)

    response = installer_client.get(home_url(created_home))

    page = response.content.decode()
    assert response.status_code == 200
    assert HOME_ID in page
    assert "could not be fetched" in page
    assert '<svg class="chart"' not in page
    assert f'action="{price_url(created_home)}"' in page
    assert ">Try again</button>" in page


def _older_shape() -> dict[str, object]:
    return {"startTime": "2025-06-02T07:00:00Z", "priceSignal": [0.2] * 48 + [0.3] * 48}


def test_try_again_without_javascript_fetches_again_on_the_home_page(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, PRICE_SIGNAL, status=503)
    installer_client.get(home_url(created_home))
    wattshift_api.replace(responses.POST, PRICE_SIGNAL, json=_older_shape())

    response = installer_client.post(price_url(created_home), follow=True)

    assert response.redirect_chain == [(home_url(created_home) + "#price-signal", 302)]
    assert '<svg class="chart"' in response.content.decode()


def test_try_again_with_htmx_swaps_only_the_chart(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, PRICE_SIGNAL, json=_older_shape())

    response = installer_client.post(price_url(created_home), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="price-signal"')
    assert '<svg class="chart"' in page
    assert "<html" not in page


def test_the_partial_can_be_fetched_with_get(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    response = installer_client.get(price_url(created_home))

    assert response.content.decode().lstrip().startswith('<section id="price-signal"')


def test_someone_elses_price_signal_is_not_found(
    installer_client: Client, other_installer: User, wattshift_api: responses.RequestsMock
) -> None:
    theirs = factories.onboarding(other_installer, status=Status.COMPLETE, home_id=HOME_ID)

    assert installer_client.get(price_url(theirs)).status_code == 404
    assert installer_client.post(price_url(theirs)).status_code == 404
    assert len(wattshift_api.calls) == 0


def test_a_draft_has_no_home_page_yet(
    installer_client: Client, ready_onboarding: Onboarding
) -> None:
    response = installer_client.get(home_url(ready_onboarding))

    assert response["Location"] == reverse("wizard:resume", args=[ready_onboarding.public_id])


def test_home_created_without_solar_shows_the_retry_and_the_chart(
    installer_client: Client, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(
        installer,
        status=Status.HOME_CREATED,
        home_id=HOME_ID,
        last_error="The home was created, but adding solar failed: no answer.",
    )
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(onboarding)).content.decode()

    assert '<h1 class="panel__title">Home created</h1>' in page
    assert '<p class="panel__status">Solar not added yet</p>' in page
    assert "Try adding solar again" in page
    assert "Failed" in page
    assert '<svg class="chart"' in page
    # The reason is given once, beside the retry, not also in a banner at the top.
    assert page.count("adding solar failed") == 1
    assert page.index("adding solar failed") > page.index('id="solar-problem"')
    assert page.index("adding solar failed") < page.index("Try adding solar again")
    assert 'class="notices"' not in page


def test_what_was_sent_reads_like_check_answers(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(created_home)).content.decode()

    sent = page[page.index("What was sent") :]
    assert summary_row("Rate plan", "E-6 (PGE-E-6)") in sent
    assert summary_row("Does the home have an electric water heater?", "Not provided") in sent
    assert summary_row("Solar system size", "7.6 kW") in sent
    assert summary_row("Net metered", "Yes") in sent


def test_a_submission_whose_worker_died_is_released_by_opening_the_page(
    installer_client: Client, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer)
    long_ago = timezone.now() - recovery.stale_after() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=onboarding.pk).update(
        status=Status.SUBMITTING, submitted_at=long_ago, updated_at=long_ago
    )

    page = installer_client.get(home_url(onboarding)).content.decode()

    assert "Refresh this page" not in page
    assert "We could not confirm the home was created" in page
    assert ">Check again</button>" in page
    onboarding.refresh_from_db()
    assert onboarding.status == Status.NEEDS_ATTENTION
    assert len(wattshift_api.calls) == 0


def test_a_submission_still_in_flight_is_left_alone(
    installer_client: Client, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer)
    Onboarding.objects.filter(pk=onboarding.pk).update(status=Status.SUBMITTING)

    page = installer_client.get(home_url(onboarding)).content.decode()

    assert "Refresh this page" in page
    onboarding.refresh_from_db()
    assert onboarding.status == Status.SUBMITTING


def test_viewing_the_page_again_writes_no_history(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    installer_client.get(home_url(created_home))
    cache.clear()  # the price signal's cache window has passed
    installer_client.get(home_url(created_home))

    assert len(wattshift_api.calls) == 2
    assert created_home.events.filter(action="price_signal").count() == 1


def test_needs_attention_shows_no_chart_and_calls_nothing(
    installer_client: Client, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(installer, status=Status.NEEDS_ATTENTION)

    page = installer_client.get(home_url(onboarding)).content.decode()

    assert "We could not confirm the home was created" in page
    assert "price-signal" not in page
    assert len(wattshift_api.calls) == 0


def test_a_plan_without_a_tariff_reference_has_no_such_row(
    installer_client: Client, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    onboarding = factories.onboarding(
        installer,
        status=Status.COMPLETE,
        home_id=HOME_ID,
        rate_plan_rate_id="",
    )
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(onboarding)).content.decode()

    assert "Tariff reference" not in page
    assert "rateID" not in page
    assert summary_row("Rate plan id", "66d811ce52c6fe40859130e8") in page


def test_the_home_id_is_one_selectable_unbroken_reference(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(created_home)).content.decode()
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()

    assert f'id="home-id">{HOME_ID}</strong>' in page
    assert "chart__label chart__label--minor" in page
    # Broken only where it must be (overflow-wrap), never anywhere at all (word-break).
    assert ".panel .reference { word-break: normal; overflow-wrap: anywhere; }" in css
    assert "user-select: all" in css


# Check again, on the home page -------------------------------------------------------------


def test_right_after_an_unknown_outcome_the_installer_is_told_to_check_again(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    """homes/list answering at once with no match proves nothing: the create may be running."""
    wattshift_api.add(responses.POST, url("homes/create"), status=500)
    wattshift_api.add(responses.POST, url("homes/list"), json=[])

    response = installer_client.post(submit_url(ready_onboarding), follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(home_url(ready_onboarding), 302)]
    assert "WattShift may still be creating this home. Check again in a minute." in page
    assert ">Check again</button>" in page
    assert f'<form method="post" action="{home_url(ready_onboarding)}">' in page

    checked = installer_client.post(home_url(ready_onboarding), follow=True)

    assert checked.redirect_chain == [(home_url(ready_onboarding), 302)]
    assert "WattShift may still be creating this home" in checked.content.decode()
    assert len(calls_to(wattshift_api, "homes/list")) == 2
    assert len(calls_to(wattshift_api, "homes/create")) == 1


def test_check_again_after_the_grace_period_lets_the_draft_be_sent_again(
    installer_client: Client,
    ready_onboarding: Onboarding,
    wattshift_api: responses.RequestsMock,
    settings: Settings,
) -> None:
    wattshift_api.add(responses.POST, url("homes/create"), status=500)
    wattshift_api.add(responses.POST, url("homes/list"), json=[])
    installer_client.post(submit_url(ready_onboarding))
    settings.WS_RECONCILE_GRACE_SECONDS = 0  # as if a minute had passed

    response = installer_client.post(home_url(ready_onboarding), follow=True)

    assert response.redirect_chain == [(check_url(ready_onboarding), 302)]
    assert "safe to try again" in response.content.decode()
    ready_onboarding.refresh_from_db()
    assert ready_onboarding.status == Status.DRAFT
    assert ready_onboarding.events.last().by is not None


def test_check_again_adopts_the_home_for_the_installer_too(
    installer_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_late")]
    )
    add_solar_ok(wattshift_api, "ws_home_late")
    add_price_signal(wattshift_api, "ws_home_late")

    response = installer_client.post(home_url(needs_attention), follow=True)

    assert response.redirect_chain == [(home_url(needs_attention), 302)]
    assert "ws_home_late" in response.content.decode()
    needs_attention.refresh_from_db()
    assert needs_attention.status == Status.COMPLETE


def test_a_rate_limited_create_says_one_time_to_try_again(
    installer_client: Client, ready_onboarding: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    """The refusal's message and check answers' own words name the same minute."""
    wattshift_api.add(responses.POST, url("homes/create"), status=429, json=RATE_LIMITED)
    installer_client.post(submit_url(ready_onboarding))

    page = installer_client.post(submit_url(ready_onboarding), follow=True).content.decode()

    said = re.findall(r"WattShift asked to wait, so try again after (\d{1,2}:\d\d [AP]M)\.", page)
    assert len(said) == 2 and said[0] == said[1], said  # the message, and the page's own words
    assert page.count("Nothing was sent: WattShift asked to wait") == 1
    assert len(calls_to(wattshift_api, "homes/create")) == 1


def test_check_again_waits_for_the_time_wattshift_gave(
    installer_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), status=429, json=RATE_LIMITED)
    installer_client.post(home_url(needs_attention))

    response = installer_client.post(home_url(needs_attention), follow=True)

    assert response.redirect_chain == [(home_url(needs_attention), 302)]
    assert re.search(
        r"WattShift was not asked again: WattShift asked to wait, so try again after "
        r"\d{1,2}:\d\d [AP]M\.",
        response.content.decode(),
    )
    assert len(calls_to(wattshift_api, "homes/list")) == 1

    # The time WattShift gave has passed (on the row, and for the account's list in the cache):
    # Check again asks it.
    passed = timezone.now() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=needs_attention.pk).update(retry_not_before=passed)
    end_the_cache_window()
    wattshift_api.replace(responses.POST, url("homes/list"), json=[])

    installer_client.post(home_url(needs_attention))

    assert len(calls_to(wattshift_api, "homes/list")) == 2


def test_check_again_on_someone_elses_onboarding_is_not_found(
    installer_client: Client, other_installer: User, wattshift_api: responses.RequestsMock
) -> None:
    theirs = factories.onboarding(other_installer, status=Status.NEEDS_ATTENTION)

    assert installer_client.post(home_url(theirs)).status_code == 404
    assert len(wattshift_api.calls) == 0


def test_check_again_on_a_finished_onboarding_calls_nothing(
    installer_client: Client, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    done = factories.onboarding(installer, status=Status.COMPLETE, home_id=HOME_ID)

    response = installer_client.post(home_url(done))

    assert response["Location"] == home_url(done)
    assert len(wattshift_api.calls) == 0
