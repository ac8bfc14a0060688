"""Data migrations, run forwards and back on rows written before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("wizard", "0001_squashed_0013_same_home_index")]
AFTER = [("wizard", "0002_installer_names_in_search_text")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def test_installer_names_are_added_to_search_text_and_taken_out_again() -> None:
    apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Onboarding = apps.get_model("wizard", "Onboarding")
    ines = User.objects.create(username="ines.r", first_name="Inés", last_name="Ramírez")
    named = Onboarding.objects.create(owner=ines, home_name="Oak St", search_text="oak st")
    unnamed = Onboarding.objects.create(owner=ines, search_text="")
    changed_at = Onboarding.objects.get(pk=named.pk).updated_at

    _migrate(AFTER)
    after = dict(Onboarding.objects.values_list("pk", "search_text"))
    assert after == {named.pk: "oak st ines r ines ramirez", unnamed.pk: "ines r ines ramirez"}
    assert Onboarding.objects.get(pk=named.pk).updated_at == changed_at

    _migrate(BEFORE)
    back = dict(Onboarding.objects.values_list("pk", "search_text"))
    assert back == {named.pk: "oak st", unnamed.pk: ""}
    _migrate(AFTER)
