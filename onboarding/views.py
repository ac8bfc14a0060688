from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from onboarding import field
from onboarding.wizard.models import WorkerHeartbeat

# A worker beats every 10 s; a minute without one means none is running.
WORKER_STALE_SECONDS = 60


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 503 when the database does not answer (nothing works
    then), else 200, "degraded" when the cache is down or no worker beat lately (pages still
    work: the wizard asks WattShift itself; background checks wait)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    cache_ok = _cache_answers()
    beat = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"), workers=Count("pk"))
    age = (timezone.now() - beat["last"]).total_seconds() if beat["last"] else None
    worker_ok = age is not None and age <= WORKER_STALE_SECONDS
    return JsonResponse(
        {
            "status": "ok" if cache_ok and worker_ok else "degraded",
            "database": "ok",
            "cache": "ok" if cache_ok else "unavailable",
            "worker": {
                "last_heartbeat_seconds_ago": None if age is None else round(age, 1),
                "recent": worker_ok,
            },
        }
    )


def _cache_answers() -> bool:
    key = "healthz:probe"
    cache.set(key, "ok", 30)
    return cache.get(key) == "ok"


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js at the root, so its scope is every page; checked for changes each time."""
    response = HttpResponse(
        field.service_worker_script(), content_type="application/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows when a page cannot be loaded: no customer data, no account."""
    return render(request, "offline.html")
