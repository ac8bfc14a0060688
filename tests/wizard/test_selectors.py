"""Read-only queries (selectors): a home id checked against homes/list, one utility lookup per
ZIP code however many ask at once, search (every word, any filter) and keyset pages."""

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import responses
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.db.models import QuerySet
from pytest_django.fixtures import Settings

from onboarding.wattshift.types import Utility
from onboarding.wizard import selectors
from onboarding.wizard.models import Onboarding
from onboarding.wizard.selectors import upstream
from tests.wizard import factories
from tests.wizard.upstream import SHARED_ID, UtilityApi, listed_home, url


def test_checking_a_home_id_finds_it_with_the_same_details(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(needs_attention, "ws_home_same", name="  maple house ")],
    )

    check = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_same")

    assert check.listed and check.found
    assert check.home is not None and check.home.id == "ws_home_same"
    assert check.differences == ()


def test_checking_a_home_id_names_each_detail_that_differs(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[
            listed_home(
                needs_attention, "ws_home_other", name="Oak House", zipcode="02139", ratePlanId=""
            )
        ],
    )

    check = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_other")

    assert check.found
    assert check.differences == (
        selectors.Difference("Name", "Maple House", "Oak House"),
        selectors.Difference("ZIP code", "95313", "02139"),
        selectors.Difference("Rate plan", f"E-6 ({SHARED_ID})", "Not listed"),
    )


def test_checking_a_home_id_that_is_not_listed_or_without_a_list(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_real")]
    )
    absent = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_nope")
    assert absent.listed and not absent.found

    wattshift_api.replace(responses.POST, url("homes/list"), status=403)
    unavailable = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_nope")

    assert not unavailable.listed and not unavailable.found
    assert unavailable.list_error
    assert "test-key" not in unavailable.list_error


def test_two_lookups_of_one_zip_at_the_same_moment_make_one_upstream_call(
    utility_api: UtilityApi, settings: Settings
) -> None:
    # A process-local cache: the point is the lock, and threads share it without a transaction.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "l"},
    }
    utility_api.delay = 0.3
    start = threading.Barrier(3)
    found: list[list[str]] = []

    def look_up() -> None:
        start.wait()
        found.append([utility.name for utility in selectors.utilities_for_zip("95313")])

    threads = [threading.Thread(target=look_up) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert found == [["Pacific Gas & Electric"]] * 3
    assert utility_api.calls("95313") == ["95313"]


def test_a_lookup_that_ends_between_a_waiters_two_reads_is_not_repeated(
    utility_api: UtilityApi, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "l"},
    }
    key = upstream.UTILITIES_CACHE_KEY.format(zipcode="95313", order="usual")
    caches["default"].clear()
    answer = tuple(selectors.utilities_for_zip("95313"))
    caches["default"].clear()
    caches["local"].clear()
    caches["default"].add(f"{key}:lookup", True)  # another process is asking WattShift
    read = upstream._remembered
    reads = 0

    def remembered(asked: str) -> list[Utility] | None:
        nonlocal reads
        found = read(asked)
        reads += 1
        if reads == 2:
            # The waiter's first look found nothing; the other lookup ends at that moment.
            caches["default"].set(key, answer)
            caches["default"].delete(f"{key}:lookup")
        return found

    monkeypatch.setattr(upstream, "_remembered", remembered)

    assert selectors.utilities_for_zip("95313") == list(answer)
    assert utility_api.calls("95313") == ["95313"]  # the first lookup's, not one more


# Search: every word typed must match the home, the reference or the installer.


def _found(
    query: str = "", within: QuerySet[Onboarding] | None = None, **filters: object
) -> list[str]:
    found = selectors.search_onboardings(
        Onboarding.objects.all() if within is None else within,
        filters=selectors.Filters(query=query, **filters),  # type: ignore[arg-type]
    )
    return sorted(str(onboarding) for onboarding in found)


