"""The price signal of a created home: cached per home, only its failures and first success
in the history (services/prices.py)."""

import pytest
import responses
from django.contrib.auth.models import User
from django.core.cache import cache

from onboarding.wattshift.errors import WattShiftError
from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import prices
from tests.wizard import factories
from tests.wizard.factories import events
from tests.wizard.upstream import EVERY_FAILURE, HOME_ID, add_price_signal, url

Status = Onboarding.Status


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
