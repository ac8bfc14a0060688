"""WattShift's rate limits (onboarding/wizard/rate_limits.py): when the app may ask again, and
how it says when."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from onboarding.wattshift.errors import RateLimited
from onboarding.wizard.rate_limits import (
    AskedToWait,
    refuse_while_asked_to_wait,
    try_again_after,
    wait_asked,
)
from tests.wizard import factories

PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    ("until", "said"),
    [
        (datetime(2026, 3, 2, 15, 4, 0, tzinfo=PACIFIC), "3:04 PM"),
        # Rounded up: "after 3:04 PM" would be too early for 3:04:20.
        (datetime(2026, 3, 2, 15, 4, 20, tzinfo=PACIFIC), "3:05 PM"),
        (datetime(2026, 3, 2, 23, 59, 1, tzinfo=PACIFIC), "12:00 AM"),
    ],
)
def test_when_to_try_again_is_said_in_the_sites_time_never_too_early(
    until: datetime, said: str
) -> None:
    assert try_again_after(until) == f"WattShift asked to wait, so try again after {said}."


def test_the_wait_asked_is_the_seconds_wattshift_gave_from_now() -> None:
    until = wait_asked(RateLimited(retry_after=120))
    assert until is not None
    assert timedelta(seconds=110) < until - timezone.now() <= timedelta(seconds=120)
    assert wait_asked(RateLimited()) is None


def test_an_onboarding_waits_until_the_time_given_and_no_longer(installer: User) -> None:
    until = timezone.now() + timedelta(minutes=2)
    waiting = factories.onboarding(installer, retry_not_before=until)

    with pytest.raises(AskedToWait) as raised:
        refuse_while_asked_to_wait(waiting)

    # A RateLimited like WattShift's own, so pages that show a failure show this one too.
    assert isinstance(raised.value, RateLimited)
    assert raised.value.outcome_known
    assert raised.value.until == until
    assert raised.value.message == try_again_after(until)
    assert 110 < (raised.value.retry_after or 0) <= 120
    for free in (None, timezone.now() - timedelta(seconds=1)):
        refuse_while_asked_to_wait(factories.onboarding(installer, retry_not_before=free))