@pytest.fixture
def homes(installer: User, other_installer: User) -> dict[str, Onboarding]:
    return {
        "ramirez": factories.onboarding(installer, home_name="Ramírez, 12 Oak St", zipcode="95630"),
        "garcia": factories.onboarding(installer, home_name="Garcia residence, 12 Oak"),
        "garcia_14": factories.onboarding(other_installer, home_name="Garcia residence, 14 Oak"),
        "obrien": factories.onboarding(
            other_installer, home_name="O'Brien House", zipcode="02139", home_id="ws_home_9f3a77"
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ramirez 12 oak", ["Ramírez, 12 Oak St"]),
        ("RAMÍREZ, 12 OAK", ["Ramírez, 12 Oak St"]),
        ("Garcia residence 12 Oak", ["Garcia residence, 12 Oak"]),
        ("garcia oak", ["Garcia residence, 12 Oak", "Garcia residence, 14 Oak"]),
        ("o'brien", ["O'Brien House"]),
        ("O BRIEN house", ["O'Brien House"]),
        ("ws_home_9f3a", ["O'Brien House"]),
        ("WS_HOME_9F3A77", ["O'Brien House"]),
        ("02139", ["O'Brien House"]),
        ("2139", ["O'Brien House"]),
        ("95630 oak", ["Ramírez, 12 Oak St"]),
        # Every word must match: one that matches nothing leaves nothing.
        ("ramirez 14", []),
        ("garcia elm", []),
        # Punctuation alone is not a word.
        ("garcia , - 14", ["Garcia residence, 14 Oak"]),
    ],
)
def test_every_word_must_match_ignoring_case_accents_and_punctuation(
    homes: dict[str, Onboarding], query: str, expected: list[str]
) -> None:
    assert _found(query) == expected


def test_a_word_matches_the_installer_by_username_first_or_last_name(
    homes: dict[str, Onboarding], installer: User, other_installer: User
) -> None:
    # Renamed after their onboardings were written: the rename rewrites their search text.
    other_installer.first_name, other_installer.last_name = "Óscar", "Núñez"
    other_installer.save()

    theirs = ["Garcia residence, 14 Oak", "O'Brien House"]
    assert _found("nunez") == theirs
    assert _found("OSCAR") == theirs  # the username, and the first name without accent
    assert _found("Núñez garcia") == ["Garcia residence, 14 Oak"]
    assert _found("ina 12") == ["Garcia residence, 12 Oak", "Ramírez, 12 Oak St"]
    # An installer's search looks in their own onboardings only: another's name finds nothing.
    assert _found("nunez", within=selectors.onboardings_visible_to(installer)) == []


def test_a_word_of_six_or_more_hex_digits_matches_the_reference(
    homes: dict[str, Onboarding],
) -> None:
    garcia = homes["garcia"]
    dashed = str(garcia.public_id)
    assert _found(dashed) == ["Garcia residence, 12 Oak"]
    assert _found(dashed[9:23].upper()) == ["Garcia residence, 12 Oak"]  # hyphens, case ignored
    assert _found(f"garcia {garcia.public_id.hex[10:20]}") == ["Garcia residence, 12 Oak"]
    # Too short to be a reference: "9f3a" only matches where it is typed in the home id.
    assert _found("9f3a") == ["O'Brien House"]


def test_a_search_reads_search_text_and_never_joins_the_users(
    homes: dict[str, Onboarding], installer: User
) -> None:
    found = selectors.search_onboardings(
        Onboarding.objects.all(), filters=selectors.Filters(query="ina oak 9f3a77")
    )
    sql = str(found.query)
    assert "search_text" in sql and "JOIN" not in sql
    # The installer's name is matched in search_text too: no list of their ids to OR in.
    assert "owner_id" not in sql.partition(" WHERE ")[2]
    assert _found("ina oak") == sorted(
        str(row) for row in Onboarding.objects.filter(owner=installer)
    )


def test_filters_narrow_in_the_database_and_combine_with_words(
    homes: dict[str, Onboarding], installer: User, settings: Settings
) -> None:
    settings.TIME_ZONE = "America/Los_Angeles"
    late_on_the_27th = datetime(2026, 11, 28, 7, 30, tzinfo=UTC)  # 11:30 PM in California
    early_on_the_28th = datetime(2026, 11, 28, 8, 10, tzinfo=UTC)  # 12:10 AM
    Onboarding.objects.filter(pk=homes["ramirez"].pk).update(
        created_at=late_on_the_27th, status="complete", plan_to_confirm=True
    )
    Onboarding.objects.filter(pk=homes["garcia"].pk).update(created_at=early_on_the_28th)
    Onboarding.objects.exclude(pk__in=[homes["ramirez"].pk, homes["garcia"].pk]).update(
        created_at=datetime(2026, 1, 5, 18, tzinfo=UTC)
    )

    assert _found(status="complete") == ["Ramírez, 12 Oak St"]
    assert _found(status="not-a-status") == _found()
    assert _found(owner_id=installer.pk) == ["Garcia residence, 12 Oak", "Ramírez, 12 Oak St"]
    assert _found(plan_to_confirm=True) == ["Ramírez, 12 Oak St"]
    assert _found(created_to=date(2026, 11, 27)) == [
        "Garcia residence, 14 Oak",
        "O'Brien House",
        "Ramírez, 12 Oak St",
    ]
    assert _found(created_from=date(2026, 11, 28)) == ["Garcia residence, 12 Oak"]
    assert _found(created_from=date(2026, 11, 27), created_to=date(2026, 11, 27)) == [
        "Ramírez, 12 Oak St"
    ]
    assert _found("oak", owner_id=installer.pk, created_from=date(2026, 11, 28)) == [
        "Garcia residence, 12 Oak"
    ]
    assert _found("garcia", status="complete") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        ("9f3a77", ["wizard_onboarding_search_trgm", "wizard_onboarding_public_hex_trgm"]),
        # The installer's name: in search_text, like the home's words.
        ("ina", ["wizard_onboarding_search_trgm"]),
    ],
)
def test_on_postgresql_each_way_a_word_matches_can_use_an_index(
    homes: dict[str, Onboarding], installer: User, query: str, indexes: list[str]
) -> None:
    found = selectors.search_onboardings(
        Onboarding.objects.all(), filters=selectors.Filters(query=query)
    )
    # A handful of rows never needs an index: the planner is told to avoid the others, so the
    # plan shows whether each condition can be served by an index at all.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = found.order_by().explain()
    assert "Filter" not in plan, plan
    # A word that may be a reference is either condition: both indexes, their rows together.
    assert ("BitmapOr" in plan) == ("wizard_onboarding_public_hex_trgm" in indexes), plan
    for index in indexes:
        assert index in plan, plan


