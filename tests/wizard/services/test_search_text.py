"""An installer's names are part of their onboardings' search text, and stay true."""

import io

import pytest
from django.contrib.auth.models import User, update_last_login
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import search_text
from tests.wizard import factories

pytestmark = pytest.mark.django_db


def test_the_search_text_holds_the_home_and_then_its_installers_names(installer: User) -> None:
    installer.last_name = "Ramírez"
    installer.save()
    row = factories.onboarding(installer, home_name="O'Brien House", zipcode="02139")
    row.refresh_from_db()
    assert row.search_text == "o brien house 02139 ina ina ramirez"


def test_a_rename_rewrites_their_search_text_only_and_changes_nothing_else(
    installer: User, other_installer: User
) -> None:
    factories.many(installer, 3, home_name="Garcia residence")
    theirs = factories.onboarding(other_installer, home_name="Elm cottage")
    before = {row.pk: row.updated_at for row in Onboarding.objects.all()}

    installer.username, installer.first_name, installer.last_name = "ines.r", "Inés", "Ramírez"
    installer.save()

    rows = Onboarding.objects.filter(owner=installer)
    assert {row.search_text for row in rows} == {"garcia residence 95313 ines r ines ramirez"}
    theirs.refresh_from_db()
    assert theirs.search_text.endswith("oscar oscar")
    # A rename is no change to an onboarding: the lists keep their order.
    assert {row.pk: row.updated_at for row in Onboarding.objects.all()} == before
    # Saved again unchanged: nothing is stale, nothing is written.
    assert search_text.rewrite_for_owner(installer) == 0


def test_a_login_does_not_read_the_installers_onboardings(installer: User) -> None:
    factories.many(installer, 3)
    with CaptureQueriesContext(connection) as queries:
        update_last_login(User, installer)
    assert not [query for query in queries if "wizard_onboarding" in query["sql"]]


def test_the_command_repairs_rows_written_without_the_names(
    installer: User, other_installer: User
) -> None:
    """As rows written by servers still running the release before would be."""
    factories.many(installer, 3, home_name="Garcia residence")
    theirs = factories.onboarding(other_installer, home_name="Elm cottage")
    Onboarding.objects.filter(owner=installer).update(search_text="garcia residence 95313")

    out = io.StringIO()
    call_command("rewrite_search_text", stdout=out)

    assert out.getvalue().strip() == "3 onboardings' search text rewritten."
    rows = Onboarding.objects.filter(owner=installer)
    assert {row.search_text for row in rows} == {"garcia residence 95313 ina ina"}
    theirs.refresh_from_db()
    assert theirs.search_text.endswith("oscar oscar")
    call_command("rewrite_search_text", stdout=out)
    assert out.getvalue().strip().endswith("0 onboardings' search text rewritten.")
