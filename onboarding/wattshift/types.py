"""What the WattShift API answers, as typed values. ZIP codes and ids are always strings."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum


class Appliance(StrEnum):
    """The appliances homes/create asks about, in the order the questions are asked."""

    EV_CHARGER = "ev_charger"
    ELECTRIC_HEATER = "electric_heater"
    SMART_WATER_HEATER = "smart_water_heater"
    ELECTRIC_WATER_HEATER = "electric_water_heater"
    AC = "ac"


@dataclass(frozen=True)
class RatePlan:
    id: str  # what to send as ratePlanId; not unique within a utility (see UPSTREAM_API.md)
    name: str  # ratePlanName, e.g. "TOU-D"
    rate_id: str = ""  # rateID: a tariff reference for display and troubleshooting only
    supported_type: str = ""


@dataclass(frozen=True)
class Utility:
    id: str  # utilityId, e.g. "14328"
    name: str
    rate_plans: tuple[RatePlan, ...] = ()


@dataclass(frozen=True)
class CreatedHome:
    id: str


@dataclass(frozen=True)
class Home:
    """One entry of homes/list."""

    id: str
    name: str = ""
    zipcode: str = ""
    utility_id: str = ""
    rate_plan_id: str = ""
    created_at: str = ""  # createdAt as WattShift sent it

    @property
    def created(self) -> datetime | None:
        """createdAt read as a time (UTC if it names no zone); None when it is not one."""
        try:
            moment = datetime.fromisoformat(self.created_at.strip())
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class HomeDetails:
    """What homes/create needs. None on an appliance question means "not sure" (sent as null);
    a question left unanswered is not in `appliances` at all and so is omitted."""

    name: str
    zipcode: str
    utility_id: str
    rate_plan_id: str
    appliances: Mapping[Appliance, bool | None] = field(default_factory=dict)
    ac_type: str = ""


@dataclass(frozen=True)
class PriceSignal:
    start: datetime
    interval: timedelta
    prices: tuple[Decimal, ...]  # $/kWh, one per interval
    imports: tuple[Decimal, ...] = ()
    exports: tuple[Decimal, ...] = ()
