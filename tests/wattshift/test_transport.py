"""Every way a call can fail becomes one typed error; only harmless calls are repeated."""

import logging
from decimal import Decimal
from http.client import RemoteDisconnected

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from onboarding.wattshift.client import WattShiftClient
from onboarding.wattshift.errors import (
    InvalidAnswer,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Unauthorized,
    UpstreamServerError,
    UpstreamUnavailable,
    WattShiftError,
)
from onboarding.wattshift.types import Appliance, ErrorEnvelope, FieldError, HomeDetails
from tests.wattshift.conftest import API_KEY, make_client, url

UTILITIES = url("/v1/utility/get")
CREATE = url("/v1/homes/create")
DETAILS = HomeDetails(name="Casa", zipcode="95313", utility_id="14328", rate_plan_id="r1")


def refused_connection() -> requests.ConnectionError:
    """What requests raises when nothing listens: MaxRetryError around NewConnectionError."""
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111]")
    return requests.ConnectionError(MaxRetryError(None, "/v1/utility/get", reason))


def dropped_connection() -> requests.ConnectionError:
    """What requests raises when the server hangs up after the request was sent."""
    cause = RemoteDisconnected("Remote end closed connection without response")
    return requests.ConnectionError(ProtocolError("Connection aborted.", cause))


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (refused_connection(), UpstreamUnavailable),
        (requests.ConnectionError("plain"), UpstreamUnavailable),
        (requests.ConnectTimeout("connect timed out"), UpstreamUnavailable),
        (requests.ReadTimeout("read timed out"), OutcomeUnknown),
        (dropped_connection(), OutcomeUnknown),
        (requests.exceptions.ChunkedEncodingError("broken chunk"), OutcomeUnknown),
    ],
    ids=[
        "refused",
        "plain-connection-error",
        "connect-timeout",
        "read-timeout",
        "dropped",
        "chunked",
    ],
)
def test_transport_failures(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    failure: Exception,
    expected: type[WattShiftError],
) -> None:
    upstream.post(CREATE, body=failure)

    with pytest.raises(expected) as raised:
        client.create_home(DETAILS)

    assert raised.value.outcome_known is (expected is not OutcomeUnknown)
    assert raised.value.__cause__ is None
    assert len(upstream.calls) == 1


def test_create_home_is_attempted_exactly_once_on_a_read_timeout(
    client: WattShiftClient, upstream: responses.RequestsMock, pauses: list[float]
) -> None:
    upstream.post(CREATE, body=requests.ReadTimeout("read timed out"))
    upstream.post(CREATE, json={"id": "ws_home_2"})

    with pytest.raises(OutcomeUnknown):
        client.create_home(DETAILS)

    assert len(upstream.calls) == 1
    assert pauses == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_create_home_is_never_repeated_on_a_server_error(
    client: WattShiftClient, upstream: responses.RequestsMock, status: int
) -> None:
    upstream.post(CREATE, status=status, body="<html>Bad gateway</html>")

    with pytest.raises(UpstreamServerError) as raised:
        client.create_home(DETAILS)

    assert raised.value.status == status
    assert len(upstream.calls) == 1
    # Any 5xx may hide a home that was created behind it (a gateway's or the backend's own).
    assert raised.value.outcome_known is False


SOLAR = url("/v1/homes/solar/create")
UPDATE = url("/v1/homes/ws_home_1/update")
# Every call that changes something upstream, as (endpoint, call).
CHANGING_CALLS = {
    "create": (CREATE, lambda client: client.create_home(DETAILS)),
    "solar": (
        SOLAR,
        lambda client: client.add_solar(home_id="ws_home_1", size_kw=Decimal(5), net_metered=True),
    ),
    "update": (UPDATE, lambda client: client.update_home("ws_home_1", solar_size_kw=Decimal(5))),
}
# What the upstream did, and whether the change may have been made.
MAY_HAVE_BEEN_PROCESSED = {
    "500": {"status": 500, "body": "<html>oops</html>"},
    "502": {"status": 502, "body": ""},
    "503": {"status": 503, "json": {"error": "busy"}},
    "504": {"status": 504, "body": ""},
    "read-timeout": {"body": requests.ReadTimeout("read timed out")},
    "dropped": {"body": dropped_connection()},
    "2xx-not-json": {"status": 200, "body": "<html>OK</html>"},
}
CERTAINLY_NOT_PROCESSED = {
    "refused": {"body": refused_connection()},
    "connect-timeout": {"body": requests.ConnectTimeout("connect timed out")},
    "400": {"status": 400, "json": {"message": "bad zipcode"}},
    "401": {"status": 401, "body": ""},
    "404": {"status": 404, "json": {}},
    "422": {"status": 422, "json": {"errors": ["name is required"]}},
}


