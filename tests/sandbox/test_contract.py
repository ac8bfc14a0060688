"""Contract tests: the project's real WattShift client against the sandbox over real HTTP.

Whatever passes here is what the wizard sees when it runs against the sandbox, so the
client's typed results and typed errors are checked end to end for every endpoint and
every test trigger, in both auth modes.
"""

import gc
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from onboarding.sandbox.models import ReceivedRequest, SandboxHome, SessionToken
from onboarding.sandbox.price_signal import iso
from onboarding.wattshift.client import WattShiftClient
from onboarding.wattshift.errors import (
    InvalidAnswer,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Unauthorized,
    UpstreamServerError,
    WattShiftError,
)
from onboarding.wattshift.types import (
    Appliance,
    FieldError,
    Home,
    HomeDetails,
    RatePlan,
    Utility,
)

# The live server answers from another thread, so what each side writes must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

SLOW_SECONDS = 1.0
SHORT_TIMEOUT = 0.5

CAMBRIDGE_HOME = HomeDetails(
    name="Ina's bungalow",
    zipcode="02139",
    utility_id="54913",
    rate_plan_id="6729947eefe3563cb2d80ac3",
    appliances={Appliance.EV_CHARGER: True, Appliance.ELECTRIC_HEATER: False, Appliance.AC: None},
)

MakeClient = Callable[..., WattShiftClient]


@pytest.fixture
def make_client(live_server: LiveServer) -> Iterator[MakeClient]:
    """A client of the sandbox; no retries unless a test asks, so counts are exact."""
    made: list[WattShiftClient] = []

    def make(**options: object) -> WattShiftClient:
        chosen: dict[str, object] = {
            "base_url": f"{live_server.url}/sandbox",
            "api_key": settings.WS_SANDBOX_API_KEY,
            "timeout": 5.0,
            "retries": 0,
            "backoff": 0.0,
            **options,
        }
        made.append(WattShiftClient(**chosen))  # type: ignore[arg-type]
        return made[-1]

    yield make
    # A server thread serves a pooled connection until the socket really closes, which waits
    # for the last response holding it to be collected; it must end while the live server
    # still shares the test database with it.
    for client in made:
        client.close()
    gc.collect()
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=SLOW_SECONDS * 2)


@pytest.fixture(params=["api-key", "session-token"])
def client(request: pytest.FixtureRequest, make_client: MakeClient) -> WattShiftClient:
    return make_client(auth=request.param)


def received(path_end: str) -> list[int]:
    """The statuses the sandbox answered to requests whose path ends so, in order."""
    return list(
        ReceivedRequest.objects.filter(path__endswith=path_end).values_list("status", flat=True)
    )


def assert_no_secret_anywhere(*errors: WattShiftError) -> None:
    key = settings.WS_SANDBOX_API_KEY
    for error in errors:
        assert key not in str(error) and key not in error.message
    for body in ReceivedRequest.objects.values_list("body", flat=True):
        assert key not in body


def wait_for_slow_answers() -> None:
    """Let the sandbox finish a slow answer the client stopped waiting for."""
    time.sleep(SLOW_SECONDS - SHORT_TIMEOUT + 0.2)


# Every endpoint, in both auth modes ----------------------------------------------------------


def test_the_documented_example_arrives_with_its_shared_id(client: WattShiftClient) -> None:
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


def test_current_shape_plans_and_leading_zero_zips(client: WattShiftClient) -> None:
    [utility] = client.utilities_for_zip("02139")
    assert utility.id == "54913"
    assert utility.rate_plans[0] == RatePlan(
        id="6729947eefe3563cb2d80ac3",
        name="Residential R-1",
        rate_id="nstar-r1",
        supported_type="residential",
    )
    assert ReceivedRequest.objects.filter(body__contains='"02139"').exists()


def test_two_utilities_and_none(client: WattShiftClient) -> None:
    assert [u.id for u in client.utilities_for_zip("95630")] == ["14328", "16534"]
    assert client.utilities_for_zip("96799") == []


