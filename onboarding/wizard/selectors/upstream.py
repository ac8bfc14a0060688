"""Cached reads from WattShift: a ZIP code's utilities, a home's price signal, and looking
for an onboarding's home in homes/list."""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NoReturn

from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.wattshift import client as wattshift_client
from onboarding.wattshift.errors import WattShiftError
from onboarding.wattshift.types import Home, PriceSignal, Utility
from onboarding.wizard.models import Onboarding
from onboarding.wizard.rate_limits import (
    AskedToWait,
    refuse_until,
    refuse_while_asked_to_wait,
    wait_asked,
)

UTILITIES_CACHE_KEY = "wattshift:utilities:v2:{zipcode}:{order}"
PRICE_SIGNAL_CACHE_KEY = "wizard:price_signal:{home_id}"
PRICE_SIGNAL_CACHE_SECONDS = 300
HOMES_CACHE_KEY = "wattshift:homes:list"
# Brief: a check must see a home created moments ago (the grace period is measured from the
# moment the list was asked for, kept with it).
HOMES_CACHE_SECONDS = 10
# Until when WattShift asked that homes/list not be asked again (its RATE_LIMITED answer).
HOMES_WAIT_KEY = "wattshift:homes:list:wait"
# A lookup that just failed is remembered this long: the next click shows the failure at once
# instead of silently waiting on WattShift again; "Try again" asks afresh, unless WattShift
# asked to wait (a rate limit): then not before the time it gave.
LOOKUP_FAILURE_SECONDS = 60
LOOKUP_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class LookupFailed:
    """What the cache holds for a ZIP code whose lookup just failed; `not_before` when
    WattShift asked not to be asked again before then."""

    message: str
    not_before: datetime | None = None

    def refuse(self) -> None:
        """Raise AskedToWait while WattShift's wait for this lookup runs."""
        refuse_until(self.not_before)

    def raise_it(self) -> NoReturn:
        self.refuse()
        raise RememberedFailure(self.message)


class RememberedFailure(WattShiftError):
    """The lookup failed moments ago (LOOKUP_FAILURE_SECONDS); it is not repeated unasked."""


def utilities_for_zip(
    zipcode: str, *, solar_first: bool = False, fresh: bool = False
) -> list[Utility]:
    """The utilities serving a ZIP code, one upstream call per ZIP per cache window.

    The cache is shared by every user and worker. Single flight: when the ZIP preview and
    Continue ask at once, one asks WattShift and the other waits for its answer, or its
    failure. A failure is remembered briefly and raised again at once, unless `fresh` (the
    person pressed "Try again"); a rate limit is, even then, until the time WattShift gave
    (AskedToWait). `solar_first` asks for the plans that suit solar homes first.
    Raises WattShiftError when the upstream cannot answer.
    """
    key = UTILITIES_CACHE_KEY.format(zipcode=zipcode, order="solar" if solar_first else "usual")
    if fresh:
        # Not even "Try again" asks while WattShift's wait for this lookup runs.
        if isinstance(cached := cache.get(key), LookupFailed):
            cached.refuse()
    elif (found := _remembered(key)) is not None:
        return found
    lock = f"{key}:lookup"
    if not cache.add(lock, True, timeout=settings.WS_LOOKUP_DEADLINE + 5):
        found = _wait_for_other_lookup(key, lock)
        if found is not None:
            return found
    elif not fresh and (found := _remembered(key)) is not None:
        # Another lookup finished between the first read and taking the lock.
        cache.delete(lock)
        return found
    try:
        utilities = wattshift_client.get_client().utilities_for_zip(
            zipcode, solar_first=solar_first
        )
    except WattShiftError as error:
        remembered = max(LOOKUP_FAILURE_SECONDS, error.retry_after or 0)
        cache.set(key, LookupFailed(error.message, not_before=wait_asked(error)), remembered)
        raise
    else:
        cache.set(key, tuple(utilities), settings.WS_UTILITY_CACHE_SECONDS)
        caches["local"].set(key, tuple(utilities))
    finally:
        cache.delete(lock)
    return list(utilities)


