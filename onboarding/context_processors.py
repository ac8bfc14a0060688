from typing import Any

from django.conf import settings
from django.http import HttpRequest

from onboarding import field


def upstream(request: HttpRequest) -> dict[str, bool]:
    """Every page shows a Sandbox badge while the sandbox plays the upstream."""
    return {"using_sandbox": settings.WS_USING_SANDBOX}


def field_conditions(request: HttpRequest) -> dict[str, Any]:
    """What every page needs for a weak signal: app.js's words and timings, htmx's timeouts,
    and how long a wait on WattShift can be (the slow messages say it)."""
    return {
        "field_config": field.browser_config(),
        "htmx_timeout_ms": field.htmx_timeout_ms(),
        "htmx_long_timeout_ms": field.htmx_long_timeout_ms(),
        "lookup_wait_seconds": field.lookup_wait_seconds(),
        "upstream_wait_seconds": field.upstream_wait_seconds(),
    }
