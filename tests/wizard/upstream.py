"""The WattShift API, mocked, for the wizard tests: what it answers and what it was asked.

Two mocks, each a fixture:

- `utility_api`: utility/get alone, answering by ZIP code from UTILITIES_BY_ZIP (or an HTTP
  status, or an exception to raise), for the wizard's steps.
- `wattshift_api`: every other endpoint, registered by each test (`add_created`,
  `add_solar_ok`, ...); nothing unregistered may be called. For submitting and what follows.

Registered as a plugin in tests/conftest.py, so every test module sees the fixtures.
"""

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses
from django.core.cache import caches
from django.utils import timezone
from pytest_django.fixtures import Settings
from requests import PreparedRequest

from onboarding.wizard.models import Onboarding


def end_the_cache_window() -> None:
    """What the end of a cache window does: every cached answer, shared or this process's
    own copy, is gone."""
    for alias in ("default", "local"):
        caches[alias].clear()


# utility/get ----------------------------------------------------------------------------------

WIZARD_API = "https://ws-wizard.test"
UTILITY_GET = f"{WIZARD_API}/v1/utility/get"
TOU_D_ID = "662955dff338bcedec0dbfe7"
SHARED_ID = "66d811ce52c6fe40859130e8"  # TOU-C and E-6 share it in the documented example

# The documented example for 95313, in the older `wsRatePlans` shape (no rateID).
PGE_95313 = [
    {
        "utilityId": "14328",
        "utilityName": "Pacific Gas & Electric",
        "wsRatePlans": [
            {"id": TOU_D_ID, "ratePlanName": "TOU-D"},
            {"id": SHARED_ID, "ratePlanName": "TOU-C"},
            {"id": SHARED_ID, "ratePlanName": "E-6"},
        ],
    }
]
# Two utilities, in the current `ratePlans` shape.
TWO_UTILITIES = [
    {
        "utilityId": "14328",
        "utilityName": "Pacific Gas & Electric",
        "ratePlans": [
            {"id": "pge-e1", "ratePlanName": "E-1", "rateID": "PGE-E-1", "supportedType": "x"},
            {"id": "pge-tou-c", "ratePlanName": "TOU-C", "rateID": "PGE-TOU-C"},
        ],
    },
    {
        "utilityId": "19229",
        "utilityName": "Sacramento Municipal Utility District",
        "ratePlans": [
            {"id": "smud-r-tod", "ratePlanName": "R-TOD", "rateID": "SMUD-R-TOD"},
        ],
    },
]
CAMBRIDGE_02139 = [
    {
        "utilityId": "11804",
        "utilityName": "Eversource",
        "ratePlans": [{"id": "ev-r1", "ratePlanName": "R-1", "rateID": "NSTAR-R1"}],
    }
]
UTILITIES_BY_ZIP: dict[str, object] = {
    "95313": PGE_95313,
    "95630": TWO_UTILITIES,
    "02139": CAMBRIDGE_02139,
    "96799": [],
}


@dataclass
class UtilityApi:
    """utility/get, mocked: `answers` maps a ZIP code to a JSON answer, an HTTP status, or an
    error answer with WattShift's envelope, (status, envelope)."""

    mock: responses.RequestsMock
    answers: dict[str, object] = field(default_factory=lambda: dict(UTILITIES_BY_ZIP))
    # Seconds each answer takes, for tests of lookups that overlap.
    delay: float = 0.0

    def calls(self, zipcode: str | None = None) -> list[str]:
        """The ZIP codes utility/get was asked for, in order (each retry counts)."""
        zips = [
            json.loads(call.request.body)["zipcode"]
            for call in self.mock.calls
            if call.request.url == UTILITY_GET
        ]
        return [z for z in zips if zipcode is None or z == zipcode]

    def respond(self, request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        time.sleep(self.delay)
        answer = self.answers.get(json.loads(request.body or "{}")["zipcode"], [])
        if isinstance(answer, int):
            return answer, {"Content-Type": "text/html"}, "<html>Bad gateway</html>"
        if isinstance(answer, tuple):
            status, envelope = answer
            return status, {"Content-Type": "application/json"}, json.dumps(envelope)
        if isinstance(answer, Exception):
            raise answer
        return 200, {"Content-Type": "application/json"}, json.dumps(answer)


@pytest.fixture
def utility_api(settings: Settings) -> Iterator[UtilityApi]:
    settings.WS_API_URL = WIZARD_API
    settings.WS_API_KEY = "wizard-test-key-not-secret"
    settings.WS_API_AUTH = "api-key"
    settings.WS_API_BACKOFF = 0
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        api = UtilityApi(mock)
        mock.add_callback(responses.POST, UTILITY_GET, callback=api.respond)
        yield api


# Homes: create, solar, list, update, price signal ---------------------------------------------

API = "https://ws.test"
HOME_ID = "ws_home_123456789"


def url(path: str) -> str:
    return f"{API}/v1/{path}"


PRICE_SIGNAL = url(f"homes/{HOME_ID}/price_signal")


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


# WattShift's answer to too many requests (UPSTREAM_API.md section 5): no retry for 2 minutes.
RATE_LIMITED = {
    "request_id": "req_7c1d",
    "error_code": "RATE_LIMITED",
    "message": "Too many requests.",
    "retry_after_seconds": 120,
}


def move_the_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Pretend `seconds` have passed (for waits kept in the cache, not on a row to backdate)."""
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=seconds))


# Each failure as `wattshift_api` gives it (keyword arguments of its `add`), and whether a create
# it answered may have happened.
CERTAINLY_NOT_CREATED = {
    "connection refused": {"body": requests.ConnectionError("connection refused")},
    "400 with a reason": {"status": 400, "json": {"message": "zipcode is not served"}},
    "401 unauthorized": {"status": 401, "json": {"error": "bad key"}},
    "403 forbidden": {"status": 403, "body": ""},
}
OUTCOME_UNKNOWN = {
    "read timeout": {"body": requests.ReadTimeout("read timed out")},
    "500 server error": {"status": 500, "body": "<html>oops</html>"},
    "502 from a proxy": {"status": 502, "body": ""},
    "503 busy": {"status": 503, "json": {"error": "busy"}},
    "200 not JSON": {"status": 200, "body": "<html>maintenance</html>"},
    "200 without an id": {"status": 200, "json": {"ok": True}},
}
EVERY_FAILURE = {**CERTAINLY_NOT_CREATED, **OUTCOME_UNKNOWN}
# solar/create's answer body is not read, so a 2xx without an id is a success there.
SOLAR_UNKNOWN = {name: f for name, f in OUTCOME_UNKNOWN.items() if name != "200 without an id"}
