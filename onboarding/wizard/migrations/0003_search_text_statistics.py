"""On PostgreSQL, the planner's statistics on search_text sample every row of a table up to
300,000 onboardings (a statistics target of 1,000, ten times the default).

A word's share of the rows is estimated from those statistics, and the plan follows from it:
for a word in few rows (a ZIP code: a few hundred in 100,000), the trigram index and a sort;
for one in many (an installer's name), the list's own order, read until a page is found. With
the default target the estimate moves in steps of 1 % of the table, so a ZIP code in 0.3 % of
the rows was either a handful or a thousand depending on which rows one ANALYZE happened to
sample: the second reads a third of the table in order (30 ms instead of 2 at 100,000, and it
grows with the table). At 1,000 the steps are 0.1 %, and the choice no longer hangs on the sample.

The column is analyzed at once, rather than when autovacuum next gets to the table (after a
tenth of it has changed): ANALYZE reads a sample without blocking reads or writes, a second or
two at 100,000 rows.
"""

from django.db import migrations

STATISTICS_TARGET = 1000


def raise_statistics_target(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE wizard_onboarding ALTER COLUMN search_text "
            f"SET STATISTICS {STATISTICS_TARGET}"
        )
        schema_editor.execute("ANALYZE wizard_onboarding (search_text)")


def default_statistics_target(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE wizard_onboarding ALTER COLUMN search_text SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [("wizard", "0002_installer_names_in_search_text")]

    operations = [migrations.RunPython(raise_statistics_target, default_statistics_target)]
