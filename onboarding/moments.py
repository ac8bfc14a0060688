"""Moments as every page shows them."""

from datetime import datetime

from django.utils import timezone
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
    local = timezone.localtime(moment)
    year = "" if local.year == timezone.localdate().year else f" {local.year}"
    text = f"{day_and_month(local)}{year}, {clock_time(local)}"
    return mark_safe(f'<time datetime="{local.isoformat()}">{escape(text)}</time>')  # noqa: S308


def day_and_month(local: datetime) -> str:
    """ "27 Nov": Django's "j M" written out."""
    return f"{local.day} {MONTHS_3[local.month].title()}"


def clock_time(local: datetime) -> str:
    """ "9:14 AM": Django's "g:i A" written out."""
    meridiem = _("PM") if local.hour > 11 else _("AM")
    return f"{local.hour % 12 or 12}:{local.minute:02d} {meridiem}"