def test_a_home_goes_through_every_endpoint(client: WattShiftClient) -> None:
    created = client.create_home(CAMBRIDGE_HOME)
    assert created.id.startswith("ws_home_")
    home = SandboxHome.objects.get(pk=created.id)
    assert (home.has_ev_charger, home.has_electric_heater, home.has_ac) == (True, False, None)
    assert home.has_smart_water_heater is None

    client.add_solar(home_id=created.id, size_kw=Decimal("7.6"), net_metered=True)
    home.refresh_from_db()
    assert (home.solar_system_size_kw, home.is_non_net_metered) == (Decimal("7.600"), False)

    signal = client.price_signal(created.id)
    assert len(signal.prices) == 96
    assert signal.interval == timedelta(minutes=15)
    assert signal.start.minute % 15 == 0 and signal.start.second == 0
    assert timedelta(0) <= timezone.now() - signal.start < timedelta(minutes=15)
    assert set(signal.prices) == {Decimal("0.31")}  # a flat plan
    assert signal.exports == signal.prices  # net metered

    start = datetime(2026, 3, 10, 7, tzinfo=UTC)
    window = client.price_signal(created.id, start=start, end=start + timedelta(hours=2))
    assert (window.start, len(window.prices)) == (start, 8)

    listed = client.list_homes()
    assert listed == [
        Home(
            id=created.id,
            name="Ina's bungalow",
            zipcode="02139",
            utility_id="54913",
            rate_plan_id="6729947eefe3563cb2d80ac3",
            created_at=iso(home.created_at),
        )
    ]
    assert listed[0].created == home.created_at

    client.update_home(created.id, name="Renamed", rate_plan_id="a658bcfed03b09eeac18f140")
    home.refresh_from_db()
    assert (home.name, home.rate_plan_id) == ("Renamed", "a658bcfed03b09eeac18f140")
    assert_no_secret_anywhere()


def test_the_older_price_signal_shape_reads_as_the_same_type(client: WattShiftClient) -> None:
    created = client.create_home(
        HomeDetails(
            name="Crows Landing farmhouse",
            zipcode="95313",
            utility_id="14328",
            rate_plan_id="662955dff338bcedec0dbfe7",
        )
    )
    start = datetime(2026, 3, 10, 7, tzinfo=UTC)  # midnight in California
    signal = client.price_signal(created.id, start=start, end=start + timedelta(days=1))
    assert signal.start == start
    assert len(signal.prices) == 96
    assert signal.prices[16 * 4 : 21 * 4] == (Decimal("0.49"),) * 20
    assert signal.prices[0] == Decimal("0.41")


# Both auth modes -------------------------------------------------------------------------------


def test_session_token_mode_mints_with_the_key_then_sends_bearer(
    make_client: MakeClient,
) -> None:
    client = make_client(auth="session-token")
    client.utilities_for_zip("95313")
    client.list_homes()
    sent = list(ReceivedRequest.objects.values_list("path", "auth", "status"))
    assert sent == [
        ("/sandbox/v1/onboarding/session-token/generate", "api-key", 200),
        ("/sandbox/v1/utility/get", "session-token", 200),
        ("/sandbox/v1/homes/list", "session-token", 200),
    ]


def test_api_key_mode_never_mints_a_token(make_client: MakeClient) -> None:
    make_client().utilities_for_zip("95313")
    assert list(ReceivedRequest.objects.values_list("auth", flat=True)) == ["api-key"]
    assert not SessionToken.objects.exists()


def test_an_expired_token_is_renewed_once(make_client: MakeClient) -> None:
    client = make_client(auth="session-token")
    client.list_homes()
    SessionToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.list_homes() == []
    assert received("/homes/list") == [200, 401, 200]
    assert received("/session-token/generate") == [200, 200]


@pytest.mark.parametrize("auth", ["api-key", "session-token"])
def test_a_wrong_key_is_unauthorized(make_client: MakeClient, auth: str) -> None:
    client = make_client(auth=auth, api_key="not-the-sandbox-key")
    with pytest.raises(Unauthorized) as caught:
        client.utilities_for_zip("95313")
    assert caught.value.status == 401
    assert "not-the-sandbox-key" not in str(caught.value)


# Test triggers become the right typed errors ---------------------------------------------------


