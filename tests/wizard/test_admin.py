"""The admin lists onboardings searchably, with their events read-only."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.wizard.models import Event
from tests.wizard import factories


@pytest.fixture
def admin_client_logged_in(db) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="pw-root-12345"))
    return client


@pytest.mark.parametrize("query", ["maple", "95313", "ws_home_31", "ina"])
def test_admin_search(
    admin_client_logged_in: Client, installer: User, other_installer: User, query: str
):
    factories.onboarding(installer, status="complete", home_id="ws_home_31")
    factories.onboarding(other_installer, through="none", home_name="Other", zipcode="02139")
    response = admin_client_logged_in.get(
        reverse("admin:wizard_onboarding_changelist"), {"q": query}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_admin_search_by_public_id_and_events_read_only(admin_client_logged_in, installer):
    onboarding = factories.onboarding(installer)
    Event.objects.create(onboarding=onboarding, action="homes/create", outcome="ok")
    changelist = admin_client_logged_in.get(
        reverse("admin:wizard_onboarding_changelist"), {"q": str(onboarding.public_id)}
    )
    assert changelist.context["cl"].result_count == 1
    page = admin_client_logged_in.get(
        reverse("admin:wizard_onboarding_change", args=[onboarding.pk])
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "homes/create" in content
    assert 'name="events-0-action"' not in content
    filtered = admin_client_logged_in.get(
        reverse("admin:wizard_onboarding_changelist"), {"status__exact": "draft"}
    )
    assert filtered.context["cl"].result_count == 1