@pytest.mark.parametrize("call", CHANGING_CALLS.values(), ids=CHANGING_CALLS)
@pytest.mark.parametrize("failure", MAY_HAVE_BEEN_PROCESSED.values(), ids=MAY_HAVE_BEEN_PROCESSED)
def test_a_changing_call_that_may_have_been_processed_leaves_the_outcome_unknown(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    call: tuple[str, object],
    failure: dict[str, object],
) -> None:
    endpoint, send = call
    upstream.post(endpoint, **failure)

    with pytest.raises(WattShiftError) as raised:
        send(client)  # type: ignore[operator]

    assert raised.value.outcome_known is False
    assert len(upstream.calls) == 1


@pytest.mark.parametrize("call", CHANGING_CALLS.values(), ids=CHANGING_CALLS)
@pytest.mark.parametrize("failure", CERTAINLY_NOT_PROCESSED.values(), ids=CERTAINLY_NOT_PROCESSED)
def test_a_changing_call_refused_or_never_connected_has_a_known_outcome(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    call: tuple[str, object],
    failure: dict[str, object],
) -> None:
    endpoint, send = call
    upstream.post(endpoint, **failure)

    with pytest.raises(WattShiftError) as raised:
        send(client)  # type: ignore[operator]

    assert raised.value.outcome_known is True
    assert len(upstream.calls) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_a_read_that_failed_on_the_server_changed_nothing(
    upstream: responses.RequestsMock, pauses: list[float], status: int
) -> None:
    upstream.post(url("/v1/homes/list"), status=status)

    with pytest.raises(UpstreamServerError) as raised:
        make_client(pauses, retries=0).list_homes()

    assert raised.value.outcome_known is True


@pytest.mark.parametrize(
    "failure", [refused_connection(), requests.ReadTimeout("slow")], ids=["refused", "slow"]
)
def test_solar_and_update_are_not_repeated(
    client: WattShiftClient, upstream: responses.RequestsMock, failure: Exception
) -> None:
    upstream.post(url("/v1/homes/solar/create"), body=failure)
    upstream.post(url("/v1/homes/ws_home_1/update"), body=failure)

    with pytest.raises(WattShiftError):
        client.add_solar(home_id="ws_home_1", size_kw=Decimal(5), net_metered=True)
    with pytest.raises(WattShiftError):
        client.update_home("ws_home_1", name="Casa")

    assert len(upstream.calls) == 2


