"""Every endpoint: the request the client sends and the typed answer it returns."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import responses

from onboarding.wattshift.client import WattShiftClient
from onboarding.wattshift.errors import InvalidAnswer
from onboarding.wattshift.types import Appliance, CreatedHome, Home, HomeDetails, RatePlan, Utility
from tests.wattshift.conftest import API_KEY, url

# The older docs' example for 95313 as printed, with its missing comma after "14328".
DOCUMENTED_EXAMPLE = """[
  {
    "utilityId": "14328"
    "utilityName": "Pacific Gas & Electric",
    "wsRatePlans": [
      {
        "id": "662955dff338bcedec0dbfe7",
        "ratePlanName": "TOU-D"
      },
      {
        "id": "66d811ce52c6fe40859130e8",
        "ratePlanName": "TOU-C"
      },
      {
        "id": "66d811ce52c6fe40859130e8",
        "ratePlanName": "E-6"
      }
    ]
  }
]"""
DOCUMENTED_EXAMPLE_CORRECTED = DOCUMENTED_EXAMPLE.replace('"14328"\n', '"14328",\n')


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


def test_documented_example_as_printed_is_an_invalid_answer(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/utility/get"), body=DOCUMENTED_EXAMPLE)

    with pytest.raises(InvalidAnswer):
        client.utilities_for_zip("95313")


def test_documented_example_corrected_keeps_the_duplicate_plan_ids(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/utility/get"), body=DOCUMENTED_EXAMPLE_CORRECTED)

    assert client.utilities_for_zip("95313") == [
        Utility(
            id="14328",
            name="Pacific Gas & Electric",
            rate_plans=(
                RatePlan(id="662955dff338bcedec0dbfe7", name="TOU-D"),
                RatePlan(id="66d811ce52c6fe40859130e8", name="TOU-C"),
                RatePlan(id="66d811ce52c6fe40859130e8", name="E-6"),
            ),
        )
    ]


def test_utilities_in_the_current_shape_with_two_utilities_and_extra_fields(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(
        url("/v1/utility/get"),
        json=[
            {
                "utilityId": "14328",
                "utilityName": "Pacific Gas & Electric",
                "territory": "north",
                "ratePlans": [
                    {
                        "id": "6915de3f881cbc6041e4c887",
                        "rateID": "US-CA-PGE-R-TOU-D",
                        "ratePlanName": "TOU-D",
                        "supportedType": "TOU",
                        "isDefault": True,
                    }
                ],
            },
            {"utilityId": "17609", "utilityName": "Southern California Edison", "ratePlans": []},
        ],
    )

    utilities = client.utilities_for_zip("92501")

    assert utilities == [
        Utility(
            id="14328",
            name="Pacific Gas & Electric",
            rate_plans=(
                RatePlan(
                    id="6915de3f881cbc6041e4c887",
                    name="TOU-D",
                    rate_id="US-CA-PGE-R-TOU-D",
                    supported_type="TOU",
                ),
            ),
        ),
        Utility(id="17609", name="Southern California Edison"),
    ]


def test_integer_ids_from_a_sloppy_upstream_become_strings(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(
        url("/v1/utility/get"),
        json=[
            {
                "utilityId": 4176,
                "utilityName": "Eversource",
                "ratePlans": [{"id": 7, "ratePlanName": "R-1"}],
            }
        ],
    )

    [utility] = client.utilities_for_zip("02139")

    assert utility.id == "4176"
    assert utility.rate_plans[0].id == "7"


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


def test_older_price_signal_shape(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    prices = [0.31] * 64 + [0.52] * 20 + [0.31] * 12
    upstream.post(
        url("/v1/homes/ws_home_1/price_signal"),
        json={"startTime": "2026-11-27T08:00:00Z", "priceSignal": prices},
    )

    signal = client.price_signal("ws_home_1")

    assert signal.start == datetime(2026, 11, 27, 8, tzinfo=UTC)
    assert signal.interval == timedelta(minutes=15)
    assert len(signal.prices) == 96
    assert signal.prices[0] == Decimal("0.31")
    assert signal.prices[70] == Decimal("0.52")
    assert signal.imports == ()
    assert signal.exports == ()
    assert sent_json(upstream) == {}


def test_current_price_signal_shape_with_a_window(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(
        url("/v1/homes/ws_home_1/price_signal"),
        json={
            "homeId": "ws_home_1",
            "startTime": "2026-11-27T08:00:00+00:00",
            "endTime": "2026-11-27T08:45:00+00:00",
            "data": [
                {
                    "startTime": "2026-11-27T08:00:00+00:00",
                    "endTime": "2026-11-27T08:45:00+00:00",
                    "price": 0.2,
                    "import": 0.2,
                    "export": 0.05,
                    "confidence": 0.9,
                }
            ],
            "prices": [0.2, 0.2, 0.25],
            "imports": [0.2, 0.2, 0.25],
            "exports": [0.05, 0.05, 0.06],
        },
    )
    start = datetime(2026, 11, 27, 8, tzinfo=UTC)

    signal = client.price_signal("ws_home_1", start=start, end=start + timedelta(minutes=45))

    assert signal.start == start
    assert signal.prices == (Decimal("0.2"), Decimal("0.2"), Decimal("0.25"))
    assert signal.imports == signal.prices
    assert signal.exports == (Decimal("0.05"), Decimal("0.05"), Decimal("0.06"))
    assert sent_json(upstream) == {
        "startTime": "2026-11-27T08:00:00+00:00",
        "endTime": "2026-11-27T08:45:00+00:00",
    }


def test_current_price_signal_with_singular_import_export_names(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(
        url("/v1/homes/ws_home_1/price_signal"),
        json={
            "startTime": "2026-11-27T08:00:00Z",
            "prices": [0.1, 0.12],
            "import": [0.1, 0.12],
            "export": [0.01, 0.02],
        },
    )

    signal = client.price_signal("ws_home_1")

    assert signal.imports == (Decimal("0.1"), Decimal("0.12"))
    assert signal.exports == (Decimal("0.01"), Decimal("0.02"))


def test_price_signal_expands_segments_when_prices_are_absent(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(
        url("/v1/homes/ws_home_1/price_signal"),
        json={
            "startTime": "2026-11-27T08:00:00Z",
            "data": [
                {
                    "startTime": "2026-11-27T08:00:00Z",
                    "endTime": "2026-11-27T08:30:00Z",
                    "price": 0.1,
                },
                {
                    "startTime": "2026-11-27T08:30:00Z",
                    "endTime": "2026-11-27T08:45:00Z",
                    "price": 0.4,
                },
            ],
        },
    )

    assert client.price_signal("ws_home_1").prices == (
        Decimal("0.1"),
        Decimal("0.1"),
        Decimal("0.4"),
    )


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


def test_list_homes(client: WattShiftClient, upstream: responses.RequestsMock) -> None:
    upstream.post(
        url("/v1/homes/list"),
        json=[
            {
                "id": "ws_home_1",
                "name": "Casa",
                "zipcode": "02139",
                "utilityId": "4176",
                "ratePlanId": "r1",
                "createdAt": "2026-11-27T08:00:00Z",
                "solarInfo": {"size": 5},
            },
            {"id": 12, "name": "Sloppy", "zipcode": 2139},
        ],
    )

    assert client.list_homes() == [
        Home(
            id="ws_home_1",
            name="Casa",
            zipcode="02139",
            utility_id="4176",
            rate_plan_id="r1",
            created=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        ),
        # An integer ZIP lost its leading zero upstream; it comes back as five digits.
        Home(id="12", name="Sloppy", zipcode="02139"),
    ]


def test_list_homes_wrapped_in_an_object(
    client: WattShiftClient, upstream: responses.RequestsMock
) -> None:
    upstream.post(url("/v1/homes/list"), json={"homes": [{"id": "ws_home_1"}], "total": 1})

    assert client.list_homes() == [Home(id="ws_home_1")]


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
