"""Which onboardings a person may see, and likely duplicates."""

from uuid import UUID

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Trim
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
