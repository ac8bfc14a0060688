"""The project's settings plus what only the benchmark needs: the floor view and a counter of
SQL statements per request. Used by the app under test, never by the upstream."""

import os

from onboarding.settings import *  # noqa: F403
from onboarding.settings import CACHES, INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
# Outermost, so sessions, auth and everything else a request runs are counted.
MIDDLEWARE = ["bench.middleware.count_sql", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"

# collectstatic writes into the run's temporary folder, not the project's staticfiles/.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

# A cache shared between runs (Redis) must not answer from an earlier one: this run's keys only.
if os.environ.get("BENCH_CACHE_PREFIX"):
    for cache in CACHES.values():
        cache["KEY_PREFIX"] = os.environ["BENCH_CACHE_PREFIX"]
