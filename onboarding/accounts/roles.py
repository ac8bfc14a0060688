"""Who may see what: installers see their own onboardings, support staff see everyone's."""

import functools
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

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


def _with_role() -> QuerySet[User]:
    """Users, each with whether they hold the support permission (by group or directly)."""
    app_label, codename = SUPPORT_PERMISSION.split(".")
    support = Permission.objects.filter(
        Q(group__user=OuterRef("pk")) | Q(user=OuterRef("pk")),
        content_type__app_label=app_label,
        codename=codename,
    )
    return User._default_manager.annotate(has_support_role=Exists(support))


@functools.cache
def _user_with_role_sql(vendor: str) -> tuple[str, list[Any]]:
    """The query, written by the ORM once per database kind: building it is most of its cost
    (the query itself takes a tenth of a millisecond), and every request runs it."""
    sql, params = _with_role().filter(pk=0).query.sql_with_params()
    return sql, list(params[:-1])


class RoleAwareBackend(ModelBackend):
    """Django's own backend, loading each request's user together with their support role, so
    no page spends two permission queries on finding out who may see what."""

    def get_user(self, user_id: int) -> User | None:
        sql, params = _user_with_role_sql(connection.vendor)
        found = next(iter(User._default_manager.raw(sql, [*params, user_id])), None)
        return found if found is not None and self.user_can_authenticate(found) else None
