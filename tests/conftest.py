"""Fixtures every test folder shares: people in each role, logged-in clients."""

import gzip
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponseBase
from django.test import Client
from pytest_django.fixtures import Settings

from onboarding.accounts.roles import SUPPORT_GROUP
from onboarding.wattshift.tokens import current_session_tokens

# The wizard's fixtures: the mocked WattShift API (utility_api, wattshift_api) and drafts at any
# step (draft, complete_draft, ready_onboarding, needs_attention, created_home).
pytest_plugins = ["tests.wizard.upstream", "tests.wizard.factories"]


@pytest.fixture(autouse=True)
def fresh_process_cache() -> Iterator[None]:
    """Each process's own cache ("local") is memory, not rolled back with the database: every
    test starts without what an earlier one looked up."""
    caches["local"].clear()
    if settings.REDIS_URL:
        # Redis is not rolled back with each test's database transaction, as the database
        # cache is: every test starts with an empty one (use a Redis database of its own).
        caches["default"].clear()
    yield
    caches["local"].clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Slow hashing protects real passwords, not test users; it only slows every test down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def installer(db: None) -> User:
    return User.objects.create_user("ina", password="pw-ina-12345", first_name="Ina")


@pytest.fixture
def other_installer(db: None) -> User:
    return User.objects.create_user("oscar", password="pw-oscar-12345", first_name="Oscar")


@pytest.fixture
def support_user(db: None) -> User:
    user = User.objects.create_user("sam", password="pw-sam-12345", first_name="Sam")
    user.groups.add(Group.objects.get(name=SUPPORT_GROUP))
    return user


@pytest.fixture
def installer_client(installer: User) -> Client:
    client = Client()
    client.force_login(installer)
    return client


@pytest.fixture
def support_client(support_user: User) -> Client:
    client = Client()
    client.force_login(support_user)
    return client


def secrets_in_use() -> list[str]:
    """The upstream API key, the sandbox's key and any cached session token, as set right now."""
    values = [settings.WS_API_KEY, settings.WS_SANDBOX_API_KEY, *current_session_tokens()]
    return [value for value in values if value]


@pytest.fixture(autouse=True)
def no_secret_reaches_a_page_or_a_log(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every test doubles as a leak check: no page the app serves and no log line it writes
    carries the API key or a session token (the sandbox's own API answers excepted: minting a
    token is what its session-token endpoint is for)."""
    leaks: list[str] = []
    get_response = BaseHandler.get_response

    def checked_get_response(handler: BaseHandler, request: HttpRequest) -> HttpResponseBase:
        response = get_response(handler, request)
        if not request.path.startswith("/sandbox/") and not response.streaming:
            content = response.content
            if response.get("Content-Encoding") == "gzip":  # what a browser is sent, unpacked
                content = gzip.decompress(content)
            body = content.decode(errors="replace")
            leaks.extend(f"page {request.path}" for secret in secrets_in_use() if secret in body)
        return response

    monkeypatch.setattr(BaseHandler, "get_response", checked_get_response)
    yield
    logged = caplog.text
    leaks.extend("a log line" for secret in secrets_in_use() if secret in logged)
    assert not leaks, f"A secret reached {', '.join(leaks)}"
