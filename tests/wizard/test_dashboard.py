"""The dashboard: start, drafts with progress, homes with ids, support's search and filter."""

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.wizard.models import Onboarding
from tests.wizard.conftest import complete_answers, step_url

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
    installer_client: Client, make_draft, other_installer: User
):
    make_draft(zipcode="95313", home_name="Half Done")
    make_draft(**complete_answers(home_name="Done Home", status="complete", home_id="ws_home_77"))
    make_draft(**complete_answers(home_name="Unsure Home", status="needs_attention"))
    make_draft(owner=other_installer, home_name="Not Yours")
    page = installer_client.get(DASHBOARD).content.decode()
    assert "Half Done" in page and "2 of 4 steps" in page and "Resume" in page
    assert "Done Home" in page and "ws_home_77" in page
    assert "Needs attention" in page and "Unsure Home" in page
    assert "Not Yours" not in page
    assert "Installer" not in page


def test_support_sees_everyone_and_can_search_and_filter(
    support_client: Client, make_draft, other_installer: User
):
    make_draft(zipcode="95313", home_name="Ina's Draft")
    make_draft(
        owner=other_installer,
        **complete_answers(
            home_name="Oscar Home", zipcode="02139", status="complete", home_id="ws_home_555"
        ),
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


def test_support_sees_needs_attention_with_resolve_links(
    support_client, make_draft, other_installer
):
    onboarding = make_draft(owner=other_installer, **complete_answers(status="needs_attention"))
    page = support_client.get(DASHBOARD).content.decode()
    assert reverse("wizard:resolve", args=[onboarding.public_id]) in page


def test_installer_search_stays_within_their_own(installer_client, make_draft, other_installer):
    make_draft(owner=other_installer, home_name="Secret Garden", zipcode="95313")
    response = installer_client.get(DASHBOARD, {"q": "Secret"})
    assert response.context["rows"] == []


def test_dashboard_is_paginated(support_client: Client, make_draft):
    for number in range(25):
        make_draft(home_name=f"Home {number:02d}")
    first = support_client.get(DASHBOARD)
    assert len(first.context["rows"]) == 20
    assert "Page 1 of 2" in first.content.decode()
    second = support_client.get(DASHBOARD, {"page": "2"})
    assert len(second.context["rows"]) == 5
    names = {row["onboarding"].home_name for row in first.context["rows"]}
    names |= {row["onboarding"].home_name for row in second.context["rows"]}
    assert len(names) == 25
    assert support_client.get(DASHBOARD, {"page": "99"}).status_code == 200


def test_search_ignores_nul_and_control_characters(support_client: Client, make_draft):
    # PostgreSQL refuses NUL in a query: this was a 500 there.
    make_draft(home_name="Oscar Home", zipcode="02139")
    for query in ("\x00", "%00", "Oscar\x00 Home", "\x1b[31mOscar", "\x00" * 10_000):
        response = support_client.get(DASHBOARD, {"q": query, "status": "\x00"})
        assert response.status_code == 200, query
    response = support_client.get(DASHBOARD, {"q": "Oscar\x00 Home\x07"})
    assert [row["onboarding"].home_name for row in response.context["rows"]] == ["Oscar Home"]
    assert response.context["query"] == "Oscar Home"
    page = support_client.get(DASHBOARD, {"q": "\x00", "status": "\x00"})
    assert [row["onboarding"].home_name for row in page.context["rows"]] == ["Oscar Home"]
    assert page.context["status"] == ""
