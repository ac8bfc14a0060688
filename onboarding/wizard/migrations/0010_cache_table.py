"""The database cache's table, made by migrate (no separate createcachetable step), whatever
cache is configured now: switching REDIS_URL off later must find it there."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "django_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("wizard", "0009_updating_status")]

    operations = [migrations.RunPython(create, drop)]
