"""The geometry of the price chart: a price signal in, coordinates and labels out.

The template draws the SVG from these numbers, so the page needs no JavaScript and no CDN.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import zipcodes
from django.utils import dateformat, timezone

from onboarding.wattshift.types import PriceSignal

# Close to a phone's width, so labels are drawn near 1:1 there; CSS sets their size per width.
WIDTH = 480
HEIGHT = 250
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 16, 36
# Prices within this share of the day's range from the top count as "peak".
PEAK_SHARE = Decimal("0.1")


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
class PriceChart:
    intervals: tuple[PriceInterval, ...]
    lowest: PriceInterval
    highest: PriceInterval
    peak: PriceInterval | None  # the window as one interval with its average price; None if flat
    hourly: tuple[PriceInterval, ...]  # average per hour, for the table alternative
    line_path: str
    area_path: str
    peak_x: float
    peak_width: float
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


def home_timezone(zipcode: str) -> tzinfo:
    """The home's time zone from its ZIP code (offline list); the site's zone if unknown."""
    try:
        matches = zipcodes.matching(zipcode)
    except (TypeError, ValueError):
        matches = []
    for match in matches:
        try:
            return ZoneInfo(match.get("timezone") or "")
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return timezone.get_current_timezone()


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
    lowest = min(intervals, key=lambda interval: interval.price)
    highest = max(intervals, key=lambda interval: interval.price)
    peak = peak_window(intervals)
    run = _peak_run(intervals)

    bottom_price, top_price, step = _price_scale(lowest.price, highest.price)
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

    peak_x = peak_width = 0.0
    if run is not None:
        peak_x = x(run[0])
        peak_width = round(x(run[1] + 1) - peak_x, 1)

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
        lowest=lowest,
        highest=highest,
        peak=peak,
        hourly=_hourly(intervals),
        line_path=line_path,
        area_path=area_path,
        peak_x=peak_x,
        peak_width=peak_width,
        x_ticks=x_ticks,
        y_ticks=tuple(y_ticks),
    )


def peak_window(intervals: tuple[PriceInterval, ...]) -> PriceInterval | None:
    """The contiguous run of the highest prices, as one interval with its average price."""
    run = _peak_run(intervals)
    if run is None:
        return None
    members = intervals[run[0] : run[1] + 1]
    average = sum((i.price for i in members), Decimal(0)) / len(members)
    return PriceInterval(start=members[0].start, end=members[-1].end, price=average)


def _peak_run(intervals: tuple[PriceInterval, ...]) -> tuple[int, int] | None:
    """First and last index of every interval within PEAK_SHARE of the day's range from the
    top, around the highest price (the longest such run if several reach it, then the
    earliest). None when prices are flat: there is no peak to avoid."""
    prices = [interval.price for interval in intervals]
    high, low = max(prices), min(prices)
    if high == low:
        return None
    threshold = high - (high - low) * PEAK_SHARE
    runs: list[tuple[int, int]] = []
    first: int | None = None
    for index, price in enumerate([*prices, low - 1]):
        if price >= threshold and first is None:
            first = index
        elif price < threshold and first is not None:
            runs.append((first, index - 1))
            first = None
    with_top = [run for run in runs if high in prices[run[0] : run[1] + 1]]
    # max() keeps the first of equally long runs.
    return max(with_top, key=lambda run: run[1] - run[0])


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
