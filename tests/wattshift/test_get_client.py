"""The shared client is built from settings and rebuilt when a WS_ setting changes."""

import pytest
import responses
from pytest_django.fixtures import Settings

from onboarding.wattshift.client import WattShiftClient, get_client


def test_the_shared_client_follows_the_settings(settings: Settings) -> None:
    settings.WS_API_URL = "https://one.example.test"
    settings.WS_API_AUTH = "session-token"
    settings.WS_API_TIMEOUT = 3

    client = get_client()

    assert isinstance(client, WattShiftClient)
    assert get_client() is client
    assert client.base_url == "https://one.example.test"
    assert client.auth == "session-token"
    assert client.timeout == (3, 3)


def test_changing_a_ws_setting_builds_a_new_client(settings: Settings) -> None:
    before = get_client()

    settings.WS_API_URL = "http://127.0.0.1:9999/sandbox"

    after = get_client()
    assert after is not before
    assert after.base_url == "http://127.0.0.1:9999/sandbox"


def test_other_settings_keep_the_client(settings: Settings) -> None:
    before = get_client()

    settings.TIME_ZONE = "UTC"

    assert get_client() is before


def test_calls_go_to_the_configured_url_with_the_configured_key(
    settings: Settings,
) -> None:
    settings.WS_API_URL = "https://api.wattshift.example"
    settings.WS_API_KEY = "configured-key-123"
    settings.WS_API_AUTH = "api-key"

    with responses.RequestsMock() as upstream:
        upstream.post("https://api.wattshift.example/v1/utility/get", json=[])
        assert get_client().utilities_for_zip("95313") == []
        assert upstream.calls[0].request.headers["x-ws-api-key"] == "configured-key-123"


@pytest.mark.parametrize(("auth", "timeout"), [("password", 10.0), ("api-key", 0.0)])
def test_a_bad_configuration_is_refused(auth: str, timeout: float) -> None:
    with pytest.raises(ValueError):
        WattShiftClient(base_url="https://x.test", api_key="k", auth=auth, timeout=timeout)


def test_the_deadline_defaults_to_two_and_a_half_timeouts(settings: Settings) -> None:
    settings.WS_API_TIMEOUT = 4
    settings.WS_API_DEADLINE = 0

    assert get_client().deadline == 10

    settings.WS_API_DEADLINE = 7

    assert get_client().deadline == 7
