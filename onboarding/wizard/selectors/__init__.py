"""Read-only queries: `onboardings` (who may see what, duplicates), `search` (words and
filters), `pages` (keyset pages with a bounded count) and `upstream` (cached reads from
WattShift and looking for a home in its list)."""

from onboarding.wizard.selectors.onboardings import (
    get_onboarding_for,
    is_discardable,
    likely_duplicates,
    onboardings_visible_to,
)
from onboarding.wizard.selectors.pages import (
    COUNT_LIMIT,
    PAGE_SIZE,
    Cursor,
    Page,
    bounded_count,
    keyset_page,
)
from onboarding.wizard.selectors.search import (
    MIN_PUBLIC_ID_FRAGMENT,
    Filters,
    people_with_onboardings,
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
    "COUNT_LIMIT",
    "MIN_PUBLIC_ID_FRAGMENT",
    "PAGE_SIZE",
    "Cursor",
    "Difference",
    "Filters",
    "HomeIdCheck",
    "HomeSearch",
    "Page",
    "RememberedFailure",
    "bounded_count",
    "cached_utilities_for_zip",
    "check_home_id",
    "find_homes",
    "forget_price_signal",
    "get_onboarding_for",
    "home_differences",
    "is_discardable",
    "keyset_page",
    "likely_duplicates",
    "onboardings_visible_to",
    "people_with_onboardings",
    "price_signal",
    "search_onboardings",
    "utilities_for_zip",
]
