"""The price chart's geometry (onboarding/wizard/charts.py): a price signal in, coordinates out;
its words (chart_text.py); and both as the home page shows them."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import responses
from django.conf import settings
from django.test import Client

from onboarding.wattshift.types import PriceSignal
from onboarding.wizard.chart_text import ChartText, describe_chart, period_text
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
from onboarding.wizard.models import Onboarding
from tests.wizard.pages import home_url, summary_row
from tests.wizard.upstream import PRICE_SIGNAL, add_price_signal

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


LOWEST_AFTER_9_PM = "$0.420 per kWh, 9:00 PM today – 4:00 PM tomorrow"


@dataclass(frozen=True)
class Expected:
    start: datetime  # of the window
    bands: list[tuple[int, int]]  # each peak's first quarter-hour and the one after its last
    peaks: list[tuple[datetime, datetime]]
    peak_text: str
    lowest_text: str


TIMES_OF_DAY = {
    "3 AM": Expected(
        _pacific(6, 2, 3),
        [(52, 72)],
        [(_pacific(6, 2, 16), _pacific(6, 2, 21))],
        "4:00 PM – 9:00 PM today",
        "$0.420 per kWh, 3:00 AM – 4:00 PM today and 9:00 PM today – 3:00 AM tomorrow",
    ),
    "noon": Expected(
        _pacific(6, 2, 12),
        [(16, 36)],
        [(_pacific(6, 2, 16), _pacific(6, 2, 21))],
        "4:00 PM – 9:00 PM today",
        "$0.420 per kWh, 12:00 PM – 4:00 PM today and 9:00 PM today – 12:00 PM tomorrow",
    ),
    "6 PM": Expected(
        _pacific(6, 2, 18),
        [(0, 12), (88, 96)],
        [(_pacific(6, 2, 18), _pacific(6, 2, 21)), (_pacific(6, 3, 16), _pacific(6, 3, 18))],
        "6:00 PM – 9:00 PM today and 4:00 PM – 6:00 PM tomorrow",
        LOWEST_AFTER_9_PM,
    ),
    "11 PM": Expected(
        _pacific(6, 2, 23),
        [(68, 88)],
        [(_pacific(6, 3, 16), _pacific(6, 3, 21))],
        "4:00 PM – 9:00 PM tomorrow",
        "$0.420 per kWh, 11:00 PM today – 4:00 PM tomorrow and 9:00 PM – 11:00 PM tomorrow",
    ),
    # 24 real hours from 6 PM on the Saturday before the clocks go back end at 5 PM local...
    "6 PM before fall-back": Expected(
        _pacific(11, 1, 18),
        [(0, 12), (92, 96)],
        [(_pacific(11, 1, 18), _pacific(11, 1, 21)), (_pacific(11, 2, 16), _pacific(11, 2, 17))],
        "6:00 PM – 9:00 PM today and 4:00 PM – 5:00 PM tomorrow",
        LOWEST_AFTER_9_PM,
    ),
    # ...and before they go forward, at 7 PM.
    "6 PM before spring-forward": Expected(
        _pacific(3, 8, 18),
        [(0, 12), (84, 96)],
        [(_pacific(3, 8, 18), _pacific(3, 8, 21)), (_pacific(3, 9, 16), _pacific(3, 9, 19))],
        "6:00 PM – 9:00 PM today and 4:00 PM – 7:00 PM tomorrow",
        LOWEST_AFTER_9_PM,
    ),
}


@pytest.mark.parametrize("when", TIMES_OF_DAY)
def test_every_peak_in_the_window_is_shaded_and_listed_at_any_time_of_day(when: str) -> None:
    expected = TIMES_OF_DAY[when]

    chart = price_chart(_time_of_use(expected.start), tz=PACIFIC)

    assert chart is not None
    assert [(peak.start, peak.end) for peak in chart.peaks] == expected.peaks
    assert {peak.price for peak in chart.peaks} == {Decimal("0.52")}
    assert chart.peak == chart.peaks[0]
    assert len(chart.peak_bands) == len(expected.bands)
    for band, (first, after) in zip(chart.peak_bands, expected.bands, strict=True):
        assert band.x == pytest.approx(LEFT + PLOT_WIDTH * first / 96, abs=0.1)
        assert band.width == pytest.approx(PLOT_WIDTH * (after - first) / 96, abs=0.1)
        assert band.label == "Peak"
    text = describe_chart(chart)
    highest = "in the peak window" if len(expected.peaks) == 1 else "in each peak window"
    assert _rows(text) == [
        ("Lowest price", expected.lowest_text),
        ("Highest price", f"$0.520 per kWh, {highest}"),
        ("Peak window", expected.peak_text),
    ]
    assert text.description == (
        f"Prices range from $0.420 to $0.520 per kWh. Shaded peak window: {expected.peak_text}."
    )


def test_peak_labels_stay_inside_the_chart_and_apart() -> None:
    # Quarter-hour peaks at both edges: each label is pushed in rather than cut off.
    chart = price_chart(_signal(["0.5"] + ["0.1"] * 94 + ["0.5"]), tz=UTC)
    assert chart is not None

    first, last = chart.peak_bands
    assert (first.label_anchor, first.label_x) == ("start", LEFT)
    assert (last.label_anchor, last.label_x) == ("end", WIDTH - RIGHT)
    for when, expected in TIMES_OF_DAY.items():
        chart = price_chart(_time_of_use(expected.start), tz=PACIFIC)
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


def test_the_cheapest_night_hours_are_the_lowest_window() -> None:
    chart = price_chart(_time_of_use(_pacific(6, 2, 18), night="0.12", peak="0.67"), tz=PACIFIC)
    assert chart is not None

    assert _rows(describe_chart(chart))[0] == (
        "Lowest price",
        "$0.120 per kWh, 12:00 AM – 6:00 AM tomorrow",
    )


def test_a_period_says_its_day_and_the_day_it_ends_if_another() -> None:
    first_day = _pacific(6, 2, 18).date()

    def period(start: datetime, end: datetime) -> str:
        return period_text(PriceInterval(start, end, Decimal("0.3")), first_day)

    assert period(_pacific(6, 2, 18), _pacific(6, 2, 21)) == "6:00 PM – 9:00 PM today"
    assert period(_pacific(6, 2, 22), _pacific(6, 3, 1)) == "10:00 PM today – 1:00 AM tomorrow"
    assert period(_pacific(6, 2, 21), _pacific(6, 3, 0)) == "9:00 PM today – 12:00 AM tomorrow"
    assert period(_pacific(6, 4, 4), _pacific(6, 4, 6)) == "4:00 AM – 6:00 AM on Wed 4 Jun"


def test_a_peak_past_midnight_is_listed_across_the_two_days() -> None:
    # In UTC for once: 10 PM to 1 AM.
    chart = price_chart(
        _signal(
            ["0.3"] * 16 + ["0.6"] * 12 + ["0.3"] * 68, start=datetime(2025, 6, 2, 18, tzinfo=UTC)
        ),
        tz=UTC,
    )
    assert chart is not None

    assert _rows(describe_chart(chart))[2] == ("Peak window", "10:00 PM today – 1:00 AM tomorrow")


def test_peaks_of_mixed_prices_give_the_highest_times_and_the_peak_average() -> None:
    chart = price_chart(
        _signal(["0.10"] * 8 + ["0.40"] * 4 + ["0.20"] * 8 + ["0.50", "0.49"] * 3 + ["0.1"] * 2),
        tz=PACIFIC,
    )
    assert chart is not None

    assert _rows(describe_chart(chart)) == [
        ("Lowest price", "$0.100 per kWh, 12:00 AM – 2:00 AM today and 6:30 AM – 7:00 AM today"),
        (
            "Highest price",
            "$0.500 per kWh, 5:00 AM – 5:15 AM today, 5:30 AM – 5:45 AM today"
            " and 6:00 AM – 6:15 AM today",
        ),
        ("Peak window", "5:00 AM – 6:30 AM today, about $0.495 per kWh"),
    ]


def test_a_flat_price_is_said_once_and_nothing_is_shaded() -> None:
    chart = price_chart(_signal(["0.25"] * 96, start=_pacific(6, 2, 18)), tz=PACIFIC)
    assert chart is not None

    text = describe_chart(chart)

    assert chart.flat
    assert chart.peaks == ()
    assert chart.peak is None
    assert chart.peak_bands == ()
    assert _rows(text) == [("Price", "The same price all day: $0.250 per kWh")]
    assert text.description == "The same price all day: $0.250 per kWh"


def _rows(text: ChartText) -> list[tuple[str, str]]:
    return [(row.key, row.value) for row in text.rows]


# What the chart is drawn with, on the white page, and which of them meet ------------------------

CHART_COLOURS = {
    "background": ("body", "background"),
    "line": (".chart__line", "stroke"),
    "area": (".chart__area", "fill"),
    "peak": (".chart__hatch line", "stroke"),
}
# Each pair that touches on the chart; WCAG 2.1 asks 3:1 of graphics a reader needs (1.4.11).
TOUCHING = [
    ("line", "background"),
    ("line", "area"),
    ("line", "peak"),
    ("peak", "background"),
    ("peak", "area"),
]


def test_the_line_and_the_peak_shading_meet_non_text_contrast() -> None:
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    colours = {name: _declared(css, *where) for name, where in CHART_COLOURS.items()}

    ratios = {(near, far): _contrast(colours[near], colours[far]) for near, far in TOUCHING}

    assert {pair: round(ratio, 2) for pair, ratio in ratios.items() if ratio < 3} == {}
    for (near, far), ratio in ratios.items():
        # The comment beside the colours says the same.
        assert f"{near} on {far} {ratio:.1f}:1" in css
    # The peak's outline is its hatching's colour, and no fill hides the pattern the rect uses.
    assert _declared(css, ".chart__peak", "stroke") == colours["peak"]
    assert "fill" not in _rules(css)[".chart__peak"]


def _rules(css: str) -> dict[str, dict[str, str]]:
    """Each selector's declarations, later ones winning, media queries ignored."""
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(
        r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    ):
        declarations = dict(
            (name.strip(), value.strip())
            for name, _, value in (item.partition(":") for item in body.split(";"))
            if value.strip()
        )
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declarations)
    return rules


