"""The home page: confirmation, what was sent, each API step, and the price chart."""

import re
from datetime import timedelta

import pytest
import responses
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import recovery
from tests.wizard import factories
from tests.wizard.pages import home_url, price_url, summary_row
from tests.wizard.upstream import HOME_ID, add_price_signal, url

Status = Onboarding.Status
SolarStatus = Onboarding.SolarStatus
PRICE_SIGNAL = url(f"homes/{HOME_ID}/price_signal")


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


def test_the_chart_summary_gives_lowest_highest_and_peak_window_in_local_time(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(created_home)).content.decode()

    assert "$0.210 per kWh" in page
    assert "$0.480 per kWh" in page
    assert "4:00 PM \u2013 9:00 PM" in page  # 95313 is in California: UTC 23:00 is 4 PM PDT
    assert "America/Los_Angeles" in page


def test_the_chart_summary_says_each_peak_and_lowest_period_with_its_day(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(created_home)).content.decode()

    assert summary_row("Lowest price", "$0.210 per kWh, 12:00 AM – 4:00 PM today") in page
    assert summary_row("Highest price", "$0.480 per kWh, in the peak window") in page
    assert summary_row("Peak window", "4:00 PM – 9:00 PM today") in page
    assert page.count('<rect class="chart__peak"') == 1


def test_in_the_evening_tonight_and_tomorrows_peaks_are_both_shown(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    # From 6 PM in California: the rest of tonight's peak, then tomorrow's up to 6 PM.
    prices = [0.48] * 12 + [0.21] * 76 + [0.48] * 8
    wattshift_api.add(
        responses.POST,
        PRICE_SIGNAL,
        json={"startTime": "2025-06-03T01:00:00Z", "priceSignal": prices},
    )

    page = installer_client.get(home_url(created_home)).content.decode()

    peaks = "6:00 PM – 9:00 PM today and 4:00 PM – 6:00 PM tomorrow"
    assert summary_row("Peak window", peaks) in page
    assert summary_row("Lowest price", "$0.210 per kWh, 9:00 PM today – 4:00 PM tomorrow") in page
    assert summary_row("Highest price", "$0.480 per kWh, in each peak window") in page
    assert f"Shaded peak window: {peaks}.</desc>" in page
    assert page.count('<rect class="chart__peak"') == 2
    # Told apart without colour: hatched, and each marked "Peak" above its band.
    assert page.count('fill="url(#chart-peak-hatch)"') == 2
    assert '<pattern id="chart-peak-hatch"' in page
    assert page.count('class="chart__label chart__label--peak"') == 2
    assert page.count(">Peak</text>") == 2
    assert "The peak window is hatched and marked “Peak”." in page


def test_a_flat_price_is_one_row_and_nothing_is_shaded(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        PRICE_SIGNAL,
        json={"startTime": "2025-06-03T01:00:00Z", "priceSignal": [0.25] * 96},
    )

    page = installer_client.get(home_url(created_home)).content.decode()

    assert summary_row("Price", "The same price all day: $0.250 per kWh") in page
    assert "The same price all day: $0.250 per kWh</desc>" in page
    assert "Lowest price" not in page
    assert "Peak window" not in page
    assert "chart__peak" not in page
    assert "chart-peak-hatch" not in page
    assert "hatched" not in page


def test_the_copy_button_is_progressive_enhancement_and_no_inline_script(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(created_home)).content.decode()

    assert re.search(r'<button type="button"[^>]*data-copy="home-id"[^>]*hidden>', page)
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []
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


def _older_shape() -> dict[str, object]:
    return {"startTime": "2025-06-02T07:00:00Z", "priceSignal": [0.2] * 48 + [0.3] * 48}


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
