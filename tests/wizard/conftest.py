"""The wizard's tests never reach a real network: a test that mocks no upstream finds it
unreachable at once (a ZIP code's check then keeps the ZIP, as it does when WattShift is down)."""

from collections.abc import Iterator

import pytest
import responses
from pytest_django.fixtures import Settings

MOCKED_UPSTREAMS = {"utility_api", "wattshift_api"}


@pytest.fixture(autouse=True)
def unreachable_upstream(request: pytest.FixtureRequest, settings: Settings) -> Iterator[None]:
    if MOCKED_UPSTREAMS & set(request.fixturenames):
        yield
        return
    settings.WS_API_BACKOFF = 0
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        yield
