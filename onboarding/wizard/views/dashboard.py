"""The list of onboardings (searched, filtered, paged, exported), and starting, resuming and
discarding one."""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Exists, QuerySet
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.accounts.roles import is_support
from onboarding.http import AuthenticatedRequest
from onboarding.wizard import export as export_csv
from onboarding.wizard import forms, selectors, steps
from onboarding.wizard.links import resume_url, step_url
from onboarding.wizard.list_rows import ListRows, row_for
from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import drafts
from onboarding.wizard.views.steps import navigate, render_step

# The needs-attention block shows the newest few, and counts the rest only this far.
ATTENTION_SHOWN = 20
ATTENTION_COUNT_LIMIT = 100
NEWS_SHOWN = 10
# What the blocks above the list show of each onboarding (its name is its home's name, or where
# and when it was started): fewer columns to load on every view of the front page.
NAMED = ("public_id", "owner_id", "home_name", "zipcode", "created_at")
ATTENTION_FIELDS = (*NAMED, "updated_at", "submitted_at", "status")
NEWS_FIELDS = (*NAMED, "owner_notice")
# What each row of an installer's front page carries: whether they have news (dashboard).
NEWS_WAITING = "news_waiting"


@dataclass(frozen=True)
class Listing:
    """The onboardings a request asks for: its search form, and what it finds, in order."""

    form: forms.OnboardingSearchForm
    filters: selectors.Filters
    visible: QuerySet[Onboarding]
    found: QuerySet[Onboarding]
    # Each installer's username by id: the lists name installers from it (owner_names).
    usernames: dict[int, str]

    def owner_names(self, *lists: list[Onboarding]) -> dict[int, str]:
        """The username of each installer in `lists`. The rows are read without their installer
        (a join and a User per row): support's filter has read everyone who owns one, and an
        installer sees only their own. One query more only for an installer whose first
        onboarding was started since the filter's list was read."""
        missing = {row.owner_id for rows in lists for row in rows} - self.usernames.keys()
        if not missing:
            return self.usernames
        return self.usernames | dict(
            User.objects.filter(pk__in=missing).values_list("pk", "username")
        )


def listing(request: AuthenticatedRequest) -> Listing:
    """The dashboard's search and filters applied to what this person may see. Support's
    installer filter offers everyone who owns an onboarding."""
    people = selectors.people_with_onboardings() if is_support(request.user) else None
    form = forms.OnboardingSearchForm(request.GET, people=people)
    filters = form.filters()
    visible = selectors.onboardings_visible_to(request.user).select_related(None)
    found = selectors.search_onboardings(visible, filters=filters)
    usernames = (
        {pk: username for pk, username, *_names in people}
        if people is not None
        else {request.user.pk: request.user.get_username()}
    )
    return Listing(form=form, filters=filters, visible=visible, found=found, usernames=usernames)


def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    listed = listing(request)
    support = is_support(request.user)
    searching = bool(listed.filters) or bool(listed.form.errors)
    found = listed.found
    if not searching and not support:
        # Whether the installer has news rides in the page's statement (a subquery that
        # depends on no row, run once): most days there is none, and nothing more is asked.
        found = found.annotate(**{NEWS_WAITING: Exists(_news(listed.visible))})
    page = selectors.keyset_page(
        found,
        by=listed.filters.order,
        cursor=request.GET.get("cursor", ""),
        number=request.GET.get("page", ""),
        count_limit=selectors.SEARCH_COUNT_LIMIT if listed.filters.query else selectors.COUNT_LIMIT,
    )
    rows = [row_for(onboarding) for onboarding in page.rows]
    # The needs-attention block and an installer's news head the front page only: a search or
    # a later page is about its own list (and costs their statements less).
    needs_attention: list[Onboarding] = []
    attention_total: int | None = 0
    news: list[Onboarding] = []
    if not searching and page.previous is None:
        needs_attention, attention_total = _needs_attention(listed.visible)
        # A page read without the flag (none of today's paths) asks rather than hides news.
        if not support and page.rows and getattr(page.rows[0], NEWS_WAITING, True):
            news = list(_news(listed.visible).only(*NEWS_FIELDS)[:NEWS_SHOWN])
    link_query = listed.form.link_query()
    newest_started_first = listed.filters.order == selectors.STARTED
    lists = ListRows(
        support=support,
        owner_names=listed.owner_names(page.rows, needs_attention),
        # The date column is the one the list is in order of.
        newest_started_first=newest_started_first,
    )
    return render(
        request,
        "wizard/dashboard.html",
        {
            "rows": rows,
            "onboarding_rows": lists.table_rows(rows),
            "attention_items": lists.attention_items(needs_attention),
            "page": page,
            "previous_url": _with(link_query, cursor=page.previous) if page.previous else "",
            "next_url": _with(link_query, cursor=page.next) if page.next else "",
            "export_url": reverse("wizard:export") + _with(link_query),
            # Shown with what was searched for, without control characters; its errors, if
            # any, are the page's (the title and the error summary read `form`).
            "search_form": listed.form,
            "form": listed.form,
            "query": listed.filters.query,
            "status": listed.filters.status,
            "needs_attention": needs_attention,
            "attention_total": attention_total,
            "attention_count_limit": ATTENTION_COUNT_LIMIT,
            "attention_url": reverse("wizard:dashboard")
            + _with({"status": Onboarding.Status.NEEDS_ATTENTION}),
            "is_support": support,
            "news": news,
            "searching": searching,
            "newest_started_first": newest_started_first,
        },
    )


