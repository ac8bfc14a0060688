"""Answers read into typed values: both shapes of each answer, every tolerance the contract
needs, and what does not fit becoming InvalidAnswer with the problem in the log."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import responses

from onboarding.wattshift.client import WattShiftClient
from onboarding.wattshift.errors import InvalidAnswer
from onboarding.wattshift.types import Home, HomeDetails, RatePlan, Utility
from tests.wattshift.conftest import url

UTILITIES = url("/v1/utility/get")
CREATE = url("/v1/homes/create")
DETAILS = HomeDetails(name="Casa", zipcode="95313", utility_id="14328", rate_plan_id="r1")


def sent_json(upstream: responses.RequestsMock, index: int = -1) -> object:
    return json.loads(upstream.calls[index].request.body)


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


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>Welcome to nginx</body></html>",
        "",
        "[{]",
        '{"utilityId": "14328"}',
        '[{"utilityName": "No id"}]',
        '[{"utilityId": "1", "utilityName": "U", "ratePlans": {"id": "x"}}]',
        '[{"utilityId": "1", "utilityName": "U", "ratePlans": [{"ratePlanName": "no id"}]}]',
        '[{"utilityId": true, "utilityName": "U"}]',
        '[{"utilityId": 1.5, "utilityName": "U"}]',
        "[NaN]",
    ],
    ids=[
        "html",
        "empty",
        "broken-json",
        "object-not-list",
        "no-utility-id",
        "plans-not-list",
        "plan-without-id",
        "boolean-id",
        "fractional-id",
        "nan",
    ],
)
def test_unreadable_utilities_are_invalid_answers(
    client: WattShiftClient, upstream: responses.RequestsMock, body: str
) -> None:
    upstream.post(UTILITIES, body=body)

    with pytest.raises(InvalidAnswer) as raised:
        client.utilities_for_zip("00200")

    assert raised.value.outcome_known is True
    assert len(upstream.calls) == 1


@pytest.mark.parametrize(
    "body",
    [
        "",
        '{"homeId": "x", "startTime": "2026-11-27T08:00:00Z"}',
        '{"startTime": "yesterday", "priceSignal": [0.1]}',
        '{"startTime": "2026-11-27T08:00:00Z", "priceSignal": ["cheap"]}',
        '{"startTime": "2026-11-27T08:00:00Z", "priceSignal": []}',
        '{"startTime": "2026-11-27T08:00:00Z", "prices": [0.1], "exports": 3}',
        "[0.1, 0.2]",
    ],
    ids=["empty", "no-prices", "bad-time", "text-price", "no-values", "exports-not-list", "list"],
)
def test_unreadable_price_signals_are_invalid_answers(
    client: WattShiftClient, upstream: responses.RequestsMock, body: str
) -> None:
    upstream.post(url("/v1/homes/ws_home_1/price_signal"), body=body)

    with pytest.raises(InvalidAnswer):
        client.price_signal("ws_home_1")


@pytest.mark.parametrize("body", ["", "<html>OK</html>", '{"name": "Casa"}', '{"id": ""}'])
def test_a_create_answer_without_an_id_leaves_the_outcome_unknown(
    client: WattShiftClient, upstream: responses.RequestsMock, body: str
) -> None:
    upstream.post(CREATE, body=body)

    with pytest.raises(InvalidAnswer) as raised:
        client.create_home(DETAILS)

    # The upstream said 2xx, so a home probably exists: the wizard must reconcile, not repeat.
    assert raised.value.outcome_known is False
    assert len(upstream.calls) == 1
