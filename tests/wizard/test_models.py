"""The Onboarding row: how a draft is named before it has a name, and what is derived."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from onboarding.wizard.models import Onboarding
from tests.wizard import factories


def _started(onboarding: Onboarding, moment: datetime) -> Onboarding:
    Onboarding.objects.filter(pk=onboarding.pk).update(created_at=moment)
    onboarding.refresh_from_db()
    return onboarding


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"zipcode": "95630"}, "Draft – Folsom, CA 95630, started 9:41 AM"),
        ({"zipcode": "99999"}, "Draft – 99999, started 9:41 AM"),  # not in the offline list
        ({}, "Draft started 9:41 AM"),
        ({"zipcode": "95630", "home_name": "Garcia residence"}, "Garcia residence"),
    ],
)
def test_a_draft_without_a_name_is_named_by_where_and_when_it_was_started(
    installer: User, fields: dict[str, str], name: str
) -> None:
    today = timezone.localtime().replace(hour=9, minute=41, second=0, microsecond=0)
    onboarding = _started(factories.onboarding(installer, through="none", **fields), today)
    assert str(onboarding) == name


def test_a_draft_started_another_day_says_which(installer: User) -> None:
    earlier = timezone.localtime().replace(hour=9, minute=41) - timedelta(days=3)
    onboarding = _started(factories.onboarding(installer, through="none"), earlier)
    assert str(onboarding) == f"Draft started {earlier:%-d %b}, 9:41 AM"


def test_the_dashboard_tells_unnamed_drafts_apart(installer_client: Client, installer: User):
    factories.onboarding(installer, through="none", zipcode="95630")
    factories.onboarding(installer, through="none", zipcode="02139")
    page = installer_client.get("/").content.decode()
    assert "Draft – Folsom, CA 95630, started" in page
    assert "Draft – Cambridge, MA 02139, started" in page
    assert "Unnamed home" not in page


@pytest.mark.parametrize(
    ("status", "has_solar", "solar"),
    [
        ("draft", True, "pending"),
        ("submitting", True, "pending"),
        ("home_created", True, "failed"),
        ("complete", True, "added"),
        ("complete", False, "not_needed"),
        ("draft", None, "not_needed"),
    ],
)
def test_solar_status_is_read_off_the_status(
    installer: User, status: str, has_solar: bool | None, solar: str
) -> None:
    onboarding = factories.onboarding(installer, status=status, has_solar=has_solar)
    assert onboarding.solar_status == solar
