"""Make sure the demo installer and support logins exist (development only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from onboarding.accounts.roles import SUPPORT_GROUP

DEMO_USERS = {
    "installer": ("installer-demo-pass", False),
    "support": ("support-demo-pass", True),
}


class Command(BaseCommand):
    help = "Create or reset the demo installer and support logins (only with DEBUG on)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo logins are for development only: DEBUG is off.")
        User = get_user_model()
        support_group = Group.objects.get(name=SUPPORT_GROUP)
        for username, (password, support) in DEMO_USERS.items():
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.first_name = username.capitalize()
            user.save()
            if support:
                user.groups.add(support_group)
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            role = "support staff" if support else "installer"
            self.stdout.write(f"  Demo {role:13} login: {username} / {password}")
