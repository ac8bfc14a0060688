"""Read-only queries: `onboardings` (who may see what, search, duplicates) and `upstream`
(cached reads from WattShift and looking for a home in its list)."""

from onboarding.wizard.selectors.onboardings import (
    MIN_PUBLIC_ID_FRAGMENT,
    get_onboarding_for,
    is_discardable,
    likely_duplicates,
    onboardings_visible_to,
    search_onboardings,
)
from onboarding.wizard.selectors.upstream import (
    Difference,
    HomeIdCheck,
    HomeSearch,
    RememberedFailure,
    cached_utilities_for_zip,
    check_home_id,
    find_homes,
    forget_price_signal,
    home_differences,
    price_signal,
    utilities_for_zip,
)

__all__ = [
    "MIN_PUBLIC_ID_FRAGMENT",
    "Difference",
    "HomeIdCheck",
    "HomeSearch",
    "RememberedFailure",
    "cached_utilities_for_zip",
    "check_home_id",
    "find_homes",
    "forget_price_signal",
    "get_onboarding_for",
    "home_differences",
    "is_discardable",
    "likely_duplicates",
    "onboardings_visible_to",
    "price_signal",
    "search_onboardings",
    "utilities_for_zip",
]