@require_GET
def export(request: AuthenticatedRequest) -> HttpResponseBase:
    """The dashboard's list, every page of it, as CSV, streamed as it is read."""
    listed = listing(request)
    if listed.form.errors:
        # Only a hand-edited link has a bad date: the dashboard says what is wrong with it.
        return redirect(f"{reverse('wizard:dashboard')}?{request.GET.urlencode()}")
    response = StreamingHttpResponse(
        export_csv.lines(listed.found), content_type="text/csv; charset=utf-8"
    )
    filename = f"onboardings-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _needs_attention(visible: QuerySet[Onboarding]) -> tuple[list[Onboarding], int | None]:
    """The newest ATTENTION_SHOWN onboardings that need attention, and how many there are
    (None: more than ATTENTION_COUNT_LIMIT)."""
    attention = visible.filter(status=Onboarding.Status.NEEDS_ATTENTION)
    newest = attention.only(*ATTENTION_FIELDS)
    shown = list(
        selectors.with_list_count(newest, attention, ATTENTION_COUNT_LIMIT)[:ATTENTION_SHOWN]
    )
    return shown, selectors.list_count_of(shown)


def _news(visible: QuerySet[Onboarding]) -> QuerySet[Onboarding]:
    """What support or the background check settled on an installer's onboardings."""
    return visible.exclude(owner_notice="")


def _with(query: dict[str, str], **more: object) -> str:
    """A link's query string ("?q=oak&cursor=n2..."), or "" when there is nothing to carry."""
    values = query | {name: str(value) for name, value in more.items() if value is not None}
    return f"?{urlencode(values)}" if values else ""


@require_POST
def new_onboarding(request: AuthenticatedRequest) -> HttpResponse:
    onboarding = drafts.start_onboarding(owner=request.user)
    first = steps.STEPS[0]
    if request.htmx:
        # One request: the first step itself.
        page = render_step(request, onboarding, first, returning=False, whole_page=True)
        return navigate(page, step_url(onboarding, first))
    return redirect(step_url(onboarding, first))


def resume(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    onboarding = selectors.get_onboarding_for(request.user, public_id)
    return redirect(resume_url(onboarding))


@require_http_methods(["GET", "POST"])
def discard(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """Ask "Are you sure…", then delete a draft that was never sent to WattShift."""
    onboarding = selectors.get_onboarding_for(request.user, public_id)
    sent = _("This onboarding was sent to WattShift, so it cannot be discarded.")
    if not selectors.is_discardable(onboarding):
        messages.error(request, sent)
        return redirect(resume_url(onboarding))
    if request.method == "POST":
        if not drafts.discard_draft(onboarding=onboarding):
            messages.error(request, sent)
            return redirect(resume_url(onboarding))
        messages.success(request, _("The draft “%(name)s” was discarded.") % {"name": onboarding})
        return redirect("wizard:dashboard")
    return render(
        request,
        "wizard/discard.html",
        {
            "onboarding": onboarding,
            "progress": steps.progress(onboarding),
            "back_url": reverse("wizard:dashboard"),
        },
    )
