"""The price chart's geometry (onboarding/wizard/charts.py): a price signal in, coordinates out."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from onboarding.wattshift.types import PriceSignal
from onboarding.wizard.charts import PriceInterval, home_timezone, peak_window, price_chart


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
