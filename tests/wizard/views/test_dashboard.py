"""The dashboard: start, drafts with progress, homes with ids, support's search and filter."""

from datetime import UTC, datetime

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.wizard.models import Onboarding
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
    assert "Ina&#x27;s Draft" in page and "Oscar Home" in page
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
