"""Who may see what: installers see their own onboardings, support staff see everyone's."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.db.models import Exists, OuterRef, Q

SUPPORT_PERMISSION = "wizard.support"
SUPPORT_GROUP = "Support"


def is_support(user: User | AnonymousUser) -> bool:
    """Support is a permission carried by the Support group; superusers have it too.

    Known without a query for a person loaded by RoleAwareBackend (every request's user)."""
    if not user.is_authenticated:
        return False
    known = getattr(user, "has_support_role", None)
    if known is not None:
        return bool(user.is_superuser or known)
    return user.has_perm(SUPPORT_PERMISSION)


class RoleAwareBackend(ModelBackend):
    """Django's own backend, loading each request's user together with their support role, so
    no page spends two permission queries on finding out who may see what."""

    def get_user(self, user_id: int) -> User | None:
        app_label, codename = SUPPORT_PERMISSION.split(".")
        support = Permission.objects.filter(
            Q(group__user=OuterRef("pk")) | Q(user=OuterRef("pk")),
            content_type__app_label=app_label,
            codename=codename,
        )
        user = User._default_manager.annotate(has_support_role=Exists(support)).filter(pk=user_id)
        found = user.first()
        return found if found is not None and self.user_can_authenticate(found) else None
