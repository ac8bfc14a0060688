"""What the last look in WattShift's list of homes found for an onboarding, read from its
history: support's resolve page shows it without asking WattShift (a page view is not a check).

A check writes what it found (the matching and near homes, a few of each) into the params of
its own `homes/list` event, so the page reads it from the history it shows anyway.
"""

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from onboarding.wattshift.types import Home
from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.selectors.upstream import HomeIdCheck, HomeSearch
from onboarding.wizard.services.history import Action, Outcome

# Enough for support to choose from, and an event stays small however long WattShift's list.
KEPT_HOMES = 20
_HOME_FIELDS = tuple(f.name for f in dataclasses.fields(Home))


@dataclasses.dataclass(frozen=True)
class FoundHomes:
    """The homes one look in homes/list found for an onboarding, and when it looked;
    `list_error` when the list could not be fetched."""

    at: datetime
    # Same name, ZIP code and rate plan, and not recorded on another onboarding then.
    candidates: list[Home]
    # Same name or same ZIP code: for support to look through.
    near: list[Home]
    list_error: str = ""

    @property
    def today(self) -> bool:
        """Looked today, local time: the page then gives the time alone."""
        return timezone.localdate(self.at) == timezone.localdate()


def kept_homes(search: HomeSearch) -> dict[str, list[dict[str, str]]]:
    """The candidates and near homes to keep in the check's event: at most KEPT_HOMES in all,
    the candidates first."""
    candidates = search.candidates[:KEPT_HOMES]
    near = search.near[: KEPT_HOMES - len(candidates)]
    return {
        "candidates": [dataclasses.asdict(home) for home in candidates],
        "near": [dataclasses.asdict(home) for home in near],
    }


def homes_to_show(
    *, onboarding: Onboarding, events: Iterable[Event], checked: HomeIdCheck | None = None
) -> FoundHomes | None:
    """The homes in homes/list like this one that support's page shows: from a home id just
    checked against the list (Record this home id), else as the last check found them; None
    when it needs no attention or no check kept them. Never asks WattShift."""
    if onboarding.status != Onboarding.Status.NEEDS_ATTENTION:
        return None
    if checked is not None and checked.search is None:
        return FoundHomes(at=timezone.now(), candidates=[], near=[], list_error=checked.list_error)
    if checked is not None and checked.search is not None:
        search = checked.search
        return FoundHomes(at=search.requested_at, candidates=search.candidates, near=search.near)
    return last_found(events)


def last_found(events: Iterable[Event]) -> FoundHomes | None:
    """What the latest look in homes/list among an onboarding's events (in history order)
    found since its latest create; None if none did (a look before that create speaks of an
    earlier one), or none kept what it found (a check from before they kept it)."""
    last = None
    for event in events:
        if event.action == Action.LIST_HOMES:
            last = event
        elif event.action == Action.CREATE_HOME:
            last = None
    if last is None:
        return None
    params = last.params or {}
    if last.outcome != Outcome.SUCCEEDED:
        return FoundHomes(
            at=last.at, candidates=[], near=[], list_error=params.get("message") or last.detail
        )
    if "candidates" not in params:
        return None
    return FoundHomes(
        at=last.at,
        candidates=_homes(params["candidates"]),
        near=_homes(params.get("near", [])),
    )


def _homes(kept: list[dict[str, Any]]) -> list[Home]:
    return [Home(**{name: str(home.get(name, "")) for name in _HOME_FIELDS}) for home in kept]
