"""Which onboardings a person may see, searching them, and likely duplicates."""

import re
from uuid import UUID

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Replace, Trim
from django.http import Http404

from onboarding.accounts.roles import is_support
from onboarding.wizard.models import Onboarding


def onboardings_visible_to(user: User | AnonymousUser) -> QuerySet[Onboarding]:
    """Support staff see every onboarding; installers see their own."""
    onboardings = Onboarding.objects.select_related("owner")
    if is_support(user):
        return onboardings.all()
    if not user.is_authenticated:
        return onboardings.none()
    return onboardings.filter(owner=user)


def get_onboarding_for(
    user: User | AnonymousUser, public_id: UUID | str, *, with_duplicate_count: bool = False
) -> Onboarding:
    """The onboarding if this person may see it; 404 otherwise, so its existence is not leaked.

    With with_duplicate_count, in the same query, how many other onboardings look like the same
    home (`duplicate_count`): check answers then asks for them only when there are some.
    """
    found = onboardings_visible_to(user)
    if with_duplicate_count:
        found = found.annotate(duplicate_count=_duplicate_count())
    try:
        return found.get(public_id=public_id)
    except Onboarding.DoesNotExist:
        raise Http404("No such onboarding.") from None


def _duplicate_count() -> Coalesce:
    """likely_duplicates(), counted for the row in hand."""
    others = (
        Onboarding.objects.filter(
            zipcode=OuterRef("zipcode"), home_name__iexact=Trim(OuterRef("home_name"))
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(zipcode="")
        .order_by()
        .values("zipcode")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(others), 0)


# Shorter hex fragments would match the random public ids of too many onboardings.
MIN_PUBLIC_ID_FRAGMENT = 6
_HEX_FRAGMENT = re.compile(r"[0-9a-f]+")


def search_onboardings(
    onboardings: QuerySet[Onboarding], *, query: str = "", status: str = ""
) -> QuerySet[Onboarding]:
    """Narrow a list by home name, ZIP code, home id or onboarding id (any part), and by status.

    Names match whatever the case (on SQLite, for ASCII letters only). Ids match any part, so
    "ws_home_2bf1" or a piece of the onboarding's address ("2bf116590a1a") finds it.
    """
    query = query.strip()
    if query:
        matches = (
            Q(home_name__icontains=query)
            | Q(zipcode__startswith=query)
            | Q(home_id__icontains=query)
        )
        fragment = query.lower().replace("-", "")
        if len(fragment) >= MIN_PUBLIC_ID_FRAGMENT and _HEX_FRAGMENT.fullmatch(fragment):
            # As text without hyphens on every database: PostgreSQL's uuid text has them.
            onboardings = onboardings.annotate(
                public_hex=Replace(Cast("public_id", CharField()), Value("-"), Value(""))
            )
            matches |= Q(public_hex__contains=fragment)
        onboardings = onboardings.filter(matches)
    if status in Onboarding.Status.values:
        onboardings = onboardings.filter(status=status)
    return onboardings


def is_discardable(onboarding: Onboarding) -> bool:
    """A draft never sent to WattShift (no home id) may be thrown away."""
    return onboarding.is_draft and not onboarding.home_id


def likely_duplicates(onboarding: Onboarding, *, seen_by: User) -> QuerySet[Onboarding]:
    """Other onboardings for a home with the same name (ignoring case) and ZIP code, each
    annotated with whether `seen_by` may open it (`visible`), in one query."""
    if not onboarding.home_name.strip() or not onboarding.zipcode:
        return Onboarding.objects.none()
    visible = Value(True) if is_support(seen_by) else Q(owner=seen_by)
    return (
        Onboarding.objects.filter(
            home_name__iexact=onboarding.home_name.strip(), zipcode=onboarding.zipcode
        )
        .exclude(pk=onboarding.pk)
        .annotate(visible=ExpressionWrapper(visible, output_field=BooleanField()))
        .select_related("owner")
    )
