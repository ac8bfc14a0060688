"""search_text: the one column search reads, filled for the rows that exist, and on PostgreSQL
indexed by trigrams (pg_trgm), so "contains" is an index scan at any size. SQLite has no
trigram index: it scans the column, which is fine at the sizes it serves."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from onboarding.wizard.models import search_key

TRIGRAM_INDEX = "wizard_onboarding_search_trgm"


def fill(apps, schema_editor):
    Onboarding = apps.get_model("wizard", "Onboarding")
    for row in Onboarding.objects.only("home_name", "zipcode", "home_id").iterator():
        Onboarding.objects.filter(pk=row.pk).update(
            search_text=search_key(row.home_name, row.zipcode, row.home_id)
        )


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON wizard_onboarding "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wizard", "0005_event_technical_detail")]

    operations = [
        migrations.AddField(
            model_name="onboarding",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        # Does nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
