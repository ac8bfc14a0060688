"""Starting and discarding drafts (services/drafts.py), without the pages around them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import drafts
from tests.wizard import factories

# Each field that makes a draft no longer blank (every answer, a home id, an error), with a value.
NOT_BLANK: dict[str, dict[str, object]] = {
    name: {name: value} for name, value in factories.answers().items()
} | {
    "rate_plan_rate_id": {"rate_plan_rate_id": "PGE-E-6"},  # the canonical answer leaves it empty
    "plan_to_confirm": {"plan_to_confirm": True},  # the canonical plan is known
    "ac_type": {"has_ac": "yes", "ac_type": "central"},  # the database wants AC for an AC type
    "home_id": {"home_id": "ws_home_1"},
    "last_error": {"last_error": "Could not reach the WattShift service."},
}


def test_start_onboarding_hands_back_the_owners_newest_blank_draft(
    installer: User, other_installer: User
) -> None:
    factories.onboarding(other_installer, through="none")
    older = factories.onboarding(installer, through="none")
    newer = factories.onboarding(installer, through="none")
    Onboarding.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    assert drafts.start_onboarding(owner=installer) == newer
    assert Onboarding.objects.count() == 3


def test_start_onboarding_without_a_blank_draft_creates_one(installer: User) -> None:
    started = drafts.start_onboarding(owner=installer)

    assert started.owner == installer
    assert started.status == Onboarding.Status.DRAFT
    assert Onboarding.objects.get() == started


@pytest.mark.parametrize("fields", NOT_BLANK.values(), ids=NOT_BLANK)
def test_a_draft_with_anything_on_it_is_not_handed_out_again(
    installer: User, fields: dict[str, object]
) -> None:
    answered = factories.onboarding(installer, through="none", **fields)

    started = drafts.start_onboarding(owner=installer)

    assert started != answered
    assert Onboarding.objects.filter(owner=installer).count() == 2


def test_a_blank_onboarding_being_sent_is_not_handed_out_again(installer: User) -> None:
    sending = factories.onboarding(installer, through="none", status=Onboarding.Status.SUBMITTING)

    assert drafts.start_onboarding(owner=installer) != sending


def test_discard_draft_deletes_a_draft_never_sent(installer: User) -> None:
    draft = factories.onboarding(installer)

    assert drafts.discard_draft(onboarding=draft) is True
    assert not Onboarding.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    ("status", "home_id"),
    [
        ("submitting", ""),
        ("needs_attention", ""),
        ("home_created", "ws_home_2"),
        ("complete", "ws_home_1"),
        ("draft", "ws_home_3"),  # back to draft with a home id (adopted): still sent
    ],
)
def test_discard_draft_refuses_an_onboarding_sent_since_it_was_loaded(
    installer: User, status: str, home_id: str
) -> None:
    loaded = factories.onboarding(installer)
    Onboarding.objects.filter(pk=loaded.pk).update(status=status, home_id=home_id)

    assert drafts.discard_draft(onboarding=loaded) is False
    assert Onboarding.objects.filter(pk=loaded.pk).exists()


def test_discard_draft_of_a_draft_already_gone_says_so(installer: User) -> None:
    loaded = factories.onboarding(installer, through="none")
    Onboarding.objects.filter(pk=loaded.pk).delete()

    assert drafts.discard_draft(onboarding=loaded) is False