def cached_utilities_for_zip(zipcode: str) -> list[Utility] | None:
    """The utilities for a ZIP code if already looked up, without asking the upstream."""
    key = UTILITIES_CACHE_KEY.format(zipcode=zipcode, order="usual")
    try:
        return _remembered(key)
    except (RememberedFailure, AskedToWait):
        return None


def _remembered(key: str) -> list[Utility] | None:
    """The cached answer (this process's copy first); a remembered failure is raised; None if
    nothing is known."""
    local = caches["local"]
    cached = local.get(key)
    if cached is None:
        cached = cache.get(key)
        if isinstance(cached, tuple):
            local.set(key, cached)
    if isinstance(cached, LookupFailed):
        cached.raise_it()
    return None if cached is None else list(cached)


def _wait_for_other_lookup(key: str, lock: str) -> list[Utility] | None:
    """The other lookup's answer (or its failure, raised), or None if it vanished."""
    deadline = time.monotonic() + settings.WS_LOOKUP_DEADLINE
    while time.monotonic() < deadline:
        time.sleep(LOOKUP_POLL_SECONDS)
        found = _remembered(key)
        if found is not None:
            return found
        if cache.get(lock) is None:
            # Released: the answer was stored just before (read it), or the lookup vanished.
            return _remembered(key)
    return None


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


def forget_price_signal(home_id: str) -> None:
    """Drop a home's cached prices: its plan or solar changed, so the next view asks again."""
    cache.delete(PRICE_SIGNAL_CACHE_KEY.format(home_id=home_id))


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


def listed_homes(
    *, fresh: bool = False, not_before: datetime | None = None
) -> tuple[datetime, tuple[Home, ...]]:
    """WattShift's list of homes and when it was asked for, cached briefly and shared by every
    worker: checks of several onboardings, and support's page, ask once; `fresh` when a person
    asked to check now. A cached list asked for before `not_before` is not used: it cannot
    prove what a check needs. Raises WattShiftError."""
    cached = None if fresh else cache.get(HOMES_CACHE_KEY)
    if cached is not None and (not_before is None or cached[0] >= not_before):
        return cached
    # One list for the whole account: after a rate limit, every check and page waits.
    refuse_until(cache.get(HOMES_WAIT_KEY))
    # Taken before sending: the list shows at least everything created by this moment.
    requested_at = timezone.now()
    try:
        listed = (requested_at, tuple(wattshift_client.get_client().list_homes()))
    except WattShiftError as error:
        if (until := wait_asked(error)) is not None:
            cache.set(HOMES_WAIT_KEY, until, int((until - requested_at).total_seconds()) + 1)
        raise
    cache.set(HOMES_CACHE_KEY, listed, HOMES_CACHE_SECONDS)
    return listed


def find_homes(
    *, onboarding: Onboarding, fresh: bool = False, not_before: datetime | None = None
) -> HomeSearch:
    """Look for this onboarding's home in homes/list (one asked for at `not_before` or later).
    Raises WattShiftError; AskedToWait, asking nothing, while a wait WattShift asked for runs."""
    refuse_while_asked_to_wait(onboarding)
    requested_at, homes = listed_homes(fresh=fresh, not_before=not_before)
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
    """Homes with this onboarding's name, ZIP and rate plan that no other onboarding owns.

    Only the matches' ids are looked up among the recorded ones: one indexed query."""
    name = onboarding.home_name.strip().casefold()
    matches = [
        home
        for home in homes
        if home.name.strip().casefold() == name
        and home.zipcode == onboarding.zipcode
        and home.rate_plan_id == onboarding.rate_plan_id
    ]
    if not matches:
        return []
    taken = set(
        Onboarding.objects.exclude(pk=onboarding.pk)
        .filter(home_id__in=[home.id for home in matches])
        .values_list("home_id", flat=True)
    )
    return [home for home in matches if home.id not in taken]


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
        search = find_homes(onboarding=onboarding, fresh=True)
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
