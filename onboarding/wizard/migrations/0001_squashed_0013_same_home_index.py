"""The wizard's tables as they stand after 0001_initial to 0013_same_home_index, which this
replaces (squashed on 2026-12-07, before the first production deploy). A database that applied
all thirteen counts this one as applied; one part of the way through them must first be migrated
to 0013 with the commit before this one (README, "Deploying").

Besides the tables: the pg_trgm extension and, on PostgreSQL, the trigram indexes search reads
(Meta.indexes cannot express an operator class on an expression); the Support group with its
permission; and the database cache's table, made here whatever cache is configured now, so
that switching REDIS_URL off later finds it.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations, models

CACHE_TABLE = "django_cache"
# Each as search compares it: selectors.search reads search_text, and PUBLIC_HEX (the public
# id as hex without hyphens) exactly as it compiles on PostgreSQL.
TRIGRAM_INDEXES = {
    "wizard_onboarding_search_trgm": "search_text",
    "wizard_onboarding_public_hex_trgm": "(REPLACE((public_id)::varchar, '-', ''))",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, expression in TRIGRAM_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON wizard_onboarding "
                f"USING gin ({expression} gin_trgm_ops)"
            )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_support_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally made after migrate; this one is needed now.
    content_type, _ = ContentType.objects.get_or_create(app_label="wizard", model="onboarding")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="support",
        defaults={"name": "Support staff: see and resolve everyone's onboardings"},
    )
    group, _ = Group.objects.get_or_create(name="Support")
    group.permissions.add(permission)


def remove_support_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Support").delete()


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {CACHE_TABLE}")


class Migration(migrations.Migration):
    initial = True
    replaces = [
        ("wizard", "0001_initial"),
        ("wizard", "0002_support_group"),
        ("wizard", "0003_remove_solar_status"),
        ("wizard", "0004_plan_to_confirm"),
        ("wizard", "0005_event_technical_detail"),
        ("wizard", "0006_search_text"),
        ("wizard", "0007_background_checks_and_notices"),
        ("wizard", "0008_worker_heartbeat"),
        ("wizard", "0009_updating_status"),
        ("wizard", "0010_cache_table"),
        ("wizard", "0011_list_indexes"),
        ("wizard", "0012_news_index"),
        ("wizard", "0013_same_home_index"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Does nothing on other databases.
        TrigramExtension(),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("worker_id", models.CharField(max_length=64, unique=True)),
                ("host", models.CharField(blank=True, max_length=255)),
                ("beat_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="Onboarding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "status",
                    models.CharField(
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
                ("zipcode", models.CharField(blank=True, max_length=10, verbose_name="ZIP code")),
                ("utility_id", models.CharField(blank=True, max_length=64)),
                ("utility_name", models.CharField(blank=True, max_length=255)),
                ("rate_plan_id", models.CharField(blank=True, max_length=64)),
                ("rate_plan_name", models.CharField(blank=True, max_length=255)),
                ("rate_plan_rate_id", models.CharField(blank=True, max_length=255)),
                ("plan_to_confirm", models.BooleanField(default=False)),
                (
                    "home_name",
                    models.CharField(blank=True, max_length=255, verbose_name="home name"),
                ),
                (
                    "has_ev_charger",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                        max_length=10,
                    ),
                ),
                (
                    "has_electric_heater",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                        max_length=10,
                    ),
                ),
                (
                    "has_smart_water_heater",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                        max_length=10,
                    ),
                ),
                (
                    "has_electric_water_heater",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                        max_length=10,
                    ),
                ),
                (
                    "has_ac",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                        max_length=10,
                    ),
                ),
                (
                    "ac_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("central", "Central"),
                            ("window", "Window unit"),
                            ("split", "Ductless mini-split"),
                            ("other", "Other"),
                        ],
                        max_length=10,
                    ),
                ),
                ("has_solar", models.BooleanField(blank=True, null=True)),
                (
                    "solar_size_kw",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True),
                ),
                ("solar_net_metered", models.BooleanField(blank=True, null=True)),
                (
                    "home_id",
                    models.CharField(
                        blank=True, db_index=True, max_length=128, verbose_name="home id"
                    ),
                ),
                ("search_text", models.TextField(blank=True, editable=False)),
                ("last_error", models.TextField(blank=True)),
                ("upstream_field_errors", models.JSONField(blank=True, default=dict)),
                ("retry_not_before", models.DateTimeField(blank=True, null=True)),
                ("next_check_at", models.DateTimeField(blank=True, null=True)),
                ("checks_made", models.PositiveSmallIntegerField(default=0)),
                ("owner_notice", models.CharField(blank=True, max_length=300)),
                ("submitted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="onboardings",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-updated_at", "-id"],
                "permissions": [
                    ("support", "Support staff: see and resolve everyone's onboardings")
                ],
            },
        ),
        migrations.CreateModel(
            name="Event",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("action", models.CharField(max_length=64)),
                ("outcome", models.CharField(max_length=32)),
                ("detail", models.TextField(blank=True)),
                ("params", models.JSONField(blank=True, default=dict)),
                ("http_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("error_code", models.CharField(blank=True, max_length=64)),
                ("request_id", models.CharField(blank=True, max_length=128)),
                ("duration_ms", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "onboarding",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="wizard.onboarding",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="onboarding",
            index=models.Index(
                condition=models.Q(("owner_notice", ""), _negated=True),
                fields=["owner"],
                name="onboarding_news_idx",
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
        migrations.AddIndex(
            model_name="onboarding",
            index=models.Index(fields=["zipcode", "home_name"], name="onboarding_same_home_idx"),
        ),
        migrations.AddConstraint(
            model_name="onboarding",
            constraint=models.CheckConstraint(
                condition=models.Q(("ac_type", ""), ("has_ac", "yes"), _connector="OR"),
                name="wizard_onboarding_ac_type_needs_ac",
            ),
        ),
        migrations.AddConstraint(
            model_name="onboarding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("solar_size_kw__isnull", True), ("solar_size_kw__gt", 0), _connector="OR"
                ),
                name="wizard_onboarding_solar_size_positive",
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.RunPython(create_support_group, remove_support_group),
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
