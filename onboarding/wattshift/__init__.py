"""The WattShift API client: typed answers, typed errors, no secrets in sight."""

from onboarding.wattshift.client import WattShiftClient, current_session_tokens, get_client
from onboarding.wattshift.errors import (
    InvalidAnswer,
    OutcomeUnknown,
    Rejected,
    Unauthorized,
    UpstreamServerError,
    UpstreamUnavailable,
    WattShiftError,
)
from onboarding.wattshift.types import (
    CreatedHome,
    Home,
    HomeDetails,
    PriceSignal,
    RatePlan,
    Utility,
)

__all__ = [
    "CreatedHome",
    "Home",
    "HomeDetails",
    "InvalidAnswer",
    "OutcomeUnknown",
    "PriceSignal",
    "RatePlan",
    "Rejected",
    "Unauthorized",
    "UpstreamServerError",
    "UpstreamUnavailable",
    "Utility",
    "WattShiftClient",
    "WattShiftError",
    "current_session_tokens",
    "get_client",
]
