"""The sandbox's utilities and rate plans, by ZIP code.

Utility ids are the real EIA utility numbers; plan names follow each utility's published
residential tariffs. Prices are round illustrative values in $/kWh, not tariff quotes.
95313 is the documented example verbatim, in the older `wsRatePlans` shape, including the
id that two plans share; every other ZIP answers in the current `ratePlans` shape.
`suits_solar` marks the plans utility/get lists first when asked for `isSolarPrioritizedOrder`.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class PlanKind(StrEnum):
    TIME_OF_USE = "time_of_use"
    FLAT = "flat"


# Time-of-use plans peak from 4 pm to 9 pm local time; EV plans are cheapest overnight.
PEAK_HOURS = range(16, 21)
SUPER_OFF_PEAK_HOURS = range(0, 6)


@dataclass(frozen=True)
class SandboxRatePlan:
    id: str
    name: str
    rate_id: str
    kind: PlanKind
    # Flat plans charge `off_peak` at every hour.
    off_peak: Decimal
    peak: Decimal | None = None
    super_off_peak: Decimal | None = None
    supported_type: str = "residential"
    # A tariff meant for homes with solar (net metering, EV and storage friendly schedules).
    suits_solar: bool = False

    def price_at(self, local: datetime) -> Decimal:
        """The $/kWh price of the interval that starts at `local` (the home's local time)."""
        if self.kind == PlanKind.FLAT:
            return self.off_peak
        if self.peak is not None and local.hour in PEAK_HOURS:
            return self.peak
        if self.super_off_peak is not None and local.hour in SUPER_OFF_PEAK_HOURS:
            return self.super_off_peak
        return self.off_peak

    def as_json(self, *, legacy: bool) -> dict[str, str]:
        if legacy:
            return {"id": self.id, "ratePlanName": self.name}
        return {
            "id": self.id,
            "ratePlanName": self.name,
            "rateID": self.rate_id,
            "supportedType": self.supported_type,
        }


@dataclass(frozen=True)
class SandboxUtility:
    id: str
    name: str
    rate_plans: tuple[SandboxRatePlan, ...]
    # The older docs' answer shape (`wsRatePlans`, and the older price-signal shape).
    legacy_shape: bool = False

    def as_json(self, *, solar_first: bool = False) -> dict[str, object]:
        ordered = self.solar_order() if solar_first else self.rate_plans
        plans = [plan.as_json(legacy=self.legacy_shape) for plan in ordered]
        key = "wsRatePlans" if self.legacy_shape else "ratePlans"
        return {"utilityId": self.id, "utilityName": self.name, key: plans}

    def solar_order(self) -> tuple[SandboxRatePlan, ...]:
        """The plans that suit solar first, each group in its usual order."""
        return tuple(sorted(self.rate_plans, key=lambda plan: not plan.suits_solar))

    def plan(self, rate_plan_id: str) -> SandboxRatePlan | None:
        """The first plan with this id: ids are not unique (the documented example shares one)."""
        return next((plan for plan in self.rate_plans if plan.id == rate_plan_id), None)


@dataclass(frozen=True)
class ServiceArea:
    zipcode: str
    timezone: str
    utilities: tuple[SandboxUtility, ...]

    def utility(self, utility_id: str) -> SandboxUtility | None:
        return next((utility for utility in self.utilities if utility.id == utility_id), None)


def tou(
    plan_id: str,
    name: str,
    rate_id: str,
    off_peak: str,
    peak: str,
    super_off_peak: str | None = None,
    *,
    suits_solar: bool = False,
) -> SandboxRatePlan:
    return SandboxRatePlan(
        id=plan_id,
        name=name,
        rate_id=rate_id,
        kind=PlanKind.TIME_OF_USE,
        off_peak=Decimal(off_peak),
        peak=Decimal(peak),
        super_off_peak=Decimal(super_off_peak) if super_off_peak else None,
        suits_solar=suits_solar,
    )


def flat(plan_id: str, name: str, rate_id: str, price: str) -> SandboxRatePlan:
    return SandboxRatePlan(
        id=plan_id, name=name, rate_id=rate_id, kind=PlanKind.FLAT, off_peak=Decimal(price)
    )


# The documented example, exactly: TOU-C and E-6 share one id.
PGE_DOCUMENTED_EXAMPLE = SandboxUtility(
    id="14328",
    name="Pacific Gas & Electric",
    legacy_shape=True,
    rate_plans=(
        tou("662955dff338bcedec0dbfe7", "TOU-D", "", "0.41", "0.49"),
        tou("66d811ce52c6fe40859130e8", "TOU-C", "", "0.42", "0.52"),
        tou("66d811ce52c6fe40859130e8", "E-6", "", "0.40", "0.55", suits_solar=True),
    ),
)

PGE = SandboxUtility(
    id="14328",
    name="Pacific Gas & Electric",
    rate_plans=(
        tou("308ef4feceb0f5d504307264", "E-TOU-C", "pge-e-tou-c", "0.42", "0.52"),
        tou("f9e3e6284ab928eca8ca31d1", "E-TOU-D", "pge-e-tou-d", "0.41", "0.49"),
        tou(
            "5ac59c4f750bfeda59e0061c",
            "EV2-A",
            "pge-ev2-a",
            "0.40",
            "0.61",
            "0.25",
            suits_solar=True,
        ),
        flat("e5db7bb48fc78d62b1da3a63", "E-1 Residential Services", "pge-e-1", "0.40"),
    ),
)

SMUD = SandboxUtility(
    id="16534",
    name="Sacramento Municipal Utility District",
    rate_plans=(
        tou(
            "ae45d3e85b39eba10a4d657b", "Time-of-Day (5-8 p.m.) Rate", "smud-r-tod", "0.13", "0.34"
        ),
        tou(
            "e9b4d87167d7b0d86f862cc3",
            "Time-of-Day (5-8 p.m.) Rate with EV Credit",
            "smud-r-tod-ev",
            "0.13",
            "0.34",
            "0.10",
        ),
    ),
)

SCE = SandboxUtility(
    id="17609",
    name="Southern California Edison",
    rate_plans=(
        tou("6a604c4ce15100b2cf8370a2", "TOU-D-4-9PM", "sce-tou-d-4-9pm", "0.35", "0.56"),
        tou(
            "70697c14b1059f1be4c61a72",
            "TOU-D-PRIME",
            "sce-tou-d-prime",
            "0.27",
            "0.60",
            "0.25",
            suits_solar=True,
        ),
        flat("b2173db162edb89490205e4d", "Domestic (D)", "sce-d", "0.33"),
    ),
)

SDGE = SandboxUtility(
    id="16609",
    name="San Diego Gas & Electric",
    rate_plans=(
        tou("2929b96585ac693f547bd1fc", "TOU-DR1", "sdge-tou-dr1", "0.46", "0.64", "0.38"),
        tou(
            "e101af79f6251c93cdfea3f4",
            "EV-TOU-5",
            "sdge-ev-tou-5",
            "0.45",
            "0.67",
            "0.12",
            suits_solar=True,
        ),
        flat("73afb06910b1a4a2189eab69", "DR Standard Residential", "sdge-dr", "0.43"),
    ),
)

AUSTIN_ENERGY = SandboxUtility(
    id="1015",
    name="Austin Energy",
    rate_plans=(
        flat("eae067b88f48c9a861265113", "Residential Standard", "austin-res-standard", "0.12"),
        tou(
            "d45a1daaa6704aea2dc08952", "Residential Time-of-Use", "austin-res-tou", "0.09", "0.21"
        ),
    ),
)

EVERSOURCE_MA = SandboxUtility(
    id="54913",
    name="Eversource (NSTAR Electric)",
    rate_plans=(
        flat("6729947eefe3563cb2d80ac3", "Residential R-1", "nstar-r1", "0.31"),
        tou(
            "a658bcfed03b09eeac18f140",
            "Residential Time-of-Use R-3",
            "nstar-r3-tou",
            "0.27",
            "0.41",
        ),
    ),
)

NATIONAL_GRID_MA = SandboxUtility(
    id="11804",
    name="National Grid (Massachusetts Electric)",
    rate_plans=(
        flat("8dc22db526c9ad14f9c3de02", "R-1 Residential Regular", "meco-r1", "0.30"),
        tou(
            "38d69a3940dc525b243549ee", "R-4 Residential Time-of-Use", "meco-r4-tou", "0.25", "0.43"
        ),
    ),
)

EVERSOURCE_CT = SandboxUtility(
    id="4176",
    name="Eversource (Connecticut Light & Power)",
    rate_plans=(
        flat("27358f9ae3de9b713d61a439", "Rate 1 Residential", "clp-r1", "0.29"),
        tou(
            "584a0372ea4106fa33b5f0ef",
            "Rate 7 Residential Time-of-Day",
            "clp-r7-tou",
            "0.24",
            "0.40",
        ),
    ),
)

CENTRAL_MAINE_POWER = SandboxUtility(
    id="3266",
    name="Central Maine Power",
    rate_plans=(
        flat("a32fa45eb38735d7da58ac08", "A Residential", "cmp-a", "0.28"),
        tou(
            "2a71b089ae8cf720b514488e", "A-TOU Residential Time-of-Use", "cmp-a-tou", "0.22", "0.39"
        ),
    ),
)

CON_EDISON = SandboxUtility(
    id="4226",
    name="Consolidated Edison Co-NY",
    rate_plans=(
        flat("940d9634cc97717c68729621", "EL1 Residential", "coned-el1", "0.30"),
        tou("7d509f1708ac9538199070c7", "EL1 Time-of-Use", "coned-el1-tou", "0.24", "0.45"),
    ),
)

PSEG = SandboxUtility(
    id="15477",
    name="Public Service Electric & Gas",
    rate_plans=(
        flat("d76ed83ceea95970a229e20f", "RS Residential Service", "pseg-rs", "0.19"),
        tou(
            "1e39c3f2b6c7bac3d3b2a205",
            "RLM Residential Load Management",
            "pseg-rlm",
            "0.15",
            "0.29",
        ),
    ),
)

XCEL_COLORADO = SandboxUtility(
    id="15466",
    name="Xcel Energy (Public Service Co of Colorado)",
    rate_plans=(
        tou(
            "730e57f192cd5e8d0d3b1e9e",
            "Residential Time-of-Use (RE-TOU)",
            "psco-re-tou",
            "0.12",
            "0.25",
        ),
        flat("fac11aa57f346b936401e0a6", "Residential General (R)", "psco-r", "0.15"),
    ),
)

XCEL_MINNESOTA = SandboxUtility(
    id="13781",
    name="Xcel Energy (Northern States Power Co - Minnesota)",
    rate_plans=(
        flat("107fa6004f0fec13ab9eafb7", "Residential Service (A01)", "nspm-a01", "0.14"),
        tou(
            "f009796df8bc006350edbf09",
            "Residential Time of Use (A03)",
            "nspm-a03-tou",
            "0.10",
            "0.28",
        ),
    ),
)

APS = SandboxUtility(
    id="803",
    name="Arizona Public Service",
    rate_plans=(
        tou("56f1ee78d9753a1e633bd0f7", "Saver Choice (TOU-E)", "aps-tou-e", "0.11", "0.29"),
        flat("ed9d550eb38973d311ca279a", "Premier Choice (R-Basic)", "aps-r-basic", "0.15"),
    ),
)

SRP = SandboxUtility(
    id="16572",
    name="Salt River Project",
    rate_plans=(
        flat("543c6728edda2d7b2dbd1572", "Basic Price Plan (E-23)", "srp-e-23", "0.12"),
        tou(
            "7c496888720e3ec07b312dba", "Time-of-Use Price Plan (E-26)", "srp-e-26", "0.08", "0.26"
        ),
    ),
)

HAWAIIAN_ELECTRIC = SandboxUtility(
    id="19547",
    name="Hawaiian Electric",
    rate_plans=(
        flat("d2a5c9cdc2687ea0c2e7a9a1", "Schedule R Residential", "heco-r", "0.42"),
        tou("b837a7c00fd0803dae6a154b", "Schedule TOU-RI", "heco-tou-ri", "0.26", "0.51"),
    ),
)


def area(zipcode: str, timezone: str, *utilities: SandboxUtility) -> ServiceArea:
    return ServiceArea(zipcode=zipcode, timezone=timezone, utilities=utilities)


PACIFIC = "America/Los_Angeles"
EASTERN = "America/New_York"

SERVICE_AREAS: dict[str, ServiceArea] = {
    served.zipcode: served
    for served in (
        area("95313", PACIFIC, PGE_DOCUMENTED_EXAMPLE),  # Crows Landing, CA
        area("95630", PACIFIC, PGE, SMUD),  # Folsom, CA: two utilities
        area("94110", PACIFIC, PGE),  # San Francisco, CA
        area("92618", PACIFIC, SCE),  # Irvine, CA
        area("92101", PACIFIC, SDGE),  # San Diego, CA
        area("78701", "America/Chicago", AUSTIN_ENERGY),  # Austin, TX
        area("02139", EASTERN, EVERSOURCE_MA),  # Cambridge, MA
        area("01930", EASTERN, NATIONAL_GRID_MA),  # Gloucester, MA
        area("06103", EASTERN, EVERSOURCE_CT),  # Hartford, CT
        area("04101", EASTERN, CENTRAL_MAINE_POWER),  # Portland, ME
        area("10001", EASTERN, CON_EDISON),  # New York, NY
        area("07030", EASTERN, PSEG),  # Hoboken, NJ
        area("80202", "America/Denver", XCEL_COLORADO),  # Denver, CO
        area("55401", "America/Chicago", XCEL_MINNESOTA),  # Minneapolis, MN
        area("85004", "America/Phoenix", APS, SRP),  # Phoenix, AZ: two utilities
        area("96813", "Pacific/Honolulu", HAWAIIAN_ELECTRIC),  # Honolulu, HI
        area("96799", "Pacific/Pago_Pago"),  # Pago Pago, American Samoa: no utility
    )
}

# ZIPs the sandbox has no data for answer an empty list, like a ZIP nobody serves.
DEFAULT_TIMEZONE = PACIFIC


def service_area(zipcode: str) -> ServiceArea | None:
    return SERVICE_AREAS.get(zipcode)


def utilities_for_zip(zipcode: str) -> tuple[SandboxUtility, ...]:
    found = service_area(zipcode)
    return found.utilities if found else ()
