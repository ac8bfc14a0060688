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


class FailSoft(BaseCache):
    """Each cache operation answers as if the key were absent when the cache cannot be reached."""

    failures: tuple[type[BaseException], ...] = ()
    _last_report = 0.0

    def _soft(self, operation: str, call: Callable[[], Any], fallback: Any) -> Any:
        try:
            return call()
        except self.failures as error:
            now = time.monotonic()
            if now - type(self)._last_report >= REPORT_EVERY_SECONDS:
                type(self)._last_report = now
                logger.warning(
                    "Cache unavailable (%s failed: %s); carrying on without it",
                    operation,
                    type(error).__name__,
                )
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft("get", lambda: super(FailSoft, self).get(key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> Any:
        return self._soft("get_many", lambda: super(FailSoft, self).get_many(keys, version), {})

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._soft("set", lambda: super(FailSoft, self).set(*args, **kwargs), None)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._soft("set_many", lambda: super(FailSoft, self).set_many(*args, **kwargs), [])

    def add(self, *args: Any, **kwargs: Any) -> Any:
        # Could not take a lock: go ahead as if no one else were asking (see the module).
        return self._soft("add", lambda: super(FailSoft, self).add(*args, **kwargs), True)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._soft("delete", lambda: super(FailSoft, self).delete(*args, **kwargs), False)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._soft("delete_many", lambda: super(FailSoft, self).delete_many(*args, **kwargs), None)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._soft("touch", lambda: super(FailSoft, self).touch(*args, **kwargs), False)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._soft("has_key", lambda: super(FailSoft, self).has_key(*args, **kwargs), False)

    def clear(self) -> Any:
        return self._soft("clear", lambda: super(FailSoft, self).clear(), None)


class FailSoftRedisCache(FailSoft, RedisCache):
    failures = (RedisError, OSError)


class FailSoftDatabaseCache(FailSoft, DatabaseCache):
    failures = (DatabaseError,)
