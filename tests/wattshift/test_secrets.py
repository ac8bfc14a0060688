"""The API key and session tokens never reach a log line, an error or a repr."""

import logging
import traceback
from decimal import Decimal

import pytest
import requests
import responses
from django.test import RequestFactory
from django.views.debug import ExceptionReporter
from pytest_django.fixtures import Settings

from onboarding.logging import RedactSecrets
from onboarding.wattshift.client import WattShiftClient
from onboarding.wattshift.errors import WattShiftError
from onboarding.wattshift.types import HomeDetails
from tests.wattshift.conftest import API_KEY, BASE_URL, TOKEN, url

DETAILS = HomeDetails(name="Casa", zipcode="95313", utility_id="14328", rate_plan_id="r1")
ECHO = f"key {API_KEY} and token {TOKEN} are not valid here"


def every_failure(client: WattShiftClient, upstream: responses.RequestsMock) -> list[Exception]:
    """Run the client through each kind of failure, some with bodies that echo the secrets."""
    upstream.post(url("/v1/utility/get"), status=400, json={"message": ECHO})
    upstream.post(url("/v1/homes/list"), status=401, json={"error": ECHO})
    upstream.post(url("/v1/homes/create"), status=500, body=f"<pre>{ECHO}</pre>")
    upstream.post(url("/v1/homes/solar/create"), body=requests.ReadTimeout(ECHO))
    upstream.post(url("/v1/homes/h1/update"), body=requests.ConnectionError(ECHO))
    upstream.post(url("/v1/homes/h1/price_signal"), body=ECHO)
    calls = [
        lambda: client.utilities_for_zip("95313"),
        client.list_homes,
        lambda: client.create_home(DETAILS),
        lambda: client.add_solar(home_id="h1", size_kw=Decimal(5), net_metered=True),
        lambda: client.update_home("h1", name="Casa"),
        lambda: client.price_signal("h1"),
    ]
    raised: list[Exception] = []
    for call in calls:
        with pytest.raises(WattShiftError) as error:
            call()
        raised.append(error.value)
    return raised


@pytest.mark.parametrize("auth", ["api-key", "session-token"])
def test_secrets_never_reach_logs_or_errors(
    upstream: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
    auth: str,
) -> None:
    client = WattShiftClient(base_url=BASE_URL, api_key=API_KEY, auth=auth, retries=0)
    upstream.post(url("/v1/onboarding/session-token/generate"), json={"sessionToken": TOKEN})

    with caplog.at_level(logging.DEBUG):
        errors = every_failure(client, upstream)

    assert len(errors) == 6
    assert "/v1/homes/create" in caplog.text
    assert "[redacted]" in caplog.text
    # In api-key mode no token exists: the echoed one is only a string the client never held.
    secrets = (API_KEY, TOKEN) if auth == "session-token" else (API_KEY,)
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in repr(client)
        assert secret not in str(client)
        for error in errors:
            assert secret not in str(error)
            assert secret not in repr(error)
            assert secret not in error.message
            assert secret not in "".join(traceback.format_exception(error))


def test_an_upstream_message_that_echoes_the_key_is_redacted(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/utility/get"), status=400, json={"message": ECHO})

    with pytest.raises(WattShiftError) as raised:
        client.utilities_for_zip("95313")

    assert "[redacted]" in raised.value.message
    assert API_KEY not in raised.value.message


def test_the_log_filter_redacts_minted_tokens_and_the_configured_key(
    token_client: WattShiftClient, upstream: responses.RequestsMock, settings: Settings
) -> None:
    upstream.post(url("/v1/onboarding/session-token/generate"), json={"sessionToken": TOKEN})
    token_client.generate_session_token()
    settings.WS_API_KEY = API_KEY
    record = logging.LogRecord(
        "somewhere", logging.INFO, __file__, 1, "sent %s with %s", (TOKEN, API_KEY), None
    )

    assert RedactSecrets().filter(record) is True

    assert record.getMessage() == "sent [redacted] with [redacted]"


@pytest.mark.parametrize("auth", ["api-key", "session-token"])
def test_error_reports_do_not_show_the_secrets(
    upstream: responses.RequestsMock, auth: str, rf: RequestFactory
) -> None:
    client = WattShiftClient(base_url=BASE_URL, api_key=API_KEY, auth=auth, retries=0)
    upstream.post(url("/v1/onboarding/session-token/generate"), json={"sessionToken": TOKEN})
    upstream.post(url("/v1/utility/get"), status=400, json={"message": "nope"})

    with pytest.raises(WattShiftError) as raised:
        client.utilities_for_zip("95313")

    # What Django's debug page and its error e-mails show: every frame with its locals.
    reporter = ExceptionReporter(rf.get("/"), raised.type, raised.value, raised.value.__traceback__)
    frames = reporter.get_traceback_data()["frames"]
    assert any(name == "token" for frame in frames for name, _ in frame["vars"])
    report = reporter.get_traceback_html()
    assert "utilities_for_zip" in report
    assert "Local vars" in report
    assert API_KEY not in report
    assert TOKEN not in report
