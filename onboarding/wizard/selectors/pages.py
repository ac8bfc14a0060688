"""Pages of a list in its order, at any size: newest change first (updated_at, then id), or
newest started first (created_at, then id) when the list is narrowed to when they were started.

A page is found by where the previous one ended (keyset pagination): the next page is the rows
after the last row's (moment, id), a walk down the list's index from there, however deep the
page. Rows are counted only up to COUNT_LIMIT ("Page 3 of more than 50"), so no request
counts or skips the whole table. `?page=N` still works for the first pages.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import ceil
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from onboarding.wizard.models import Onboarding

PAGE_SIZE = 20
# Rows counted at most: beyond this the page count is "more than COUNT_LIMIT / PAGE_SIZE".
COUNT_LIMIT = 1_000
# A search by words is counted only this far ("Page 1 of more than 5"): a search is for finding
# one, and past 100 matches the person narrows it rather than pages through. Counting a word
# many rows contain means reading those rows until the bound: ten times fewer here.
SEARCH_COUNT_LIMIT = 100
# What with_list_count calls the count each row of a page carries.
_LIST_COUNT = "list_count"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# The moments a list can be in order of, newest first: its rows' last change, or their start.
CHANGED, STARTED = "updated_at", "created_at"


@dataclass(frozen=True)
class Cursor:
    """A place in the list: just after (`forward`) or just before a row (its moment in the
    list's order, and its id), and the number of the page it leads to. Written into links as
    text ("n3.1764653261123456.42")."""

    forward: bool
    number: int
    at: datetime
    pk: int

    def __str__(self) -> str:
        micros = (self.at - _EPOCH) // _MICROSECOND
        return f"{'n' if self.forward else 'p'}{self.number}.{micros}.{self.pk}"

    @classmethod
    def parse(cls, text: str) -> "Cursor | None":
        """The cursor a link carried; None for anything else (an old link, a hand-edited URL)."""
        try:
            number, micros, pk = text[1:].split(".")
            return cls(
                forward={"n": True, "p": False}[text[0]],
                number=max(int(number), 1),
                at=_EPOCH + int(micros) * _MICROSECOND,
                pk=int(pk),
            )
        except (KeyError, IndexError, ValueError, OverflowError):
            return None

    @classmethod
    def after(cls, row: Onboarding, number: int, by: str = CHANGED) -> "Cursor":
        return cls(forward=True, number=number, at=getattr(row, by), pk=row.pk)

    @classmethod
    def before(cls, row: Onboarding, number: int, by: str = CHANGED) -> "Cursor":
        return cls(forward=False, number=number, at=getattr(row, by), pk=row.pk)


@dataclass(frozen=True)
class Page:
    rows: list[Onboarding]
    number: int
    # How many rows the list has; None when it has more than count_limit.
    total: int | None
    previous: Cursor | None
    next: Cursor | None
    count_limit: int = COUNT_LIMIT

    @property
    def page_count(self) -> int | None:
        return None if self.total is None else max(ceil(self.total / PAGE_SIZE), 1)

    @property
    def counted_pages(self) -> int:
        """The pages count_limit rows make: "Page 60 of more than 50"."""
        return self.count_limit // PAGE_SIZE

    @property
    def has_other_pages(self) -> bool:
        return self.previous is not None or self.next is not None


def keyset_page(
    rows: QuerySet[Onboarding],
    *,
    by: str = CHANGED,
    cursor: str = "",
    number: str = "",
    count_limit: int = COUNT_LIMIT,
) -> Page:
    """The page of `rows`, newest `by` first (CHANGED or STARTED, then id), that `cursor` leads
    to, or else page `number` (at most the pages `count_limit` rows make), or else the first;
    its rows counted up to `count_limit`, mostly in the statement that reads them (a page
    that finds no row asks for its count on its own). A first page counted no further than
    SEARCH_COUNT_LIMIT is read once, its count with it (_first_page_counted_as_read): reading
    the ids of a hundred rows in order costs what counting them does, where for a thousand the
    index-only count and a page of 21 cost less."""
    ordered = _Ordered(rows.order_by(f"-{by}", "-id"), by, count_limit)
    position = Cursor.parse(cursor) if cursor else None
    if position is not None and position.forward:
        found = list(ordered.with_count(ordered.rows.filter(_after(position, by)))[: PAGE_SIZE + 1])
        if found:
            more_after = len(found) > PAGE_SIZE
            return _page(ordered, found[:PAGE_SIZE], max(position.number, 2), True, more_after)
    elif position is not None:
        before = ordered.rows.filter(_before(position, by)).reverse()
        found = list(ordered.with_count(before)[: PAGE_SIZE + 1])
        if len(found) > PAGE_SIZE:
            return _page(ordered, found[:PAGE_SIZE][::-1], max(position.number, 2), True, True)
        # Back at the start of the list (a page's worth of rows or fewer before the cursor).
    else:
        try:
            wanted = int(number)
        except ValueError:
            wanted = 1
        return _numbered_page(ordered, min(max(wanted, 1), count_limit // PAGE_SIZE))
    return _numbered_page(ordered, 1)


def in_chunks(
    rows: QuerySet[Onboarding], *fields: str, size: int
) -> Iterator[list[dict[str, Any]]]:
    """Every row of `rows` exactly once, newest first by id (the order they were started in),
    as `fields` (and pk), `size` rows at a time. Each chunk is one query for the ids below the
    previous chunk's last: the primary key's index, no cursor or transaction kept open between
    chunks however long the list, and an order no change can shuffle while the rows are read
    (a row changed meanwhile would leave an order by change for a place already passed)."""
    ordered = rows.order_by("-pk").values("pk", *fields)
    chunk = list(ordered[:size])
    while len(chunk) == size:
        yield chunk
        chunk = list(ordered.filter(pk__lt=chunk[-1]["pk"])[:size])
    if chunk:
        yield chunk


def bounded_count(rows: QuerySet[Onboarding], limit: int) -> int | None:
    """How many rows there are, counting at most `limit + 1` of them; None beyond `limit`."""
    sql, params = _bounded_count_sql(rows, limit)
    if not sql:
        return 0
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        (total,) = cursor.fetchone()
    return total


def with_list_count(
    page: QuerySet[Onboarding], of_list: QuerySet[Onboarding], limit: int
) -> QuerySet[Onboarding]:
    """`page`, each of its rows carrying bounded_count(of_list, limit) (list_count_of reads
    it): a page and its list's count in one statement. The count is a subquery that depends on
    no row, so the database runs it once, and only if the page finds a row."""
    sql, params = _bounded_count_sql(of_list, limit)
    count = RawSQL(sql, params) if sql else Value(0)  # noqa: S611 (the ORM's own SQL)
    return page.annotate(**{_LIST_COUNT: count})


def list_count_of(rows: list[Onboarding]) -> int | None:
    """The list's count that with_list_count gave its page's `rows`, as bounded_count says it.
    A page with no rows carries none: 0, right only when it is the list's first page."""
    return getattr(rows[0], _LIST_COUNT) if rows else 0


def _bounded_count_sql(rows: QuerySet[Onboarding], limit: int) -> tuple[str, tuple[Any, ...]]:
    """The count of the ids of at most `limit + 1` of `rows`, or NULL beyond `limit`, around
    the ORM's own query for those ids ("" for a list that cannot have a row). Written around
    it, not with count() on a slice: the ORM's aggregation of a slice costs more to build than
    the count takes to run."""
    ids = rows.order_by().values("pk")[: limit + 1]
    try:
        sql, params = ids.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return "", ()
    # The ORM's SQL for the ids, its values still parameters; the limit is an int.
    counted = (
        f"SELECT CASE WHEN COUNT(*) > {int(limit)} THEN NULL ELSE COUNT(*) END "  # noqa: S608
        f"FROM ({sql}) listed"
    )
    return counted, tuple(params)


@dataclass(frozen=True)
class _Ordered:
    """The list in its order, what that order is by, and how far its rows are counted."""

    rows: QuerySet[Onboarding]
    by: str
    count_limit: int

    def with_count(self, page: QuerySet[Onboarding]) -> QuerySet[Onboarding]:
        """A page of the list, read with the list's bounded count (the page's rows carry it)."""
        return with_list_count(page, self.rows, self.count_limit)


def _numbered_page(ordered: _Ordered, number: int, *, total: int | None = None) -> Page:
    """Page `number` by its offset, which is bounded: only the first pages are asked by number."""
    if number == 1 and total is None and ordered.count_limit <= SEARCH_COUNT_LIMIT:
        return _first_page_counted_as_read(ordered)
    start = (number - 1) * PAGE_SIZE
    listed = ordered.rows if total is not None else ordered.with_count(ordered.rows)
    rows = list(listed[start : start + PAGE_SIZE + 1])
    if not rows and number > 1 and total is None:
        # Past the end (an old link): the last page, whose count is then known.
        known = bounded_count(ordered.rows, ordered.count_limit)
        if known is not None:
            return _numbered_page(ordered, max(ceil(known / PAGE_SIZE), 1), total=known)
    more_after = len(rows) > PAGE_SIZE
    return _page(ordered, rows[:PAGE_SIZE], number, number > 1, more_after, total=total)


def _first_page_counted_as_read(ordered: _Ordered) -> Page:
    """The first page of a list counted no further than SEARCH_COUNT_LIMIT, in one read of what
    matches: the ids of up to that many rows and one, in order (for a few matches, the same
    work as counting them, where a page and its count read them twice), then the page's rows
    by id."""
    ids = list(ordered.rows.values_list("pk", flat=True)[: ordered.count_limit + 1])
    total = len(ids) if len(ids) <= ordered.count_limit else None
    shown = ids[:PAGE_SIZE]
    rows: list[Onboarding] = []
    if shown:
        # Found again by id alone (the conditions are met already): an index lookup each. Full
        # rows, as the dashboard reads them (a caller's only() or select_related is not kept).
        again = Onboarding._default_manager.using(ordered.rows.db).filter(pk__in=shown)
        rows = list(again.order_by(*ordered.rows.query.order_by))
    return _page(ordered, rows, 1, False, len(ids) > PAGE_SIZE, total=total, total_known=True)


def _page(
    ordered: _Ordered,
    rows: list[Onboarding],
    number: int,
    more_before: bool,
    more_after: bool,
    *,
    total: int | None = None,
    total_known: bool = False,
) -> Page:
    """`total`: the rows counted already; with `total_known`, None is beyond the count's
    bound. Otherwise the count the page's rows were read with (_Ordered.with_count)."""
    if number == 1 and not more_after:
        total = len(rows)
    elif total is None and not total_known:
        # A page with no rows carries no count: asked on its own.
        total = list_count_of(rows) if rows else bounded_count(ordered.rows, ordered.count_limit)
    if total is not None:
        # A number carried by a link while rows came and went: never past the last page.
        number = min(number, max(ceil(total / PAGE_SIZE), 1))
    by = ordered.by
    return Page(
        rows=rows,
        number=number,
        total=total,
        previous=Cursor.before(rows[0], number - 1, by) if more_before and rows else None,
        next=Cursor.after(rows[-1], number + 1, by) if more_after and rows else None,
        count_limit=ordered.count_limit,
    )


def _after(position: Cursor, by: str) -> Q:
    # The first condition alone is a range on the index; the second only settles ties.
    return Q(**{f"{by}__lte": position.at}) & (
        Q(**{f"{by}__lt": position.at}) | Q(pk__lt=position.pk)
    )


def _before(position: Cursor, by: str) -> Q:
    return Q(**{f"{by}__gte": position.at}) & (
        Q(**{f"{by}__gt": position.at}) | Q(pk__gt=position.pk)
    )
