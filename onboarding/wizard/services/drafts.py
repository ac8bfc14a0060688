"""Starting and discarding drafts."""

from django.contrib.auth.models import User
from django.db import transaction

from onboarding.wizard import selectors, steps
from onboarding.wizard.models import Onboarding


def start_onboarding(*, owner: User) -> Onboarding:
    """A new draft, or this person's newest untouched one: a second click, or Start after
    Back, picks that up instead of piling up empty drafts."""
    blank = (
        Onboarding.objects.filter(
            steps.blank_draft_filter(), owner=owner, status=Onboarding.Status.DRAFT
        )
        .order_by("-updated_at", "-pk")
        .first()
    )
    return blank or Onboarding.objects.create(owner=owner)


def discard_draft(*, onboarding: Onboarding) -> bool:
    """Delete a draft never sent to WattShift. False if a submission claimed it meanwhile."""
    with transaction.atomic():
        current = Onboarding.objects.select_for_update().filter(pk=onboarding.pk).first()
        if current is None or not selectors.is_discardable(current):
            return False
        current.delete()
    return True
