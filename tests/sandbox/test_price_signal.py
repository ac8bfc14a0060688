"""The sandbox's price signal: shape, windows, determinism, and prices shaped by the plan."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tests.sandbox.conftest import (
    TRY_LATER,
    UNKNOWN_HOME,
    CreateHome,
    SandboxPost,
    envelope,
    refused,
)

# Midnight to midnight in Irvine, CA (PDT, UTC-7), a day without a clock change.
DAY = {"startTime": "2026-03-10T07:00:00Z", "endTime": "2026-03-11T07:00:00Z"}
PEAK = range(16 * 4, 21 * 4)  # 4 pm to 9 pm local, in 15-minute intervals

SCE_TOU_D_4_9 = {"zipcode": "92618", "utilityId": "17609", "ratePlanId": "6a604c4ce15100b2cf8370a2"}
PGE_EV2_A = {"zipcode": "95630", "utilityId": "14328", "ratePlanId": "5ac59c4f750bfeda59e0061c"}
PGE_EXAMPLE_TOU_D = {
    "zipcode": "95313",
    "utilityId": "14328",
    "ratePlanId": "662955dff338bcedec0dbfe7",
}


def signal(post: SandboxPost, home_id: str, body: Any = None) -> dict[str, Any]:
    response = post(f"homes/{home_id}/price_signal", body)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_default_window_is_96_intervals_from_the_current_slot(
    post: SandboxPost, create_home: CreateHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    home_id = create_home(**SCE_TOU_D_4_9)["id"]
    now = datetime(2026, 3, 10, 12, 7, 30, tzinfo=UTC)
    monkeypatch.setattr("onboarding.sandbox.views.timezone.now", lambda: now)
    answer = signal(post, home_id)
    assert answer["startTime"] == "2026-03-10T12:00:00Z"
    assert answer["endTime"] == "2026-03-11T12:00:00Z"
    assert len(answer["prices"]) == 96


def test_a_time_of_use_plan_peaks_from_4_to_9_pm_local(
    post: SandboxPost, create_home: CreateHome
) -> None:
    answer = signal(post, create_home(**SCE_TOU_D_4_9)["id"], DAY)
    prices = answer["prices"]
    assert len(prices) == 96
    assert {prices[i] for i in PEAK} == {0.56}
    assert {price for i, price in enumerate(prices) if i not in PEAK} == {0.35}
    assert answer["imports"] == prices


def test_the_current_shape_groups_equal_prices_into_contiguous_segments(
    post: SandboxPost, create_home: CreateHome
) -> None:
    home_id = create_home(**SCE_TOU_D_4_9)["id"]
    answer = signal(post, home_id, DAY)
    assert set(answer) == {"homeId", "startTime", "endTime", "data", "prices", "imports", "exports"}
    assert answer["homeId"] == home_id
    assert [(s["startTime"], s["endTime"], s["price"]) for s in answer["data"]] == [
        ("2026-03-10T07:00:00Z", "2026-03-10T23:00:00Z", 0.35),
        ("2026-03-10T23:00:00Z", "2026-03-11T04:00:00Z", 0.56),
        ("2026-03-11T04:00:00Z", "2026-03-11T07:00:00Z", 0.35),
    ]
    assert all(s["import"] == s["price"] and s["export"] == 0.0 for s in answer["data"])


def test_an_ev_plan_is_cheapest_overnight(post: SandboxPost, create_home: CreateHome) -> None:
    prices = signal(post, create_home(**PGE_EV2_A)["id"], DAY)["prices"]
    # 95630 is Pacific time too: midnight to 6 am is super off-peak.
    assert set(prices[: 6 * 4]) == {0.25}
    assert set(prices[6 * 4 : 16 * 4]) == {0.40}
    assert {prices[i] for i in PEAK} == {0.61}


def test_a_flat_plan_stays_flat(post: SandboxPost, create_home: CreateHome) -> None:
    answer = signal(post, create_home()["id"], DAY)  # Eversource R-1 in 02139
    assert set(answer["prices"]) == {0.31}
    assert len(answer["data"]) == 1
    assert answer["data"][0]["startTime"] == DAY["startTime"]
    assert answer["data"][0]["endTime"] == DAY["endTime"]


def test_the_documented_example_plans_answer_the_older_shape(
    post: SandboxPost, create_home: CreateHome
) -> None:
    answer = signal(post, create_home(**PGE_EXAMPLE_TOU_D)["id"], DAY)
    assert set(answer) == {"startTime", "priceSignal"}
    assert answer["startTime"] == DAY["startTime"]
    assert len(answer["priceSignal"]) == 96
    assert {answer["priceSignal"][i] for i in PEAK} == {0.49}
    assert answer["priceSignal"][0] == 0.41


def test_the_peak_follows_local_time_across_a_clock_change(
    post: SandboxPost, create_home: CreateHome
) -> None:
    # 1 November 2026 has 25 hours in California: the peak starts 17 hours after midnight UTC-7.
    window = {"startTime": "2026-11-01T07:00:00Z", "endTime": "2026-11-02T08:00:00Z"}
    prices = signal(post, create_home(**SCE_TOU_D_4_9)["id"], window)["prices"]
    assert len(prices) == 100
    assert [i for i, price in enumerate(prices) if price == 0.56] == list(range(68, 88))


def test_the_signal_is_deterministic(post: SandboxPost, create_home: CreateHome) -> None:
    first = create_home(**SCE_TOU_D_4_9)["id"]
    second = create_home(name="Another Irvine home", **SCE_TOU_D_4_9)["id"]
    assert signal(post, first, DAY) == signal(post, first, DAY)
    assert signal(post, first, DAY)["prices"] == signal(post, second, DAY)["prices"]


def test_solar_exports_follow_net_metering(post: SandboxPost, create_home: CreateHome) -> None:
    net = create_home(**SCE_TOU_D_4_9, solarSystemSizeKw=5, isNonNetMetered=False)["id"]
    non_net = create_home(**SCE_TOU_D_4_9, solarSystemSizeKw=5, isNonNetMetered=True)["id"]
    net_answer = signal(post, net, DAY)
    assert net_answer["exports"] == net_answer["prices"]
    assert set(signal(post, non_net, DAY)["exports"]) == {0.04}


def test_a_requested_window_starts_at_its_slot_and_ends_at_its_end(
    post: SandboxPost, create_home: CreateHome
) -> None:
    window = {"startTime": "2026-03-10T00:07:00-07:00", "endTime": "2026-03-10T02:00:00-07:00"}
    answer = signal(post, create_home(**SCE_TOU_D_4_9)["id"], window)
    assert answer["startTime"] == "2026-03-10T07:00:00Z"
    assert answer["endTime"] == "2026-03-10T09:00:00Z"
    assert len(answer["prices"]) == 8


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"startTime": DAY["startTime"]},
            "endTime",
            "Send both startTime and endTime, or neither.",
        ),
        ({"endTime": DAY["endTime"]}, "startTime", "Send both startTime and endTime, or neither."),
        (
            {"startTime": DAY["endTime"], "endTime": DAY["startTime"]},
            "endTime",
            "endTime must be after startTime.",
        ),
        (
            {"startTime": "2026-03-01T00:00:00Z", "endTime": "2026-03-09T00:00:00Z"},
            "endTime",
            "The window may be at most 7 days.",
        ),
        (
            {"startTime": "tomorrow", "endTime": "later"},
            "startTime",
            "startTime must be an ISO-8601 date and time.",
        ),
        ({"startTime": 1, "endTime": 2}, "startTime", "startTime must be a string."),
    ],
)
def test_a_bad_window_is_400(
    post: SandboxPost, create_home: CreateHome, body: dict, field: str, message: str
) -> None:
    response = post(f"homes/{create_home()['id']}/price_signal", body)
    assert response.status_code == 400
    assert envelope(response) == refused(message, field)


def test_the_signal_of_an_unknown_home_is_404(post: SandboxPost) -> None:
    response = post("homes/ws_home_0000/price_signal")
    assert response.status_code == 404
    assert envelope(response) == {
        "error_code": "NOT_FOUND",
        "message": "Home 'ws_home_0000' not found.",
        "recovery_action": UNKNOWN_HOME,
    }


def test_the_price_fail_once_home_fails_one_fetch_and_all_its_retries(
    post: SandboxPost, create_home: CreateHome, settings: Settings
) -> None:
    settings.WS_API_RETRIES = 2
    home_id = create_home(name="test price fail once")["id"]
    for _attempt in range(3):
        failed = post(f"homes/{home_id}/price_signal", DAY)
        assert failed.status_code == 503
        assert "message" in failed.json()
        assert envelope(failed) == {
            "error_code": "INTERNAL_ERROR",
            "message": "Service temporarily unavailable. Try again.",
            "recovery_action": TRY_LATER,
        }
    assert len(signal(post, home_id, DAY)["prices"]) == 96
    assert len(signal(post, home_id, DAY)["prices"]) == 96
