"""What the installer is told when support or the background check settled their onboarding."""

from datetime import timedelta

import responses
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.services import notices
from tests.wizard import factories
from tests.wizard.pages import action_url, check_url, resolve_url
from tests.wizard.upstream import url


def test_the_notice_is_for_the_installer_and_read_once(installer: User, support_user: User):
    onboarding = factories.onboarding(installer, owner_notice="Support recorded its id.")

    assert notices.read_by(onboarding, support_user) == ""
    assert notices.read_by(onboarding, installer) == "Support recorded its id."
    onboarding.refresh_from_db()
    assert onboarding.owner_notice == ""
    assert notices.read_by(onboarding, installer) == ""


def test_support_letting_it_be_sent_again_stays_on_its_page_and_tells_the_installer(
    support_client: Client,
    installer_client: Client,
    needs_attention: Onboarding,
    wattshift_api: responses.RequestsMock,
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), json=[])

    response = support_client.post(
        action_url(needs_attention, "retry"), {"confirm": "on"}, follow=True
    )

    assert response.redirect_chain == [(resolve_url(needs_attention), 302)]
    page = response.content.decode()
    assert page.count("The installer can send this home again") == 1
    assert "Check the answers and create the home" in page
    # The installer, on their next look, is told once.
    first = installer_client.get(check_url(needs_attention)).content.decode()
    assert "Support checked that WattShift did not create this home" in first
    again = installer_client.get(check_url(needs_attention)).content.decode()
    assert "Support checked that WattShift did not create this home" not in again


def test_support_checking_again_with_no_home_listed_says_so_once(
    support_client: Client, needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(responses.POST, url("homes/list"), json=[])
    Event.objects.filter(onboarding=needs_attention).update(
        at=timezone.now() - timedelta(minutes=10)
    )
    Onboarding.objects.filter(pk=needs_attention.pk).update(submitted_at=None)

    response = support_client.post(action_url(needs_attention, "reconcile"), follow=True)

    assert response.redirect_chain == [(resolve_url(needs_attention), 302)]
    page = response.content.decode()
    assert page.count("WattShift has no such home, so it was not created.") == 1
    needs_attention.refresh_from_db()
    assert needs_attention.status == Onboarding.Status.DRAFT


def test_the_installer_s_dashboard_lists_what_was_settled_until_they_open_it(
    installer_client: Client, installer: User, other_installer: User
) -> None:
    mine = factories.onboarding(
        installer, status="complete", home_id="ws_home_1", owner_notice="Support recorded its id."
    )
    factories.onboarding(other_installer, owner_notice="Not for Ina.")

    page = installer_client.get("/").content.decode()
    assert "What happened to your onboardings" in page
    assert "Support recorded its id." in page and "Not for Ina." not in page

    installer_client.get(f"/onboardings/{mine.public_id}/home/")
    assert "What happened to your onboardings" not in installer_client.get("/").content.decode()
