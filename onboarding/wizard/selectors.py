"""Read queries: which onboardings a person may see, search, and the cached utility lookup."""

import re
import time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Replace
from django.http import Http404

from onboarding.accounts.roles import is_support
from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.types import Utility
from onboarding.wizard.models import APPLIANCE_COLUMNS, Onboarding

UTILITIES_CACHE_KEY = "wattshift:utilities:v1:{zipcode}"
LOOKUP_POLL_SECONDS = 0.05


def onboardings_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Onboarding]:
    """Support staff see every onboarding; installers see their own."""
    onboardings = Onboarding.objects.select_related("owner")
    if is_support(user):
        return onboardings.all()
    if not user.is_authenticated:
        return onboardings.none()
    return onboardings.filter(owner=user)


def get_onboarding_for(user: AbstractBaseUser | AnonymousUser, public_id: object) -> Onboarding:
    """The onboarding if this person may see it; 404 otherwise, so its existence is not leaked."""
    try:
        return onboardings_visible_to(user).get(public_id=public_id)
    except Onboarding.DoesNotExist:
        raise Http404("No such onboarding.") from None


# Shorter hex fragments would match the random public ids of too many onboardings.
MIN_PUBLIC_ID_FRAGMENT = 6
_HEX_FRAGMENT = re.compile(r"[0-9a-f]+")


def search_onboardings(
    onboardings: QuerySet[Onboarding], *, query: str = "", status: str = ""
) -> QuerySet[Onboarding]:
    """Narrow a list by home name, ZIP code, home id or onboarding id (any part), and by status.

    Names match whatever the case (on SQLite, for ASCII letters only). Ids match any part, so
    "ws_home_2bf1" or a piece of the onboarding's address ("2bf116590a1a") finds it.
    """
    query = query.strip()
    if query:
        matches = (
            Q(home_name__icontains=query)
            | Q(zipcode__startswith=query)
            | Q(home_id__icontains=query)
        )
        fragment = query.lower().replace("-", "")
        if len(fragment) >= MIN_PUBLIC_ID_FRAGMENT and _HEX_FRAGMENT.fullmatch(fragment):
            # As text without hyphens on every database: PostgreSQL's uuid text has them.
            onboardings = onboardings.annotate(
                public_hex=Replace(Cast("public_id", CharField()), Value("-"), Value(""))
            )
            matches |= Q(public_hex__contains=fragment)
        onboardings = onboardings.filter(matches)
    if status in Onboarding.Status.values:
        onboardings = onboardings.filter(status=status)
    return onboardings


# The answer columns of a draft nobody has answered anything on yet.
UNANSWERED = {
    **{name: "" for name in ("zipcode", "utility_id", "rate_plan_id", "home_name", "ac_type")},
    **dict.fromkeys(APPLIANCE_COLUMNS, ""),
    "has_solar__isnull": True,
    "solar_size_kw__isnull": True,
    "solar_net_metered__isnull": True,
    "home_id": "",
    "last_error": "",
}


def blank_draft_of(user: AbstractBaseUser) -> Onboarding | None:
    """This person's newest draft with no answer at all, to reuse instead of starting another."""
    return (
        Onboarding.objects.filter(owner=user, status=Onboarding.Status.DRAFT, **UNANSWERED)
        .order_by("-updated_at", "-pk")
        .first()
    )


def is_discardable(onboarding: Onboarding) -> bool:
    """A draft never sent to WattShift (no home id) may be thrown away."""
    return onboarding.is_draft and not onboarding.home_id


def utilities_for_zip(zipcode: str) -> list[Utility]:
    """The utilities serving a ZIP code, one upstream call per ZIP per cache window.

    The cache is shared by every user and worker; failures are not cached, so a retry asks again.
    Raises WattShiftError when the upstream cannot answer.
    """
    key = UTILITIES_CACHE_KEY.format(zipcode=zipcode)
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    # Single flight: the ZIP preview and Continue often ask at once; one of them asks upstream.
    lock = f"{key}:lookup"
    if not cache.add(lock, True, timeout=settings.WS_API_TIMEOUT + 5):
        cached = _wait_for_other_lookup(key, lock)
        if cached is not None:
            return list(cached)
    try:
        utilities = wattshift_client.get_client().utilities_for_zip(zipcode)
        cache.set(key, tuple(utilities), settings.WS_UTILITY_CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return list(utilities)


def _wait_for_other_lookup(key: str, lock: str) -> tuple[Utility, ...] | None:
    """The other lookup's answer, or None once it has given up (its failure is not cached)."""
    deadline = time.monotonic() + settings.WS_API_TIMEOUT
    while time.monotonic() < deadline:
        time.sleep(LOOKUP_POLL_SECONDS)
        cached = cache.get(key)
        if cached is not None or cache.get(lock) is None:
            return cached
    return None


def cached_utilities_for_zip(zipcode: str) -> list[Utility] | None:
    """The utilities for a ZIP code if already looked up, without asking the upstream."""
    cached = cache.get(UTILITIES_CACHE_KEY.format(zipcode=zipcode))
    return None if cached is None else list(cached)


def likely_duplicates(onboarding: Onboarding) -> QuerySet[Onboarding]:
    """Other onboardings for a home with the same name (ignoring case) and ZIP code."""
    if not onboarding.home_name.strip() or not onboarding.zipcode:
        return Onboarding.objects.none()
    return (
        Onboarding.objects.filter(
            home_name__iexact=onboarding.home_name.strip(), zipcode=onboarding.zipcode
        )
        .exclude(pk=onboarding.pk)
        .select_related("owner")
    )
