"""The price chart in words: its periods by day relative to the window's first, and a summary."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils import dateformat
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext

from onboarding.wizard.charts import PriceChart, PriceInterval
from onboarding.wizard.steps import SummaryRow


@dataclass(frozen=True)
class ChartText:
    rows: tuple[SummaryRow, ...]  # the summary list under the chart
    description: str  # the chart's <desc>


def describe_chart(chart: PriceChart) -> ChartText:
    """What the chart shows, each fact once: a flat price, or the lowest, highest and peaks."""
    first_day = chart.start.date()
    if chart.flat:
        same = gettext("The same price all day: %(price)s") % {
            "price": _per_kwh(chart.lowest.price)
        }
        return ChartText(rows=(SummaryRow(gettext("Price"), same),), description=same)
    peaks = periods_text(chart.peaks, first_day)
    highest = _per_kwh(chart.highest.price)
    if _times(chart.highest_periods) == _times(chart.peaks):
        # Every peak quarter-hour is at the highest price: the peak row gives the times.
        highest_value = ngettext(
            "%(price)s, in the peak window", "%(price)s, in each peak window", len(chart.peaks)
        ) % {"price": highest}
        peak_value = peaks
    else:
        highest_value = gettext("%(price)s, %(periods)s") % {
            "price": highest,
            "periods": periods_text(chart.highest_periods, first_day),
        }
        peak_value = gettext("%(periods)s, about %(price)s") % {
            "periods": peaks,
            "price": _per_kwh(_average(chart.peaks)),
        }
    lowest_value = gettext("%(price)s, %(periods)s") % {
        "price": _per_kwh(chart.lowest.price),
        "periods": periods_text(chart.lowest_periods, first_day),
    }
    description = gettext(
        "Prices range from $%(low)s to $%(high)s per kWh. Shaded peak window: %(peaks)s."
    ) % {
        "low": floatformat(chart.lowest.price, 3),
        "high": floatformat(chart.highest.price, 3),
        "peaks": peaks,
    }
    return ChartText(
        rows=(
            SummaryRow(gettext("Lowest price"), lowest_value),
            SummaryRow(gettext("Highest price"), highest_value),
            SummaryRow(gettext("Peak window"), peak_value),
        ),
        description=description,
    )


def _per_kwh(price: Decimal) -> str:
    return gettext("$%(price)s per kWh") % {"price": floatformat(price, 3)}


def periods_text(periods: tuple[PriceInterval, ...], first_day: date) -> str:
    """The periods as one list: "6:00 PM – 9:00 PM today and 4:00 PM – 6:00 PM tomorrow"."""
    return str(get_text_list([period_text(p, first_day) for p in periods], gettext("and")))


def period_text(period: PriceInterval, first_day: date) -> str:
    """One period with the day it starts on, and the day it ends on if that is another."""
    start_day, end_day = period.start.date(), period.end.date()
    times = {"start": _time(period.start), "end": _time(period.end)}
    if start_day == end_day:
        return gettext("%(start)s – %(end)s %(day)s") % {**times, "day": _day(start_day, first_day)}
    return gettext("%(start)s %(start_day)s – %(end)s %(end_day)s") % {
        **times,
        "start_day": _day(start_day, first_day),
        "end_day": _day(end_day, first_day),
    }


def _day(day: date, first_day: date) -> str:
    after = (day - first_day).days
    if after == 0:
        return gettext("today")
    if after == 1:
        return gettext("tomorrow")
    return gettext("on %(date)s") % {"date": dateformat.format(day, "D j M")}


def _time(moment: datetime) -> str:
    return dateformat.format(moment, "g:i A")


def _times(periods: tuple[PriceInterval, ...]) -> list[tuple[float, float]]:
    return [(p.start.timestamp(), p.end.timestamp()) for p in periods]


def _average(periods: tuple[PriceInterval, ...]) -> Decimal:
    """The average price over all the periods, each weighed by its length."""
    seconds = [Decimal(p.end.timestamp() - p.start.timestamp()) for p in periods]
    total = sum((p.price * s for p, s in zip(periods, seconds, strict=True)), Decimal(0))
    return total / sum(seconds, Decimal(0))
