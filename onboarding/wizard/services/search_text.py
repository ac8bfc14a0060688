"""Keeping `search_text` true when an installer is renamed: their names are part of it."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from onboarding.wizard.models import OWNER_SEARCH_INPUTS, SEARCH_INPUTS, Onboarding, search_text_of

CHUNK = 2_000


def rewrite_for_owner(owner: User) -> int:
    """Rewrite the search text of `owner`'s onboardings that do not hold their names as they
    are now, a chunk at a time; how many were rewritten. Nothing else of a row changes (not
    `updated_at`: a rename is no change to the onboarding).

    Each chunk is read with its rows locked (on PostgreSQL) until it is written, so a step
    saved meanwhile waits, and its home's new words are not overwritten with the old ones."""
    rows = Onboarding.objects.filter(owner=owner).order_by("-pk")
    rewritten, below = 0, None
    while True:
        with transaction.atomic():
            unread = rows if below is None else rows.filter(pk__lt=below)
            chunk = list(
                unread.select_for_update().values("pk", *SEARCH_INPUTS, "search_text")[:CHUNK]
            )
            stale = [
                Onboarding(pk=row["pk"], search_text=text)
                for row in chunk
                if (text := search_text_of([row[name] for name in SEARCH_INPUTS], owner))
                != row["search_text"]
            ]
            Onboarding.objects.bulk_update(stale, ["search_text"])
        rewritten += len(stale)
        if len(chunk) < CHUNK:
            return rewritten
        below = chunk[-1]["pk"]


def rewrite_all() -> int:
    """rewrite_for_owner for everyone who owns an onboarding: after a deploy (rows written by
    servers still running the code from before the names were in the search text) or to repair
    a row written with someone's old names while they were renamed."""
    owners = User.objects.filter(pk__in=Onboarding.objects.values("owner_id"))
    return sum(rewrite_for_owner(owner) for owner in owners)


def owner_saved(
    sender: type[User], instance: User, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    """post_save of a User: a rename rewrites their onboardings' search text. A save that names
    its fields and none of the names (a login's `last_login`) costs nothing."""
    if created:
        return
    if update_fields is not None and not set(update_fields) & set(OWNER_SEARCH_INPUTS):
        return
    rewrite_for_owner(instance)
