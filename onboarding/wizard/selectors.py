"""Read queries: which onboardings a person may see, and the cached utility lookup."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404

from onboarding.accounts.roles import is_support
from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.types import Utility
from onboarding.wizard.models import Onboarding

UTILITIES_CACHE_KEY = "wattshift:utilities:v1:{zipcode}"


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


def search_onboardings(
    onboardings: QuerySet[Onboarding], *, query: str = "", status: str = ""
) -> QuerySet[Onboarding]:
    """Narrow a list by home name, ZIP code or home id, and by status."""
    query = query.strip()
    if query:
        onboardings = onboardings.filter(
            Q(home_name__icontains=query) | Q(zipcode__startswith=query) | Q(home_id__iexact=query)
        )
    if status in Onboarding.Status.values:
        onboardings = onboardings.filter(status=status)
    return onboardings


def utilities_for_zip(zipcode: str) -> list[Utility]:
    """The utilities serving a ZIP code, one upstream call per ZIP per cache window.

    The cache is shared by every user and worker; failures are not cached, so a retry asks again.
    Raises WattShiftError when the upstream cannot answer.
    """
    key = UTILITIES_CACHE_KEY.format(zipcode=zipcode)
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    utilities = wattshift_client.get_client().utilities_for_zip(zipcode)
    cache.set(key, tuple(utilities), settings.WS_UTILITY_CACHE_SECONDS)
    return list(utilities)


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
