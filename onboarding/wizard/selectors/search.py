"""Finding onboardings: every word typed must match somewhere, and the dashboard's filters.

A word matches the home (its name, ZIP code or home id) or its installer (username, first or last
name), all through `search_text`, or the onboarding's reference (a hex fragment of its public id).
Each filter is a condition in the database. The list is newest change first, or newest started
first when it is narrowed to when they were started (Filters.order).
"""

import functools
import operator
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Replace
from django.db.models.lookups import Contains
from django.utils import timezone

from onboarding.wizard.models import Onboarding, search_key
from onboarding.wizard.selectors.pages import CHANGED, STARTED

# Shorter hex fragments would match the random public ids of too many onboardings.
MIN_PUBLIC_ID_FRAGMENT = 6
# Each word is one more condition: a pasted paragraph must not become a thousand of them.
MAX_WORDS = 10
_HEX_FRAGMENT = re.compile(r"[0-9a-f]+")
# The public id as hex without hyphens, as the trigram index on it (the wizard's migration)
# spells it; SQLite stores the hex already.
PUBLIC_HEX = Replace(Cast("public_id", CharField()), Value("-"), Value(""))


@dataclass(frozen=True)
class Filters:
    """What the dashboard narrows its list to; the defaults narrow nothing."""

    query: str = ""
    status: str = ""
    owner_id: int | None = None
    plan_to_confirm: bool = False
    created_from: date | None = None
    created_to: date | None = None

    def __bool__(self) -> bool:
        return self != Filters()

    @property
    def order(self) -> str:
        """What the list is in order of (pages.CHANGED or STARTED, newest first): when they
        were started if the list is narrowed to that, so one index serves the range and the
        order (in order of change, a range of days means reading all of them)."""
        return STARTED if self.created_from or self.created_to else CHANGED


def people_with_onboardings() -> list[tuple[int, str, str, str]]:
    """Everyone who owns an onboarding, by username: support's installer filter, as (id,
    username, first name, last name). Every view of support's dashboard asks for them."""
    sql, params = _people_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@functools.cache
def _people_sql(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The query, written by the ORM once per database kind (it takes no parameters): building
    it costs more than running it (as accounts.roles does for each request's user)."""
    owns = Onboarding.objects.filter(owner=OuterRef("pk"))
    people = (
        User.objects.filter(Exists(owns))
        .order_by("username")
        .values_list("pk", "username", "first_name", "last_name")
    )
    sql, params = people.query.sql_with_params()
    return sql, tuple(params)


def search_onboardings(
    onboardings: QuerySet[Onboarding], *, filters: Filters
) -> QuerySet[Onboarding]:
    """Narrow a list to the onboardings every word of `filters.query` matches and every other
    filter allows.

    A word matches, ignoring case, accents and punctuation, when it is part of the home's name,
    ZIP code or home id, or of the username, first or last name of its installer (all of them
    in `search_text`, as search_key writes them: a database cannot drop accents on every
    database), or when it is 6 or more hex digits of the onboarding's reference (hyphens
    ignored).
    """
    for word in _words(filters.query):
        onboardings = onboardings.filter(_matches(word))
    if filters.status in Onboarding.Status.values:
        onboardings = onboardings.filter(status=filters.status)
    if filters.owner_id is not None:
        onboardings = onboardings.filter(owner_id=filters.owner_id)
    if filters.plan_to_confirm:
        onboardings = onboardings.filter(plan_to_confirm=True)
    if filters.created_from is not None:
        onboardings = onboardings.filter(created_at__gte=_start_of(filters.created_from))
    if filters.created_to is not None:
        onboardings = onboardings.filter(
            created_at__lt=_start_of(filters.created_to + timedelta(days=1))
        )
    return onboardings


def _words(query: str) -> list[str]:
    """The words typed, as typed (a pasted reference keeps its hyphens), each once; punctuation
    alone is not a word."""
    words = [word for word in query.split() if search_key(word) or _public_fragment(word)]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _public_fragment(word: str) -> str:
    """The word as part of a public id (hex, hyphens ignored), or "" if it cannot be one."""
    fragment = word.lower().replace("-", "")
    if len(fragment) >= MIN_PUBLIC_ID_FRAGMENT and _HEX_FRAGMENT.fullmatch(fragment):
        return fragment
    return ""


def _matches(word: str) -> Q:
    matches: list[Q] = []
    if key := search_key(word):
        # search_text is already lower case: a plain contains is what the trigram index serves.
        matches.append(Q(search_text__contains=key))
    if fragment := _public_fragment(word):
        matches.append(Q(Contains(PUBLIC_HEX, fragment)))
    return reduce(operator.or_, matches)


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the site's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
