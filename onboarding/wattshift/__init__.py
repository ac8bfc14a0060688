"""The WattShift API client: typed answers, typed errors, no secrets in sight."""

from onboarding.wattshift.client import WattShiftClient, get_client
from onboarding.wattshift.errors import (
    InvalidAnswer,
    OutcomeUnknown,
    RateLimited,
    ReadTimedOut,
    Rejected,
    Unauthorized,
    UpstreamServerError,
    UpstreamUnavailable,
    WattShiftError,
)
from onboarding.wattshift.tokens import current_session_tokens
from onboarding.wattshift.types import (
    Appliance,
    CreatedHome,
    ErrorEnvelope,
    FieldError,
    Home,
    HomeDetails,
    PriceSignal,
    RatePlan,
    Utility,
)

__all__ = [
    "Appliance",
    "CreatedHome",
    "ErrorEnvelope",
    "FieldError",
    "Home",
    "HomeDetails",
    "InvalidAnswer",
    "OutcomeUnknown",
    "PriceSignal",
    "RateLimited",
    "RatePlan",
    "ReadTimedOut",
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
