from django.db import migrations


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


class Migration(migrations.Migration):
    dependencies = [
        ("wizard", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_support_group, remove_support_group)]
