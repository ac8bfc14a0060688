"""Every endpoint: the request the client sends and the typed answer it returns."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import responses

from onboarding.wattshift.client import APPLIANCE_WIRE_NAMES, WattShiftClient
from onboarding.wattshift.types import Appliance, CreatedHome, HomeDetails
from tests.wattshift.conftest import API_KEY, url


def sent_json(upstream: responses.RequestsMock, index: int = -1) -> object:
    return json.loads(upstream.calls[index].request.body)


def test_utilities_sends_the_zip_as_a_string_with_the_api_key(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/utility/get"), json=[])

    assert client.utilities_for_zip("02139") == []

    request = upstream.calls[0].request
    assert request.method == "POST"
    assert json.loads(request.body) == {"zipcode": "02139"}
    assert request.headers["x-ws-api-key"] == API_KEY
    assert request.headers["Content-Type"] == "application/json"
    assert "Authorization" not in request.headers


def test_create_home_sends_the_documented_fields_with_json_types(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/create"), json={"id": "ws_home_1a2b", "name": "Casa", "extra": 1})
    details = HomeDetails(
        name="Casa Verde",
        zipcode="02139",
        utility_id="4176",
        rate_plan_id="66d811ce52c6fe40859130e8",
        appliances={
            Appliance.EV_CHARGER: True,
            Appliance.ELECTRIC_HEATER: False,
            Appliance.AC: None,
        },
        ac_type="",
    )

    assert client.create_home(details) == CreatedHome(id="ws_home_1a2b")

    body = upstream.calls[0].request.body.decode()
    assert json.loads(body) == {
        "name": "Casa Verde",
        "zipcode": "02139",
        "utilityId": "4176",
        "ratePlanId": "66d811ce52c6fe40859130e8",
        "hasEvCharger": True,
        "hasElectricHeater": False,
        "hasAC": None,
    }
    # The literal JSON: booleans and null, the ZIP quoted, unanswered questions absent.
    assert '"hasEvCharger": true' in body
    assert '"hasElectricHeater": false' in body
    assert '"hasAC": null' in body
    assert '"zipcode": "02139"' in body
    assert "hasSmartWaterHeater" not in body
    assert "acType" not in body


def test_create_home_sends_ac_type_only_when_given(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/create"), json={"id": 991})
    details = HomeDetails(
        name="Casa",
        zipcode="95313",
        utility_id="14328",
        rate_plan_id="662955dff338bcedec0dbfe7",
        appliances={Appliance.AC: True},
        ac_type="central",
    )

    assert client.create_home(details) == CreatedHome(id="991")
    assert sent_json(upstream) == {
        "name": "Casa",
        "zipcode": "95313",
        "utilityId": "14328",
        "ratePlanId": "662955dff338bcedec0dbfe7",
        "hasAC": True,
        "acType": "central",
    }


def test_create_home_refuses_an_appliance_name_upstream_does_not_know(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    details = HomeDetails(
        name="Casa",
        zipcode="95313",
        utility_id="1",
        rate_plan_id="2",
        appliances={"hasPool": True},  # type: ignore[dict-item]
    )

    with pytest.raises(TypeError):
        client.create_home(details)
    assert len(upstream.calls) == 0


def test_add_solar_sends_size_and_net_metering(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/solar/create"), json={"homeId": "ws_home_1"})
    upstream.post(url("/v1/homes/solar/create"), json={"homeId": "ws_home_2"})

    client.add_solar(home_id="ws_home_1", size_kw=Decimal("7.6"), net_metered=True)
    client.add_solar(home_id="ws_home_2", size_kw=Decimal("5"), net_metered=False)

    first = upstream.calls[0].request.body.decode()
    assert json.loads(first) == {
        "homeId": "ws_home_1",
        "solarSystemSizeKw": 7.6,
        "isNonNetMetered": False,
    }
    assert '"solarSystemSizeKw": 7.6' in first
    assert json.loads(upstream.calls[1].request.body) == {
        "homeId": "ws_home_2",
        "solarSystemSizeKw": 5,
        "isNonNetMetered": True,
    }


def test_price_signal_needs_both_ends_of_a_window(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    with pytest.raises(ValueError, match="both"):
        client.price_signal("ws_home_1", start=datetime(2026, 11, 27, tzinfo=UTC))
    assert len(upstream.calls) == 0


def test_home_id_is_quoted_into_the_path(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(
        url("/v1/homes/a%2F..%2Fb/price_signal"),
        json={"startTime": "2026-11-27T08:00:00Z", "priceSignal": [0.1]},
    )

    client.price_signal("a/../b")

    assert upstream.calls[0].request.url == url("/v1/homes/a%2F..%2Fb/price_signal")


def test_update_home_sends_only_the_given_fields(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/ws_home_1/update"), json={"id": "ws_home_1"})

    client.update_home("ws_home_1", rate_plan_id="r2", solar_size_kw=Decimal("6.5"))

    assert sent_json(upstream) == {"ratePlanId": "r2", "solarSystemSizeKw": 6.5}


def test_update_home_refuses_unknown_fields(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    with pytest.raises(TypeError, match="colour"):
        client.update_home("ws_home_1", colour="green")  # type: ignore[call-arg]
    assert len(upstream.calls) == 0


def test_generate_session_token(client: WattShiftClient, upstream: responses.RequestsMock) -> None:
    upstream.post(url("/v1/onboarding/session-token/generate"), json={"sessionToken": "tok-abcdef"})

    assert client.generate_session_token() == "tok-abcdef"
    assert upstream.calls[0].request.headers["x-ws-api-key"] == API_KEY


def test_a_zip_code_must_be_given_as_a_string(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    with pytest.raises(TypeError):
        client.utilities_for_zip(2139)  # type: ignore[arg-type]
    assert len(upstream.calls) == 0


def test_utilities_without_solar_first_send_exactly_the_zip(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/utility/get"), json=[])

    client.utilities_for_zip("02139")
    client.utilities_for_zip("02139", solar_first=False)

    assert [call.request.body for call in upstream.calls] == [b'{"zipcode": "02139"}'] * 2


def test_utilities_with_solar_first_ask_for_the_solar_order(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/utility/get"), json=[])

    client.utilities_for_zip("95313", solar_first=True)

    body = upstream.calls[0].request.body.decode()
    assert json.loads(body) == {"zipcode": "95313", "isSolarPrioritizedOrder": True}
    assert '"isSolarPrioritizedOrder": true' in body


def test_every_appliance_has_its_wire_name_in_the_order_asked(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/create"), json={"id": "h"})
    details = HomeDetails(
        name="Casa",
        zipcode="95313",
        utility_id="14328",
        rate_plan_id="r1",
        appliances=dict.fromkeys(reversed(Appliance), False),
    )

    client.create_home(details)

    body = sent_json(upstream)
    assert isinstance(body, dict)
    assert list(body)[4:] == [
        "hasEvCharger",
        "hasElectricHeater",
        "hasSmartWaterHeater",
        "hasElectricWaterHeater",
        "hasAC",
    ]
    assert set(APPLIANCE_WIRE_NAMES) == set(Appliance)


@pytest.mark.parametrize(
    "appliances",
    [{"hasEvCharger": True}, {"ev_charger": True}, {Appliance.AC: "yes"}],
    ids=["wire-name", "plain-string", "not-a-boolean"],
)
def test_appliances_are_keyed_by_appliance_with_boolean_or_null_answers(
    client: WattShiftClient, upstream: responses.RequestsMock, appliances: dict[object, object]
) -> None:
    details = HomeDetails(
        name="Casa",
        zipcode="95313",
        utility_id="1",
        rate_plan_id="2",
        appliances=appliances,  # type: ignore[arg-type]
    )

    with pytest.raises(TypeError):
        client.create_home(details)
    assert len(upstream.calls) == 0


def test_update_home_takes_the_clients_names_and_sends_the_wire_names(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/ws_home_1/update"), json={"id": "ws_home_1"})

    client.update_home(
        "ws_home_1",
        name="Casa Verde",
        zipcode="02139",
        utility_id="54913",
        rate_plan_id="6729947eefe3563cb2d80ac3",
        solar_size_kw=Decimal("5.0"),
        net_metered=True,
    )

    body = upstream.calls[0].request.body.decode()
    assert json.loads(body) == {
        "name": "Casa Verde",
        "zipcode": "02139",
        "utilityId": "54913",
        "ratePlanId": "6729947eefe3563cb2d80ac3",
        "solarSystemSizeKw": 5,
        "isNonNetMetered": False,
    }
    assert '"solarSystemSizeKw": 5,' in body  # a whole size is sent as an integer


@pytest.mark.parametrize(
    ("fields", "body"),
    [
        ({"net_metered": False}, {"isNonNetMetered": True}),
        ({"solar_size_kw": Decimal("7.6")}, {"solarSystemSizeKw": 7.6}),
        ({"name": "Renamed"}, {"name": "Renamed"}),
        ({"utility_id": "16534", "rate_plan_id": "p"}, {"utilityId": "16534", "ratePlanId": "p"}),
    ],
)
def test_update_home_sends_only_what_is_given(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    fields: dict[str, object],
    body: dict[str, object],
) -> None:
    upstream.post(url("/v1/homes/ws_home_1/update"), json={"id": "ws_home_1"})

    client.update_home("ws_home_1", **fields)  # type: ignore[arg-type]

    assert sent_json(upstream) == body


def test_update_home_with_nothing_to_update_sends_nothing(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    with pytest.raises(ValueError, match=r"^Nothing to update\.$"):
        client.update_home("ws_home_1")
    with pytest.raises(TypeError):
        client.update_home("ws_home_1", {"name": "x"})  # type: ignore[misc]
    assert len(upstream.calls) == 0


def test_update_home_accepts_an_empty_answer(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/ws_home_1/update"), body="")

    client.update_home("ws_home_1", name="Casa")

    assert len(upstream.calls) == 1