def test_zip_00503_is_a_server_error_retried_as_harmless(make_client: MakeClient) -> None:
    with pytest.raises(UpstreamServerError) as caught:
        make_client(retries=2).utilities_for_zip("00503")
    assert caught.value.status == 503
    assert received("/utility/get") == [503, 503, 503]
    assert_no_secret_anywhere(caught.value)


def test_zip_00200_is_an_invalid_answer(make_client: MakeClient) -> None:
    with pytest.raises(InvalidAnswer):
        make_client().utilities_for_zip("00200")


def test_zip_00408_times_out_once_and_says_nothing_changed(
    make_client: MakeClient, settings: Settings
) -> None:
    settings.WS_SANDBOX_SLOW_SECONDS = SLOW_SECONDS
    with pytest.raises(OutcomeUnknown) as caught:
        make_client(timeout=SHORT_TIMEOUT, retries=2).utilities_for_zip("00408")
    # A read that went unanswered changed nothing, and is not repeated after a full timeout.
    assert caught.value.outcome_known is True
    assert "Nothing was changed" in caught.value.message
    assert received("/utility/get") == [200]
    wait_for_slow_answers()


def test_create_fail_is_a_server_error_and_is_never_retried(make_client: MakeClient) -> None:
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "name": "Test Create Fail"})
    with pytest.raises(UpstreamServerError) as caught:
        make_client(retries=2).create_home(details)
    assert caught.value.status == 500
    # Any 5xx on a create may hide a home created behind it: the wizard must reconcile.
    assert caught.value.outcome_known is False
    assert received("/homes/create") == [500]
    assert not SandboxHome.objects.exists()


def test_create_slow_is_outcome_unknown_and_the_home_can_be_found(
    make_client: MakeClient, settings: Settings
) -> None:
    settings.WS_SANDBOX_SLOW_SECONDS = SLOW_SECONDS
    client = make_client(timeout=SHORT_TIMEOUT, retries=2)
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "name": "Test Create Slow"})
    with pytest.raises(OutcomeUnknown) as caught:
        client.create_home(details)
    assert caught.value.outcome_known is False
    assert received("/homes/create") == [200]  # sent once, never repeated blindly
    [home] = client.list_homes()
    assert (home.name, home.zipcode) == ("Test Create Slow", "02139")
    wait_for_slow_answers()


def test_solar_fail_once_fails_then_succeeds(make_client: MakeClient) -> None:
    client = make_client(retries=2)
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "name": "Test Solar Fail Once"})
    home_id = client.create_home(details).id
    with pytest.raises(UpstreamServerError) as caught:
        client.add_solar(home_id=home_id, size_kw=Decimal("5"), net_metered=False)
    assert caught.value.status == 503
    assert received("/homes/solar/create") == [503]  # a create is not retried
    client.add_solar(home_id=home_id, size_kw=Decimal("5"), net_metered=False)
    assert SandboxHome.objects.get(pk=home_id).is_non_net_metered is True


def test_price_fail_once_outlasts_the_clients_retries_then_recovers(
    make_client: MakeClient, settings: Settings
) -> None:
    settings.WS_API_RETRIES = 2
    client = make_client(retries=2)
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "name": "Test Price Fail Once"})
    home_id = client.create_home(details).id
    with pytest.raises(UpstreamServerError):
        client.price_signal(home_id)
    assert len(client.price_signal(home_id).prices) == 96
    assert received("/price_signal") == [503, 503, 503, 200]


def test_price_fail_once_without_retries_fails_then_succeeds(
    make_client: MakeClient, settings: Settings
) -> None:
    settings.WS_API_RETRIES = 0
    client = make_client()
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "name": "test price fail once"})
    home_id = client.create_home(details).id
    with pytest.raises(UpstreamServerError):
        client.price_signal(home_id)
    assert len(client.price_signal(home_id).prices) == 96


# Validation becomes Rejected with the upstream's reason ----------------------------------------


def test_an_invalid_create_is_rejected_with_the_sandboxs_reason(make_client: MakeClient) -> None:
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "rate_plan_id": "662955dff338bcedec0dbfe7"})
    with pytest.raises(Rejected) as caught:
        make_client().create_home(details)
    assert not isinstance(caught.value, Unauthorized)
    assert caught.value.status == 400
    assert "is not a plan of utility 54913" in caught.value.message
    assert not SandboxHome.objects.exists()


