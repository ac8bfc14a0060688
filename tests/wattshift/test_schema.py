"""Answers read into typed values: both shapes of each answer, every tolerance the contract
needs, and what does not fit becoming InvalidAnswer with the problem in the log."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import responses

from onboarding.wattshift import schema
from onboarding.wattshift.client import WattShiftClient
from onboarding.wattshift.errors import InvalidAnswer
from onboarding.wattshift.types import (
    ErrorEnvelope,
    FieldError,
    Home,
    HomeDetails,
    RatePlan,
    Utility,
)
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

    homes = client.list_homes()
    assert homes == [
        Home(
            id="ws_home_1",
            name="Casa",
            zipcode="02139",
            utility_id="4176",
            rate_plan_id="r1",
            created_at="2026-11-27T08:00:00Z",
        ),
        # An integer ZIP lost its leading zero upstream; it comes back as five digits.
        Home(id="12", name="Sloppy", zipcode="02139"),
    ]
    assert homes[0].created == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


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


# Each tolerance, read directly -------------------------------------------------------------


def test_plans_under_either_name_and_null_plans_fall_back_to_the_other_name() -> None:
    plan = {"id": "p1", "ratePlanName": "R-1"}
    both = {"utilityId": "1", "utilityName": "U", "ratePlans": [plan], "wsRatePlans": []}
    null_current = {"utilityId": "1", "utilityName": "U", "ratePlans": None, "wsRatePlans": [plan]}
    neither = {"utilityId": "1", "utilityName": "U", "ratePlans": None}

    assert schema.read_utilities([both])[0].rate_plans == (RatePlan(id="p1", name="R-1"),)
    assert schema.read_utilities([null_current])[0].rate_plans == (RatePlan(id="p1", name="R-1"),)
    assert schema.read_utilities([neither]) == [Utility(id="1", name="U")]


@pytest.mark.parametrize(
    ("value", "expected"), [(" 14328 ", "14328"), (14328, "14328"), (0, "0"), ("ws_1", "ws_1")]
)
def test_ids_are_stripped_strings_and_integer_ids_become_their_digits(
    value: object, expected: str
) -> None:
    [utility] = schema.read_utilities([{"utilityId": value, "utilityName": "U"}])
    assert utility.id == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (True, "utilityId is a boolean"),
        ("  ", "utilityId missing or not a string"),
        (None, "utilityId missing or not a string"),
        (Decimal("1.5"), "utilityId missing or not a string"),
        (["1"], "utilityId missing or not a string"),
    ],
)
def test_an_unreadable_id_is_a_shape_error_naming_it(value: object, problem: str) -> None:
    with pytest.raises(schema.ShapeError) as raised:
        schema.read_utilities([{"utilityId": value, "utilityName": "U"}])
    assert str(raised.value) == problem


def test_text_fields_are_stripped_and_accept_integers() -> None:
    answer = [
        {
            "utilityId": "1",
            "utilityName": "  Eversource ",
            "ratePlans": [{"id": "p", "ratePlanName": 7, "rateID": " r-7 ", "supportedType": 3}],
        }
    ]
    [utility] = schema.read_utilities(answer)
    assert utility.name == "Eversource"
    assert utility.rate_plans == (RatePlan(id="p", name="7", rate_id="r-7", supported_type="3"),)


@pytest.mark.parametrize(
    ("plan", "problem"),
    [
        ({"id": "p"}, "ratePlanName missing or not a string"),
        ({"id": "p", "ratePlanName": True}, "ratePlanName missing or not a string"),
        ({"id": "p", "ratePlanName": "R", "rateID": ["x"]}, "rateID missing or not a string"),
        ({"ratePlanName": "R"}, "rate plan id missing or not a string"),
        ("TOU-D", "rate plan is not an object"),
    ],
)
def test_the_problem_of_an_unreadable_plan_is_named(plan: object, problem: str) -> None:
    with pytest.raises(schema.ShapeError) as raised:
        schema.read_utilities([{"utilityId": "1", "utilityName": "U", "ratePlans": [plan]}])
    assert str(raised.value) == problem


@pytest.mark.parametrize(
    ("value", "expected"), [(2139, "02139"), (0, "00000"), (99999, "99999"), (" 02139 ", "02139")]
)
def test_homes_list_zipcodes_keep_five_digits(value: object, expected: str) -> None:
    [home] = schema.read_homes([{"id": "h", "zipcode": value}])
    assert home.zipcode == expected


@pytest.mark.parametrize("value", [100000, -1, True, 21.39, ["02139"]])
def test_a_zipcode_that_is_no_zip_is_refused(value: object) -> None:
    with pytest.raises(schema.ShapeError, match="zipcode is not a string"):
        schema.read_homes([{"id": "h", "zipcode": value}])


def test_homes_list_accepts_utility_id_with_a_capital_u_as_the_current_docs_print_it() -> None:
    assert schema.read_homes([{"id": "h", "UtilityId": "14328"}]) == [
        Home(id="h", utility_id="14328")
    ]
    assert schema.read_homes([{"id": "h", "utilityId": 4176}])[0].utility_id == "4176"


@pytest.mark.parametrize(
    ("answer", "ids"),
    [
        ([{"id": "a"}], ["a"]),
        ({"homes": [{"id": "a"}]}, ["a"]),
        ({"data": [{"id": "b"}], "total": 1}, ["b"]),
        ({"homes": None, "data": [{"id": "c"}]}, ["c"]),
        ([], []),
    ],
)
def test_homes_list_is_a_list_or_an_object_holding_one(answer: object, ids: list[str]) -> None:
    assert [home.id for home in schema.read_homes(answer)] == ids


@pytest.mark.parametrize("answer", [{"homes": {"id": "a"}}, {"total": 0}, "homes", None])
def test_homes_list_without_a_list_is_refused(answer: object) -> None:
    with pytest.raises(schema.ShapeError, match="homes/list did not answer a list"):
        schema.read_homes(answer)


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        ("2026-11-27T08:00:00Z", datetime(2026, 11, 27, 8, tzinfo=UTC)),
        ("2026-11-27T08:00:00", datetime(2026, 11, 27, 8, tzinfo=UTC)),  # no offset: UTC
        ("2026-11-27T09:00:00+01:00", datetime(2026, 11, 27, 8, tzinfo=UTC)),
        ("yesterday", None),
        (1764230400, None),
        ("", None),
    ],
)
def test_an_unreadable_created_at_is_none_not_an_error(
    created_at: object, expected: datetime | None
) -> None:
    [home] = schema.read_homes([{"id": "h", "createdAt": created_at}])
    assert home.created == expected


@pytest.mark.parametrize(
    ("answer", "home_id"),
    [
        ({"id": "ws_home_1"}, "ws_home_1"),
        ({"homeId": "ws_home_2"}, "ws_home_2"),
        ({"id": None, "homeId": "ws_home_3"}, "ws_home_3"),
        ({"id": 42}, "42"),
    ],
)
def test_a_create_answer_names_its_id_id_or_home_id(answer: object, home_id: str) -> None:
    assert schema.read_created_home(answer).id == home_id


@pytest.mark.parametrize("answer", [None, [], {"id": True}, {"homeId": " "}])
def test_a_create_answer_without_a_usable_id_is_refused(answer: object) -> None:
    with pytest.raises(schema.ShapeError):
        schema.read_created_home(answer)


def test_the_session_token_is_kept_exactly_as_sent() -> None:
    assert schema.read_session_token({"sessionToken": " tok-1 "}) == " tok-1 "
    for answer in ({"sessionToken": " "}, {"sessionToken": 5}, {"token": "x"}, "tok"):
        with pytest.raises(schema.ShapeError, match="no sessionToken string in the answer"):
            schema.read_session_token(answer)


START = "2026-11-27T08:00:00Z"


def segment(start: str, end: str, price: object = Decimal("0.1")) -> dict[str, object]:
    return {"startTime": start, "endTime": end, "price": price}


def test_prices_come_from_price_signal_first_and_the_other_fields_are_not_read() -> None:
    signal = schema.read_price_signal(
        {"startTime": START, "priceSignal": [1, Decimal("0.5")], "prices": "x", "data": 7}
    )
    assert signal.prices == (Decimal(1), Decimal("0.5"))


def test_a_null_price_signal_has_no_prices_even_beside_other_lists() -> None:
    with pytest.raises(schema.ShapeError, match="no prices"):
        schema.read_price_signal({"startTime": START, "priceSignal": None, "prices": [1]})


def test_null_prices_fall_back_to_the_segments() -> None:
    data = [segment(START, "2026-11-27T08:30:00Z")]
    signal = schema.read_price_signal({"startTime": START, "prices": None, "data": data})
    assert signal.prices == (Decimal("0.1"), Decimal("0.1"))


def test_imports_and_exports_under_either_name_and_null_is_none() -> None:
    signal = schema.read_price_signal(
        {"startTime": START, "prices": [1], "import": [2], "exports": None, "export": [3]}
    )
    assert signal.imports == (Decimal(2),)
    assert signal.exports == ()


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ({"priceSignal": [1]}, "startTime missing or not a string"),
        ({"startTime": 5, "priceSignal": [1]}, "startTime missing or not a string"),
        ({"startTime": START}, "neither priceSignal, prices nor data in the answer"),
        ({"startTime": START, "prices": None, "data": None}, "neither priceSignal"),
        ({"startTime": START, "priceSignal": [True]}, "priceSignal is not a number"),
        ({"startTime": START, "prices": ["0.1"]}, "prices is not a number"),
        ({"startTime": START, "prices": {"a": 1}}, "prices is not a list"),
        ({"startTime": START, "prices": [1], "imports": [False]}, "imports is not a number"),
        ({"startTime": START, "prices": [1], "export": "0.1"}, "exports is not a list"),
        ({"startTime": START, "data": []}, "no prices"),
        ({"startTime": START, "data": {}}, "data is not a list"),
        ({"startTime": START, "data": [5]}, "data segment is not an object"),
        (
            {"startTime": START, "data": [segment("2026-11-27T08:15:00Z", "2026-11-27T08:30:00Z")]},
            "data segments are not contiguous",
        ),
        (
            {"startTime": START, "data": [segment(START, START)]},
            "data segments are not contiguous",
        ),
        (
            {
                "startTime": START,
                "data": [
                    segment(START, "2026-11-27T08:15:00Z"),
                    segment("2026-11-27T08:30:00Z", "2026-11-27T08:45:00Z"),
                ],
            },
            "data segments are not contiguous",
        ),
        (
            {"startTime": START, "data": [segment(START, "2026-11-27T08:20:00Z")]},
            "data segment is not whole 15-minute intervals",
        ),
        (
            {"startTime": START, "data": [segment(START, "2026-11-27T08:15:00Z", True)]},
            "segment price is not a number",
        ),
        (
            {"startTime": START, "data": [{"startTime": START, "price": 1}]},
            "segment endTime missing or not a string",
        ),
        ([0.1], "price signal is not an object"),
    ],
)
def test_the_problem_of_an_unreadable_price_signal_is_named(answer: object, problem: str) -> None:
    with pytest.raises(schema.ShapeError) as raised:
        schema.read_price_signal(answer)
    assert str(raised.value).startswith(problem)


def test_segments_may_start_with_an_offset_and_still_tile() -> None:
    data = [
        segment("2026-11-27T09:00:00+01:00", "2026-11-27T08:15:00Z", 1),
        segment("2026-11-27T08:15:00Z", "2026-11-27T09:00:00Z", 2),
    ]
    signal = schema.read_price_signal({"startTime": START, "data": data})
    assert signal.prices == (Decimal(1), Decimal(2), Decimal(2), Decimal(2))
    assert signal.interval == timedelta(minutes=15)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "empty body"),
        (b"  \n", "empty body"),
        (b"[NaN]", "not JSON"),
        (b'{"price": Infinity}', "not JSON"),
        (b"[{]", "not JSON (JSONDecodeError)"),
        (b"\xff\xfe[", "not JSON"),
    ],
)
def test_decoding_refuses_what_is_not_json(body: bytes, problem: str) -> None:
    with pytest.raises(schema.ShapeError) as raised:
        schema.decode(body, empty_ok=False)
    assert str(raised.value).startswith(problem)


def test_decoding_reads_floats_as_decimals_and_an_empty_body_as_none_when_accepted() -> None:
    assert schema.decode(b'{"price": 0.1}', empty_ok=False) == {"price": Decimal("0.1")}
    assert type(schema.decode(b"[0.1]", empty_ok=False)[0]) is Decimal
    assert schema.decode(b"", empty_ok=True) is None


# What does not fit is logged with its problem ---------------------------------------------


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('[{"utilityId": "1", "utilityName": "U", "ratePlans": [{}]}]', "rate plan id missing"),
        ('{"utilityId": "14328"}', "utility/get did not answer a list"),
        ("<html>nginx</html>", "not JSON (JSONDecodeError); body: nginx"),
    ],
)
def test_the_log_says_what_was_wrong_with_the_answer(
    client: WattShiftClient,
    upstream: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
    body: str,
    problem: str,
) -> None:
    upstream.post(UTILITIES, body=body)

    with pytest.raises(InvalidAnswer) as raised:
        client.utilities_for_zip("95313")

    assert f"WattShift POST /v1/utility/get failed: invalid answer: {problem}" in caplog.text
    assert problem not in raised.value.message


def test_a_mint_answer_without_a_token_logs_its_problem(
    token_client: WattShiftClient,
    upstream: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    upstream.post(url("/v1/onboarding/session-token/generate"), json={"token": "x"})

    with pytest.raises(InvalidAnswer):
        token_client.generate_session_token()

    assert (
        "WattShift POST session-token/generate failed: invalid answer: "
        "no sessionToken string in the answer"
    ) in caplog.text


# The error envelope ------------------------------------------------------------------------

ENVELOPE = {
    "request_id": "req_123",
    "error_code": "VALIDATION_FAILED",
    "message": "Request validation failed.",
    "recovery_action": "Fix the fields named.",
    "field_errors": [
        {"field": "ratePlanId", "message": "ratePlanId is unknown"},
        {"field": "hasEvCharger", "message": "must be a boolean"},
        {"field": "solarSystemSizeKw", "message": "too big"},
        {"field": "clientColour", "message": "unknown field"},
    ],
    "retry_after_seconds": 3600,
}


def test_the_envelope_is_read_with_field_names_translated_and_unknown_ones_kept() -> None:
    names = {"ratePlanId": "rate_plan_id", "hasEvCharger": "ev_charger", "other": "x"}
    envelope = schema.read_error_envelope(json.dumps(ENVELOPE).encode(), names)

    assert envelope == ErrorEnvelope(
        request_id="req_123",
        message="Request validation failed.",
        error_code="VALIDATION_FAILED",
        recovery_action="Fix the fields named.",
        field_errors=(
            FieldError("rate_plan_id", "ratePlanId is unknown"),
            FieldError("ev_charger", "must be a boolean"),
            FieldError("solarSystemSizeKw", "too big"),
            FieldError("clientColour", "unknown field"),
        ),
        retry_after_seconds=3600,
    )


def test_the_smallest_envelope_is_a_request_id_and_a_message() -> None:
    body = b'{"request_id": "req_9", "message": "Not found.", "extra": {"a": 1}}'
    assert schema.read_error_envelope(body, {}) == ErrorEnvelope("req_9", "Not found.")


@pytest.mark.parametrize(
    "body",
    [
        b'{"message": "bad zipcode"}',
        b'{"request_id": "req_1"}',
        b'{"request_id": "", "message": "x"}',
        b'{"request_id": true, "message": "x"}',
        b'{"request_id": "req_1", "message": ["x"]}',
        b'[{"request_id": "req_1", "message": "x"}]',
        b"<html>502 Bad Gateway</html>",
        b"",
        b'{"request_id": "req_1", "message": NaN}',
    ],
)
def test_older_shapes_and_garbage_are_no_envelope(body: bytes) -> None:
    assert schema.read_error_envelope(body, {}) is None


@pytest.mark.parametrize(
    ("extra", "field_errors", "retry_after"),
    [
        ({"field_errors": "zipcode"}, (), None),
        ({"field_errors": [{"field": "zipcode"}, {"message": "no field"}, 7]}, ("zipcode",), None),
        ({"field_errors": [{"field": " ", "message": "blank"}]}, (), None),
        ({"retry_after_seconds": 90.2}, (), 91),
        ({"retry_after_seconds": "120"}, (), None),
        ({"retry_after_seconds": -5}, (), None),
        ({"retry_after_seconds": True}, (), None),
        ({"error_code": 429, "recovery_action": ["wait"]}, (), None),
    ],
)
def test_a_garbled_optional_part_does_not_cost_the_envelope(
    extra: dict[str, object], field_errors: tuple[str, ...], retry_after: int | None
) -> None:
    body = json.dumps({"request_id": "req_1", "message": "Nope.", **extra}).encode()
    envelope = schema.read_error_envelope(body, {})

    assert envelope is not None
    assert (envelope.request_id, envelope.message) == ("req_1", "Nope.")
    assert tuple(error.field for error in envelope.field_errors) == field_errors
    assert envelope.retry_after_seconds == retry_after
    assert (envelope.error_code, envelope.recovery_action) == ("", "")