def test_400_with_a_json_message_carries_it_sanitised(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(
        CREATE,
        status=400,
        json={"message": "ratePlanId <b>is</b>\n not valid\x00 for utility 14328" + " x" * 300},
    )

    with pytest.raises(Rejected) as raised:
        client.create_home(DETAILS)

    error = raised.value
    assert type(error) is Rejected
    assert error.status == 400
    assert error.message.startswith(
        "The WattShift service refused the request: ratePlanId is not valid for utility 14328"
    )
    assert "<b>" not in error.message
    assert "\n" not in error.message
    assert "\x00" not in error.message
    assert len(error.message) < 300
    assert str(error) == error.message


@pytest.mark.parametrize(
    "body",
    [
        {"error": "zipcode is required"},
        {"detail": "zipcode is required"},
        {"error": {"message": "zipcode is required"}},
        {"errors": [{"message": "zipcode is required"}]},
    ],
)
def test_400_reasons_in_other_shapes(
    client: WattShiftClient, upstream: responses.RequestsMock, body: object
) -> None:
    upstream.post(UTILITIES, status=422, json=body)

    with pytest.raises(Rejected) as raised:
        client.utilities_for_zip("")

    assert raised.value.message.endswith(": zipcode is required")
    assert len(upstream.calls) == 1


@pytest.mark.parametrize("body", ["<html><body><h1>400 Bad Request</h1></body></html>", ""])
def test_400_without_json_gets_the_general_message(
    client: WattShiftClient, upstream: responses.RequestsMock, body: str
) -> None:
    upstream.post(UTILITIES, status=400, body=body, content_type="text/html")

    with pytest.raises(Rejected) as raised:
        client.utilities_for_zip("95313")

    assert raised.value.message == str(Rejected.default_message)
    assert "<h1>" not in raised.value.message


@pytest.mark.parametrize("status", [401, 403])
def test_unauthorized(
    client: WattShiftClient, upstream: responses.RequestsMock, status: int
) -> None:
    upstream.post(UTILITIES, status=status, json={"message": "bad key"})

    with pytest.raises(Unauthorized) as raised:
        client.utilities_for_zip("95313")

    assert isinstance(raised.value, Rejected)
    assert raised.value.status == status
    assert "API key" in raised.value.message
    assert len(upstream.calls) == 1


def test_500_is_a_server_error_and_not_repeated(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(UTILITIES, status=500, json={"message": "boom"})

    with pytest.raises(UpstreamServerError) as raised:
        client.utilities_for_zip("95313")

    assert raised.value.status == 500
    assert len(upstream.calls) == 1


def test_502_is_retried_then_succeeds(
    client: WattShiftClient, upstream: responses.RequestsMock, pauses: list[float]
) -> None:
    upstream.post(UTILITIES, status=502, body="<html>Bad Gateway</html>")
    upstream.post(UTILITIES, json=[])

    assert client.utilities_for_zip("95313") == []
    assert len(upstream.calls) == 2
    assert pauses == [0.2]


def test_503_exhausts_the_retries_with_growing_pauses(
    client: WattShiftClient, upstream: responses.RequestsMock, pauses: list[float]
) -> None:
    upstream.post(UTILITIES, status=503)

    with pytest.raises(UpstreamServerError) as raised:
        client.utilities_for_zip("00503")

    assert raised.value.status == 503
    assert len(upstream.calls) == 3
    assert pauses == [0.2, 0.4]


@pytest.mark.parametrize(
    "failure",
    [refused_connection(), requests.ConnectTimeout("slow"), dropped_connection()],
    ids=["refused", "connect-timeout", "dropped"],
)
def test_reads_are_retried_after_quick_transport_failures(
    client: WattShiftClient, upstream: responses.RequestsMock, failure: Exception
) -> None:
    upstream.post(url("/v1/homes/list"), body=failure)
    upstream.post(url("/v1/homes/list"), json=[])

    assert client.list_homes() == []
    assert len(upstream.calls) == 2


READS = {
    "utility-get": (UTILITIES, lambda client: client.utilities_for_zip("00408")),
    "price-signal": (
        url("/v1/homes/ws_home_1/price_signal"),
        lambda client: client.price_signal("ws_home_1"),
    ),
    "homes-list": (url("/v1/homes/list"), lambda client: client.list_homes()),
}


@pytest.mark.parametrize("call", READS.values(), ids=READS)
def test_a_read_timeout_is_not_repeated_and_says_nothing_changed(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    pauses: list[float],
    call: tuple[str, object],
) -> None:
    endpoint, send = call
    upstream.post(endpoint, body=requests.ReadTimeout("slow"))
    upstream.post(endpoint, json=[])

    with pytest.raises(OutcomeUnknown) as raised:
        send(client)  # type: ignore[operator]

    # The timeout already cost the whole read timeout: one attempt, no pause, no second wait.
    assert len(upstream.calls) == 1
    assert pauses == []
    assert raised.value.outcome_known is True
    assert raised.value.message == (
        "The WattShift service did not answer in time. Nothing was changed. Try again in a moment."
    )
    assert "may or may not" not in raised.value.message


@pytest.mark.parametrize("call", CHANGING_CALLS.values(), ids=CHANGING_CALLS)
def test_a_changing_call_that_timed_out_keeps_the_may_or_may_not_wording(
    client: WattShiftClient, upstream: responses.RequestsMock, call: tuple[str, object]
) -> None:
    endpoint, send = call
    upstream.post(endpoint, body=requests.ReadTimeout("slow"))

    with pytest.raises(OutcomeUnknown) as raised:
        send(client)  # type: ignore[operator]

    assert raised.value.outcome_known is False
    assert "may or may not have been processed" in raised.value.message
    assert len(upstream.calls) == 1


def test_price_signal_is_retried(client: WattShiftClient, upstream: responses.RequestsMock) -> None:
    path = url("/v1/homes/ws_home_1/price_signal")
    upstream.post(path, status=503)
    upstream.post(path, json={"startTime": "2026-11-27T08:00:00Z", "priceSignal": [0.1]})

    assert len(client.price_signal("ws_home_1").prices) == 1
    assert len(upstream.calls) == 2


def test_retries_can_be_turned_off(pauses: list[float], upstream: responses.RequestsMock) -> None:
    upstream.post(UTILITIES, status=503)

    with pytest.raises(UpstreamServerError):
        make_client(pauses, retries=0).utilities_for_zip("95313")
    assert len(upstream.calls) == 1


def test_a_redirect_is_not_followed(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(CREATE, status=302, headers={"Location": "https://elsewhere.test/login"})

    with pytest.raises(InvalidAnswer):
        client.create_home(DETAILS)
    assert len(upstream.calls) == 1


def test_solar_accepts_an_empty_answer(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/solar/create"), body="")

    client.add_solar(home_id="ws_home_1", size_kw=Decimal(5), net_metered=True)
    assert len(upstream.calls) == 1


def test_every_attempt_is_logged_with_its_number(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    upstream.post(UTILITIES, status=503)
    upstream.post(UTILITIES, body=refused_connection())
    upstream.post(UTILITIES, json=[])

    with caplog.at_level(logging.INFO, logger="onboarding.wattshift"):
        client.utilities_for_zip("95313")

    calls = [r for r in caplog.records if r.levelno == logging.INFO]
    assert [r.ws_attempt for r in calls] == [1, 2, 3]
    assert [r.ws_status for r in calls] == [503, None, 200]
    assert [r.ws_outcome for r in calls] == ["server_error", "connect_error", "ok"]
    assert {r.ws_endpoint for r in calls} == {"/v1/utility/get"}
    assert all(isinstance(r.ws_duration_ms, int) for r in calls)
    assert "attempt=1/3 outcome=server_error" in calls[0].getMessage()
    assert "POST /v1/utility/get status=200" in calls[2].getMessage()
    assert "attempt=3/3 outcome=ok" in calls[2].getMessage()
    assert all(r.name == "onboarding.wattshift" for r in caplog.records)


def test_the_upstream_detail_goes_to_the_log_not_the_message(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    upstream.post(UTILITIES, status=500, body="Traceback: KeyError 'zipcode' in handler")

    with (
        caplog.at_level(logging.INFO, logger="onboarding.wattshift"),
        pytest.raises(UpstreamServerError) as raised,
    ):
        client.utilities_for_zip("95313")

    assert "KeyError" not in raised.value.message
    assert "KeyError 'zipcode'" in caplog.text


def test_a_slow_read_costs_one_timeout_not_the_whole_deadline(
    upstream: responses.RequestsMock, pauses: list[float]
) -> None:
    client = make_client(pauses, timeout=10, deadline=25)
    now = [0.0]
    client.transport.clock = lambda: now[0]

    def slow_upstream(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        now[0] += request.req_kwargs["timeout"][1]  # type: ignore[attr-defined]
        raise requests.ReadTimeout("slow")

    upstream.add_callback(responses.POST, UTILITIES, callback=slow_upstream)

    with pytest.raises(OutcomeUnknown):
        client.utilities_for_zip("00408")

    assert len(upstream.calls) == 1
    assert now[0] == pytest.approx(10)


def test_retries_stay_within_the_deadline(
    upstream: responses.RequestsMock, pauses: list[float]
) -> None:
    client = make_client(pauses, timeout=10, deadline=25)
    now = [0.0]
    read_timeouts: list[float] = []
    client.transport.clock = lambda: now[0]

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    def slow_gateway(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        # A gateway that waits for its backend almost the whole read timeout, then gives up.
        read_timeout = request.req_kwargs["timeout"][1]  # type: ignore[attr-defined]
        read_timeouts.append(read_timeout)
        now[0] += min(read_timeout, 9.9)
        return (504, {}, "")

    client.transport.sleep = sleep
    upstream.add_callback(responses.POST, UTILITIES, callback=slow_gateway)

    with pytest.raises(UpstreamServerError):
        client.utilities_for_zip("00408")

    assert read_timeouts == [10, 10, pytest.approx(4.6)]
    assert now[0] == pytest.approx(25)


def test_no_retry_starts_when_the_deadline_is_too_close(
    upstream: responses.RequestsMock, pauses: list[float]
) -> None:
    client = make_client(pauses, timeout=10, deadline=10.5)
    now = [0.0]
    client.transport.clock = lambda: now[0]

    def slow_gateway(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        now[0] += 10
        return (503, {}, "")

    upstream.add_callback(responses.POST, UTILITIES, callback=slow_gateway)

    with pytest.raises(UpstreamServerError):
        client.utilities_for_zip("00408")
    assert len(upstream.calls) == 1
    assert pauses == []


def test_every_call_has_connect_and_read_timeouts(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/utility/get"), json=[])
    slow = WattShiftClient(base_url="https://ws.example.test", api_key="k", timeout=30)

    client.utilities_for_zip("95313")
    upstream.post(url("/v1/homes/list"), json=[])
    slow.list_homes()

    assert upstream.calls[0].request.req_kwargs["timeout"] == (5.0, 10.0)
    assert upstream.calls[1].request.req_kwargs["timeout"] == (5.0, 30)


# The error envelope ------------------------------------------------------------------------


def envelope_body(**fields: object) -> dict[str, object]:
    return {"request_id": "req_7f3a", "message": "Request validation failed.", **fields}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, Rejected),
        (401, Unauthorized),
        (403, Unauthorized),
        (404, Rejected),
        (409, Rejected),
        (429, RateLimited),
        (500, UpstreamServerError),
        (502, UpstreamServerError),
        (503, UpstreamServerError),
        (302, InvalidAnswer),
    ],
)
def test_every_error_class_carries_the_envelope(
    pauses: list[float],
    upstream: responses.RequestsMock,
    status: int,
    expected: type[WattShiftError],
) -> None:
    body = envelope_body(
        error_code="SOMETHING",
        recovery_action="Check the request.",
        field_errors=[{"field": "zipcode", "message": "zipcode is invalid"}],
    )
    upstream.post(UTILITIES, status=status, json=body)

    with pytest.raises(expected) as raised:
        make_client(pauses, retries=0).utilities_for_zip("95313")

    error = raised.value
    assert type(error) is expected
    assert error.envelope == ErrorEnvelope(
        request_id="req_7f3a",
        message="Request validation failed.",
        error_code="SOMETHING",
        recovery_action="Check the request.",
        field_errors=(FieldError("zipcode", "zipcode is invalid"),),
    )
    assert error.request_id == "req_7f3a"
    assert error.error_code == "SOMETHING"
    assert error.field_errors == (FieldError("zipcode", "zipcode is invalid"),)
    assert error.status == status


@pytest.mark.parametrize(
    "body", [{"message": "bad zipcode"}, {}, "<html>Bad Request</html>", ""], ids=str
)
def test_an_answer_in_an_older_shape_has_no_envelope(
    client: WattShiftClient, upstream: responses.RequestsMock, body: object
) -> None:
    if isinstance(body, dict):
        upstream.post(UTILITIES, status=400, json=body)
    else:
        upstream.post(UTILITIES, status=400, body=body)

    with pytest.raises(Rejected) as raised:
        client.utilities_for_zip("95313")

    assert raised.value.envelope is None
    assert (raised.value.request_id, raised.value.error_code) == ("", "")
    assert raised.value.field_errors == ()


def test_a_refusal_gives_the_envelopes_message_as_its_reason(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(
        CREATE,
        status=400,
        json=envelope_body(
            error_code="VALIDATION_FAILED",
            message="ratePlanId is not a plan of utility 14328.",
            error="ignored: the envelope's message wins",
        ),
    )

    with pytest.raises(Rejected) as raised:
        client.create_home(DETAILS)

    assert raised.value.message == (
        "The WattShift service refused the request: ratePlanId is not a plan of utility 14328."
    )
    assert raised.value.outcome_known is True


def test_an_envelope_with_an_empty_message_falls_back_to_the_older_reasons(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(UTILITIES, status=422, json=envelope_body(message="", detail="zipcode is odd"))

    with pytest.raises(Rejected) as raised:
        client.utilities_for_zip("95313")

    assert raised.value.request_id == "req_7f3a"
    assert raised.value.message == "The WattShift service refused the request: zipcode is odd"


@pytest.mark.parametrize("status", [400, 401, 429, 500])
def test_the_recovery_action_is_logged_for_administrators_never_shown(
    pauses: list[float],
    upstream: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    advice = "Rotate the API key in the partner console, then restart the app."
    upstream.post(
        UTILITIES,
        status=status,
        json=envelope_body(error_code="AUTH_INVALID_API_KEY", recovery_action=advice),
    )

    with (
        caplog.at_level(logging.INFO, logger="onboarding.wattshift"),
        pytest.raises(WattShiftError) as raised,
    ):
        make_client(pauses, retries=0).utilities_for_zip("95313")

    [logged] = [r for r in caplog.records if "recovery_action:" in r.getMessage()]
    assert logged.levelno == logging.WARNING
    assert logged.getMessage().endswith(f"recovery_action: {advice}")
    assert {r.levelno for r in caplog.records if advice in r.getMessage()} == {logging.WARNING}
    assert "request_id=req_7f3a" in logged.getMessage()
    assert "error_code=AUTH_INVALID_API_KEY" in logged.getMessage()
    assert advice not in raised.value.message
    assert advice not in str(raised.value)
    assert "Rotate" not in raised.value.message
    assert raised.value.envelope is not None
    assert raised.value.envelope.recovery_action == advice


def test_the_call_log_line_carries_the_request_id_and_error_code(
    client: WattShiftClient, upstream: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.post(CREATE, status=400, json=envelope_body(error_code="VALIDATION_FAILED"))

    with caplog.at_level(logging.INFO, logger="onboarding.wattshift"), pytest.raises(Rejected):
        client.create_home(DETAILS)

    [call] = [r for r in caplog.records if r.levelno == logging.INFO]
    assert call.getMessage().endswith(
        "outcome=rejected request_id=req_7f3a error_code=VALIDATION_FAILED"
    )
    assert (call.ws_request_id, call.ws_error_code) == ("req_7f3a", "VALIDATION_FAILED")


def test_without_an_envelope_the_call_log_line_is_as_before(
    client: WattShiftClient, upstream: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.post(CREATE, status=400, json={"message": "bad"})

    with caplog.at_level(logging.INFO, logger="onboarding.wattshift"), pytest.raises(Rejected):
        client.create_home(DETAILS)

    [call] = [r for r in caplog.records if r.levelno == logging.INFO]
    assert call.getMessage().endswith("attempt=1/1 outcome=rejected")
    assert (call.ws_request_id, call.ws_error_code) == ("", "")


def test_field_errors_name_the_clients_fields_not_the_wire_names(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    wire = [
        "name",
        "zipcode",
        "utilityId",
        "UtilityId",
        "ratePlanId",
        "acType",
        "solarSystemSizeKw",
        "isNonNetMetered",
        "hasEvCharger",
        "hasElectricHeater",
        "hasSmartWaterHeater",
        "hasElectricWaterHeater",
        "hasAC",
        "homeId",
        "somethingNew",
    ]
    field_errors = [{"field": name, "message": f"{name} is wrong"} for name in wire]
    upstream.post(CREATE, status=400, json=envelope_body(field_errors=field_errors))

    with pytest.raises(Rejected) as raised:
        client.create_home(DETAILS)

    assert [error.field for error in raised.value.field_errors] == [
        "name",
        "zipcode",
        "utility_id",
        "utility_id",
        "rate_plan_id",
        "ac_type",
        "solar_size_kw",
        "net_metered",
        Appliance.EV_CHARGER.value,
        Appliance.ELECTRIC_HEATER.value,
        Appliance.SMART_WATER_HEATER.value,
        Appliance.ELECTRIC_WATER_HEATER.value,
        Appliance.AC.value,
        "home_id",
        "somethingNew",  # unknown: kept as WattShift wrote it
    ]
    assert raised.value.field_errors[0].message == "name is wrong"


def test_envelope_text_is_cleaned_and_redacted(
    client: WattShiftClient, upstream: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.post(
        CREATE,
        status=400,
        json=envelope_body(
            message=f"key {API_KEY} <b>refused</b>\n",
            recovery_action=f"Replace {API_KEY}.",
            field_errors=[{"field": "name", "message": f"not {API_KEY}\x00"}],
        ),
    )

    with caplog.at_level(logging.INFO, logger="onboarding.wattshift"), pytest.raises(Rejected) as r:
        client.create_home(DETAILS)

    envelope = r.value.envelope
    assert envelope is not None
    assert envelope.message == "key [redacted] refused"
    assert envelope.recovery_action == "Replace [redacted]."
    assert envelope.field_errors == (FieldError("name", "not [redacted]"),)
    assert r.value.message == "The WattShift service refused the request: key [redacted] refused"
    assert API_KEY not in caplog.text


def test_an_expired_credential_is_unauthorized_whatever_the_status(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(CREATE, status=500, json=envelope_body(error_code="AUTH_EXPIRED_CREDENTIAL"))

    with pytest.raises(Unauthorized) as raised:
        client.create_home(DETAILS)

    # WattShift says the credential was refused: nothing was created, the outcome is known.
    assert raised.value.outcome_known is True
    assert raised.value.status == 500
    assert len(upstream.calls) == 1


# Rate limits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "retry_after", "wait"),
    [
        ({"json": envelope_body(error_code="RATE_LIMITED", retry_after_seconds=120)}, 120, "2"),
        ({"json": envelope_body(error_code="RATE_LIMITED", retry_after_seconds=121)}, 121, "3"),
        ({"json": {"message": "slow down"}, "headers": {"Retry-After": "600"}}, 600, "10"),
        ({"body": "", "headers": {"Retry-After": " 3600 "}}, 3600, "60"),
        (
            {
                "json": envelope_body(error_code="RATE_LIMITED", retry_after_seconds=300),
                "headers": {"Retry-After": "5"},
            },
            300,
            "5",
        ),
    ],
)
def test_a_rate_limit_says_when_to_try_again(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    answer: dict[str, object],
    retry_after: int,
    wait: str,
) -> None:
    upstream.post(UTILITIES, status=429, **answer)

    with pytest.raises(RateLimited) as raised:
        client.utilities_for_zip("95313")

    assert raised.value.retry_after == retry_after
    assert raised.value.message == (
        f"WattShift is receiving too many requests. Try again in about {wait} minutes."
    )
    assert isinstance(raised.value, Rejected)
    assert raised.value.outcome_known is True


@pytest.mark.parametrize("seconds", [0, 1, 59, 60])
def test_a_short_rate_limit_is_about_one_minute(
    client: WattShiftClient, upstream: responses.RequestsMock, seconds: int
) -> None:
    upstream.post(
        UTILITIES,
        status=429,
        json=envelope_body(error_code="RATE_LIMITED", retry_after_seconds=seconds),
    )

    with pytest.raises(RateLimited) as raised:
        client.utilities_for_zip("95313")

    assert raised.value.message == (
        "WattShift is receiving too many requests. Try again in about 1 minute."
    )


@pytest.mark.parametrize(
    "headers", [{}, {"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, {"Retry-After": "soon"}]
)
def test_a_rate_limit_without_a_usable_wait_says_a_few_minutes(
    client: WattShiftClient, upstream: responses.RequestsMock, headers: dict[str, str]
) -> None:
    upstream.post(UTILITIES, status=429, body="Too Many Requests", headers=headers)

    with pytest.raises(RateLimited) as raised:
        client.utilities_for_zip("95313")

    assert raised.value.retry_after is None
    assert raised.value.message == (
        "WattShift is receiving too many requests. Try again in a few minutes."
    )


@pytest.mark.parametrize(
    "call", [*READS.values(), *CHANGING_CALLS.values()], ids=[*READS, *CHANGING_CALLS]
)
@pytest.mark.parametrize("status", [429, 503])
def test_a_rate_limited_call_is_never_repeated(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    pauses: list[float],
    call: tuple[str, object],
    status: int,
) -> None:
    endpoint, send = call
    upstream.post(
        endpoint,
        status=status,
        json=envelope_body(error_code="RATE_LIMITED", retry_after_seconds=1),
    )
    upstream.post(endpoint, json=[])

    with pytest.raises(RateLimited) as raised:
        send(client)  # type: ignore[operator]

    assert len(upstream.calls) == 1
    assert pauses == []
    assert raised.value.status == status
    assert raised.value.outcome_known is True


def test_a_rate_limit_is_logged_as_such(
    client: WattShiftClient, upstream: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.post(UTILITIES, status=429)

    with caplog.at_level(logging.INFO, logger="onboarding.wattshift"), pytest.raises(RateLimited):
        client.utilities_for_zip("95313")

    [call] = [r for r in caplog.records if r.levelno == logging.INFO]
    assert call.ws_outcome == "rate_limited"
