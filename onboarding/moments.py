"""Moments as every page shows them."""

from datetime import datetime
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def when(moment: datetime | None) -> SafeString | str:
    """A moment in the site's time zone, short ("27 Nov, 9:14 AM"), with the year when it is not
    this one, as a <time> element.

    Django's date format "j M, g:i A" ("j M Y, g:i A") written out: its format parser costs
    more than the rest of a dashboard row, and a page shows 40 of these."""
    if moment is None:
        return ""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(moment, zone)
    year = "" if local.year == datetime.now(zone).year else f" {local.year}"
    text = f"{day_and_month(local)}{year}, {clock_time(local)}"
    return mark_safe(f'<time datetime="{local.isoformat()}">{escape(text)}</time>')  # noqa: S308


def day_and_month(local: datetime) -> str:
    """ "27 Nov": Django's "j M" written out."""
    months, _meridiems = _words(translation.get_language())
    return f"{local.day} {months[local.month - 1]}"


def clock_time(local: datetime) -> str:
    """ "9:14 AM": Django's "g:i A" written out."""
    _months, (am, pm) = _words(translation.get_language())
    return f"{local.hour % 12 or 12}:{local.minute:02d} {pm if local.hour > 11 else am}"


@lru_cache(maxsize=32)
def _words(language: str | None) -> tuple[tuple[str, ...], tuple[str, str]]:
    """The months' abbreviations and AM and PM in `language`, looked up once per language
    rather than once per moment (each lookup reads the active translation)."""
    with translation.override(language):
        months = tuple(str(MONTHS_3[number]).title() for number in range(1, 13))
        return months, (_("AM"), _("PM"))
