"""Who may see what: installers see their own onboardings, support staff see everyone's."""

from django.contrib.auth.models import AnonymousUser, User

SUPPORT_PERMISSION = "wizard.support"
SUPPORT_GROUP = "Support"


def is_support(user: User | AnonymousUser) -> bool:
    """Support is a permission carried by the Support group; superusers have it too."""
    return user.is_authenticated and user.has_perm(SUPPORT_PERMISSION)
