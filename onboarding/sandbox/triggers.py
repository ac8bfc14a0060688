"""Test values that make the sandbox misbehave on purpose, like a payment sandbox's test card
numbers: installers and tests use them to rehearse every failure the real upstream can have."""

from enum import StrEnum

from django.conf import settings

# utility/get with these ZIP codes.
ZIP_UNAVAILABLE = "00503"  # answers 503 with a proxy's HTML page
ZIP_NOT_JSON = "00200"  # answers 200 with a body that is not JSON
ZIP_SLOW = "00408"  # answers (an empty list) only after WS_SANDBOX_SLOW_SECONDS


class HomeNameTrigger(StrEnum):
    """homes/create with one of these names (any case, surrounding spaces ignored)."""

    CREATE_FAIL = "test create fail"  # 500, nothing created
    CREATE_SLOW = "test create slow"  # home created, answer after WS_SANDBOX_SLOW_SECONDS
    SOLAR_FAIL_ONCE = "test solar fail once"  # first homes/solar/create for it answers 503
    # The first price-signal fetch for it fails: 503 for the first call and each of the
    # client's WS_API_RETRIES retries, so the home page shows "Try again" once.
    PRICE_FAIL_ONCE = "test price fail once"
    # 400 VALIDATION_FAILED with a field error on `name` (homes/create and homes/{id}/update).
    NAME_REFUSED = "test name refused"
    RATE_LIMITED = "test rate limited"  # 429 RATE_LIMITED, retry after 120 s; nothing created
    # Like "test create slow" (created, answer lost), and the next homes/list fails (with the
    # client's retries): only a later check finds the home.
    ANSWER_LOST = "test answer lost"


NAME_REFUSED_MESSAGE = (
    "This name is not accepted by WattShift. Use the customer's name or the street address."
)
RATE_LIMIT_SECONDS = 120


def home_name_trigger(name: str) -> HomeNameTrigger | None:
    try:
        return HomeNameTrigger(name.strip().casefold())
    except ValueError:
        return None


def slow_seconds() -> float:
    """Read per request so tests can shorten it with the settings fixture."""
    return float(settings.WS_SANDBOX_SLOW_SECONDS)


# What a load balancer in front of the API answers when the service behind it is down.
PROXY_UNAVAILABLE_PAGE = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
    "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    "</body>\r\n</html>\r\n"
)

# The documented example exactly as printed: the comma after "14328" is missing.
NOT_JSON_BODY = """[
  {
    "utilityId": "14328"
    "utilityName": "Pacific Gas & Electric",
    "wsRatePlans": [
      {
        "id": "662955dff338bcedec0dbfe7",
        "ratePlanName": "TOU-D"
      },
      {
        "id": "66d811ce52c6fe40859130e8",
        "ratePlanName": "TOU-C"
      },
      {
        "id": "66d811ce52c6fe40859130e8",
        "ratePlanName": "E-6"
      }
    ]
  }
]
"""
