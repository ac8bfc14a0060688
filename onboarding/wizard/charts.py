"""The geometry of the price chart: a price signal in, coordinates and labels out.

The template draws the SVG from these numbers, so the page needs no JavaScript and no CDN.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal

from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy

from onboarding.wattshift.types import PriceSignal
from onboarding.wizard.places import home_timezone

__all__ = ["PriceChart", "home_timezone", "price_chart"]

# Close to a phone's width, so labels are drawn near 1:1 there; CSS sets their size per width.
WIDTH = 480
HEIGHT = 264
# The top margin holds a "Peak" label above each shaded period.
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 30, 36
# Prices within this share of the day's range from the top count as "peak".
PEAK_SHARE = Decimal("0.1")
# The largest label size (phones, see .chart__label in app.css) and a glyph's usual width in it.
LABEL_SIZE = 18
GLYPH_WIDTH = 0.6 * LABEL_SIZE
PEAK_LABEL = gettext_lazy("Peak")


@dataclass(frozen=True)
class PriceInterval:
    start: datetime  # in the home's time zone
    end: datetime
    price: Decimal  # $/kWh


@dataclass(frozen=True)
class Tick:
    position: float  # x for time ticks, y for price ticks, in SVG units
    label: str
    minor: bool = False  # labelled only where there is room (wide screens)


@dataclass(frozen=True)
class Band:
    """One peak period's shaded rect, and where its label goes so it stays inside the chart."""

    x: float
    width: float
    label: str  # "" where it would run into the previous band's label
    label_x: float
    label_anchor: str  # SVG text-anchor: start, middle or end


@dataclass(frozen=True)
class PriceChart:
    intervals: tuple[PriceInterval, ...]
    # Each run of equal prices or of peak prices, as one interval with its average price.
    lowest_periods: tuple[PriceInterval, ...]
    highest_periods: tuple[PriceInterval, ...]
    peaks: tuple[PriceInterval, ...]  # empty when the price is flat: there is no peak to avoid
    peak_bands: tuple[Band, ...]  # one per peak, in the same order
    hourly: tuple[PriceInterval, ...]  # average per hour, for the table alternative
    line_path: str
    area_path: str
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top

    @property
    def start(self) -> datetime:
        return self.intervals[0].start

    @property
    def end(self) -> datetime:
        return self.intervals[-1].end

    @property
    def lowest(self) -> PriceInterval:
        return self.lowest_periods[0]

    @property
    def highest(self) -> PriceInterval:
        return self.highest_periods[0]

    @property
    def peak(self) -> PriceInterval | None:
        """The first peak, for callers that show one."""
        return self.peaks[0] if self.peaks else None

    @property
    def flat(self) -> bool:
        return self.lowest.price == self.highest.price


def price_chart(signal: PriceSignal, *, tz: tzinfo) -> PriceChart | None:
    """Lay out a price signal; None when it has no prices to draw."""
    if not signal.prices:
        return None
    start = signal.start if timezone.is_aware(signal.start) else timezone.make_aware(signal.start)
    # Step in UTC: adding minutes to a zoned time moves the wall clock, not real time, at DST.
    start = start.astimezone(UTC)
    intervals = tuple(
        PriceInterval(
            start=timezone.localtime(start + index * signal.interval, tz),
            end=timezone.localtime(start + (index + 1) * signal.interval, tz),
            price=Decimal(price),
        )
        for index, price in enumerate(signal.prices)
    )
    low = min(interval.price for interval in intervals)
    high = max(interval.price for interval in intervals)
    peak_runs = _peak_runs(intervals)

    bottom_price, top_price, step = _price_scale(low, high)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    count = len(intervals)

    def x(index: float) -> float:
        return round(LEFT + plot_width * index / count, 1)

    def y(price: Decimal | float) -> float:
        share = (float(price) - bottom_price) / (top_price - bottom_price)
        return round(TOP + plot_height * (1 - share), 1)

    # Each price holds for its whole interval, so the line is drawn as steps.
    line = [f"M{x(0)},{y(intervals[0].price)}"]
    for index in range(1, count):
        if intervals[index].price != intervals[index - 1].price:
            line.append(f"H{x(index)}V{y(intervals[index].price)}")
    line.append(f"H{x(count)}")
    line_path = "".join(line)
    baseline = y(max(bottom_price, 0.0))
    area_path = f"{line_path}V{baseline}H{x(0)}Z"

    x_ticks = tuple(
        Tick(
            position=x(index),
            label=dateformat.format(interval.start, "g A"),
            minor=interval.start.hour % 6 != 0,
        )
        for index, interval in enumerate(intervals)
        if interval.start.minute == 0 and interval.start.hour % 3 == 0
    )
    decimals = 2 if round(step * 100, 6).is_integer() else 3
    y_ticks = []
    value = bottom_price
    while value <= top_price + step / 2:
        sign = "-" if value < 0 else ""
        y_ticks.append(Tick(position=y(value), label=f"{sign}${abs(value):.{decimals}f}"))
        value = round(value + step, 6)

    return PriceChart(
        intervals=intervals,
        lowest_periods=_periods(intervals, _runs(intervals, lambda price: price == low)),
        highest_periods=_periods(intervals, _runs(intervals, lambda price: price == high)),
        peaks=_periods(intervals, peak_runs),
        peak_bands=_bands([(x(first), x(last + 1)) for first, last in peak_runs]),
        hourly=_hourly(intervals),
        line_path=line_path,
        area_path=area_path,
        x_ticks=x_ticks,
        y_ticks=tuple(y_ticks),
    )


