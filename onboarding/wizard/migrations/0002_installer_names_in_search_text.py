"""search_text gains each onboarding's installer's names (models.search_text_for): each
installer's onboardings are rewritten in one UPDATE, their names added after the home's words
as search_key writes them. `updated_at` is not touched: no onboarding changed."""

from django.db import migrations
from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Concat

OWNER_SEARCH_INPUTS = ("username", "first_name", "last_name")
HOME = ("home_name", "zipcode", "home_id")


def add_installer_names(apps, schema_editor):
    # A pure function of text: the words exactly as every later write spells them.
    from onboarding.wizard.models import search_key

    User = apps.get_model("auth", "User")
    Onboarding = apps.get_model("wizard", "Onboarding")
    db = schema_editor.connection.alias
    rows = Onboarding.objects.using(db)
    for owner in User.objects.using(db).filter(pk__in=rows.values("owner_id")):
        names = search_key(*(getattr(owner, name) for name in OWNER_SEARCH_INPUTS))
        rows.filter(owner_id=owner.pk).update(
            search_text=Case(
                When(search_text="", then=Value(names)),
                default=Concat("search_text", Value(" "), Value(names), output_field=TextField()),
                output_field=TextField(),
            )
        )


def remove_installer_names(apps, schema_editor):
    from onboarding.wizard.models import search_key

    Onboarding = apps.get_model("wizard", "Onboarding")
    rows = Onboarding.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while chunk := list(rows.filter(pk__gt=last).values("pk", *HOME)[:2000]):
        home = [
            Onboarding(pk=row["pk"], search_text=search_key(*(row[n] for n in HOME)))
            for row in chunk
        ]
        rows.bulk_update(home, ["search_text"])
        last = chunk[-1]["pk"]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wizard", "0001_squashed_0013_same_home_index"),
    ]

    operations = [migrations.RunPython(add_installer_names, remove_installer_names)]
