"""Read-only queries: `onboardings` (who may see what, duplicates), `search` (words and
filters), `pages` (keyset pages with a bounded count), `upstream` (cached reads from
WattShift and looking for a home in its list) and `found_homes` (what the last look in that
list found, kept in the history)."""

from onboarding.wizard.selectors.found_homes import (
    KEPT_HOMES,
    FoundHomes,
    homes_to_show,
    kept_homes,
    last_found,
)
from onboarding.wizard.selectors.onboardings import (
    get_onboarding_for,
    is_discardable,
    likely_duplicates,
    onboardings_visible_to,
)
from onboarding.wizard.selectors.pages import (
    CHANGED,
    COUNT_LIMIT,
    PAGE_SIZE,
    SEARCH_COUNT_LIMIT,
    STARTED,
    Cursor,
    Page,
    bounded_count,
    keyset_page,
    list_count_of,
    with_list_count,
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
    "CHANGED",
    "COUNT_LIMIT",
    "KEPT_HOMES",
    "MIN_PUBLIC_ID_FRAGMENT",
    "PAGE_SIZE",
    "SEARCH_COUNT_LIMIT",
    "STARTED",
    "Cursor",
    "Difference",
    "Filters",
    "FoundHomes",
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
    "homes_to_show",
    "is_discardable",
    "kept_homes",
    "keyset_page",
    "last_found",
    "likely_duplicates",
    "list_count_of",
    "onboardings_visible_to",
    "people_with_onboardings",
    "price_signal",
    "search_onboardings",
    "utilities_for_zip",
    "with_list_count",
]
