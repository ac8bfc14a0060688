"""Where a sign-in comes from, for django-axes' per-address limit."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or, behind settings.TRUSTED_PROXIES proxies, the address the farthest of
    them saw. Each proxy appends the address it was called from to X-Forwarded-For, so only the
    last TRUSTED_PROXIES entries are trustworthy: anything to their left the client wrote."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(forwarded) < proxies:
        return remote  # not through every proxy: the address that called us is the client
    return forwarded[-proxies]
