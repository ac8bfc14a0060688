"""What the WattShift API answers, as typed values. ZIP codes and ids are always strings."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal


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
    created_at: str = ""  # as WattShift wrote it
    created: datetime | None = None  # created_at read as a time, when it is one


@dataclass(frozen=True)
class HomeDetails:
    """What homes/create needs. None on an appliance question means "not sure" (sent as null);
    a question left unanswered is not in `appliances` at all and so is omitted."""

    name: str
    zipcode: str
    utility_id: str
    rate_plan_id: str
    # Upstream field name (e.g. "hasEvCharger") -> True / False / None.
    appliances: dict[str, bool | None] = field(default_factory=dict)
    ac_type: str = ""


@dataclass(frozen=True)
class PriceSignal:
    start: datetime
    interval: timedelta
    prices: tuple[Decimal, ...]  # $/kWh, one per interval
    imports: tuple[Decimal, ...] = ()
    exports: tuple[Decimal, ...] = ()
