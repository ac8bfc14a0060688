"""The dashboard: start, drafts with progress, homes with ids, support's search and filters,
keyset pages with a bounded count, the needs-attention block and the CSV export."""

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet
from django.forms import BoundField
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onboarding.wizard import export, selectors
from onboarding.wizard.models import Onboarding
from onboarding.wizard.selectors import COUNT_LIMIT
from onboarding.wizard.views import dashboard
from tests.wizard import factories
from tests.wizard.pages import step_url

DASHBOARD = "/"


def test_start_onboarding_creates_a_draft(installer_client: Client, installer: User):
    page = installer_client.get(DASHBOARD).content.decode()
    assert "Start onboarding" in page
    assert f'action="{reverse("wizard:new")}"' in page
    response = installer_client.post(reverse("wizard:new"))
    onboarding = Onboarding.objects.get()
    assert onboarding.owner == installer and onboarding.status == "draft"
    assert response["Location"] == step_url(onboarding, "zip")


def test_starting_needs_a_post(installer_client: Client):
    assert installer_client.get(reverse("wizard:new")).status_code == 405
    assert not Onboarding.objects.exists()


def test_dashboard_needs_login(client: Client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_installer_sees_own_drafts_and_homes_only(
    installer_client: Client, installer: User, other_installer: User
):
    factories.onboarding(installer, through="zip", home_name="Half Done")
    factories.onboarding(installer, home_name="Done Home", status="complete", home_id="ws_home_77")
    factories.onboarding(installer, home_name="Unsure Home", status="needs_attention")
    factories.onboarding(other_installer, through="none", home_name="Not Yours")
    page = installer_client.get(DASHBOARD).content.decode()
    assert "Half Done" in page and "2 of 4 steps" in page and "Resume" in page
    assert "Done Home" in page and "ws_home_77" in page
    assert "Needs attention" in page and "Unsure Home" in page
    assert "Not Yours" not in page
    assert "Installer" not in page


def test_support_sees_everyone_and_can_search_and_filter(
    support_client: Client, installer: User, other_installer: User
):
    factories.onboarding(installer, through="zip", home_name="Ina's Draft")
    factories.onboarding(
        other_installer,
        home_name="Oscar Home",
        zipcode="02139",
        status="complete",
        home_id="ws_home_555",
    )
    page = support_client.get(DASHBOARD).content.decode()
    assert "Ina&#39;s Draft" in page and "Oscar Home" in page  # escaped by MarkupSafe (the rows)
    assert "Everyone's onboardings" in page and "oscar" in page

    def rows(**query: str) -> list[str]:
        response = support_client.get(DASHBOARD, query)
        return [row["onboarding"].home_name for row in response.context["rows"]]

    assert rows(q="oscar home") == ["Oscar Home"]
    assert rows(q="02139") == ["Oscar Home"]
    assert rows(q="021") == ["Oscar Home"]
    assert rows(q="ws_home_555") == ["Oscar Home"]
    assert rows(q="95313") == ["Ina's Draft"]
    assert rows(status="draft") == ["Ina's Draft"]
    assert rows(status="complete", q="Ina") == []
    assert sorted(rows(status="bogus")) == ["Ina's Draft", "Oscar Home"]
    assert (
        "No onboardings match your search."
        in support_client.get(DASHBOARD, {"q": "nothing like it"}).content.decode()
    )


def test_names_in_both_lists_are_escaped(support_client: Client, installer: User):
    """The rows and the needs-attention items are written in Python (list_rows) and put into
    the page as they are: they must have escaped what a person typed."""
    hostile = '<script>alert("x")</script> & Co'
    factories.onboarding(installer, home_name=hostile)
    factories.onboarding(installer, home_name=hostile, status="needs_attention")

    page = support_client.get(DASHBOARD).content.decode()

    assert "<script>alert" not in page
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co"
    assert page.count(f'title="{escaped}"') == 2  # a table row each
    assert page.count(f">{escaped}</a>") == 1  # the needs-attention item's link


def test_support_sees_needs_attention_with_resolve_links(support_client, other_installer):
    onboarding = factories.onboarding(other_installer, status="needs_attention")
    page = support_client.get(DASHBOARD).content.decode()
    assert reverse("wizard:resolve", args=[onboarding.public_id]) in page


def test_installer_search_stays_within_their_own(installer_client, other_installer):
    factories.onboarding(
        other_installer, through="none", home_name="Secret Garden", zipcode="95313"
    )
    response = installer_client.get(DASHBOARD, {"q": "Secret"})
    assert response.context["rows"] == []


def test_dashboard_is_paginated(support_client: Client, installer: User):
    for number in range(25):
        factories.onboarding(installer, through="none", home_name=f"Home {number:02d}")
    first = support_client.get(DASHBOARD)
    assert len(first.context["rows"]) == 20
    assert "Page 1 of 2" in first.content.decode()
    second = support_client.get(DASHBOARD, {"page": "2"})
    assert len(second.context["rows"]) == 5
    names = {row["onboarding"].home_name for row in first.context["rows"]}
    names |= {row["onboarding"].home_name for row in second.context["rows"]}
    assert len(names) == 25
    assert support_client.get(DASHBOARD, {"page": "99"}).status_code == 200


def test_search_ignores_nul_and_control_characters(support_client: Client, installer: User):
    # PostgreSQL refuses NUL in a query: this was a 500 there.
    factories.onboarding(installer, through="none", home_name="Oscar Home", zipcode="02139")
    for query in ("\x00", "%00", "Oscar\x00 Home", "\x1b[31mOscar", "\x00" * 10_000):
        response = support_client.get(DASHBOARD, {"q": query, "status": "\x00"})
        assert response.status_code == 200, query
    response = support_client.get(DASHBOARD, {"q": "Oscar\x00 Home\x07"})
    assert [row["onboarding"].home_name for row in response.context["rows"]] == ["Oscar Home"]
    assert response.context["query"] == "Oscar Home"
    page = support_client.get(DASHBOARD, {"q": "\x00", "status": "\x00"})
    assert [row["onboarding"].home_name for row in page.context["rows"]] == ["Oscar Home"]
    assert page.context["status"] == ""


def test_start_onboarding_twice_reuses_the_untouched_draft(
    installer_client: Client, installer: User, other_installer: User
):
    # Someone else's blank draft is never handed out.
    factories.onboarding(other_installer, through="none")
    first = installer_client.post(reverse("wizard:new"))
    second = installer_client.post(reverse("wizard:new"))

    mine = Onboarding.objects.filter(owner=installer)
    assert mine.count() == 1
    assert first["Location"] == second["Location"] == step_url(mine.get(), "zip")
    rows = installer_client.get(DASHBOARD).context["rows"]
    assert len(rows) == 1


def test_start_onboarding_after_answering_starts_a_new_draft(
    installer_client: Client, installer: User
):
    started = factories.onboarding(installer, through="zip")
    failed = factories.onboarding(
        installer, through="none", last_error="Could not reach the WattShift service."
    )
    installer_client.post(reverse("wizard:new"))
    assert Onboarding.objects.filter(owner=installer).count() == 3
    newest = Onboarding.objects.exclude(pk__in=[started.pk, failed.pk]).get()
    assert newest.zipcode == "" and newest.last_error == ""


def test_rows_show_when_they_last_changed_in_local_time(
    installer_client: Client, installer: User, settings
):
    settings.TIME_ZONE = "America/Los_Angeles"
    onboarding = factories.onboarding(installer, through="zip")
    moment = datetime(2026, 11, 27, 17, 14, tzinfo=UTC)  # 9:14 AM in California
    Onboarding.objects.filter(pk=onboarding.pk).update(updated_at=moment)
    page = installer_client.get(DASHBOARD).content.decode()
    assert "Last changed" in page
    assert "27 Nov 2026, 9:14 AM" in page or "27 Nov, 9:14 AM" in page
    assert 'datetime="2026-11-27T09:14:00-08:00"' in page
    assert ">95313<" in page


def test_support_rows_name_the_installer(support_client: Client, installer: User):
    factories.onboarding(installer, through="zip")
    page = support_client.get(DASHBOARD).content.decode()
    assert f'data-label="Installer">{installer.get_username()}<' in page


def test_a_draft_whose_last_attempt_failed_says_so(installer_client: Client, installer: User):
    factories.onboarding(installer, last_error="The WattShift service refused the request.")
    factories.onboarding(installer, home_name="Fine House")
    page = installer_client.get(DASHBOARD).content.decode()
    assert page.count("Last attempt failed") == 1


def test_needs_attention_rows_can_be_told_apart(
    support_client: Client, installer: User, other_installer: User, settings
):
    settings.TIME_ZONE = "America/Los_Angeles"
    factories.onboarding(
        installer,
        home_name="Maple House",
        zipcode="95313",
        status="needs_attention",
        submitted_at=datetime(2026, 11, 27, 17, 14, tzinfo=UTC),
    )
    factories.onboarding(
        other_installer, home_name="Oak House", zipcode="02139", status="needs_attention"
    )
    page = support_client.get(DASHBOARD).content.decode()
    panel = page.split('id="attention-title"')[1].split("</section>")[0]
    assert "Maple House" in panel and "Oak House" in panel
    assert "ZIP code 95313" in panel and "ZIP code 02139" in panel
    assert f"by {installer.get_username()}" in panel
    assert f"by {other_installer.get_username()}" in panel
    assert 'sent <time datetime="2026-11-27T09:14:00-08:00">' in panel
    assert "27 Nov" in panel and "9:14 AM" in panel


DISCARD = "wizard:discard"


def test_owner_discards_a_draft_after_confirming(installer_client: Client, installer: User):
    onboarding = factories.onboarding(installer, through="zip", home_name="Typo House")
    url = reverse(DISCARD, args=[onboarding.public_id])
    assert f'href="{url}"' in installer_client.get(DASHBOARD).content.decode()

    page = installer_client.get(url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Are you sure you want to discard this draft?" in content
    assert "Typo House" in content and "95313" in content
    assert "Yes, discard this draft" in content and f'action="{url}"' in content
    assert Onboarding.objects.filter(pk=onboarding.pk).exists()  # a GET changes nothing

    response = installer_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert not Onboarding.objects.filter(pk=onboarding.pk).exists()
    assert "The draft “Typo House” was discarded." in response.content.decode()


def test_support_may_discard_anyones_draft(support_client: Client, other_installer):
    onboarding = factories.onboarding(other_installer, through="none")
    support_client.post(reverse(DISCARD, args=[onboarding.public_id]))
    assert not Onboarding.objects.filter(pk=onboarding.pk).exists()


def test_someone_elses_draft_cannot_be_discarded(installer_client: Client, other_installer: User):
    onboarding = factories.onboarding(other_installer, through="none", home_name="Not Yours")
    url = reverse(DISCARD, args=[onboarding.public_id])
    assert installer_client.get(url).status_code == 404
    assert installer_client.post(url).status_code == 404
    assert Onboarding.objects.filter(pk=onboarding.pk).exists()


def test_discard_needs_login(client: Client, installer: User):
    onboarding = factories.onboarding(installer, through="none")
    response = client.post(reverse(DISCARD, args=[onboarding.public_id]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Onboarding.objects.filter(pk=onboarding.pk).exists()


def test_a_sent_onboarding_cannot_be_discarded(installer_client: Client, installer: User):
    sent = [
        factories.onboarding(installer, status=status, home_id=home_id)
        for status, home_id in [
            ("complete", "ws_home_1"),
            ("home_created", "ws_home_2"),
            ("needs_attention", ""),
            ("submitting", ""),
            # Back to draft after a failure but with a home id (e.g. adopted): still refused.
            ("draft", "ws_home_3"),
        ]
    ]
    page = installer_client.get(DASHBOARD).content.decode()
    for onboarding in sent:
        url = reverse(DISCARD, args=[onboarding.public_id])
        assert f'href="{url}"' not in page
        response = installer_client.post(url, follow=True)
        assert "cannot be discarded" in response.content.decode()
        assert installer_client.get(url).status_code == 302
        assert Onboarding.objects.filter(pk=onboarding.pk).exists()


def test_discard_is_refused_if_the_draft_was_sent_meanwhile(
    installer_client: Client, installer: User
):
    onboarding = factories.onboarding(installer)
    url = reverse(DISCARD, args=[onboarding.public_id])
    installer_client.get(url)  # the confirmation page is open…
    Onboarding.objects.filter(pk=onboarding.pk).update(status="submitting")  # …another tab sends
    installer_client.post(url)
    assert Onboarding.objects.filter(pk=onboarding.pk).exists()


def test_search_finds_a_partial_home_id_or_onboarding_id(support_client: Client, installer: User):
    home = factories.onboarding(
        installer, home_name="Oscar Home", status="complete", home_id="ws_home_2bf116590a1a"
    )
    other = factories.onboarding(installer, through="none", home_name="Other Home")

    def rows(query: str) -> list[str]:
        response = support_client.get(DASHBOARD, {"q": query})
        return [row["onboarding"].home_name for row in response.context["rows"]]

    assert rows("ws_home_2bf1") == ["Oscar Home"]
    assert rows("2BF116590A1A") == ["Oscar Home"]
    assert rows("WS_HOME_2bf116590a1a") == ["Oscar Home"]
    public = other.public_id.hex
    assert rows(public[6:18]) == ["Other Home"]
    assert rows(str(other.public_id)[4:20].upper()) == ["Other Home"]  # hyphens and case ignored
    assert rows(str(other.public_id)) == ["Other Home"]
    assert home.public_id.hex[6:18] not in public


def test_search_ignores_the_case_of_names(support_client: Client, installer: User):
    factories.onboarding(installer, through="none", home_name="Maple House")
    for query in ("maple", "MAPLE HOUSE", "mApLe hO"):
        response = support_client.get(DASHBOARD, {"q": query})
        assert [row["onboarding"].home_name for row in response.context["rows"]] == [
            "Maple House"
        ], query


# The support console: search, filters, keyset pages, the needs-attention block, the CSV.


def _names(response: HttpResponse) -> list[str]:
    return [row["onboarding"].home_name for row in response.context["rows"]]


def _follow(client: Client, url: str) -> HttpResponse:
    return client.get(DASHBOARD + url)


def _console(installer: User, other_installer: User) -> None:
    """60 onboardings of two installers in every status, 25 needing attention."""
    statuses = ["draft", "complete", "home_created", "submitting"]
    for number in range(35):
        factories.onboarding(
            installer if number % 2 else other_installer,
            home_name=f"Oak House {number}",
            status=statuses[number % 4],
            home_id=f"ws_home_{number:04d}" if statuses[number % 4] != "draft" else "",
            plan_to_confirm=number % 5 == 0,
        )
    for number in range(25):
        factories.onboarding(
            other_installer if number % 2 else installer,
            home_name=f"Elm House {number}",
            status="needs_attention",
        )


def _paths(installer: User, other_installer: User) -> list[dict[str, str]]:
    today = timezone.localdate().isoformat()
    return [
        {},
        {"q": "oak"},
        {"q": "ina elm 1"},
        {"q": "oscar"},
        {"status": "needs_attention"},
        {"installer": str(other_installer.pk)},
        {"plan_to_confirm": "on"},
        {"created_from": today, "created_to": today},
        {"created_from": "2026-02-30"},
        {"page": "2"},
        {"page": "99"},
        {
            "q": "house",
            "status": "complete",
            "installer": str(installer.pk),
            "plan_to_confirm": "on",
            "created_from": "2020-01-01",
            "created_to": today,
        },
    ]


def test_the_support_dashboard_costs_at_most_six_statements_with_any_filter(
    support_client: Client,
    installer: User,
    other_installer: User,
    django_assert_max_num_queries: Any,
):
    _console(installer, other_installer)
    first = support_client.get(DASHBOARD)
    assert len(first.context["needs_attention"]) == 20  # the block's count is asked too
    for query in [*_paths(installer, other_installer), "next"]:
        with django_assert_max_num_queries(6) as captured:
            if query == "next":
                response = _follow(support_client, first.context["next_url"])
            else:
                response = support_client.get(DASHBOARD, query)
        assert response.status_code == 200, query
        statements = [item["sql"] for item in captured.captured_queries]
        # Nothing counts or skips the whole table: counts are bounded, offsets small.
        for sql in statements:
            if "COUNT(" in sql:
                assert re.search(r"LIMIT (101|1001)\b", sql), sql
            for offset in re.findall(r"OFFSET (\d+)", sql):
                assert int(offset) <= COUNT_LIMIT, sql


def test_needs_attention_shows_the_newest_twenty_and_counts_only_so_far(
    support_client: Client, installer: User
):
    for number in range(25):
        factories.onboarding(installer, home_name=f"Stuck {number:02d}", status="needs_attention")
    response = support_client.get(DASHBOARD)
    shown = [onboarding.home_name for onboarding in response.context["needs_attention"]]
    assert shown == [f"Stuck {number:02d}" for number in range(24, 4, -1)]  # newest first
    panel = response.content.decode().split('id="attention-title"')[1].split("</section>")[0]
    assert "The newest 20 of 25." in panel
    assert 'href="/?status=needs_attention"' in panel
    listed = support_client.get(DASHBOARD, {"status": "needs_attention"})
    assert len(listed.context["rows"]) == 20 and listed.context["page"].total == 25

    factories.many(installer, 80, through="none", status="needs_attention")
    panel = support_client.get(DASHBOARD).content.decode().split('id="attention-title"')[1]
    assert "The newest 20 of more than 100." in panel.split("</section>")[0]


def test_needs_attention_says_all_when_it_shows_all(installer_client: Client, installer: User):
    for number in range(7):
        factories.onboarding(installer, home_name=f"Stuck {number}", status="needs_attention")
    page = installer_client.get(DASHBOARD).content.decode()
    assert "All 7." in page.split('id="attention-title"')[1].split("</section>")[0]


def test_needs_attention_counts_one_in_words(installer_client: Client, installer: User):
    factories.onboarding(installer, home_name="Stuck", status="needs_attention")
    page = installer_client.get(DASHBOARD).content.decode()
    panel = page.split('id="attention-title"')[1].split("</section>")[0]
    assert "1 onboarding needs attention." in panel


def test_needs_attention_heads_the_front_page_only(support_client: Client, installer: User):
    """A search, a filter or a later page is about its own list: no block above it, and its
    statement is not asked."""
    factories.onboarding(installer, home_name="Stuck Oak", status="needs_attention")
    factories.many(installer, 25, through="none", home_name="Oak Draft")
    with CaptureQueriesContext(connection) as captured:
        front = support_client.get(DASHBOARD)
    assert 'id="attention-title"' in front.content.decode()
    # The front page asks for the block: what the pages below are checked not to ask.
    assert "'needs_attention'" in " ".join(item["sql"] for item in captured.captured_queries)
    later = [{"q": "oak"}, {"status": "draft"}, {"page": "2"}]
    later.append({"cursor": front.context["next_url"].split("cursor=")[1]})
    for query in later:
        with CaptureQueriesContext(connection) as captured:
            response = support_client.get(DASHBOARD, query)
        assert response.status_code == 200, query
        assert 'id="attention-title"' not in response.content.decode(), query
        assert response.context["needs_attention"] == [], query
        asked = " ".join(item["sql"] for item in captured.captured_queries)
        assert "'needs_attention'" not in asked, query
    # A Next link followed after the list shrank to one page is numbered 1, and still later.
    ten = Onboarding.objects.filter(home_name="Oak Draft").values_list("pk", flat=True)[:10]
    Onboarding.objects.filter(pk__in=list(ten)).delete()
    shrunk = _follow(support_client, front.context["next_url"])
    assert shrunk.context["page"].number == 1 and shrunk.context["previous_url"]
    assert 'id="attention-title"' not in shrunk.content.decode()


def test_next_and_previous_links_carry_cursors_over_every_row_once(
    support_client: Client, installer: User
):
    for number in range(45):
        factories.onboarding(installer, through="none", home_name=f"Home {number:02d}")
    expected = [f"Home {number:02d}" for number in range(44, -1, -1)]

    pages = [support_client.get(DASHBOARD)]
    while pages[-1].context["next_url"]:
        assert "cursor=" in pages[-1].context["next_url"]
        assert "page=" not in pages[-1].context["next_url"]
        pages.append(_follow(support_client, pages[-1].context["next_url"]))

    assert [name for page in pages for name in _names(page)] == expected
    labels = [re.search(r"Page \d+ of \d+", page.content.decode()).group(0) for page in pages]
    assert labels == ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]
    back = _follow(support_client, pages[2].context["previous_url"])
    assert _names(back) == expected[20:40]
    assert _names(_follow(support_client, back.context["previous_url"])) == expected[:20]
    assert 'rel="next"' in pages[1].content.decode() and 'rel="prev"' in pages[1].content.decode()


def test_past_the_counted_rows_the_pages_say_more_than(support_client: Client, installer: User):
    factories.many(installer, COUNT_LIMIT + 5, through="none")
    response = support_client.get(DASHBOARD)
    assert "Page 1 of more than 50" in response.content.decode()
    for _ in range(2):
        response = _follow(support_client, response.context["next_url"])
    assert "Page 3 of more than 50" in response.content.decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "n2.1764653261123456." + "9" * 30,  # an id past any integer column
        "p2.1764653261123456." + "9" * 30,
        "n" + "9" * 30 + ".1.1",
        "p3.-99999999999999.5",
        "n2.253402300799999999.5",  # the last microsecond of year 9999
        "n2.\x00.5",
    ],
)
def test_a_hand_edited_cursor_still_shows_a_page(
    support_client: Client, installer: User, cursor: str
):
    factories.many(installer, 25, through="none")
    response = support_client.get(DASHBOARD, {"cursor": cursor})
    assert response.status_code == 200
    assert response.context["rows"]


def test_search_matches_every_word_ignoring_case_accents_and_punctuation(
    support_client: Client, installer: User, other_installer: User
):
    factories.onboarding(installer, home_name="Ramírez, 12 Oak St")
    factories.onboarding(installer, home_name="Garcia residence, 12 Oak")
    factories.onboarding(other_installer, home_name="Garcia residence, 14 Oak")
    other_installer.last_name = "Núñez"
    other_installer.save()

    def found(query: str) -> list[str]:
        return sorted(_names(support_client.get(DASHBOARD, {"q": query})))

    assert found("ramirez 12 oak") == ["Ramírez, 12 Oak St"]
    assert found("Garcia residence 12 Oak") == ["Garcia residence, 12 Oak"]
    assert found("garcia NUNEZ") == ["Garcia residence, 14 Oak"]  # the installer's last name
    assert found("ina oak") == ["Garcia residence, 12 Oak", "Ramírez, 12 Oak St"]
    assert found("garcia elm") == []


def test_an_installer_search_never_reaches_anyone_else(
    installer_client: Client, installer: User, other_installer: User
):
    factories.onboarding(installer, home_name="Mine")
    factories.onboarding(other_installer, home_name="Theirs")
    assert _names(installer_client.get(DASHBOARD, {"q": "oscar"})) == []
    assert _names(installer_client.get(DASHBOARD, {"q": "ina"})) == ["Mine"]
    # No installer filter for installers, and a hand-made one changes nothing.
    page = installer_client.get(DASHBOARD, {"installer": str(other_installer.pk)})
    assert _names(page) == ["Mine"]
    assert 'name="installer"' not in page.content.decode()


def test_a_list_narrowed_to_when_created_is_newest_created_first_and_says_so(
    support_client: Client, installer: User
):
    older = factories.onboarding(installer, home_name="Started Monday")
    newer = factories.onboarding(installer, home_name="Started Tuesday")
    older.home_name = "Started Monday, changed since"
    older.save()  # now the newest change
    for onboarding, day in [(older, 23), (newer, 24)]:
        moment = datetime(2026, 11, day, 17, tzinfo=UTC)
        Onboarding.objects.filter(pk=onboarding.pk).update(created_at=moment)
    hint = "Listed by date created, newest first."

    changed = support_client.get(DASHBOARD)
    assert _names(changed) == ["Started Monday, changed since", "Started Tuesday"]
    assert hint not in changed.content.decode()
    narrowed = support_client.get(DASHBOARD, {"created_from": "2026-11-01"})
    assert _names(narrowed) == ["Started Tuesday", "Started Monday, changed since"]
    assert hint in narrowed.content.decode()
    # The date shown is the one the list is in order of.
    assert '<th scope="col">Last changed</th>' in changed.content.decode()
    assert '<th scope="col">Created</th>' in narrowed.content.decode()
    shown = narrowed.content.decode()
    assert shown.count('<td data-label="Created"><time datetime="2026-11-24') == 1
    assert shown.count('<td data-label="Created"><time datetime="2026-11-23') == 1


def test_every_filter_narrows_the_list_and_they_combine(
    support_client: Client, installer: User, other_installer: User, settings
):
    settings.TIME_ZONE = "America/Los_Angeles"
    confirm = factories.onboarding(installer, home_name="Confirm Me", plan_to_confirm=True)
    done = factories.onboarding(
        other_installer, home_name="Done", status="complete", home_id="ws_home_1"
    )
    old = factories.onboarding(other_installer, home_name="Old Draft")
    created = {
        confirm: datetime(2026, 11, 28, 7, 30, tzinfo=UTC),  # 27 Nov, 11:30 PM in California
        done: datetime(2026, 11, 28, 8, 10, tzinfo=UTC),  # 28 Nov, 12:10 AM
        old: datetime(2025, 3, 1, 18, tzinfo=UTC),
    }
    for onboarding, moment in created.items():
        Onboarding.objects.filter(pk=onboarding.pk).update(created_at=moment)

    def found(**query: str) -> list[str]:
        return sorted(_names(support_client.get(DASHBOARD, query)))

    assert found(status="complete") == ["Done"]
    assert found(installer=str(other_installer.pk)) == ["Done", "Old Draft"]
    assert found(installer="not-a-person") == ["Confirm Me", "Done", "Old Draft"]
    assert found(plan_to_confirm="on") == ["Confirm Me"]
    assert found(created_from="2026-11-27", created_to="2026-11-27") == ["Confirm Me"]
    assert found(created_from="2026-11-28") == ["Done"]
    assert found(created_to="2026-01-01") == ["Old Draft"]
    assert found(installer=str(other_installer.pk), created_from="2026-01-01") == ["Done"]
    assert found(q="draft", installer=str(installer.pk)) == []

    page = support_client.get(DASHBOARD).content.decode()
    assert page.count(">Plan to confirm</strong>") == 1
    installers = page.split('name="installer"')[1].split("</select>")[0]
    assert f'value="{installer.pk}">Ina (ina)<' in installers
    assert f'value="{other_installer.pk}">Oscar (oscar)<' in installers
    assert 'name="plan_to_confirm"' in page and 'type="date" name="created_from"' in page


@pytest.mark.parametrize(
    ("query", "field", "code", "message"),
    [
        (
            {"created_from": "2026-02-30"},
            "created_from",
            "invalid_date",
            "Enter a real date, for example 2026-11-27",
        ),
        (
            {"created_to": "yesterday"},
            "created_to",
            "invalid_date",
            "Enter a real date, for example 2026-11-27",
        ),
        (
            {"created_from": "0001-01-01"},
            "created_from",
            "invalid_date",
            "Enter a real date, for example 2026-11-27",
        ),
        (
            {"created_from": "2026-11-28", "created_to": "2026-11-27"},
            "created_to",
            "date_order",
            "The created to date must be the same as or after the created from date",
        ),
    ],
)
def test_a_bad_date_or_an_impossible_range_is_an_error_next_to_the_field(
    support_client: Client,
    installer: User,
    query: dict[str, str],
    field: str,
    code: str,
    message: str,
):
    factories.onboarding(installer, home_name="Still Listed", status="complete")
    response = support_client.get(DASHBOARD, {**query, "status": "complete"})
    assert response.status_code == 200
    form = response.context["search_form"]
    assert [error.code for error in form.errors.as_data()[field]] == [code]
    page = response.content.decode()
    assert page.startswith("<!doctype html>") and "<title>Error: Onboardings" in page
    group = page.split(f'id="id_{field}_error"')[0].rsplit('<div class="form-group', 1)[1]
    assert group.startswith(" form-group--error")
    assert message in page.split(f'id="id_{field}_error"')[1].split("</p>")[0]
    assert f'<a href="#id_{field}">{message}</a>' in page  # the error summary
    # The other filters still apply, and links never carry the bad date.
    assert _names(response) == ["Still Listed"]
    assert field not in response.context["export_url"]


def test_the_search_hint_names_the_installer_only_to_support(
    installer_client: Client, support_client: Client
):
    by_installer = "Home name, ZIP code, home id, onboarding reference or installer"
    assert by_installer in support_client.get(DASHBOARD).content.decode()
    page = installer_client.get(DASHBOARD).content.decode()
    assert by_installer not in page
    assert "Home name, ZIP code, home id or onboarding reference" in page


def test_nothing_found_with_a_bad_date_says_the_dates_were_not_used(
    support_client: Client, installer: User
):
    factories.onboarding(installer, home_name="Oak House")
    bad = {"q": "pine", "created_from": "2026-11-28", "created_to": "2026-11-27"}
    page = support_client.get(DASHBOARD, bad).content.decode()
    assert "No onboardings match your search. The dates with a problem were not used" in page
    page = support_client.get(DASHBOARD, {"q": "pine"}).content.decode()
    assert "No onboardings match your search." in page and "were not used" not in page


def _csv(response: HttpResponse) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


HEADER = [
    "Home id",
    "Home name",
    "ZIP code",
    "Utility",
    "Rate plan",
    "Status",
    "Installer",
    "Created",
    "Solar",
    "Plan to confirm",
]


def test_support_downloads_the_filtered_list_as_csv(
    support_client: Client, installer: User, other_installer: User, settings
):
    settings.TIME_ZONE = "America/Los_Angeles"
    done = factories.onboarding(
        installer, home_name="Maple House", status="complete", home_id="ws_home_1"
    )
    factories.onboarding(
        other_installer,
        home_name="Oak House",
        status="complete",
        home_id="ws_home_2",
        has_solar=False,
        solar_size_kw=None,
        solar_net_metered=None,
        plan_to_confirm=True,
    )
    factories.onboarding(installer, home_name="Draft House")
    Onboarding.objects.filter(pk=done.pk).update(
        created_at=datetime(2026, 11, 27, 17, 14, tzinfo=UTC)
    )

    page = support_client.get(DASHBOARD, {"status": "complete", "q": "house"})
    export_url = page.context["export_url"]
    assert export_url == "/onboardings.csv?q=house&status=complete"
    assert f'href="{export_url.replace("&", "&amp;")}"' in page.content.decode()
    assert "Download this list (CSV)" in page.content.decode()

    response = support_client.get(export_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="onboardings-{today}.csv"'
    assert response["Cache-Control"] == "private, no-store"
    lines = _csv(response)
    assert lines[0] == HEADER
    by_name = {line[1]: line for line in lines[1:]}
    assert sorted(by_name) == ["Maple House", "Oak House"]
    assert by_name["Maple House"] == [
        "ws_home_1",
        "Maple House",
        "95313",
        "Pacific Gas & Electric",
        "E-6",
        "Onboarded",
        "ina",
        "2026-11-27T09:14:00-08:00",
        "7.6 kW, net metered",
        "No",
    ]
    assert by_name["Oak House"][6:] == ["oscar", by_name["Oak House"][7], "No", "Yes"]


def test_the_csv_neutralises_cells_a_spreadsheet_would_run(support_client: Client, installer: User):
    names = ['=HYPERLINK("http://evil")', "@SUM(1)", "-2+3", "+1", "\tTabbed", "\rReturned"]
    for name in names:
        factories.onboarding(installer, home_name=name)
    factories.onboarding(installer, home_name="Plain – Ramírez")
    lines = _csv(support_client.get(reverse("wizard:export")))
    cells = sorted(line[1] for line in lines[1:])
    assert cells == sorted([f"'{name}" for name in names] + ["Plain – Ramírez"])
    for line in lines:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), line


def test_installers_export_their_own_onboardings_only(
    installer_client: Client, installer: User, other_installer: User
):
    factories.onboarding(installer, home_name="Mine")
    factories.onboarding(other_installer, home_name="Theirs")
    lines = _csv(installer_client.get(reverse("wizard:export")))
    assert [line[1] for line in lines[1:]] == ["Mine"]
    lines = _csv(installer_client.get(reverse("wizard:export"), {"q": "oscar"}))
    assert lines == [HEADER]


def test_the_export_reads_the_rows_in_chunks(
    support_client: Client, installer: User, monkeypatch: pytest.MonkeyPatch
):
    """Two and a half chunks' worth of rows are three queries of at most a chunk each (LIMIT),
    newest id first, never a cursor (iterator()) kept open over the whole list."""
    monkeypatch.setattr(export, "CHUNK_SIZE", 10)
    factories.many(installer, 25, through="none")
    iterated: list[QuerySet] = []
    iterator = QuerySet.iterator

    def recording(self: QuerySet, chunk_size: int | None = None) -> Iterator[object]:
        iterated.append(self)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", recording)
    with CaptureQueriesContext(connection) as queries:
        lines = _csv(support_client.get(reverse("wizard:export")))
    read = 'SELECT "wizard_onboarding"."id"'
    reads = [query["sql"] for query in queries if query["sql"].startswith(read)]
    assert len(lines) == 26 and len(reads) == 3, reads
    # Each read is a chunk at most, newest id first, the later ones below the last id read.
    for number, sql in enumerate(reads):
        assert re.search(r'ORDER BY (1|"wizard_onboarding"."id") DESC LIMIT 10$', sql), sql
        assert ('"wizard_onboarding"."id" <' in sql) == (number > 0), sql
    assert not iterated


def test_an_export_with_a_bad_date_goes_back_to_the_dashboard(support_client: Client):
    response = support_client.get(reverse("wizard:export"), {"created_from": "2026-02-30"})
    assert response.status_code == 302
    assert response["Location"] == "/?created_from=2026-02-30"


def test_the_export_needs_login(client: Client, db):
    response = client.get(reverse("wizard:export"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_rows_name_their_installer_without_reading_a_user_per_row(
    support_client: Client, installer: User, other_installer: User
) -> None:
    factories.many(installer, 3, home_name="Ina's home")
    factories.many(other_installer, 2, home_name="Oscar's home")
    with CaptureQueriesContext(connection) as captured:
        response = support_client.get(DASHBOARD)
    names = re.findall(r'data-label="Installer">([^<]*)<', response.content.decode())
    assert sorted(names) == ["ina", "ina", "ina", "oscar", "oscar"]
    lists = [q["sql"] for q in captured if q["sql"].startswith('SELECT "wizard_onboarding"."id"')]
    assert lists and not any("auth_user" in sql for sql in lists), lists


def test_an_installer_the_filter_list_has_not_read_yet_is_still_named(
    support_user: User, installer: User
) -> None:
    """Started between the filter's list and the page: named with one query more."""
    factories.onboarding(installer, home_name="Brand new")
    listed = dashboard.Listing(
        form=None,  # type: ignore[arg-type]
        filters=selectors.Filters(),
        visible=Onboarding.objects.all(),
        found=Onboarding.objects.all(),
        usernames={},
    )
    rows = list(Onboarding.objects.all())
    assert listed.owner_names(rows) == {installer.pk: "ina"}


def test_a_search_is_counted_only_to_a_hundred_and_says_how_to_narrow_it(
    support_client: Client, installer: User
) -> None:
    factories.many(installer, 105, through="none", home_name="Oak Lane")
    with CaptureQueriesContext(connection) as captured:
        response = support_client.get(DASHBOARD, {"q": "oak"})
    page = response.content.decode()
    assert "Page 1 of more than 5" in page
    assert "More than 100 onboardings match: add a word or a filter to narrow the list." in page
    # Read once: the ids of up to 101 matches, in order (no count of them besides), then the
    # page's 20 rows by id.
    reads = [q["sql"] for q in captured if q["sql"].startswith('SELECT "wizard_onboarding"')]
    assert len(reads) == 2, reads
    assert "LIKE" in reads[0] and reads[0].endswith("LIMIT 101"), reads[0]
    assert "LIKE" not in reads[1] and " IN (" in reads[1], reads[1]
    assert not any("COUNT(" in sql for sql in reads), reads
    # The unsearched list is counted to its usual bound, and needs no such advice.
    page = support_client.get(DASHBOARD, {"status": "draft"}).content.decode()
    assert "Page 1 of 6" in page and "onboardings match" not in page


def test_an_installers_news_heads_the_front_page_only(
    installer_client: Client, installer: User
) -> None:
    """Like the needs-attention block: a search or a filter is about its own list."""
    factories.onboarding(installer, home_name="Oak", owner_notice="Support recorded its id.")
    asks_for_news = re.compile(r'NOT \(\S*"owner_notice" = ')
    with CaptureQueriesContext(connection) as captured:
        page = installer_client.get(DASHBOARD).content.decode()
    assert "What happened to your onboardings" in page
    assert any(asks_for_news.search(q["sql"]) for q in captured)
    for query in [{"q": "oak"}, {"status": "draft"}]:
        with CaptureQueriesContext(connection) as captured:
            page = installer_client.get(DASHBOARD, query).content.decode()
        assert "What happened to your onboardings" not in page, query
        assert not any(asks_for_news.search(q["sql"]) for q in captured), query


def test_an_installers_front_page_blocks_each_show_their_own_newest(
    installer_client: Client, installer: User
) -> None:
    """25 needing attention, 12 with news, 3 of them both: each block shows its own newest."""
    for number in range(25):
        notice = "Settled." if number >= 22 else ""
        factories.onboarding(
            installer,
            home_name=f"Stuck {number:02d}",
            status="needs_attention",
            owner_notice=notice,
        )
    for number in range(9):
        factories.onboarding(installer, home_name=f"News {number}", owner_notice="Settled.")
    with CaptureQueriesContext(connection) as captured:
        response = installer_client.get(DASHBOARD)
    stuck = [row.home_name for row in response.context["needs_attention"]]
    assert stuck == [f"Stuck {number:02d}" for number in range(24, 4, -1)]
    news = [row.home_name for row in response.context["news"]]
    assert news == [*(f"News {number}" for number in range(8, -1, -1)), "Stuck 24"]
    blocks = [q["sql"] for q in captured if "'needs_attention'" in q["sql"]]
    # The block's rows, and its bounded count with them: one statement.
    assert len(blocks) == 1, blocks
    assert "COUNT(" in blocks[0] and "LIMIT 101" in blocks[0], blocks
    # The session, the user, the page, the block and the news: no query per row of either.
    assert len(captured) <= 5


def test_a_searchs_page_numbers_stop_where_its_count_does(
    support_client: Client, installer: User
) -> None:
    factories.many(installer, 130, through="none", home_name="Oak Lane")
    with CaptureQueriesContext(connection) as captured:
        page = support_client.get(DASHBOARD, {"q": "oak", "page": "50"}).content.decode()
    assert "Page 5 of more than 5" in page
    offsets = [int(n) for q in captured for n in re.findall(r"OFFSET (\d+)", q["sql"])]
    assert offsets and max(offsets) <= selectors.SEARCH_COUNT_LIMIT


def test_an_installers_blank_search_form_is_rendered_once_and_a_search_shows_its_own(
    installer_client: Client,
    other_installer: User,
    support_client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Blank, the form is the same for every installer: rendered once per process. Anything
    typed or chosen is shown as it was; support's (its installers come and go) is never kept."""
    rendered: list[str] = []
    as_field_group = BoundField.as_field_group

    def counted(field: BoundField) -> str:
        rendered.append(field.name)
        return as_field_group(field)

    monkeypatch.setattr(BoundField, "as_field_group", counted)
    first = installer_client.get(DASHBOARD).content.decode()
    assert "q" in rendered
    rendered.clear()
    other = Client()
    other.force_login(other_installer)
    again = other.get(DASHBOARD).content.decode()
    assert rendered == []
    form = re.compile(r'<form method="get".*?</form>', re.S)
    assert form.search(again)[0] == form.search(first)[0]
    assert 'value="Maple"' not in again

    searched = installer_client.get(DASHBOARD, {"q": "Maple", "status": "draft"}).content
    assert "q" in rendered
    assert 'value="Maple"' in searched.decode() and "Clear search" in searched.decode()
    # A searched form is never kept as the blank one, nor is support's.
    for _ in range(2):
        rendered.clear()
        supports = support_client.get(DASHBOARD).content.decode()
        assert "installer" in rendered and 'name="installer"' in supports
    rendered.clear()
    later = other.get(DASHBOARD).content.decode()
    assert rendered == []
    assert form.search(later)[0] == form.search(first)[0]
    assert 'value="Maple"' not in later and "Clear search" not in later
    assert 'name="installer"' not in later


def test_an_installer_without_news_is_not_asked_for_it_again(
    installer_client: Client, installer: User
) -> None:
    """Whether there is news comes with the page: the news are read only when there are some."""
    factories.onboarding(installer, home_name="Oak")
    asks_for_news = re.compile(r'NOT \(\S*"owner_notice" = ')
    with CaptureQueriesContext(connection) as captured:
        page = installer_client.get(DASHBOARD).content.decode()
    assert "What happened to your onboardings" not in page
    asked = [q["sql"] for q in captured if asks_for_news.search(q["sql"])]
    assert len(asked) == 1 and "LIMIT 21" in asked[0], asked  # the page's own statement
    # The user, the page and the block (the session too, unless Redis keeps it).
    statements = [q["sql"] for q in captured if "django_session" not in q["sql"]]
    assert len(statements) == 3, statements

    Onboarding.objects.update(owner_notice="Support recorded its id.")
    with CaptureQueriesContext(connection) as captured:
        page = installer_client.get(DASHBOARD).content.decode()
    assert "What happened to your onboardings" in page and "Support recorded its id." in page
    assert len([q for q in captured if "django_session" not in q["sql"]]) == 4
