"""A client pointed at a fake upstream that `responses` plays; no real network is touched."""

from collections.abc import Iterator

import pytest
import responses

from onboarding.wattshift.client import WattShiftClient

BASE_URL = "https://ws.example.test"
API_KEY = "wskey-live-7f3a9c2e5b1d"
TOKEN = "sess-tok-91c0d7aa4e"


def url(path: str) -> str:
    return f"{BASE_URL}{path}"


@pytest.fixture
def upstream() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def pauses() -> list[float]:
    return []


def make_client(pauses: list[float], **options: object) -> WattShiftClient:
    settings: dict[str, object] = {"base_url": BASE_URL, "api_key": API_KEY, "backoff": 0.2}
    settings.update(options)
    client = WattShiftClient(**settings)  # type: ignore[arg-type]
    # Record the backoff pauses instead of sleeping through them.
    client.transport.sleep = pauses.append
    return client


@pytest.fixture
def client(pauses: list[float]) -> WattShiftClient:
    return make_client(pauses)


@pytest.fixture
def token_client(pauses: list[float]) -> WattShiftClient:
    return make_client(pauses, auth="session-token")
