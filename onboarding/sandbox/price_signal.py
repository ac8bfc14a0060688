"""The sandbox's price signal: deterministic 15-minute prices shaped by the home's rate plan."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from onboarding.sandbox.data import DEFAULT_TIMEZONE, SandboxRatePlan, service_area
from onboarding.sandbox.models import SandboxHome

INTERVAL = timedelta(minutes=15)
DEFAULT_INTERVALS = 96  # the next 24 hours
MAX_WINDOW = timedelta(days=7)
# What a non-net-metered solar home is paid for exported energy ($/kWh), whatever the hour.
NON_NET_METERED_EXPORT = Decimal("0.04")
NO_EXPORT = Decimal("0")


def slot_start(moment: datetime) -> datetime:
    """The start of the 15-minute slot holding `moment`, in UTC."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Interval:
    start: datetime
    price: Decimal
    export: Decimal

    @property
    def end(self) -> datetime:
        return self.start + INTERVAL


def intervals(
    home: SandboxHome, plan: SandboxRatePlan, start: datetime, count: int
) -> list[Interval]:
    found = service_area(home.zipcode)
    zone = ZoneInfo(found.timezone if found else DEFAULT_TIMEZONE)
    result = []
    for index in range(count):
        moment = start + index * INTERVAL
        price = plan.price_at(moment.astimezone(zone))
        result.append(Interval(start=moment, price=price, export=export_price(home, price)))
    return result


def export_price(home: SandboxHome, price: Decimal) -> Decimal:
    if home.solar_system_size_kw is None:
        return NO_EXPORT
    return NON_NET_METERED_EXPORT if home.is_non_net_metered else price


def legacy_answer(start: datetime, found: list[Interval]) -> dict[str, object]:
    """The older docs' shape: a start time and one $/kWh number per 15 minutes."""
    return {"startTime": iso(start), "priceSignal": [float(item.price) for item in found]}


def current_answer(home_id: str, start: datetime, found: list[Interval]) -> dict[str, object]:
    """The current docs' shape: per-interval lists plus `data`, equal-price runs as segments."""
    segments: list[dict[str, object]] = []
    for item in found:
        last = segments[-1] if segments else None
        if last and last["price"] == float(item.price) and last["export"] == float(item.export):
            last["endTime"] = iso(item.end)
            continue
        segments.append(
            {
                "startTime": iso(item.start),
                "endTime": iso(item.end),
                "price": float(item.price),
                "import": float(item.price),
                "export": float(item.export),
            }
        )
    return {
        "homeId": home_id,
        "startTime": iso(start),
        "endTime": iso(start + len(found) * INTERVAL),
        "data": segments,
        "prices": [float(item.price) for item in found],
        "imports": [float(item.price) for item in found],
        "exports": [float(item.export) for item in found],
    }
