"""Moments as every page shows them."""

from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString


def when(moment: datetime | None) -> SafeString | str:
    """A moment in the site's time zone, short ("27 Nov, 9:14 AM"), with the year when it is not
    this one, as a <time> element."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    shape = "j M, g:i A" if local.year == timezone.localdate().year else "j M Y, g:i A"
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), dateformat.format(local, shape)
    )