# Pages: keyset pages over (updated_at, id), counted only so far.


def _walk(first: selectors.Page, ordered: QuerySet[Onboarding]) -> list[selectors.Page]:
    pages = [first]
    while pages[-1].next is not None:
        pages.append(selectors.keyset_page(ordered, cursor=str(pages[-1].next)))
    return pages


def test_keyset_pages_cover_every_row_once_in_order_even_with_ties(installer: User) -> None:
    factories.many(installer, 47, through="zip")
    # Rows changed at the same moment are told apart by their id.
    moment = datetime(2026, 11, 27, 17, 14, tzinfo=UTC)
    tied = list(Onboarding.objects.values_list("pk", flat=True)[10:30])
    Onboarding.objects.filter(pk__in=tied).update(updated_at=moment)
    ordered = Onboarding.objects.all()
    expected = list(ordered.values_list("pk", flat=True))

    pages = _walk(selectors.keyset_page(ordered), ordered)

    assert [len(page.rows) for page in pages] == [20, 20, 7]
    assert [page.number for page in pages] == [1, 2, 3]
    assert [row.pk for page in pages for row in page.rows] == expected
    assert all(page.total == 47 and page.page_count == 3 for page in pages)
    # And back again with Previous, page by page.
    back = [pages[-1]]
    while back[-1].previous is not None:
        back.append(selectors.keyset_page(ordered, cursor=str(back[-1].previous)))
    assert [[row.pk for row in page.rows] for page in reversed(back)] == [
        [row.pk for row in page.rows] for page in pages
    ]
    assert [page.number for page in back] == [3, 2, 1]


