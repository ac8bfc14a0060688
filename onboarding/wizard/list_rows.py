"""The dashboard's table rows and needs-attention items, written out in Python, as Django's
admin writes the rows of its change lists (`items_for_result`): the front page shows 40, and
through a template each cost ~140 µs (Jinja2) to ~400 µs (Django's template language), more
than the rest of the page. The markup is the same as the page's own; every value is escaped
(MarkupSafe's `escape`, as the Jinja2 templates that drew them before did, quotes included) and
the result marked safe once.
"""

from collections.abc import Iterable, Mapping
from typing import TypedDict

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markupsafe import escape

from onboarding.moments import when
from onboarding.wizard import steps
from onboarding.wizard.links import resume_url, url_for_each
from onboarding.wizard.models import Onboarding
from onboarding.wizard.selectors import is_discardable


class Row(TypedDict):
    """One onboarding of the list, with what its row shows besides its own fields."""

    onboarding: Onboarding
    label: str
    # "2 of 4 steps" for a draft; None for one that was sent (it shows its home id).
    progress: steps.Progress | None
    resume_url: str
    discardable: bool


def row_for(onboarding: Onboarding) -> Row:
    """A list row's values. A draft shows its progress (a sent one its home id)."""
    standing = steps.standing(onboarding) if onboarding.is_draft else None
    return {
        "onboarding": onboarding,
        "label": str(onboarding),
        "progress": standing.progress if standing else None,
        "resume_url": resume_url(onboarding, standing),
        "discardable": is_discardable(onboarding),
    }


class ListRows:
    """The rows of one page: its words, its URLs and its installers' names, looked up once."""

    def __init__(
        self, *, support: bool, owner_names: Mapping[int, str], newest_started_first: bool
    ) -> None:
        self.support = support
        self.owner_names = owner_names
        self.newest_started_first = newest_started_first
        self.home_url = url_for_each("wizard:home")
        self.resolve_url = url_for_each("wizard:resolve")
        self.discard_url = url_for_each("wizard:discard")
        self.statuses = {value: escape(str(label)) for value, label in Onboarding.Status.choices}
        words = {
            "home": _("Home"),
            "zipcode": _("ZIP code"),
            "status": _("Status"),
            "home_id": _("Home id"),
            "progress": _("Progress"),
            "changed": _("Created") if newest_started_first else _("Last changed"),
            "installer": _("Installer"),
            "plan_to_confirm": _("Plan to confirm"),
            "failed": _("Last attempt failed"),
            "resume": _("Resume"),
            "discard": _("Discard"),
            "view": _("View home"),
            "sent": _("sent"),
            "changed_at": _("changed"),
            "resolve": _("Resolve"),
        }
        self.words = {name: escape(text) for name, text in words.items()}
        # With a placeholder each: filled in per item, then escaped.
        self.zipcode_format = _("ZIP code %(zipcode)s")
        self.by_format = _("by %(owner)s")

    def table_rows(self, rows: Iterable[Row]) -> SafeString:
        """The <tr> of each onboarding of the list."""
        return mark_safe("".join(self._table_row(row) for row in rows))  # noqa: S308

    def attention_items(self, onboardings: Iterable[Onboarding]) -> SafeString:
        """The <li> of each onboarding in the needs-attention block."""
        return mark_safe("".join(self._attention_item(item) for item in onboardings))  # noqa: S308

    def _table_row(self, row: Row) -> str:
        words, onboarding = self.words, row["onboarding"]
        label = escape(row["label"])
        status = escape(onboarding.status)
        plan = (
            f' <strong class="tag tag--plan_to_confirm">{words["plan_to_confirm"]}</strong>'
            if onboarding.plan_to_confirm
            else ""
        )
        if onboarding.home_id:
            kind = words["home_id"]
            standing = (
                f'<span class="reference reference--small">{escape(onboarding.home_id)}</span>'
            )
        else:
            kind = words["progress"]
            standing = "–"
            if onboarding.is_draft:
                failed = (
                    f' <span class="hint hint--inline">{words["failed"]}</span>'
                    if onboarding.last_error
                    else ""
                )
                standing = f"<span>{escape(str(row['progress']))}{failed}</span>"
        moment = onboarding.created_at if self.newest_started_first else onboarding.updated_at
        installer = (
            f'<td data-label="{words["installer"]}">'
            f"{escape(self.owner_names[onboarding.owner_id])}</td>"
            if self.support
            else ""
        )
        hidden = f'<span class="visually-hidden"> {label}</span>'
        resume = escape(row["resume_url"])
        if onboarding.is_draft:
            actions = f'<a href="{resume}">{words["resume"]}{hidden}</a>'
            if row["discardable"]:
                discard = escape(self.discard_url(onboarding))
                actions += f' <a href="{discard}">{words["discard"]}{hidden}</a>'
        else:
            actions = f'<a href="{resume}">{words["view"]}{hidden}</a>'
        return (
            f'\n    <tr class="onboarding onboarding--{status}">'
            f'\n      <td data-label="{words["home"]}" class="onboardings__home" title="{label}">'
            f"{label}</td>"
            f'\n      <td data-label="{words["zipcode"]}">{escape(onboarding.zipcode or "–")}</td>'
            f'\n      <td data-label="{words["status"]}"><span><strong class="tag tag--{status}">'
            f"{self.statuses.get(onboarding.status, status)}</strong>{plan}</span></td>"
            f'\n      <td data-label="{kind}">{standing}</td>'
            f'\n      <td data-label="{words["changed"]}">{when(moment)}</td>'
            f"\n      {installer}"
            f'\n      <td data-label="" class="onboardings__actions">{actions}</td>'
            "\n    </tr>"
        )

    def _attention_item(self, onboarding: Onboarding) -> str:
        words = self.words
        label = escape(str(onboarding))
        zipcode = escape(self.zipcode_format % {"zipcode": onboarding.zipcode or "–"})
        if onboarding.submitted_at:
            moment = f"{words['sent']} {when(onboarding.submitted_at)}"
        else:
            moment = f"{words['changed_at']} {when(onboarding.updated_at)}"
        owner, resolve = "", ""
        if self.support:
            by = self.by_format % {"owner": self.owner_names[onboarding.owner_id]}
            owner = f" · {escape(by)}"
            resolve = (
                f'\n      <a href="{escape(self.resolve_url(onboarding))}">{words["resolve"]}'
                f'<span class="visually-hidden"> {label}</span></a>'
            )
        return (
            f'\n    <li class="attention__item"><a href="{escape(self.home_url(onboarding))}">'
            f"{label}</a>"
            f'\n      <span class="attention__details">{zipcode} · {moment}{owner}</span>'
            f"{resolve}</li>"
        )
