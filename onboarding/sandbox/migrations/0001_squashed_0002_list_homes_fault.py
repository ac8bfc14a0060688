"""The sandbox's tables as they stand after 0001_initial and 0002_list_homes_fault, which this
replaces (squashed on 2026-12-07; see the wizard's 0001_squashed_0013_same_home_index)."""

import django.db.models.deletion
from django.db import migrations, models

import onboarding.sandbox.models


class Migration(migrations.Migration):
    initial = True
    replaces = [("sandbox", "0001_initial"), ("sandbox", "0002_list_homes_fault")]

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ReceivedRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=255)),
                ("body", models.TextField(blank=True)),
                (
                    "auth",
                    models.CharField(
                        choices=[
                            ("api-key", "API key"),
                            ("session-token", "Session token"),
                            ("none", "Missing or not accepted"),
                        ],
                        default="none",
                        max_length=20,
                    ),
                ),
                ("status", models.PositiveSmallIntegerField()),
                ("at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="SandboxHome",
            fields=[
                (
                    "id",
                    models.CharField(
                        default=onboarding.sandbox.models.new_home_id,
                        editable=False,
                        max_length=64,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("name", models.CharField(max_length=255)),
                ("zipcode", models.CharField(max_length=10)),
                ("utility_id", models.CharField(max_length=64)),
                ("rate_plan_id", models.CharField(max_length=64)),
                ("has_ev_charger", models.BooleanField(null=True)),
                ("has_electric_heater", models.BooleanField(null=True)),
                ("has_smart_water_heater", models.BooleanField(null=True)),
                ("has_electric_water_heater", models.BooleanField(null=True)),
                ("has_ac", models.BooleanField(null=True)),
                ("ac_type", models.CharField(blank=True, max_length=10)),
                (
                    "solar_system_size_kw",
                    models.DecimalField(decimal_places=3, max_digits=9, null=True),
                ),
                ("is_non_net_metered", models.BooleanField(null=True)),
                ("client_id", models.CharField(blank=True, max_length=255)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="SessionToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="PendingFault",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "endpoint",
                    models.CharField(
                        choices=[
                            ("solar_create", "homes/solar/create"),
                            ("price_signal", "homes/{id}/price_signal"),
                            ("list_homes", "homes/list"),
                        ],
                        max_length=20,
                    ),
                ),
                ("remaining", models.PositiveSmallIntegerField(default=1)),
                (
                    "home",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pending_faults",
                        to="sandbox.sandboxhome",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("home", "endpoint"), name="sandbox_one_fault_per_call"
                    )
                ],
            },
        ),
    ]