def _declared(css: str, selector: str, prop: str) -> str:
    """A colour as #rrggbb, custom properties (var(--name)) resolved from :root."""
    rules = _rules(css)
    value = rules[selector][prop]
    if found := re.fullmatch(r"var\((--[\w-]+)\)", value):
        value = rules[":root"][found.group(1)]
    assert re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value), f"{selector} {prop}: {value}"
    if len(value) == 4:
        value = "#" + "".join(digit * 2 for digit in value[1:])
    return value.lower()


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    red, green, blue = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


# On the home page -----------------------------------------------------------------------------


def test_the_chart_summary_gives_lowest_highest_and_peak_window_in_local_time(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(created_home)).content.decode()

    assert "$0.210 per kWh" in page
    assert "$0.480 per kWh" in page
    assert "4:00 PM \u2013 9:00 PM" in page  # 95313 is in California: UTC 23:00 is 4 PM PDT
    assert "America/Los_Angeles" in page


def test_the_chart_summary_says_each_peak_and_lowest_period_with_its_day(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    add_price_signal(wattshift_api)

    page = installer_client.get(home_url(created_home)).content.decode()

    assert summary_row("Lowest price", "$0.210 per kWh, 12:00 AM – 4:00 PM today") in page
    assert summary_row("Highest price", "$0.480 per kWh, in the peak window") in page
    assert summary_row("Peak window", "4:00 PM – 9:00 PM today") in page
    assert page.count('<rect class="chart__peak"') == 1


def test_in_the_evening_tonight_and_tomorrows_peaks_are_both_shown(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    # From 6 PM in California: the rest of tonight's peak, then tomorrow's up to 6 PM.
    prices = [0.48] * 12 + [0.21] * 76 + [0.48] * 8
    wattshift_api.add(
        responses.POST,
        PRICE_SIGNAL,
        json={"startTime": "2025-06-03T01:00:00Z", "priceSignal": prices},
    )

    page = installer_client.get(home_url(created_home)).content.decode()

    peaks = "6:00 PM – 9:00 PM today and 4:00 PM – 6:00 PM tomorrow"
    assert summary_row("Peak window", peaks) in page
    assert summary_row("Lowest price", "$0.210 per kWh, 9:00 PM today – 4:00 PM tomorrow") in page
    assert summary_row("Highest price", "$0.480 per kWh, in each peak window") in page
    assert f"Shaded peak window: {peaks}.</desc>" in page
    assert page.count('<rect class="chart__peak"') == 2
    # Told apart without colour: hatched, and each marked "Peak" above its band.
    assert page.count('fill="url(#chart-peak-hatch)"') == 2
    assert '<pattern id="chart-peak-hatch"' in page
    assert page.count('class="chart__label chart__label--peak"') == 2
    assert page.count(">Peak</text>") == 2
    assert "The peak window is hatched and marked “Peak”." in page


def test_a_flat_price_is_one_row_and_nothing_is_shaded(
    installer_client: Client, created_home: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        PRICE_SIGNAL,
        json={"startTime": "2025-06-03T01:00:00Z", "priceSignal": [0.25] * 96},
    )

    page = installer_client.get(home_url(created_home)).content.decode()

    assert summary_row("Price", "The same price all day: $0.250 per kWh") in page
    assert "The same price all day: $0.250 per kWh</desc>" in page
    assert "Lowest price" not in page
    assert "Peak window" not in page
    assert "chart__peak" not in page
    assert "chart-peak-hatch" not in page
    assert "hatched" not in page
