"""The wizard in the field, on a phone with a weak signal: what the service worker keeps, how
long the browser waits for an answer, and the words app.js says when the signal fails."""

import hashlib
import json
import math
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from onboarding.wattshift.transport import DEADLINE_FACTOR

SERVICE_WORKER = "js/sw.js"
# The static files every page uses, kept by the service worker so that they, and the offline
# page, load without a network. The htmx script is named as {% htmx_script %} names it.
PRECACHED_STATIC = (
    "css/app.css",
    "js/app.js",
    "django_htmx/htmx-2.min.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
    "manifest.webmanifest",
)
# Left to the network alone by the service worker, whatever the request.
BYPASSED_PATHS = ("/admin/", "/sandbox/")


def service_worker_script() -> str:
    """static/js/sw.js, after the settings it reads: the URLs to precache as {% static %} gives
    them (hashed with DEBUG off), and a version that changes whenever one of them does."""
    source = _static_bytes(SERVICE_WORKER)
    offline_page = reverse("offline")
    version = hashlib.sha256(source)
    for name in PRECACHED_STATIC:
        version.update(_static_bytes(name))
    version.update(render_to_string("offline.html").encode())
    config = {
        "version": version.hexdigest()[:12],
        "precache": [static(name) for name in PRECACHED_STATIC] + [offline_page],
        "offlinePage": offline_page,
        "staticPrefix": settings.STATIC_URL,
        "bypass": list(BYPASSED_PATHS),
    }
    return f"const CONFIG = {json.dumps(config)};\n\n" + source.decode()


def _static_bytes(name: str) -> bytes:
    # The source file (as the finders see it), the same with or without collectstatic.
    path = finders.find(name)
    if not isinstance(path, str):
        raise FileNotFoundError(f"The static file {name} is missing.")
    with open(path, "rb") as file:
        return file.read()


def upstream_wait_seconds() -> int:
    """The longest a WattShift call, with its retries, keeps a page waiting (transport's rule)."""
    return math.ceil(settings.WS_API_DEADLINE or settings.WS_API_TIMEOUT * DEADLINE_FACTOR)


def lookup_wait_seconds() -> int:
    """The longest a ZIP code's utilities keep a page waiting."""
    return math.ceil(settings.WS_LOOKUP_DEADLINE)


def htmx_timeout_ms() -> int:
    """htmx gives up on a request after this: past a step's longest wait (a lookup that waits on
    another one for the same ZIP code, then its own), with room for a slow network."""
    return max(15, 2 * lookup_wait_seconds() + 5) * 1000


def htmx_long_timeout_ms() -> int:
    """For the requests that wait on any other WattShift call (the price signal)."""
    return max(30, upstream_wait_seconds() + 5) * 1000


def browser_config() -> dict[str, Any]:
    """What app.js reads from the page (base.html renders it with json_script)."""
    return {
        "serviceWorker": reverse("service_worker"),
        "slowAfterMs": round(settings.SLOW_NOTICE_SECONDS * 1000),
        "text": {
            "offline": _(
                "This was not sent: the phone could not reach the server. Nothing on this page "
                "has been lost. Try again when there is signal."
            ),
            "timeout": _(
                "No answer came back in time: the signal may be too weak. Nothing on this page "
                "has been lost. Try again when there is signal."
            ),
            "lookupFailed": _(
                "This could not be looked up: the phone could not reach the server. You can "
                "still continue when there is signal."
            ),
            "backOnline": _("The connection is back."),
            "sendAnswers": _("Send my answers"),
            "tryAgain": _("Try again"),
            "restored": _(
                "Answers on this phone that were not sent yet have been put back. Check them, "
                "then Continue."
            ),
        },
    }
