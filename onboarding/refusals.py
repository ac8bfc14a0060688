"""The pages that say no, each with a way forward and the request id support can look up: the
500 handler (plain: no database, no context processors), the failed CSRF check, and the
lockout after too many failed sign-ins (django-axes)."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding import request_id


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 500.html with the request id only; when even that fails, plain text."""
    rid = getattr(request, "request_id", request_id.current())
    try:
        body = loader.get_template("500.html").render({"request_id": rid})
    except Exception:  # the page that reports an error must not raise one of its own
        body = _("Sorry, something went wrong on our side. Reference: %(id)s") % {"id": rid}
        return HttpResponseServerError(body, content_type="text/plain; charset=utf-8")
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: usually a form left open past its session, or sent from elsewhere."""
    # Escaped and cut: a reason can quote the Origin header, which the sender chose.
    escaped = reason.encode("unicode_escape").decode("ascii")[:120]
    request.refusal = f"csrf: {escaped}"  # type: ignore[attr-defined]
    return render(request, "403_csrf.html", status=403)


def lockout(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, object] | None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page's lockout message, with when to try again."""
    from axes.helpers import get_cool_off  # axes reads settings when imported

    request.refusal = "locked-out"  # type: ignore[attr-defined]
    cool_off = get_cool_off(request) or timedelta(0)
    context = {
        # The failure just made restarts the cool-off, so it ends this long from now at most.
        "retry_at": timezone.localtime(timezone.now() + cool_off),
        "cool_off_minutes": max(1, round(cool_off.total_seconds() / 60)),
    }
    return render(request, "axes/lockout.html", context, status=429)
