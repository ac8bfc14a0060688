"""What the installer is told when they next open an onboarding someone else settled."""

from django.contrib.auth.models import AnonymousUser, User

from onboarding.wizard.models import Onboarding


def read_by(onboarding: Onboarding, person: User | AnonymousUser) -> str:
    """The notice, if `person` is the installer it is for; once read, it is cleared."""
    if not onboarding.owner_notice or person.pk != onboarding.owner_id:
        return ""
    notice = onboarding.owner_notice
    Onboarding.objects.filter(pk=onboarding.pk, owner_notice=notice).update(owner_notice="")
    onboarding.owner_notice = ""
    return notice
