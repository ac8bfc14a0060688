"""What the offline ZIP code list says about a home's ZIP code: its place and time zone.

Never a reason to refuse a ZIP code: the list is incomplete, and WattShift decides.
"""

import functools
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import zipcodes
from django.utils import timezone


# The offline list never changes while the app runs, and reading it is slow (milliseconds):
# each ZIP code is looked up once per process.
@functools.lru_cache(maxsize=8192)
def _matches(zipcode: str) -> tuple[dict[str, str], ...]:
    try:
        return tuple(zipcodes.matching(zipcode))
    except (TypeError, ValueError):
        return ()


def place_for_zip(zipcode: str) -> str:
    """ "City, ST" for a ZIP code the offline list knows, else ""."""
    matches = _matches(zipcode)
    return f"{matches[0]['city']}, {matches[0]['state']}" if matches else ""


def home_timezone(zipcode: str) -> tzinfo:
    """The home's time zone from its ZIP code; the site's zone if unknown."""
    for match in _matches(zipcode):
        try:
            return ZoneInfo(match.get("timezone") or "")
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return timezone.get_current_timezone()
