"""Keeping `search_text` true when an installer is renamed: their names are part of it."""

from typing import Any

from django.contrib.auth.models import User

from onboarding.wizard.models import OWNER_SEARCH_INPUTS, SEARCH_INPUTS, Onboarding, search_key
from onboarding.wizard.selectors.pages import in_chunks

CHUNK = 2_000


def rewrite_for_owner(owner: User) -> int:
    """Rewrite the search text of `owner`'s onboardings that do not hold their names as they
    are now, a chunk at a time; how many were rewritten. Nothing else of a row changes (not
    `updated_at`: a rename is no change to the onboarding)."""
    names = [getattr(owner, name) for name in OWNER_SEARCH_INPUTS]
    rewritten = 0
    for chunk in in_chunks(
        Onboarding.objects.filter(owner=owner), *SEARCH_INPUTS, "search_text", size=CHUNK
    ):
        stale = [
            Onboarding(pk=row["pk"], search_text=text)
            for row in chunk
            if (text := search_key(*(row[name] for name in SEARCH_INPUTS), *names))
            != row["search_text"]
        ]
        Onboarding.objects.bulk_update(stale, ["search_text"])
        rewritten += len(stale)
    return rewritten


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
