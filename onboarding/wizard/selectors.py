"""Read queries: which onboardings a person may see, search, the cached upstream reads
(utilities for a ZIP code, a home's price signal), and looking for a home in homes/list."""

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Replace
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.accounts.roles import is_support
from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.errors import WattShiftError
from onboarding.wattshift.types import Home, PriceSignal, Utility
from onboarding.wizard.models import Onboarding

UTILITIES_CACHE_KEY = "wattshift:utilities:v1:{zipcode}"
PRICE_SIGNAL_CACHE_KEY = "wizard:price_signal:{home_id}"
PRICE_SIGNAL_CACHE_SECONDS = 300
LOOKUP_POLL_SECONDS = 0.05


def onboardings_visible_to(user: User | AnonymousUser) -> QuerySet[Onboarding]:
    """Support staff see every onboarding; installers see their own."""
    onboardings = Onboarding.objects.select_related("owner")
    if is_support(user):
        return onboardings.all()
    if not user.is_authenticated:
        return onboardings.none()
    return onboardings.filter(owner=user)


def get_onboarding_for(user: User | AnonymousUser, public_id: UUID | str) -> Onboarding:
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


def price_signal(home_id: str) -> tuple[PriceSignal, bool]:
    """A home's next 24 hours of prices, cached briefly per home, and whether this call fetched
    it (False: from the cache). Failures are not cached. Raises WattShiftError."""
    key = PRICE_SIGNAL_CACHE_KEY.format(home_id=home_id)
    signal = cache.get(key)
    if signal is not None:
        return signal, False
    signal = wattshift_client.get_client().price_signal(home_id)
    cache.set(key, signal, PRICE_SIGNAL_CACHE_SECONDS)
    return signal, True


# Looking for an onboarding's home in WattShift's list of homes.


@dataclass(frozen=True)
class HomeSearch:
    """What WattShift's list of homes shows for one onboarding."""

    # Same name, ZIP code and rate plan, and not recorded on another onboarding.
    candidates: list[Home]
    # Same name or same ZIP code: for support to look through.
    near: list[Home]
    requested_at: datetime
    homes: tuple[Home, ...] = field(default=(), repr=False)

    def home_with_id(self, home_id: str) -> Home | None:
        return next((home for home in self.homes if home.id == home_id), None)


def find_homes(*, onboarding: Onboarding) -> HomeSearch:
    """Look for this onboarding's home in homes/list. Raises WattShiftError."""
    # Taken before sending: the list shows at least everything created by this moment.
    requested_at = timezone.now()
    homes = wattshift_client.get_client().list_homes()
    candidates = _matching_homes(onboarding=onboarding, homes=homes)
    name = onboarding.home_name.strip().casefold()
    near = [
        home
        for home in homes
        if home not in candidates
        and (home.zipcode == onboarding.zipcode or home.name.strip().casefold() == name)
    ][:50]
    return HomeSearch(
        candidates=candidates, near=near, requested_at=requested_at, homes=tuple(homes)
    )


def _matching_homes(*, onboarding: Onboarding, homes: Iterable[Home]) -> list[Home]:
    """Homes with this onboarding's name, ZIP and rate plan that no other onboarding owns."""
    name = onboarding.home_name.strip().casefold()
    taken = set(
        Onboarding.objects.exclude(pk=onboarding.pk)
        .exclude(home_id="")
        .values_list("home_id", flat=True)
    )
    return [
        home
        for home in homes
        if home.name.strip().casefold() == name
        and home.zipcode == onboarding.zipcode
        and home.rate_plan_id == onboarding.rate_plan_id
        and home.id not in taken
    ]


@dataclass(frozen=True)
class Difference:
    """One detail WattShift lists differently for a home than this onboarding has it."""

    label: str
    onboarding_value: str
    wattshift_value: str


@dataclass(frozen=True)
class HomeIdCheck:
    """What WattShift's list of homes says about a home id support wants to record."""

    home_id: str
    # None when homes/list could not be fetched; then nothing is known about the id.
    search: HomeSearch | None
    list_error: str = ""
    home: Home | None = None
    differences: tuple[Difference, ...] = ()

    @property
    def listed(self) -> bool:
        return self.search is not None

    @property
    def found(self) -> bool:
        return self.home is not None


def check_home_id(*, onboarding: Onboarding, home_id: str) -> HomeIdCheck:
    """Look the id up in homes/list and compare the home's name, ZIP code and plan with ours.

    A failing list is an answer too (listed is False), not an exception: support decides.
    """
    home_id = home_id.strip()
    try:
        search = find_homes(onboarding=onboarding)
    except WattShiftError as error:
        return HomeIdCheck(home_id=home_id, search=None, list_error=error.message)
    home = search.home_with_id(home_id)
    if home is None:
        return HomeIdCheck(home_id=home_id, search=search)
    return HomeIdCheck(
        home_id=home_id,
        search=search,
        home=home,
        differences=home_differences(onboarding=onboarding, home=home),
    )


def home_differences(*, onboarding: Onboarding, home: Home) -> tuple[Difference, ...]:
    """Name, ZIP code and rate plan where the listed home differs; a missing value differs."""
    not_listed = _("Not listed")
    plan = onboarding.rate_plan_id
    if onboarding.rate_plan_name:
        plan = f"{onboarding.rate_plan_name} ({onboarding.rate_plan_id})"
    compared = [
        (
            _("Name"),
            onboarding.home_name.strip(),
            home.name.strip(),
            onboarding.home_name.strip().casefold() == home.name.strip().casefold(),
        ),
        (_("ZIP code"), onboarding.zipcode, home.zipcode, onboarding.zipcode == home.zipcode),
        (_("Rate plan"), plan, home.rate_plan_id, onboarding.rate_plan_id == home.rate_plan_id),
    ]
    return tuple(
        Difference(label=label, onboarding_value=ours, wattshift_value=theirs or not_listed)
        for label, ours, theirs, same in compared
        if not same
    )
