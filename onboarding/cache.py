"""Caches that fail soft: a cache that is down is a miss, logged, never a 500.

The wizard only caches what it can ask WattShift for again (a ZIP code's utilities, prices,
the list of homes) and sessions kept in the database too (cached_db), so carrying on without
the cache is always correct, just slower. The single-flight lock then degrades to "no lock":
two lookups of one ZIP code may both ask WattShift, which is harmless.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError
from redis.exceptions import RedisError

logger = logging.getLogger("onboarding.cache")

# A cache that is down would otherwise log on every request: once a minute is enough.
REPORT_EVERY_SECONDS = 60.0


def _soft(name: str, fallback: Any) -> Callable[..., Any]:
    """The cache's own `name`, answering `fallback` when the cache cannot be reached."""

    def operation(self: "FailSoft", *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(FailSoft, self), name)(*args, **kwargs)
        except self.failures as error:
            self.report(name, error)
            if name == "get":  # get(key, default=None)
                return args[1] if len(args) > 1 else kwargs.get("default")
            return fallback

    operation.__name__ = name
    return operation


class FailSoft(BaseCache):
    """Each cache operation answers as if the key were absent when the cache cannot be reached."""

    failures: tuple[type[BaseException], ...] = ()
    _last_report = 0.0

    def report(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        if now - type(self)._last_report >= REPORT_EVERY_SECONDS:
            type(self)._last_report = now
            logger.warning(
                "Cache unavailable (%s failed: %s); carrying on without it",
                operation,
                type(error).__name__,
            )

    get = _soft("get", None)
    get_many = _soft("get_many", {})
    set = _soft("set", None)
    set_many = _soft("set_many", [])
    # Could not take a lock: go ahead as if no one else were asking (see the module).
    add = _soft("add", True)
    delete = _soft("delete", False)
    delete_many = _soft("delete_many", None)
    touch = _soft("touch", False)
    has_key = _soft("has_key", False)
    clear = _soft("clear", None)


class FailSoftRedisCache(FailSoft, RedisCache):
    failures = (RedisError, OSError)


class FailSoftDatabaseCache(FailSoft, DatabaseCache):
    failures = (DatabaseError,)
