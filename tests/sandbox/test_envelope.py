"""Every error answer of the sandbox is WattShift's error envelope (UPSTREAM_API.md section 5),
except the trigger answers that are broken on purpose; and the triggers that test it."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from onboarding.sandbox.models import SandboxHome, SessionToken
from tests.sandbox.conftest import (
    REQUEST_ID,
    VALID_HOME,
    CreateHome,
    SandboxPost,
    envelope,
    refused,
)

DOCUMENTED_CODES = {
    "AUTH_MISSING_API_KEY",
    "AUTH_INVALID_API_KEY",
    "AUTH_EXPIRED_CREDENTIAL",
    "AUTH_REVOKED_CREDENTIAL",
    "AUTH_INSUFFICIENT_SCOPE",
    "VALIDATION_FAILED",
    "RATE_LIMITED",
    "NOT_FOUND",
    "FORBIDDEN",
    "PRODUCTION_ACCESS_DENIED",
    "INTERNAL_ERROR",
}
NAME_REFUSED = (
    "This name is not accepted by WattShift. Use the customer's name or the street address."
)
Failure = Callable[[SandboxPost, CreateHome, Client], HttpResponse]


def token(post: SandboxPost) -> str:
    return post("onboarding/session-token/generate").json()["sessionToken"]


def expired_token(post: SandboxPost) -> str:
    minted = token(post)
    SessionToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    return minted


def home_with_a_vanished_plan(create_home: CreateHome) -> str:
    home_id = create_home()["id"]
    SandboxHome.objects.filter(pk=home_id).update(rate_plan_id="000000000000000000000000")
    return home_id


def get_request(client: Client) -> HttpResponse:
    key = settings.WS_SANDBOX_API_KEY
    return client.get("/sandbox/v1/homes/list", headers={"x-ws-api-key": key})


FAILURES: dict[str, tuple[int, str, Failure]] = {
    "no-credentials": (401, "AUTH_MISSING_API_KEY", lambda p, c, b: p("homes/list", headers={})),
    "wrong-key": (
        401,
        "AUTH_INVALID_API_KEY",
        lambda p, c, b: p("homes/list", headers={"x-ws-api-key": "wrong"}),
    ),
    "unknown-token": (
        401,
        "AUTH_INVALID_API_KEY",
        lambda p, c, b: p("homes/list", headers={"Authorization": "Bearer ws_sess_never"}),
    ),
    "expired-token": (
        401,
        "AUTH_EXPIRED_CREDENTIAL",
        lambda p, c, b: p("homes/list", headers={"Authorization": f"Bearer {expired_token(p)}"}),
    ),
    "token-minting-a-token": (
        401,
        "AUTH_MISSING_API_KEY",
        lambda p, c, b: p(
            "onboarding/session-token/generate", headers={"Authorization": f"Bearer {token(p)}"}
        ),
    ),
    "get": (405, "VALIDATION_FAILED", lambda p, c, b: get_request(b)),
    "unknown-endpoint": (404, "NOT_FOUND", lambda p, c, b: p("homes/delete", {})),
    "not-json": (400, "VALIDATION_FAILED", lambda p, c, b: p("homes/create", raw="{nope")),
    "invalid-zip": (400, "VALIDATION_FAILED", lambda p, c, b: p("utility/get", {"zipcode": "1"})),
    "invalid-create": (
        400,
        "VALIDATION_FAILED",
        lambda p, c, b: p("homes/create", {**VALID_HOME, "hasAC": "y"}),
    ),
    "invalid-update": (
        400,
        "VALIDATION_FAILED",
        lambda p, c, b: p(f"homes/{c()['id']}/update", {}),
    ),
    "invalid-window": (
        400,
        "VALIDATION_FAILED",
        lambda p, c, b: p(f"homes/{c()['id']}/price_signal", {"startTime": "x"}),
    ),
    "unknown-home-solar": (
        404,
        "NOT_FOUND",
        lambda p, c, b: p("homes/solar/create", {"homeId": "ws_home_0", "solarSystemSizeKw": 5}),
    ),
    "unknown-home-price": (404, "NOT_FOUND", lambda p, c, b: p("homes/ws_home_0/price_signal")),
    "unknown-home-update": (
        404,
        "NOT_FOUND",
        lambda p, c, b: p("homes/ws_home_0/update", {"name": "x"}),
    ),
    "plan-without-prices": (
        409,
        "NOT_FOUND",
        lambda p, c, b: p(f"homes/{home_with_a_vanished_plan(c)}/price_signal"),
    ),
    "create-fail": (
        500,
        "INTERNAL_ERROR",
        lambda p, c, b: p("homes/create", {**VALID_HOME, "name": "Test Create Fail"}),
    ),
    "solar-fail-once": (
        503,
        "INTERNAL_ERROR",
        lambda p, c, b: p(
            "homes/solar/create",
            {"homeId": c(name="Test Solar Fail Once")["id"], "solarSystemSizeKw": 5},
        ),
    ),
    "price-fail-once": (
        503,
        "INTERNAL_ERROR",
        lambda p, c, b: p(f"homes/{c(name='Test Price Fail Once')['id']}/price_signal"),
    ),
    "name-refused": (
        400,
        "VALIDATION_FAILED",
        lambda p, c, b: p("homes/create", {**VALID_HOME, "name": "Test Name Refused"}),
    ),
    "rate-limited": (
        429,
        "RATE_LIMITED",
        lambda p, c, b: p("homes/create", {**VALID_HOME, "name": "Test Rate Limited"}),
    ),
}


@pytest.mark.parametrize(("status", "code", "fail"), FAILURES.values(), ids=FAILURES)
def test_every_error_answer_is_the_envelope(
    post: SandboxPost,
    create_home: CreateHome,
    client: Client,
    status: int,
    code: str,
    fail: Failure,
) -> None:
    response = fail(post, create_home, client)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = envelope(response)
    assert body["error_code"] == code
    assert code in DOCUMENTED_CODES
    assert isinstance(body["message"], str) and body["message"]
    assert set(body) <= {
        "error_code",
        "message",
        "recovery_action",
        "field_errors",
        "retry_after_seconds",
    }
    for field_error in body.get("field_errors", []):
        assert set(field_error) == {"field", "message"}
        assert field_error["field"] and field_error["message"]


def test_each_answer_has_its_own_request_id(post: SandboxPost) -> None:
    ids = {post("homes/list", headers={}).json()["request_id"] for _ in range(5)}
    assert len(ids) == 5
    assert all(REQUEST_ID.fullmatch(request_id) for request_id in ids)


def test_the_broken_trigger_answers_stay_out_of_the_envelope(post: SandboxPost) -> None:
    assert b"request_id" not in post("utility/get", {"zipcode": "00503"}).content
    assert b"request_id" not in post("utility/get", {"zipcode": "00200"}).content


def test_a_validation_failure_names_the_wire_field(post: SandboxPost) -> None:
    response = post("homes/create", {**VALID_HOME, "ratePlanId": "662955dff338bcedec0dbfe7"})

    message = "ratePlanId '662955dff338bcedec0dbfe7' is not a plan of utility 54913."
    assert envelope(response)["field_errors"] == [{"field": "ratePlanId", "message": message}]


# Home name "Test Name Refused" ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["Test Name Refused", "  test NAME refused "])
def test_the_name_refused_name_is_refused_on_create(post: SandboxPost, name: str) -> None:
    response = post("homes/create", {**VALID_HOME, "name": name})

    assert response.status_code == 400
    assert envelope(response) == refused(NAME_REFUSED, "name")
    assert not SandboxHome.objects.exists()


def test_the_name_refused_name_still_validates_first(post: SandboxPost) -> None:
    response = post("homes/create", {**VALID_HOME, "name": "Test Name Refused", "zipcode": "1"})
    assert envelope(response) == refused("zipcode must be a string of five digits.", "zipcode")


def test_the_name_refused_name_is_refused_on_update(
    post: SandboxPost, create_home: CreateHome
) -> None:
    home_id = create_home()["id"]

    response = post(
        f"homes/{home_id}/update",
        {"name": "Test Name Refused", "ratePlanId": "a658bcfed03b09eeac18f140"},
    )

    assert response.status_code == 400
    assert envelope(response) == refused(NAME_REFUSED, "name")
    home = SandboxHome.objects.get(pk=home_id)
    assert (home.name, home.rate_plan_id) == (VALID_HOME["name"], VALID_HOME["ratePlanId"])


# Home name "Test Rate Limited" ----------------------------------------------------------------


def test_the_rate_limited_name_answers_429_and_creates_nothing(post: SandboxPost) -> None:
    response = post("homes/create", {**VALID_HOME, "name": "test rate limited"})

    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert envelope(response) == {
        "error_code": "RATE_LIMITED",
        "message": "Too many requests. Try again in 120 seconds.",
        "recovery_action": "Wait retry_after_seconds before sending another request.",
        "retry_after_seconds": 120,
    }
    assert not SandboxHome.objects.exists()


def test_the_rate_limited_name_does_not_limit_updates(
    post: SandboxPost, create_home: CreateHome
) -> None:
    home_id = create_home()["id"]
    assert post(f"homes/{home_id}/update", {"name": "Test Rate Limited"}).status_code == 200


# utility/get with isSolarPrioritizedOrder ----------------------------------------------------


def plan_names(answer: list[dict]) -> list[list[str]]:
    return [
        [plan["ratePlanName"] for plan in utility.get("ratePlans", utility.get("wsRatePlans"))]
        for utility in answer
    ]


@pytest.mark.parametrize(
    ("zipcode", "usual", "solar_first"),
    [
        ("95313", [["TOU-D", "TOU-C", "E-6"]], [["E-6", "TOU-D", "TOU-C"]]),
        (
            "95630",
            [
                ["E-TOU-C", "E-TOU-D", "EV2-A", "E-1 Residential Services"],
                ["Time-of-Day (5-8 p.m.) Rate", "Time-of-Day (5-8 p.m.) Rate with EV Credit"],
            ],
            [
                ["EV2-A", "E-TOU-C", "E-TOU-D", "E-1 Residential Services"],
                ["Time-of-Day (5-8 p.m.) Rate", "Time-of-Day (5-8 p.m.) Rate with EV Credit"],
            ],
        ),
        (
            "92618",
            [["TOU-D-4-9PM", "TOU-D-PRIME", "Domestic (D)"]],
            [["TOU-D-PRIME", "TOU-D-4-9PM", "Domestic (D)"]],
        ),
        (
            "92101",
            [["TOU-DR1", "EV-TOU-5", "DR Standard Residential"]],
            [["EV-TOU-5", "TOU-DR1", "DR Standard Residential"]],
        ),
        (
            "02139",
            [["Residential R-1", "Residential Time-of-Use R-3"]],
            [["Residential R-1", "Residential Time-of-Use R-3"]],
        ),
        ("96799", [], []),
    ],
)
def test_the_solar_order_lists_the_plans_that_suit_solar_first(
    post: SandboxPost, zipcode: str, usual: list[list[str]], solar_first: list[list[str]]
) -> None:
    assert plan_names(post("utility/get", {"zipcode": zipcode}).json()) == usual
    for flag in (False, None):
        body = {"zipcode": zipcode, "isSolarPrioritizedOrder": flag}
        assert plan_names(post("utility/get", body).json()) == usual
    body = {"zipcode": zipcode, "isSolarPrioritizedOrder": True}
    assert plan_names(post("utility/get", body).json()) == solar_first


def test_the_solar_order_keeps_the_documented_example_otherwise_exact(post: SandboxPost) -> None:
    body = {"zipcode": "95313", "isSolarPrioritizedOrder": True}
    [utility] = post("utility/get", body).json()
    assert utility == {
        "utilityId": "14328",
        "utilityName": "Pacific Gas & Electric",
        "wsRatePlans": [
            {"id": "66d811ce52c6fe40859130e8", "ratePlanName": "E-6"},
            {"id": "662955dff338bcedec0dbfe7", "ratePlanName": "TOU-D"},
            {"id": "66d811ce52c6fe40859130e8", "ratePlanName": "TOU-C"},
        ],
    }


@pytest.mark.parametrize("flag", ["yes", 1, 0, "true", [True], {}])
def test_the_solar_order_must_be_a_boolean(post: SandboxPost, flag: object) -> None:
    response = post("utility/get", {"zipcode": "95630", "isSolarPrioritizedOrder": flag})

    assert response.status_code == 400
    message = "isSolarPrioritizedOrder must be true or false."
    assert envelope(response) == refused(message, "isSolarPrioritizedOrder")


def test_the_trigger_zips_answer_as_before_whatever_the_solar_order(post: SandboxPost) -> None:
    unavailable = post("utility/get", {"zipcode": "00503", "isSolarPrioritizedOrder": True})
    not_json = post("utility/get", {"zipcode": "00200", "isSolarPrioritizedOrder": "yes"})
    assert unavailable.status_code == 503
    assert not_json.status_code == 200
