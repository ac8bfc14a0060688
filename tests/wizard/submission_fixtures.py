"""Fixtures and helpers for the submission tests: a finished draft and a mocked upstream.

Registered as a plugin in tests/conftest.py so every test module sees the fixtures.
"""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import responses
from django.contrib.auth.models import User
from pytest_django.fixtures import Settings

from onboarding.wizard.models import AcType, Answer, Onboarding

API = "https://ws.test"
HOME_ID = "ws_home_123456789"
E6_ID = "66d811ce52c6fe40859130e8"  # shared with TOU-C in the documented example


def url(path: str) -> str:
    return f"{API}/v1/{path}"


def make_onboarding(owner: User, **fields: object) -> Onboarding:
    """A draft with every answer given: PG&E E-6 in 95313, every appliance, 7.6 kW solar."""
    values: dict[str, object] = {
        "zipcode": "95313",
        "utility_id": "14328",
        "utility_name": "Pacific Gas & Electric",
        "rate_plan_id": E6_ID,
        "rate_plan_name": "E-6",
        "rate_plan_rate_id": "PGE-E-6",
        "home_name": "Maple House",
        "has_ev_charger": Answer.YES,
        "has_electric_heater": Answer.NO,
        "has_smart_water_heater": Answer.NOT_SURE,
        "has_electric_water_heater": "",
        "has_ac": Answer.YES,
        "ac_type": AcType.CENTRAL,
        "has_solar": True,
        "solar_size_kw": Decimal("7.6"),
        "solar_net_metered": True,
    }
    values.update(fields)
    return Onboarding.objects.create(owner=owner, **values)


@pytest.fixture
def ready_onboarding(installer: User) -> Onboarding:
    return make_onboarding(installer)


@pytest.fixture
def wattshift_api(settings: Settings) -> Iterator[responses.RequestsMock]:
    """The WattShift API, mocked; nothing unregistered may be called. Retries do not wait."""
    settings.WS_API_URL = API
    settings.WS_API_KEY = "test-key-not-secret-1234"
    settings.WS_API_AUTH = "api-key"
    settings.WS_API_BACKOFF = 0
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def calls_to(upstream: responses.RequestsMock, path: str) -> list[responses.Call]:
    return [call for call in upstream.calls if call.request.url == url(path)]


def body_of(call: responses.Call) -> object:
    return json.loads(call.request.body)


def add_created(upstream: responses.RequestsMock, home_id: str = HOME_ID) -> None:
    upstream.add(responses.POST, url("homes/create"), json={"id": home_id})


def add_solar_ok(upstream: responses.RequestsMock, home_id: str = HOME_ID) -> None:
    upstream.add(responses.POST, url("homes/solar/create"), json={"homeId": home_id})


def add_price_signal(upstream: responses.RequestsMock, home_id: str = HOME_ID) -> list[float]:
    """The older shape: 96 quarter-hour prices from midnight Pacific time, peak 4 PM to 9 PM."""
    prices = [0.21] * 64 + [0.48] * 20 + [0.27] * 12
    start = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # midnight in California
    upstream.add(
        responses.POST,
        url(f"homes/{home_id}/price_signal"),
        json={"startTime": start.isoformat(), "priceSignal": prices},
    )
    return prices


def listed_home(onboarding: Onboarding, home_id: str, **fields: str) -> dict[str, str]:
    """An entry of homes/list describing this onboarding's home."""
    home = {
        "id": home_id,
        "name": onboarding.home_name,
        "zipcode": onboarding.zipcode,
        "utilityId": onboarding.utility_id,
        "ratePlanId": onboarding.rate_plan_id,
        "createdAt": (datetime.now(UTC) - timedelta(seconds=5)).isoformat(),
    }
    home.update(fields)
    return home
