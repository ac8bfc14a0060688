from django.db import migrations

# Support staff unlock a locked-out sign-in by deleting its access attempt in the admin, and see
# the failures that led to it.
GRANTS = [
    ("accessattempt", "view_accessattempt", "Can view access attempt"),
    ("accessattempt", "delete_accessattempt", "Can delete access attempt"),
    ("accessfailurelog", "view_accessfailurelog", "Can view access failure"),
]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Support")
    for model, codename, name in GRANTS:
        # Permissions are normally made after migrate; these are needed now.
        content_type, _ = ContentType.objects.get_or_create(app_label="axes", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Support").first()
    if group is not None:
        codenames = [codename for _, codename, _ in GRANTS]
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="axes", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("wizard", "0001_squashed_0013_same_home_index"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