def peak_window(intervals: tuple[PriceInterval, ...]) -> PriceInterval | None:
    """The first run of peak prices with its average price; None when prices are flat."""
    return next(iter(_periods(intervals, _peak_runs(intervals))), None)


def _peak_runs(intervals: tuple[PriceInterval, ...]) -> list[tuple[int, int]]:
    """First and last index of each run of intervals within PEAK_SHARE of the day's range from
    the top; none when prices are flat, as there is no peak to avoid."""
    prices = [interval.price for interval in intervals]
    high, low = max(prices), min(prices)
    if high == low:
        return []
    threshold = high - (high - low) * PEAK_SHARE
    return _runs(intervals, lambda price: price >= threshold)


def _runs(
    intervals: tuple[PriceInterval, ...], keep: Callable[[Decimal], bool]
) -> list[tuple[int, int]]:
    """First and last index of each run of consecutive intervals whose price is kept."""
    runs: list[tuple[int, int]] = []
    first: int | None = None
    for index, interval in enumerate(intervals):
        if keep(interval.price) and first is None:
            first = index
        elif not keep(interval.price) and first is not None:
            runs.append((first, index - 1))
            first = None
    if first is not None:
        runs.append((first, len(intervals) - 1))
    return runs


def _periods(
    intervals: tuple[PriceInterval, ...], runs: list[tuple[int, int]]
) -> tuple[PriceInterval, ...]:
    periods = []
    for first, last in runs:
        members = intervals[first : last + 1]
        average = sum((m.price for m in members), Decimal(0)) / len(members)
        periods.append(PriceInterval(start=members[0].start, end=members[-1].end, price=average))
    return tuple(periods)


def _bands(edges: list[tuple[float, float]]) -> tuple[Band, ...]:
    """A band per (left, right); each label centred above its band, pushed in at the chart's
    edges, and left off where it would touch the previous one (the hatching still shows)."""
    label = str(PEAK_LABEL)
    length = len(label) * GLYPH_WIDTH
    bands = []
    previous_end = -math.inf
    for left, right in edges:
        centre = (left + right) / 2
        if centre - length / 2 < LEFT:
            anchor, at, begins = "start", left, left
        elif centre + length / 2 > WIDTH - RIGHT / 2:  # room to spare for wider glyphs
            anchor, at, begins = "end", right, right - length
        else:
            anchor, at, begins = "middle", round(centre, 1), centre - length / 2
        fits = begins >= previous_end + GLYPH_WIDTH
        if fits:
            previous_end = begins + length
        bands.append(
            Band(
                x=left,
                width=round(right - left, 1),
                label=label if fits else "",
                label_x=at,
                label_anchor=anchor,
            )
        )
    return tuple(bands)


def _hourly(intervals: tuple[PriceInterval, ...]) -> tuple[PriceInterval, ...]:
    # Keyed with the UTC offset too: the two 1 AM hours of a fall-back night compare equal.
    hours: dict[tuple[datetime, timedelta | None], list[PriceInterval]] = {}
    for interval in intervals:
        hour = interval.start.replace(minute=0, second=0, microsecond=0)
        hours.setdefault((hour, interval.start.utcoffset()), []).append(interval)
    return tuple(
        PriceInterval(
            start=members[0].start.replace(minute=0, second=0, microsecond=0),
            end=members[-1].end,
            price=sum((m.price for m in members), Decimal(0)) / len(members),
        )
        for members in hours.values()
    )


def _price_scale(low: Decimal, high: Decimal) -> tuple[float, float, float]:
    """A bottom, top and tick step in round dollar amounts that contain every price and $0."""
    bottom = min(float(low), 0.0)
    top = max(float(high), 0.0)
    if top - bottom < 0.01:
        top = bottom + 0.1
    raw = (top - bottom) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return (
        math.floor(bottom / step) * step,
        math.ceil(top / step - 1e-9) * step,
        step,
    )
