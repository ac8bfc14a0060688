"""The values the client speaks in: never a wire name. ZIP codes and ids are always strings."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum


class Appliance(StrEnum):
    """An appliance question of homes/create, in the order the questions are asked."""

    EV_CHARGER = "ev_charger"
    ELECTRIC_HEATER = "electric_heater"
    SMART_WATER_HEATER = "smart_water_heater"
    ELECTRIC_WATER_HEATER = "electric_water_heater"
    AC = "ac"


@dataclass(frozen=True)
class RatePlan:
    id: str  # not unique within a utility (UPSTREAM_API.md): a plan is its id and its name
    name: str
    rate_id: str = ""  # display only: WattShift is always sent the id
    supported_type: str = ""


@dataclass(frozen=True)
class Utility:
    id: str
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
    created_at: str = ""  # createdAt as WattShift wrote it; shown as is when it is no time

    @property
    def created(self) -> datetime | None:
        """createdAt read as a time (UTC when it names no zone); None when it is not one."""
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
    """Prices in $/kWh, one per `interval` from `start`; imports and exports likewise."""

    start: datetime
    interval: timedelta
    prices: tuple[Decimal, ...]
    imports: tuple[Decimal, ...] = ()
    exports: tuple[Decimal, ...] = ()


@dataclass(frozen=True)
class FieldError:
    """WattShift's complaint about one request field, named as the client names it."""

    field: str
    message: str


@dataclass(frozen=True)
class ErrorEnvelope:
    """The error answer of UPSTREAM_API.md section 5."""

    request_id: str  # what WattShift's own support asks for
    message: str
    error_code: str = ""
    recovery_action: str = ""  # advice for administrators, never shown to installers
    field_errors: tuple[FieldError, ...] = ()
    retry_after_seconds: int | None = None