def test_an_unknown_home_is_rejected_as_404(make_client: MakeClient) -> None:
    client = make_client()
    with pytest.raises(Rejected) as caught:
        client.price_signal("ws_home_does_not_exist")
    assert caught.value.status == 404
    with pytest.raises(Rejected):
        client.add_solar(home_id="ws_home_does_not_exist", size_kw=Decimal(5), net_metered=True)
    with pytest.raises(Rejected):
        client.update_home("ws_home_does_not_exist", name="x")


# The error envelope, end to end ----------------------------------------------------------------

NAME_REFUSED = (
    "This name is not accepted by WattShift. Use the customer's name or the street address."
)
REQUEST_ID = re.compile(r"req_[0-9a-f]{16}")


def test_a_refused_name_carries_its_field_error_and_a_request_id(client: WattShiftClient) -> None:
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "name": "Test Name Refused"})

    with pytest.raises(Rejected) as caught:
        client.create_home(details)

    error = caught.value
    assert type(error) is Rejected
    assert (error.status, error.outcome_known) == (400, True)
    assert error.field_errors == (FieldError(field="name", message=NAME_REFUSED),)
    assert REQUEST_ID.fullmatch(error.request_id)
    assert error.error_code == "VALIDATION_FAILED"
    assert error.message == f"The WattShift service refused the request: {NAME_REFUSED}"
    assert not SandboxHome.objects.exists()


def test_a_refused_name_on_update_leaves_the_home_as_it_was(client: WattShiftClient) -> None:
    home_id = client.create_home(CAMBRIDGE_HOME).id

    with pytest.raises(Rejected) as caught:
        client.update_home(home_id, name="test name refused")

    assert caught.value.field_errors == (FieldError(field="name", message=NAME_REFUSED),)
    assert SandboxHome.objects.get(pk=home_id).name == "Ina's bungalow"


def test_a_rate_limit_is_never_repeated_and_says_when_to_try_again(
    make_client: MakeClient,
) -> None:
    client = make_client(retries=2)
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "name": "Test Rate Limited"})

    with pytest.raises(RateLimited) as caught:
        client.create_home(details)

    error = caught.value
    assert (error.status, error.retry_after, error.outcome_known) == (429, 120, True)
    assert error.error_code == "RATE_LIMITED"
    assert REQUEST_ID.fullmatch(error.request_id)
    assert error.message == (
        "WattShift is receiving too many requests. Try again in about 2 minutes."
    )
    assert received("/homes/create") == [429]
    assert not SandboxHome.objects.exists()


def test_a_validation_failure_names_the_clients_field(make_client: MakeClient) -> None:
    details = HomeDetails(**{**CAMBRIDGE_HOME.__dict__, "rate_plan_id": "662955dff338bcedec0dbfe7"})

    with pytest.raises(Rejected) as caught:
        make_client().create_home(details)

    [field_error] = caught.value.field_errors
    assert field_error.field == "rate_plan_id"
    assert "is not a plan of utility 54913" in field_error.message


@pytest.mark.parametrize("auth", ["api-key", "session-token"])
def test_a_wrong_key_carries_its_error_code(make_client: MakeClient, auth: str) -> None:
    with pytest.raises(Unauthorized) as caught:
        make_client(auth=auth, api_key="not-the-sandbox-key").list_homes()
    assert caught.value.error_code == "AUTH_INVALID_API_KEY"
    assert REQUEST_ID.fullmatch(caught.value.request_id)


def test_solar_first_lists_the_plans_that_suit_solar_first(client: WattShiftClient) -> None:
    [utility] = client.utilities_for_zip("95313", solar_first=True)
    assert [plan.name for plan in utility.rate_plans] == ["E-6", "TOU-D", "TOU-C"]
    assert utility.rate_plans[0].id == "66d811ce52c6fe40859130e8"

    [pge, smud] = client.utilities_for_zip("95630", solar_first=True)
    [usual_pge, usual_smud] = client.utilities_for_zip("95630")
    assert (pge.rate_plans[0].name, usual_pge.rate_plans[0].name) == ("EV2-A", "E-TOU-C")
    assert set(pge.rate_plans) == set(usual_pge.rate_plans)
    assert smud == usual_smud
