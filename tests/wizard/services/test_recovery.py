"""A submission whose worker died: released, so it does not hold the row forever
(services/recovery.py)."""

from datetime import timedelta

import responses
from django.contrib.auth.models import User
from django.utils import timezone

from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import recovery, submission
from tests.wizard.factories import events
from tests.wizard.upstream import HOME_ID, add_solar_ok, calls_to

Status = Onboarding.Status


def test_a_stale_claim_without_a_home_id_becomes_needs_attention(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    long_ago = timezone.now() - recovery.stale_after() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=ready_onboarding.pk).update(
        status=Status.SUBMITTING, updated_at=long_ago
    )
    ready_onboarding.refresh_from_db()  # as a page loads it

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.NEEDS_ATTENTION
    assert events(result) == [("interrupted", "unknown")]
    assert len(wattshift_api.calls) == 0


def test_a_stale_claim_with_a_home_id_lets_solar_be_retried(
    ready_onboarding: Onboarding, installer: User, wattshift_api: responses.RequestsMock
) -> None:
    long_ago = timezone.now() - recovery.stale_after() - timedelta(seconds=1)
    Onboarding.objects.filter(pk=ready_onboarding.pk).update(
        status=Status.SUBMITTING, home_id=HOME_ID, updated_at=long_ago
    )
    ready_onboarding.refresh_from_db()  # as a page loads it
    add_solar_ok(wattshift_api)

    result = submission.submit_onboarding(onboarding=ready_onboarding, by=installer)

    assert result.status == Status.COMPLETE
    assert calls_to(wattshift_api, "homes/create") == []
    assert len(calls_to(wattshift_api, "homes/solar/create")) == 1
