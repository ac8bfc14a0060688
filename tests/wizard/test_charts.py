"""The price chart's geometry (onboarding/wizard/charts.py): a price signal in, coordinates out."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from onboarding.wattshift.types import PriceSignal
from onboarding.wizard.charts import (
    GLYPH_WIDTH,
    LEFT,
    RIGHT,
    WIDTH,
    Band,
    PriceInterval,
    home_timezone,
    peak_window,
    price_chart,
)

PACIFIC = ZoneInfo("America/Los_Angeles")
QUARTER = timedelta(minutes=15)
PLOT_WIDTH = WIDTH - LEFT - RIGHT


def _signal(prices: list[str], start: datetime | None = None) -> PriceSignal:
    return PriceSignal(
        start=start or datetime(2025, 6, 2, 7, tzinfo=UTC),
        interval=timedelta(minutes=15),
        prices=tuple(Decimal(price) for price in prices),
    )


def test_the_peak_window_is_the_contiguous_run_of_the_highest_prices() -> None:
    pacific = ZoneInfo("America/Los_Angeles")
    chart = price_chart(
        _signal(["0.10"] * 8 + ["0.40"] * 4 + ["0.20"] * 8 + ["0.50", "0.49"] * 3 + ["0.1"] * 2),
        tz=pacific,
    )

    assert chart is not None
    assert chart.lowest.price == Decimal("0.10")
    assert chart.highest.price == Decimal("0.50")
    assert chart.peak is not None
    assert chart.peak.start == datetime(2025, 6, 2, 5, 0, tzinfo=pacific)
    assert chart.peak.end == datetime(2025, 6, 2, 6, 30, tzinfo=pacific)
    assert chart.peak.price == Decimal("0.495")


def test_flat_prices_have_no_peak_and_no_prices_have_no_chart() -> None:
    assert peak_window(price_chart(_signal(["0.3"] * 96), tz=UTC).intervals) is None
    assert price_chart(_signal([]), tz=UTC) is None


def test_negative_prices_stay_inside_the_plot() -> None:
    chart = price_chart(_signal(["-0.05"] * 4 + ["0.25"] * 4), tz=UTC)

    assert chart is not None
    ys = [float(y) for y in re.findall(r"[,V](-?[\d.]+)", chart.line_path)]
    assert len(ys) == 2
    assert all(chart.plot_top <= y <= chart.plot_bottom for y in ys)
    assert chart.y_ticks[0].label == "-$0.10"


def test_the_home_time_zone_comes_from_the_zip_code() -> None:
    assert str(home_timezone("02139")) == "America/New_York"
    assert str(home_timezone("95313")) == "America/Los_Angeles"


def test_the_chart_is_drawn_near_a_phone_width_with_fewer_time_labels_there() -> None:
    chart = price_chart(_signal(["0.2"] * 48 + ["0.3"] * 48), tz=ZoneInfo("America/Los_Angeles"))

    assert chart is not None
    # On a 375 px phone the chart is 343 px wide; its labels (18 units there) stay >= 11 px.
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    assert ".chart__label { font-size: 18px; }" in css
    assert 18 * (375 - 32) / chart.width >= 11
    major = [tick.label for tick in chart.x_ticks if not tick.minor]
    minor = [tick.label for tick in chart.x_ticks if tick.minor]
    assert major == ["12 AM", "6 AM", "12 PM", "6 PM"]
    assert minor == ["3 AM", "9 AM", "3 PM", "9 PM"]
    assert ".chart__label--minor { display: none; }" in css


def test_intervals_are_real_quarter_hours_across_a_daylight_saving_change() -> None:
    pacific = ZoneInfo("America/Los_Angeles")
    # 6 PM on the Saturday before the clocks go back: the next 24 hours end at 5 PM local.
    chart = price_chart(
        _signal(["0.3"] * 96, start=datetime(2025, 11, 1, 18, tzinfo=pacific)), tz=pacific
    )

    assert chart is not None
    assert {_duration(i) for i in chart.intervals} == {timedelta(minutes=15)}
    assert chart.end == datetime(2025, 11, 2, 17, tzinfo=pacific)
    # The table has an hour per hour, the repeated 1 AM twice: 24 rows for 24 hours.
    assert len(chart.hourly) == 24
    assert [hour.start.strftime("%-I %p %Z") for hour in chart.hourly[6:9]] == [
        "12 AM PDT",
        "1 AM PDT",
        "1 AM PST",
    ]
    assert {_duration(hour) for hour in chart.hourly} == {timedelta(hours=1)}


def _duration(interval: PriceInterval) -> timedelta:
    # Subtracting two times of one zone gives wall-clock time: compare in UTC.
    return interval.end.astimezone(UTC) - interval.start.astimezone(UTC)


def _time_of_use(
    start: datetime, *, peak: str = "0.52", off_peak: str = "0.42", night: str | None = None
) -> PriceSignal:
    """The next 24 hours (96 quarter-hours) of a plan shaped like the sandbox's: peak from 4 PM
    to 9 PM local time and, with `night`, a cheaper price from midnight to 6 AM."""
    prices = []
    for index in range(96):
        local = (start.astimezone(UTC) + index * QUARTER).astimezone(start.tzinfo)
        if 16 <= local.hour < 21:
            prices.append(peak)
        elif night and local.hour < 6:
            prices.append(night)
        else:
            prices.append(off_peak)
    return _signal(prices, start=start)


def _pacific(month: int, day: int, hour: int) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=PACIFIC)


# (window start, each peak's first and last quarter-hour index + 1, and its local times)
TIMES_OF_DAY = {
    "3 AM": (_pacific(6, 2, 3), [(52, 72, _pacific(6, 2, 16), _pacific(6, 2, 21))]),
    "noon": (_pacific(6, 2, 12), [(16, 36, _pacific(6, 2, 16), _pacific(6, 2, 21))]),
    "6 PM": (
        _pacific(6, 2, 18),
        [
            (0, 12, _pacific(6, 2, 18), _pacific(6, 2, 21)),
            (88, 96, _pacific(6, 3, 16), _pacific(6, 3, 18)),
        ],
    ),
    "11 PM": (_pacific(6, 2, 23), [(68, 88, _pacific(6, 3, 16), _pacific(6, 3, 21))]),
    # 24 real hours from 6 PM on the Saturday before the clocks go back end at 5 PM local...
    "6 PM before fall-back": (
        _pacific(11, 1, 18),
        [
            (0, 12, _pacific(11, 1, 18), _pacific(11, 1, 21)),
            (92, 96, _pacific(11, 2, 16), _pacific(11, 2, 17)),
        ],
    ),
    # ...and before they go forward, at 7 PM.
    "6 PM before spring-forward": (
        _pacific(3, 8, 18),
        [
            (0, 12, _pacific(3, 8, 18), _pacific(3, 8, 21)),
            (84, 96, _pacific(3, 9, 16), _pacific(3, 9, 19)),
        ],
    ),
}


@pytest.mark.parametrize("when", TIMES_OF_DAY)
def test_every_peak_in_the_window_is_shaded_at_any_time_of_day(when: str) -> None:
    start, expected = TIMES_OF_DAY[when]

    chart = price_chart(_time_of_use(start), tz=PACIFIC)

    assert chart is not None
    assert [(peak.start, peak.end) for peak in chart.peaks] == [(s, e) for _, _, s, e in expected]
    assert {peak.price for peak in chart.peaks} == {Decimal("0.52")}
    assert chart.peak == chart.peaks[0]
    assert len(chart.peak_bands) == len(expected)
    for band, (first, last, _, _) in zip(chart.peak_bands, expected, strict=True):
        assert band.x == pytest.approx(LEFT + PLOT_WIDTH * first / 96, abs=0.1)
        assert band.width == pytest.approx(PLOT_WIDTH * (last - first) / 96, abs=0.1)
        assert band.label == "Peak"


def test_peak_labels_stay_inside_the_chart_and_apart() -> None:
    # Quarter-hour peaks at both edges: each label is pushed in rather than cut off.
    chart = price_chart(_signal(["0.5"] + ["0.1"] * 94 + ["0.5"]), tz=UTC)
    assert chart is not None

    first, last = chart.peak_bands
    assert (first.label_anchor, first.label_x) == ("start", LEFT)
    assert (last.label_anchor, last.label_x) == ("end", WIDTH - RIGHT)
    for when in TIMES_OF_DAY:
        chart = price_chart(_time_of_use(TIMES_OF_DAY[when][0]), tz=PACIFIC)
        assert chart is not None
        for band in chart.peak_bands:
            left, right = _label_extent(band)
            assert left >= LEFT and right <= chart.width, when

    # Peaks a quarter-hour apart: only the first is labelled, the others would overlap it.
    chart = price_chart(_signal(["0.1"] * 40 + ["0.5", "0.1"] * 4 + ["0.1"] * 48), tz=UTC)
    assert chart is not None
    assert [band.label for band in chart.peak_bands] == ["Peak", "", "", ""]


def _label_extent(band: Band) -> tuple[float, float]:
    length = len(band.label) * GLYPH_WIDTH
    starts = {
        "start": band.label_x,
        "middle": band.label_x - length / 2,
        "end": band.label_x - length,
    }
    return starts[band.label_anchor], starts[band.label_anchor] + length
