"""Session-token mode: mint with the key, cache, send Bearer, renew once on a 401."""

import threading

import pytest
import responses

from onboarding.wattshift.client import WattShiftClient
from onboarding.wattshift.errors import RateLimited, Unauthorized
from onboarding.wattshift.tokens import current_session_tokens
from onboarding.wattshift.types import CreatedHome, HomeDetails
from tests.wattshift.conftest import API_KEY, TOKEN, url

GENERATE = url("/v1/onboarding/session-token/generate")
UTILITIES = url("/v1/utility/get")
DETAILS = HomeDetails(name="Casa", zipcode="95313", utility_id="14328", rate_plan_id="r1")


def paths(upstream: responses.RequestsMock) -> list[str]:
    return [call.request.path_url for call in upstream.calls]


def test_token_is_minted_with_the_key_cached_and_sent_as_bearer(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(UTILITIES, json=[])
    upstream.post(url("/v1/homes/list"), json=[])

    token_client.utilities_for_zip("95313")
    token_client.utilities_for_zip("02139")
    token_client.list_homes()

    assert paths(upstream) == [
        "/v1/onboarding/session-token/generate",
        "/v1/utility/get",
        "/v1/utility/get",
        "/v1/homes/list",
    ]
    mint = upstream.calls[0].request
    assert mint.headers["x-ws-api-key"] == API_KEY
    assert "Authorization" not in mint.headers
    for call in upstream.calls[1:]:
        assert call.request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert "x-ws-api-key" not in call.request.headers
    assert TOKEN in current_session_tokens()


def test_a_401_renews_the_token_once_and_repeats_the_call(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, json={"sessionToken": "tok-expired-1"})
    upstream.post(GENERATE, json={"sessionToken": "tok-fresh-2"})
    upstream.post(UTILITIES, status=401, json={"message": "token expired"})
    upstream.post(UTILITIES, json=[])

    assert token_client.utilities_for_zip("95313") == []

    assert paths(upstream) == [
        "/v1/onboarding/session-token/generate",
        "/v1/utility/get",
        "/v1/onboarding/session-token/generate",
        "/v1/utility/get",
    ]
    assert upstream.calls[1].request.headers["Authorization"] == "Bearer tok-expired-1"
    assert upstream.calls[3].request.headers["Authorization"] == "Bearer tok-fresh-2"


def test_a_create_refused_with_401_is_repeated_once_with_a_fresh_token(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, json={"sessionToken": "tok-expired-1"})
    upstream.post(GENERATE, json={"sessionToken": "tok-fresh-2"})
    upstream.post(url("/v1/homes/create"), status=401)
    upstream.post(url("/v1/homes/create"), json={"id": "ws_home_9"})

    assert token_client.create_home(DETAILS) == CreatedHome(id="ws_home_9")
    assert paths(upstream).count("/v1/homes/create") == 2


def test_a_second_401_is_final_and_never_loops(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(url("/v1/homes/create"), status=401)

    with pytest.raises(Unauthorized):
        token_client.create_home(DETAILS)

    assert paths(upstream) == [
        "/v1/onboarding/session-token/generate",
        "/v1/homes/create",
        "/v1/onboarding/session-token/generate",
        "/v1/homes/create",
    ]


def test_a_403_is_not_a_reason_to_renew(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(UTILITIES, status=403)

    with pytest.raises(Unauthorized) as raised:
        token_client.utilities_for_zip("95313")

    assert raised.value.status == 403
    assert len(upstream.calls) == 2


def test_a_refused_key_stops_at_the_mint(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, status=401)

    with pytest.raises(Unauthorized):
        token_client.utilities_for_zip("95313")

    assert paths(upstream) == ["/v1/onboarding/session-token/generate"]


def test_a_mint_answer_without_a_token_is_invalid(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    from onboarding.wattshift.errors import InvalidAnswer

    upstream.post(GENERATE, json={"token": "wrong-name"})

    with pytest.raises(InvalidAnswer):
        token_client.utilities_for_zip("95313")
    assert paths(upstream) == ["/v1/onboarding/session-token/generate"]


def test_a_failed_mint_is_retried_like_other_harmless_calls(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, status=503)
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(UTILITIES, json=[])

    assert token_client.utilities_for_zip("95313") == []
    assert paths(upstream).count("/v1/onboarding/session-token/generate") == 2


def test_concurrent_first_calls_mint_one_token(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(UTILITIES, json=[])
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def call() -> None:
        start.wait()
        try:
            token_client.utilities_for_zip("95313")
        except BaseException as error:  # collected so the test can report it
            failures.append(error)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert paths(upstream).count("/v1/onboarding/session-token/generate") == 1
    assert paths(upstream).count("/v1/utility/get") == 8


def expired(status: int) -> dict[str, object]:
    return {
        "status": status,
        "json": {
            "request_id": "req_exp",
            "error_code": "AUTH_EXPIRED_CREDENTIAL",
            "message": "The session token has expired.",
        },
    }


@pytest.mark.parametrize("status", [400, 401, 403, 500])
def test_an_expired_credential_renews_the_token_once_whatever_the_status(
    token_client: WattShiftClient, upstream: responses.RequestsMock, status: int
) -> None:
    upstream.post(GENERATE, json={"sessionToken": "tok-expired-1"})
    upstream.post(GENERATE, json={"sessionToken": "tok-fresh-2"})
    upstream.post(url("/v1/homes/create"), **expired(status))
    upstream.post(url("/v1/homes/create"), json={"id": "ws_home_9"})

    assert token_client.create_home(DETAILS) == CreatedHome(id="ws_home_9")

    assert paths(upstream) == [
        "/v1/onboarding/session-token/generate",
        "/v1/homes/create",
        "/v1/onboarding/session-token/generate",
        "/v1/homes/create",
    ]
    assert upstream.calls[3].request.headers["Authorization"] == "Bearer tok-fresh-2"


def test_a_second_expired_credential_is_final(
    token_client: WattShiftClient, upstream: responses.RequestsMock, pauses: list[float]
) -> None:
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(UTILITIES, **expired(403))

    with pytest.raises(Unauthorized) as raised:
        token_client.utilities_for_zip("95313")

    assert raised.value.error_code == "AUTH_EXPIRED_CREDENTIAL"
    assert raised.value.request_id == "req_exp"
    assert paths(upstream).count("/v1/utility/get") == 2
    assert paths(upstream).count("/v1/onboarding/session-token/generate") == 2
    assert pauses == []


@pytest.mark.parametrize(
    "code", ["AUTH_INVALID_API_KEY", "AUTH_REVOKED_CREDENTIAL", "AUTH_INSUFFICIENT_SCOPE"]
)
def test_other_refusals_with_403_do_not_renew(
    token_client: WattShiftClient, upstream: responses.RequestsMock, code: str
) -> None:
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(
        UTILITIES, status=403, json={"request_id": "req_1", "error_code": code, "message": "No."}
    )

    with pytest.raises(Unauthorized):
        token_client.utilities_for_zip("95313")

    assert len(upstream.calls) == 2


def test_a_rate_limit_is_not_a_reason_to_renew(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(UTILITIES, status=429, headers={"Retry-After": "30"})

    with pytest.raises(RateLimited):
        token_client.utilities_for_zip("95313")

    assert paths(upstream) == ["/v1/onboarding/session-token/generate", "/v1/utility/get"]


def test_in_api_key_mode_an_expired_credential_is_final(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(UTILITIES, **expired(401))

    with pytest.raises(Unauthorized):
        client.utilities_for_zip("95313")

    assert paths(upstream) == ["/v1/utility/get"]


def test_the_token_cache_hides_its_token_from_repr(
    token_client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(GENERATE, json={"sessionToken": TOKEN})
    upstream.post(UTILITIES, json=[])

    token_client.utilities_for_zip("95313")

    assert TOKEN not in repr(token_client._tokens)
    assert TOKEN not in repr(token_client.transport)
