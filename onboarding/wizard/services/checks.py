"""Settling an unknown outcome without a person: the background check.

A create whose answer was lost leaves the onboarding needing attention. Once the grace period
has passed, a task asks WattShift's list of homes (reconciliation); while that proves nothing
(the list failed, or came too soon) it asks again, each time waiting longer, until the
onboarding is settled: one match adopted, none found so it can be sent again, or several for
support to choose from. It never sends a create.

The schedule lives on the row (`next_check_at`), not only in the task queue: a check claims
the row with a compare-and-set that pushes `next_check_at` a lease ahead, so two workers never
run one check, and a check whose worker died is due again once its lease has passed, when the
sweep (run by every worker) enqueues it anew.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from onboarding.wizard.models import Onboarding
from onboarding.wizard.rate_limits import AskedToWait
from onboarding.wizard.services import reconciliation
from onboarding.wizard.services.history import Outcome

logger = logging.getLogger(__name__)

Status = Onboarding.Status

# The waits between checks that proved nothing, then the last one again and again.
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
)


def lease() -> timedelta:
    """How long one check may hold the row before another worker may take it over
    (WS_CHECK_LEASE_SECONDS): longer than a check can take, homes/list's retries included."""
    return timedelta(seconds=settings.WS_CHECK_LEASE_SECONDS)


def schedule_check(*, onboarding: Onboarding, at: datetime) -> None:
    """Have the background check run at `at` (or soon after)."""
    Onboarding.objects.filter(pk=onboarding.pk).update(next_check_at=at)
    onboarding.next_check_at = at
    _enqueue(onboarding.pk, at)


def schedule_first_check(*, onboarding: Onboarding) -> None:
    """After a create with an unknown outcome: check once the grace period has passed."""
    schedule_check(
        onboarding=onboarding,
        at=reconciliation.create_sent_at(onboarding) + reconciliation.reconcile_grace(),
    )


def run_check(*, onboarding_id: int) -> str:
    """Run one background check if it is due and no other worker holds it; say what came of
    it (for the task's result)."""
    now = timezone.now()
    claimed = Onboarding.objects.filter(
        pk=onboarding_id, status=Status.NEEDS_ATTENTION, next_check_at__lte=now
    ).update(next_check_at=now + lease(), checks_made=F("checks_made") + 1)
    if not claimed:
        return "not due"
    onboarding = Onboarding.objects.select_related("owner").get(pk=onboarding_id)
    try:
        reconciliation.reconcile_onboarding(onboarding=onboarding, by=None)
    except AskedToWait as wait:
        # A person's check was rate limited after this one was scheduled: wait as asked. Nothing
        # was checked, so the backoff stays where it was.
        Onboarding.objects.filter(pk=onboarding.pk).update(checks_made=F("checks_made") - 1)
        schedule_check(onboarding=onboarding, at=wait.until)
        return f"waiting as WattShift asked, next check at {wait.until.isoformat()}"
    if onboarding.status == Status.NEEDS_ATTENTION and not _support_must_choose(onboarding):
        again = timezone.now() + BACKOFF[min(onboarding.checks_made, len(BACKOFF)) - 1]
        if onboarding.retry_not_before and onboarding.retry_not_before > again:
            again = onboarding.retry_not_before  # WattShift asked to wait this long
        schedule_check(onboarding=onboarding, at=again)
        return f"unsettled, next check at {again.isoformat()}"
    Onboarding.objects.filter(pk=onboarding.pk).update(next_check_at=None)
    return f"settled: {onboarding.status}"


def sweep(*, now: datetime | None = None) -> int:
    """Enqueue again every check that is overdue by more than a lease (its task was lost, or
    its worker died mid-check); return how many. Safe from every worker at once."""
    now = now or timezone.now()
    overdue = Onboarding.objects.filter(
        status=Status.NEEDS_ATTENTION, next_check_at__lte=now - lease()
    ).values_list("pk", "next_check_at")
    count = 0
    for pk, _due in overdue[:100]:
        _enqueue(pk, now)
        count += 1
    if count:
        logger.info("Enqueued %d overdue background checks again", count)
    return count


def _support_must_choose(onboarding: Onboarding) -> bool:
    """Several homes match: the background check stops and support decides."""
    last = onboarding.events.order_by("-at", "-pk").values_list("outcome", flat=True).first()
    return last == Outcome.SEVERAL


def _enqueue(onboarding_id: int, at: datetime) -> None:
    # Imported here: the task module imports this one.
    from onboarding.wizard.tasks import check_unknown_outcome

    def enqueue() -> None:
        check_unknown_outcome.using(run_after=at).enqueue(onboarding_id)

    transaction.on_commit(enqueue)