def test_a_list_narrowed_to_when_started_is_paged_in_order_of_start_through_its_index(
    installer: User,
) -> None:
    """Newest started first, whatever order they were changed in; ties told apart by id."""
    factories.many(installer, 47, through="zip")
    start = datetime(2026, 6, 1, 9, tzinfo=UTC)
    pks = list(Onboarding.objects.order_by("pk").values_list("pk", flat=True))
    for number, pk in enumerate(pks):
        # Started one an hour (two at a time), changed in the opposite order.
        Onboarding.objects.filter(pk=pk).update(
            created_at=start + timedelta(hours=number // 2),
            updated_at=start + timedelta(days=30, hours=-number),
        )
    filters = selectors.Filters(created_from=date(2026, 6, 1), created_to=date(2026, 6, 30))
    assert filters.order == selectors.STARTED
    found = selectors.search_onboardings(Onboarding.objects.all(), filters=filters)
    expected = list(found.order_by("-created_at", "-id").values_list("pk", flat=True))
    assert expected != list(found.values_list("pk", flat=True))  # not the order of change

    pages = [selectors.keyset_page(found, by=filters.order)]
    while pages[-1].next is not None:
        pages.append(selectors.keyset_page(found, by=filters.order, cursor=str(pages[-1].next)))
    assert [row.pk for page in pages for row in page.rows] == expected
    back = selectors.keyset_page(found, by=filters.order, cursor=str(pages[-1].previous))
    assert [row.pk for row in back.rows] == expected[20:40]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.order_by("-created_at", "-id")[:21].explain()
    assert "onboarding_created_idx" in plan, plan


def test_a_page_costs_one_query_and_a_bounded_count(
    installer: User, django_assert_max_num_queries: Any
) -> None:
    factories.many(installer, 45, through="none")
    ordered = Onboarding.objects.all()
    first = selectors.keyset_page(ordered)
    # The page and its bounded count: one statement.
    with django_assert_max_num_queries(1) as captured:
        selectors.keyset_page(ordered, cursor=str(first.next))
    counts = [query["sql"] for query in captured.captured_queries if "COUNT" in query["sql"]]
    assert counts and all("LIMIT 1001" in sql for sql in counts), counts
    assert not any("OFFSET" in query["sql"] for query in captured.captured_queries)


def test_the_count_stops_at_its_bound(installer: User) -> None:
    factories.many(installer, selectors.COUNT_LIMIT + 5, through="none")
    ordered = Onboarding.objects.all()

    pages = [selectors.keyset_page(ordered)]
    for _ in range(2):
        pages.append(selectors.keyset_page(ordered, cursor=str(pages[-1].next)))

    third = pages[-1]
    assert third.number == 3 and third.total is None and third.page_count is None
    assert third.counted_pages == selectors.COUNT_LIMIT // selectors.PAGE_SIZE == 50
    assert selectors.bounded_count(ordered, 10) is None
    assert selectors.bounded_count(ordered, selectors.COUNT_LIMIT + 5) == selectors.COUNT_LIMIT + 5


def test_page_numbers_still_work_for_the_first_pages(installer: User) -> None:
    factories.many(installer, 45, through="none")
    ordered = Onboarding.objects.all()
    expected = list(ordered.values_list("pk", flat=True))

    second = selectors.keyset_page(ordered, number="2")
    assert second.number == 2 and [row.pk for row in second.rows] == expected[20:40]
    # The links of a numbered page are cursors, like every other page's.
    assert second.next is not None and second.next.number == 3
    assert [row.pk for row in selectors.keyset_page(ordered, cursor=str(second.next)).rows] == (
        expected[40:]
    )
    # Past the end: the last page; nonsense: the first; never an offset past the bound.
    assert selectors.keyset_page(ordered, number="99").number == 3
    assert selectors.keyset_page(ordered, number="-4").number == 1
    assert selectors.keyset_page(ordered, number="lots").number == 1
    for cursor in ("", "x", "n2", "n2.abc.4", "q1.5.5", "n9.99999999999999999999.1"):
        assert selectors.keyset_page(ordered, cursor=cursor).number == 1, cursor


def test_a_cursor_reads_back_what_it_wrote() -> None:
    moment = datetime(2026, 11, 27, 17, 14, 3, 123456, tzinfo=UTC)
    cursor = selectors.Cursor(forward=False, number=7, at=moment, pk=42)
    assert selectors.Cursor.parse(str(cursor)) == cursor


# Likely duplicates: the same ZIP code and name, read through an index at any size.


def test_likely_duplicates_read_only_their_zip_codes_rows_through_an_index(
    installer: User, support_user: User
) -> None:
    home = factories.onboarding(installer, home_name="Maple House", zipcode="95630")
    twin = factories.onboarding(support_user, home_name="maple house", zipcode="95630")
    factories.onboarding(installer, home_name="Maple House", zipcode="02139")

    found = selectors.likely_duplicates(home, seen_by=installer)

    assert [(other.pk, other.visible) for other in found] == [(twin.pk, False)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Three rows never need an index: the planner is told to avoid reading them all.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.explain()
    assert "onboarding_same_home_idx" in plan, plan


@pytest.mark.parametrize("count", [0, 7, 45, selectors.SEARCH_COUNT_LIMIT + 3])
def test_a_first_page_counted_to_a_hundred_is_read_once_and_is_the_same_page(
    installer: User, count: int, django_assert_max_num_queries: Any
) -> None:
    """Counted no further than a search is: the ids in order up to the bound, then the page's
    rows by id. The same rows, order, total and links as a page counted the usual way."""
    factories.many(installer, count, through="none")
    ordered = Onboarding.objects.all()
    usual = selectors.keyset_page(ordered)
    with django_assert_max_num_queries(2):
        searched = selectors.keyset_page(ordered, count_limit=selectors.SEARCH_COUNT_LIMIT)
    assert [row.pk for row in searched.rows] == [row.pk for row in usual.rows]
    expected_total = count if count <= selectors.SEARCH_COUNT_LIMIT else None
    assert searched.total == expected_total and searched.number == 1
    assert searched.next == usual.next and searched.previous is None
    if searched.next is not None:
        second = selectors.keyset_page(
            ordered, cursor=str(searched.next), count_limit=selectors.SEARCH_COUNT_LIMIT
        )
        assert [row.pk for row in second.rows] == list(
            ordered.order_by("-updated_at", "-id").values_list("pk", flat=True)[20:40]
        )
