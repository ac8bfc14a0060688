"""WattShift's rate limits (`RATE_LIMITED` with `retry_after_seconds`): nothing is sent to
WattShift again before the time it gave, and the person is told when to try.

A wait is kept where the thing waiting lives: an onboarding's on its row (`retry_not_before`,
for creating, checking and changing its home), a ZIP code lookup's in the cache beside its
answer, and homes/list's (one list for the whole account) in the cache beside the list (see
`selectors.upstream`). Until then each of them raises `AskedToWait` (`refuse_until`) instead of
calling; it is a `RateLimited`, so a page that shows a WattShift failure shows this one too.
"""

import math
from datetime import datetime, timedelta
from typing import TypeGuard

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from onboarding.wattshift.errors import RateLimited, WattShiftError
from onboarding.wizard.models import Onboarding


class AskedToWait(RateLimited):
    """WattShift asked for no retry before `until` (a rate limit); nothing was sent."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        remaining = math.ceil((until - timezone.now()).total_seconds())
        super().__init__(try_again_after(until), retry_after=max(0, remaining))


def wait_asked(error: WattShiftError) -> datetime | None:
    """Until when WattShift asked us not to try again, if it did."""
    return timezone.now() + timedelta(seconds=error.retry_after) if error.retry_after else None


def still_ahead(until: datetime | None) -> TypeGuard[datetime]:
    """Whether `until`, a time WattShift gave, is still to come."""
    return until is not None and until > timezone.now()


def refuse_until(until: datetime | None) -> None:
    """Raise AskedToWait while `until`, a time WattShift gave, is still ahead: every wait, on a
    row or in the cache, is refused here."""
    if still_ahead(until):
        raise AskedToWait(until)


def refuse_while_asked_to_wait(onboarding: Onboarding) -> None:
    """Raise AskedToWait until the time WattShift gave for this onboarding has passed."""
    refuse_until(onboarding.retry_not_before)


def try_again_after(until: datetime) -> str:
    """When to try again, in words; the minute is rounded up, so it is never too early."""
    moment = timezone.localtime(until)
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return _("WattShift asked to wait, so try again after %(time)s.") % {
        "time": formats.time_format(moment, "g:i A")
    }


def nothing_sent(error: AskedToWait) -> str:
    """What a person is told when what they sent waits on WattShift's rate limit."""
    return _("Nothing was sent: %(reason)s") % {"reason": error.message}


def not_checked(error: AskedToWait) -> str:
    """What a person is told when their "Check again" waits on WattShift's rate limit."""
    return _("WattShift was not asked again: %(reason)s") % {"reason": error.message}
