"""An index per list and filter order of the dashboard (Meta.indexes), replacing the single-
column indexes on owner and status that they start with; and on PostgreSQL a trigram index on
the public id as search compares it (hex without hyphens), so a reference typed in the search
is an index scan too."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PUBLIC_HEX_INDEX = "wizard_onboarding_public_hex_trgm"


def create_public_hex_index(apps, schema_editor):
    # The expression exactly as selectors.search.PUBLIC_HEX compiles on PostgreSQL.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PUBLIC_HEX_INDEX} ON wizard_onboarding "
            "USING gin ((REPLACE((public_id)::varchar, '-', '')) gin_trgm_ops)"
        )


def drop_public_hex_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PUBLIC_HEX_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("wizard", "0010_cache_table"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="onboarding",
            options={
                "ordering": ["-updated_at", "-id"],
                "permissions": [
                    ("support", "Support staff: see and resolve everyone's onboardings")
                ],
            },
        ),
        migrations.AlterField(
            model_name="onboarding",
            name="owner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="onboardings",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="onboarding",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitting", "Submitting"),
                    ("needs_attention", "Needs attention"),
                    ("home_created", "Home created, solar pending"),
                    ("complete", "Onboarded"),
                    ("updating", "Changing"),
                ],
                default="draft",
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="onboarding",
            index=models.Index(fields=["-updated_at", "-id"], name="onboarding_changed_idx"),
        ),
        migrations.AddIndex(
            model_name="onboarding",
            index=models.Index(fields=["owner", "-updated_at", "-id"], name="onboarding_owner_idx"),
        ),
        migrations.AddIndex(
            model_name="onboarding",
            index=models.Index(
                fields=["status", "-updated_at", "-id"], name="onboarding_status_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="onboarding",
            index=models.Index(
                fields=["owner", "status", "-updated_at", "-id"], name="onboarding_owner_status_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="onboarding",
            index=models.Index(fields=["created_at", "id"], name="onboarding_created_idx"),
        ),
        migrations.AddIndex(
            model_name="onboarding",
            index=models.Index(
                condition=models.Q(("plan_to_confirm", True)),
                fields=["-updated_at", "-id"],
                name="onboarding_plan_to_confirm_idx",
            ),
        ),
        migrations.RunPython(create_public_hex_index, drop_public_hex_index),
    ]
