"""onboarding/cache.py: a cache that is down is a logged miss, never a 500, and the wizard
carries on without it (asking WattShift itself)."""

import logging
import threading

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from onboarding import cache as fail_soft
from tests.wizard import factories
from tests.wizard.pages import step_url
from tests.wizard.upstream import UtilityApi

DOWN_REDIS = "redis://127.0.0.1:6399/0"


@pytest.fixture
def redis_down(settings: Settings) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "onboarding.cache.FailSoftRedisCache",
            "LOCATION": DOWN_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    fail_soft.FailSoftRedisCache._last_report = 0.0


def test_a_cache_that_is_down_answers_as_if_empty_and_says_so_once(
    redis_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    down = caches["default"]
    with caplog.at_level(logging.WARNING, logger="onboarding.cache"):
        assert down.get("key", "missing") == "missing"
        assert down.set("key", 1) is None
        assert down.add("lock", 1) is True  # no lock: go ahead
        assert down.get_many(["a", "b"]) == {}
        assert down.delete("key") is False
    warnings = [r for r in caplog.records if r.name == "onboarding.cache"]
    assert len(warnings) == 1 and "carrying on without it" in warnings[0].getMessage()


@pytest.mark.django_db
def test_a_database_cache_without_its_table_fails_soft(settings: Settings) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "onboarding.cache.FailSoftDatabaseCache", "LOCATION": "no_such"},
    }
    assert caches["default"].get("key", "missing") == "missing"


def test_the_wizard_works_with_the_cache_down(
    redis_down: None, installer_client: Client, installer: User, utility_api: UtilityApi
) -> None:
    onboarding = factories.onboarding(installer, through="zip")

    response = installer_client.get(step_url(onboarding, "utility"))

    assert response.status_code == 200
    assert "Pacific Gas &amp; Electric" in response.content.decode()
    assert utility_api.calls() == ["95313"]


@pytest.mark.django_db
def test_redis_when_configured(settings: Settings) -> None:
    """REDIS_URL switches the shared cache to Django's Redis backend (with hiredis)."""
    import importlib

    import hiredis  # noqa: F401 - installed: redis-py parses with it

    from onboarding import settings as project_settings

    assert project_settings.SHARED_CACHE["BACKEND"].endswith(
        "FailSoftRedisCache" if project_settings.REDIS_URL else "FailSoftDatabaseCache"
    )
    assert importlib.import_module("redis")


@pytest.fixture
def database_cache(settings: Settings) -> BaseCache:
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "onboarding.cache.FailSoftDatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 2},
        },
    }
    cache = caches["default"]
    cache.clear()
    return cache


@pytest.mark.django_db(transaction=True)  # no test transaction around each write
def test_the_database_cache_writes_in_one_statement_and_keeps_its_meaning(
    database_cache: BaseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """set and add as Django's database cache means them, each one upsert; the table's size is
    checked on one write in cull_check_every only."""
    monkeypatch.setattr(type(database_cache), "cull_check_every", 10**9)
    with CaptureQueriesContext(connection) as captured:
        database_cache.set("plans", ("E-6", "TOU-D"), 60)
    assert len(captured) == 1 and "ON CONFLICT" in captured[0]["sql"], captured.captured_queries
    assert database_cache.get("plans") == ("E-6", "TOU-D")
    database_cache.set("plans", ("E-1",), None)  # never expires
    assert database_cache.get("plans") == ("E-1",)

    with CaptureQueriesContext(connection) as captured:
        assert database_cache.add("lock", "first", 60) is True
    assert len(captured) == 1
    assert database_cache.add("lock", "second", 60) is False  # someone holds it
    assert database_cache.get("lock") == "first"
    database_cache.set("lock", "stale", -10)  # expired ten seconds ago
    assert database_cache.add("lock", "mine", 60) is True
    assert database_cache.get("lock") == "mine"
    assert database_cache.delete("lock") is True and database_cache.get("lock") is None

    with transaction.atomic():  # inside a transaction, a savepoint around the write
        assert database_cache.add("inside", 1, 60) is True
    assert database_cache.get("inside") == 1


@pytest.mark.django_db
def test_the_database_cache_is_still_culled(
    database_cache: BaseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(type(database_cache), "cull_check_every", 1)
    for number in range(12):
        database_cache.set(f"zip-{number}", number, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_cache")
        (entries,) = cursor.fetchone()
    assert entries <= 6  # MAX_ENTRIES, and the write that found it over
    assert database_cache.get("zip-11") == 11


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once")
@pytest.mark.django_db(transaction=True)
def test_the_database_cache_gives_a_lock_to_one_of_two_at_once(database_cache: BaseCache) -> None:
    """The one-lookup-per-ZIP lock: two processes adding it at the same moment, one gets it."""
    barrier = threading.Barrier(2)
    won: list[bool] = []

    def take() -> None:
        try:
            barrier.wait()
            won.append(database_cache.add("lock:95630", "mine", 60))
        finally:
            connection.close()

    for _ in range(10):
        database_cache.delete("lock:95630")
        won.clear()
        racers = [threading.Thread(target=take) for _ in range(2)]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
        assert sorted(won) == [False, True]
