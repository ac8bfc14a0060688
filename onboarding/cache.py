"""Caches that fail soft: a cache that is down is a miss, logged, never a 500.

The wizard only caches what it can ask WattShift for again (a ZIP code's utilities, prices,
the list of homes) and sessions kept in the database too (cached_db), so carrying on without
the cache is always correct, just slower. The single-flight lock then degrades to "no lock":
two lookups of one ZIP code may both ask WattShift, which is harmless.
"""

import base64
import logging
import pickle
import random
import time
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now
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
    """Django's database cache, with `set` and `add` in one statement each on SQLite and
    PostgreSQL (an upsert), where Django's counts the whole table and then reads the key and
    writes it in a transaction: five statements, and a count of up to MAX_ENTRIES rows on every
    write. The table is counted, and culled when it is over MAX_ENTRIES, on one write in
    cull_check_every instead. A write that fails (a lock timeout, a deadlock) is left to the
    fail-soft wrapper: `add` then answers True, go ahead without the lock, where Django's
    answers False, wait for a lock no one may hold."""

    failures = (DatabaseError,)
    # How often a write checks the table's size: it may go that many writes over MAX_ENTRIES.
    cull_check_every = 100
    _UPSERT_VENDORS = ("sqlite", "postgresql")

    def _base_set(
        self, mode: str, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT
    ) -> bool:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if mode not in ("set", "add") or connection.vendor not in self._UPSERT_VENDORS:
            # _base_set, _table and _cull are Django's DatabaseCache's own (not in its stubs).
            return bool(super()._base_set(mode, key, value, timeout))  # type: ignore[misc]
        timeout = self.get_backend_timeout(timeout)
        now = tz_now().replace(microsecond=0)
        # When the entry expires, as Django's own database cache writes it.
        expires = (
            datetime.max
            if timeout is None
            else datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        ).replace(microsecond=0)
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]
        key_column, value_column, expires_column = map(quote, ("cache_key", "value", "expires"))
        sql = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) "  # noqa: S608
            f"VALUES (%s, %s, %s) ON CONFLICT ({key_column}) DO UPDATE SET "
            f"{value_column} = excluded.{value_column}, "
            f"{expires_column} = excluded.{expires_column}"
        )
        params = [
            key,
            base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"),
            connection.ops.adapt_datetimefield_value(expires),
        ]
        if mode == "add":
            # Only over an entry that has expired: a live one is someone else's.
            sql += f" WHERE {table}.{expires_column} < %s"
            params.append(connection.ops.adapt_datetimefield_value(now))
        # Inside a transaction, a savepoint keeps a failed write from breaking it (as Django's).
        with (
            transaction.atomic(using=db) if connection.in_atomic_block else nullcontext(),
            connection.cursor() as cursor,
        ):
            if random.randrange(self.cull_check_every) == 0:  # noqa: S311 (not a secret)
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                (entries,) = cursor.fetchone()
                if entries > self._max_entries:
                    self._cull(db, cursor, now, entries)  # type: ignore[attr-defined]
            cursor.execute(sql, params)
            return cursor.rowcount > 0
