"""The sandbox upstream through Django's test client: auth, every endpoint, validation."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from onboarding.sandbox import data
from onboarding.sandbox.models import ReceivedRequest, SandboxHome, SessionToken
from tests.sandbox.conftest import (
    NOT_JSON,
    TRY_LATER,
    UNKNOWN_HOME,
    VALID_HOME,
    CreateHome,
    SandboxPost,
    envelope,
    refused,
)

MISSING_KEY = "Send the API key in the x-ws-api-key header (session tokens are minted with it)."
DOCUMENTED_EXAMPLE = [
    {
        "utilityId": "14328",
        "utilityName": "Pacific Gas & Electric",
        "wsRatePlans": [
            {"id": "662955dff338bcedec0dbfe7", "ratePlanName": "TOU-D"},
            {"id": "66d811ce52c6fe40859130e8", "ratePlanName": "TOU-C"},
            {"id": "66d811ce52c6fe40859130e8", "ratePlanName": "E-6"},
        ],
    }
]


# Auth ------------------------------------------------------------------------------------


def test_a_missing_api_key_is_401_with_a_json_message(post: SandboxPost) -> None:
    response = post("utility/get", {"zipcode": "95313"}, headers={})
    assert response.status_code == 401
    assert envelope(response) == {
        "error_code": "AUTH_MISSING_API_KEY",
        "message": "Missing or invalid credentials.",
        "recovery_action": MISSING_KEY,
    }


def test_a_wrong_api_key_is_401(post: SandboxPost) -> None:
    response = post("utility/get", {"zipcode": "95313"}, headers={"x-ws-api-key": "wrong"})
    assert response.status_code == 401
    assert settings.WS_SANDBOX_API_KEY not in response.content.decode()


def test_the_key_is_read_per_request(post: SandboxPost, settings: Settings) -> None:
    settings.WS_SANDBOX_API_KEY = "rotated-sandbox-key"
    assert post("homes/list", headers={"x-ws-api-key": "rotated-sandbox-key"}).status_code == 200
    assert (
        post("homes/list", headers={"x-ws-api-key": "sandbox-key-not-a-secret"}).status_code == 401
    )


def test_a_session_token_minted_with_the_key_authenticates_as_bearer(post: SandboxPost) -> None:
    response = post("onboarding/session-token/generate")
    assert response.status_code == 200
    token = response.json()["sessionToken"]
    assert isinstance(token, str) and len(token) > 20

    answer = post("utility/get", {"zipcode": "95313"}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.json() == DOCUMENTED_EXAMPLE


def test_only_a_digest_of_the_session_token_is_stored(post: SandboxPost) -> None:
    token = post("onboarding/session-token/generate").json()["sessionToken"]
    stored = SessionToken.objects.get()
    assert stored.digest != token
    assert token not in stored.digest
    assert stored.expires_at > timezone.now()


@pytest.mark.parametrize("header", ["Bearer ws_sess_never-issued", "Bearer ", "Basic abc", "abc"])
def test_a_token_the_sandbox_did_not_issue_is_401(post: SandboxPost, header: str) -> None:
    response = post("homes/list", headers={"Authorization": header})
    assert response.status_code == 401


def test_an_expired_session_token_is_401(post: SandboxPost) -> None:
    token = post("onboarding/session-token/generate").json()["sessionToken"]
    SessionToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert post("homes/list", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_session_token_cannot_mint_another(post: SandboxPost) -> None:
    token = post("onboarding/session-token/generate").json()["sessionToken"]
    response = post(
        "onboarding/session-token/generate", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


def test_get_is_405_and_unknown_paths_are_json_404(post: SandboxPost, client: Client) -> None:
    response = client.get(
        "/sandbox/v1/homes/list", headers={"x-ws-api-key": settings.WS_SANDBOX_API_KEY}
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "message" in response.json()
    unknown = post("homes/delete", {})
    assert unknown.status_code == 404
    assert envelope(unknown) == {
        "error_code": "NOT_FOUND",
        "message": "No such endpoint.",
        "recovery_action": "Check the path: every endpoint is under /v1/, as the API reference "
        "lists it.",
    }


def test_the_api_needs_no_login_and_no_csrf_token(db: None) -> None:
    browserless = Client(enforce_csrf_checks=True)
    response = browserless.post(
        "/sandbox/v1/homes/list",
        data="{}",
        content_type="application/json",
        headers={"x-ws-api-key": settings.WS_SANDBOX_API_KEY},
    )
    assert response.status_code == 200


# Request log -----------------------------------------------------------------------------


def test_every_request_is_recorded_without_credentials(post: SandboxPost) -> None:
    token = post("onboarding/session-token/generate").json()["sessionToken"]
    post("utility/get", {"zipcode": "02139"}, headers={"Authorization": f"Bearer {token}"})
    post("utility/get", {"zipcode": "02139"}, headers={"x-ws-api-key": "wrong"})
    post("homes/create", {"name": ""})
    post("homes/nope", {})

    recorded = list(ReceivedRequest.objects.values_list("path", "status", "auth", "body"))
    assert recorded == [
        ("/sandbox/v1/onboarding/session-token/generate", 200, "api-key", ""),
        ("/sandbox/v1/utility/get", 200, "session-token", '{"zipcode": "02139"}'),
        ("/sandbox/v1/utility/get", 401, "none", '{"zipcode": "02139"}'),
        ("/sandbox/v1/homes/create", 400, "api-key", '{"name": ""}'),
        ("/sandbox/v1/homes/nope", 404, "none", "{}"),
    ]
    everything = json.dumps(list(ReceivedRequest.objects.values()), default=str)
    assert settings.WS_SANDBOX_API_KEY not in everything
    assert token not in everything


# utility/get -----------------------------------------------------------------------------


def test_95313_answers_the_documented_example_exactly(post: SandboxPost) -> None:
    response = post("utility/get", {"zipcode": "95313"})
    assert response.status_code == 200
    assert response.json() == DOCUMENTED_EXAMPLE


def test_a_leading_zero_zip_answers_the_current_shape(post: SandboxPost) -> None:
    [utility] = post("utility/get", {"zipcode": "02139"}).json()
    assert utility["utilityId"] == "54913"
    assert "wsRatePlans" not in utility
    assert utility["ratePlans"][0] == {
        "id": "6729947eefe3563cb2d80ac3",
        "ratePlanName": "Residential R-1",
        "rateID": "nstar-r1",
        "supportedType": "residential",
    }


def test_a_zip_served_by_two_utilities_lists_both(post: SandboxPost) -> None:
    answer = post("utility/get", {"zipcode": "95630"}).json()
    assert [(u["utilityId"], u["utilityName"]) for u in answer] == [
        ("14328", "Pacific Gas & Electric"),
        ("16534", "Sacramento Municipal Utility District"),
    ]


@pytest.mark.parametrize("zipcode", ["96799", "12345"])
def test_a_zip_nobody_serves_is_an_empty_list(post: SandboxPost, zipcode: str) -> None:
    response = post("utility/get", {"zipcode": zipcode})
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "zipcode is required."),
        ({"zipcode": 2139}, "zipcode must be a string."),
        ({"zipcode": "2139"}, "zipcode must be a string of five digits."),
    ],
)
def test_utility_get_validates_the_zip(post: SandboxPost, body: dict, message: str) -> None:
    response = post("utility/get", body)
    assert response.status_code == 400
    assert envelope(response) == refused(message, "zipcode")


def test_every_zip_in_the_data_answers_string_ids_in_a_consistent_shape(
    post: SandboxPost,
) -> None:
    leading_zero = [z for z in data.SERVICE_AREAS if z.startswith("0")]
    assert len(leading_zero) >= 3
    states_seen = set()
    for zipcode, area in data.SERVICE_AREAS.items():
        answer = post("utility/get", {"zipcode": zipcode}).json()
        assert len(answer) == len(area.utilities)
        for utility in answer:
            assert isinstance(utility["utilityId"], str) and utility["utilityId"].isdigit()
            plans = utility.get("ratePlans", utility.get("wsRatePlans"))
            assert plans, zipcode
            for plan in plans:
                assert re.fullmatch(r"[0-9a-f]{24}", plan["id"])
                if "ratePlans" in utility:
                    assert plan["rateID"] and plan["supportedType"] == "residential"
            states_seen.add(area.timezone)
    assert len(states_seen) >= 5


# Test trigger ZIPs -------------------------------------------------------------------------


def test_zip_00503_answers_503_with_a_proxy_page(post: SandboxPost) -> None:
    response = post("utility/get", {"zipcode": "00503"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"503 Service Temporarily Unavailable" in response.content


def test_zip_00200_answers_200_with_a_body_that_is_not_json(post: SandboxPost) -> None:
    response = post("utility/get", {"zipcode": "00200"})
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert b'"utilityId": "14328"\n' in response.content


def test_zip_00408_answers_only_after_the_slow_delay(
    post: SandboxPost, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WS_SANDBOX_SLOW_SECONDS = 7.5
    slept: list[float] = []
    monkeypatch.setattr("onboarding.sandbox.views.time.sleep", slept.append)
    response = post("utility/get", {"zipcode": "00408"})
    assert slept == [7.5]
    assert response.status_code == 200
    assert response.json() == []


def test_every_call_waits_the_configured_latency(
    post: SandboxPost, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WS_SANDBOX_LATENCY_SECONDS = 0.2
    slept: list[float] = []
    monkeypatch.setattr("onboarding.sandbox.views.time.sleep", slept.append)
    assert post("utility/get", {"zipcode": "95313"}).status_code == 200
    assert post("homes/list", {}, headers={}).status_code == 401
    assert slept == [0.2, 0.2]


def test_no_latency_by_default(post: SandboxPost, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("onboarding.sandbox.views.time.sleep", slept.append)
    assert post("utility/get", {"zipcode": "95313"}).status_code == 200
    assert slept == []


# homes/create ----------------------------------------------------------------------------


def test_create_stores_the_home_and_answers_its_id(post: SandboxPost) -> None:
    body = {
        **VALID_HOME,
        "hasEvCharger": True,
        "hasElectricHeater": False,
        "hasSmartWaterHeater": None,
        "hasAC": True,
        "acType": "split",
    }
    response = post("homes/create", body)
    assert response.status_code == 200
    answer = response.json()
    assert re.fullmatch(r"ws_home_[0-9a-f]{16}", answer["id"])
    assert answer["zipcode"] == "02139"
    home = SandboxHome.objects.get(pk=answer["id"])
    assert (home.name, home.zipcode, home.utility_id, home.rate_plan_id) == (
        "Ina's bungalow",
        "02139",
        "54913",
        "6729947eefe3563cb2d80ac3",
    )
    assert home.has_ev_charger is True
    assert home.has_electric_heater is False
    assert home.has_smart_water_heater is None
    assert home.has_electric_water_heater is None  # omitted
    assert (home.has_ac, home.ac_type) == (True, "split")


def test_create_accepts_the_shared_id_of_the_documented_example(post: SandboxPost) -> None:
    body = {
        "name": "Crows Landing farmhouse",
        "zipcode": "95313",
        "utilityId": "14328",
        "ratePlanId": "66d811ce52c6fe40859130e8",
    }
    assert post("homes/create", body).status_code == 200


def test_create_accepts_a_name_of_255_characters(post: SandboxPost) -> None:
    assert post("homes/create", {**VALID_HOME, "name": "x" * 255}).status_code == 200


def test_create_takes_solar_directly_as_the_current_docs_allow(post: SandboxPost) -> None:
    body = {**VALID_HOME, "solarSystemSizeKw": 7.6, "isNonNetMetered": True}
    home = SandboxHome.objects.get(pk=post("homes/create", body).json()["id"])
    assert str(home.solar_system_size_kw) == "7.600"
    assert home.is_non_net_metered is True


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": None}, "name", "name is required."),
        ({"name": "   "}, "name", "name must not be empty."),
        ({"name": "x" * 256}, "name", "name must be at most 255 characters."),
        ({"name": 42}, "name", "name must be a string."),
        ({"zipcode": None}, "zipcode", "zipcode is required."),
        ({"zipcode": 2139}, "zipcode", "zipcode must be a string."),
        ({"zipcode": "2139"}, "zipcode", "zipcode must be a string of five digits."),
        ({"utilityId": "14328"}, "utilityId", "utilityId '14328' does not serve ZIP code 02139."),
        ({"utilityId": 54913}, "utilityId", "utilityId must be a string."),
        (
            {"ratePlanId": "662955dff338bcedec0dbfe7"},
            "ratePlanId",
            "ratePlanId '662955dff338bcedec0dbfe7' is not a plan of utility 54913.",
        ),
        ({"zipcode": "96799"}, "utilityId", "utilityId '54913' does not serve ZIP code 96799."),
        ({"hasEvCharger": "yes"}, "hasEvCharger", "hasEvCharger must be true, false or null."),
        ({"hasAC": 1}, "hasAC", "hasAC must be true, false or null."),
        ({"acType": "ducted"}, "acType", "acType must be one of: central, window, split, other."),
        ({"acType": ""}, "acType", "acType must be one of: central, window, split, other."),
        ({"solarSystemSizeKw": "5"}, "solarSystemSizeKw", "solarSystemSizeKw must be a number."),
        (
            {"solarSystemSizeKw": 0},
            "solarSystemSizeKw",
            "solarSystemSizeKw must be more than 0 and at most 1000.",
        ),
        ({"clientId": 7}, "clientId", "clientId must be a string."),
    ],
)
def test_create_rejects_an_invalid_body(
    post: SandboxPost, change: dict, field: str, message: str
) -> None:
    body = {key: value for key, value in {**VALID_HOME, **change}.items() if value is not None}
    response = post("homes/create", body)
    assert response.status_code == 400
    assert envelope(response) == refused(message, field)
    assert not SandboxHome.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("{not json", refused("The request body is not valid JSON.", recovery=NOT_JSON)),
        ('{"name": NaN}', refused("The request body is not valid JSON.", recovery=NOT_JSON)),
        ("[1, 2]", refused("The request body must be a JSON object.", recovery=NOT_JSON)),
        ("", refused("name is required.", "name")),
    ],
)
def test_create_rejects_a_body_that_is_not_a_json_object(
    post: SandboxPost, raw: str, expected: dict
) -> None:
    response = post("homes/create", raw=raw)
    assert response.status_code == 400
    assert envelope(response) == expected


@pytest.mark.parametrize("name", ["Test Create Fail", "  test CREATE fail  "])
def test_the_create_fail_name_answers_500_and_creates_nothing(post: SandboxPost, name: str) -> None:
    response = post("homes/create", {**VALID_HOME, "name": name})
    assert response.status_code == 500
    assert envelope(response) == {
        "error_code": "INTERNAL_ERROR",
        "message": "Internal server error.",
        "recovery_action": TRY_LATER,
    }
    assert not SandboxHome.objects.exists()


def test_the_create_fail_name_still_validates_first(post: SandboxPost) -> None:
    response = post("homes/create", {**VALID_HOME, "name": "Test Create Fail", "hasAC": "y"})
    assert response.status_code == 400


def test_the_create_slow_name_creates_then_answers_late(
    post: SandboxPost, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WS_SANDBOX_SLOW_SECONDS = 3.0
    homes_when_sleeping: list[int] = []
    monkeypatch.setattr(
        "onboarding.sandbox.views.time.sleep",
        lambda seconds: homes_when_sleeping.append(SandboxHome.objects.count()),
    )
    response = post("homes/create", {**VALID_HOME, "name": "Test Create Slow"})
    assert homes_when_sleeping == [1]
    assert response.status_code == 200
    assert SandboxHome.objects.get().id == response.json()["id"]
    # Recorded before the wait, so a client that gave up can still count it.
    assert ReceivedRequest.objects.get().status == 200


# homes/solar/create ------------------------------------------------------------------------


def test_solar_is_stored_on_the_home(post: SandboxPost, create_home: CreateHome) -> None:
    home_id = create_home()["id"]
    body = {"homeId": home_id, "solarSystemSizeKw": 7.6, "isNonNetMetered": False}
    response = post("homes/solar/create", body)
    assert response.status_code == 200
    assert response.json() == {"homeId": home_id}
    home = SandboxHome.objects.get(pk=home_id)
    assert str(home.solar_system_size_kw) == "7.600"
    assert home.is_non_net_metered is False


def test_solar_for_an_unknown_home_is_404(post: SandboxPost) -> None:
    body = {"homeId": "ws_home_missing", "solarSystemSizeKw": 5, "isNonNetMetered": False}
    response = post("homes/solar/create", body)
    assert response.status_code == 404
    assert envelope(response) == {
        "error_code": "NOT_FOUND",
        "message": "Home 'ws_home_missing' not found.",
        "recovery_action": UNKNOWN_HOME,
    }


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"solarSystemSizeKw": "5"}, "solarSystemSizeKw", "solarSystemSizeKw must be a number."),
        ({"solarSystemSizeKw": True}, "solarSystemSizeKw", "solarSystemSizeKw must be a number."),
        (
            {"solarSystemSizeKw": -1},
            "solarSystemSizeKw",
            "solarSystemSizeKw must be more than 0 and at most 1000.",
        ),
        (
            {"solarSystemSizeKw": 0.0},
            "solarSystemSizeKw",
            "solarSystemSizeKw must be more than 0 and at most 1000.",
        ),
        ({"solarSystemSizeKw": None}, "solarSystemSizeKw", "solarSystemSizeKw is required."),
        ({"isNonNetMetered": "no"}, "isNonNetMetered", "isNonNetMetered must be true or false."),
        ({"homeId": None}, "homeId", "homeId is required."),
    ],
)
def test_solar_rejects_an_invalid_body(
    post: SandboxPost, create_home: CreateHome, change: dict, field: str, message: str
) -> None:
    home_id = create_home()["id"]
    body = {"homeId": home_id, "solarSystemSizeKw": 5, "isNonNetMetered": False, **change}
    response = post("homes/solar/create", {k: v for k, v in body.items() if v is not None})
    assert response.status_code == 400
    assert envelope(response) == refused(message, field)
    assert SandboxHome.objects.get().solar_system_size_kw is None


def test_the_solar_fail_once_home_fails_its_first_solar_call_only(
    post: SandboxPost, create_home: CreateHome
) -> None:
    home_id = create_home(name="Test Solar Fail Once")["id"]
    other_id = create_home(name="Neighbour")["id"]
    body = {"homeId": home_id, "solarSystemSizeKw": 5, "isNonNetMetered": False}
    first = post("homes/solar/create", body)
    assert first.status_code == 503
    assert "message" in first.json()
    assert SandboxHome.objects.get(pk=home_id).solar_system_size_kw is None
    assert post("homes/solar/create", body).status_code == 200
    assert post("homes/solar/create", body).status_code == 200
    assert post("homes/solar/create", {**body, "homeId": other_id}).status_code == 200


# homes/list and homes/{id}/update ----------------------------------------------------------


def test_list_answers_every_home_with_string_ids(
    post: SandboxPost, create_home: CreateHome
) -> None:
    first = create_home()
    second = create_home(
        name="Folsom ranch",
        zipcode="95630",
        utilityId="16534",
        ratePlanId="ae45d3e85b39eba10a4d657b",
    )
    response = post("homes/list")
    assert response.status_code == 200
    homes = response.json()
    assert [home["id"] for home in homes] == [first["id"], second["id"]]
    assert set(homes[0]) == {"id", "name", "zipcode", "utilityId", "ratePlanId", "createdAt"}
    assert homes[0]["zipcode"] == "02139"
    assert homes[1]["utilityId"] == "16534"
    assert homes[0]["createdAt"].endswith("Z")


def test_update_changes_name_plan_and_solar(post: SandboxPost, create_home: CreateHome) -> None:
    home_id = create_home()["id"]
    body = {
        "name": "Renamed",
        "ratePlanId": "a658bcfed03b09eeac18f140",
        "solarSystemSizeKw": 4.2,
        "isNonNetMetered": True,
    }
    response = post(f"homes/{home_id}/update", body)
    assert response.status_code == 200
    assert response.json()["ratePlanId"] == "a658bcfed03b09eeac18f140"
    home = SandboxHome.objects.get(pk=home_id)
    assert (home.name, home.rate_plan_id) == ("Renamed", "a658bcfed03b09eeac18f140")
    assert (str(home.solar_system_size_kw), home.is_non_net_metered) == ("4.200", True)


def test_update_can_move_a_home_to_the_other_utility_of_its_zip(
    post: SandboxPost, create_home: CreateHome
) -> None:
    home_id = create_home(
        zipcode="95630", utilityId="14328", ratePlanId="308ef4feceb0f5d504307264"
    )["id"]
    body = {"utilityId": "16534", "ratePlanId": "ae45d3e85b39eba10a4d657b"}
    assert post(f"homes/{home_id}/update", body).status_code == 200
    assert SandboxHome.objects.get(pk=home_id).utility_id == "16534"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"name": ""}, 400),
        ({"ratePlanId": "ae45d3e85b39eba10a4d657b"}, 400),  # SMUD's plan, home is Eversource
        ({"utilityId": "11804"}, 400),  # National Grid does not serve 02139
        ({"zipcode": "01930"}, 400),  # the home's utility does not serve 01930
        ({"solarSystemSizeKw": "big"}, 400),
    ],
)
def test_update_rejects_an_invalid_change(
    post: SandboxPost, create_home: CreateHome, body: dict, status: int
) -> None:
    home_id = create_home()["id"]
    response = post(f"homes/{home_id}/update", body)
    assert response.status_code == status
    assert response.json()["message"]
    home = SandboxHome.objects.get(pk=home_id)
    assert (home.name, home.zipcode, home.rate_plan_id) == (
        VALID_HOME["name"],
        "02139",
        VALID_HOME["ratePlanId"],
    )


def test_update_of_an_unknown_home_is_404(post: SandboxPost) -> None:
    assert post("homes/ws_home_nope/update", {"name": "x"}).status_code == 404
