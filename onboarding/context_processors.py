from django.conf import settings
from django.http import HttpRequest


def upstream(request: HttpRequest) -> dict[str, bool]:
    """Every page shows a Sandbox badge while the sandbox plays the upstream."""
    return {"using_sandbox": settings.WS_USING_SANDBOX}
