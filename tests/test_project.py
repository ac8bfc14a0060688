"""The foundation: health check, login required everywhere, deploy settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from onboarding.wizard.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parent.parent
# A port where no Redis listens: a cache that is down.
DOWN_REDIS = "redis://127.0.0.1:6399/0"


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client: Client) -> None:
    WorkerHeartbeat.objects.create(worker_id="w1", beat_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    # The database, the cache and the age of the last worker heartbeat (issue 11).
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    assert response.json()["cache"] == "ok"
    assert response.json()["worker"]["recent"] is True
    assert response.json()["worker"]["last_heartbeat_seconds_ago"] < 5


@pytest.mark.django_db
def test_healthz_says_degraded_without_a_worker_or_a_cache(
    client: Client, settings: Settings
) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()["status"]) == (200, "degraded")
    assert response.json()["worker"] == {"last_heartbeat_seconds_ago": None, "recent": False}
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "onboarding.cache.FailSoftRedisCache", "LOCATION": DOWN_REDIS},
    }
    WorkerHeartbeat.objects.create(worker_id="w1", beat_at=timezone.now())
    response = client.get("/healthz")
    assert (response.status_code, response.json()["cache"]) == (200, "unavailable")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.backends.utils import CursorWrapper

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_every_page_but_login_needs_a_login(client: Client) -> None:
    response = client.get(reverse("wizard:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


@pytest.mark.django_db
def test_login_page_uses_the_app_layout(client: Client) -> None:
    response = client.get(reverse("login"))
    assert b"WattShift onboarding" in response.content
    assert b'<label class="label" for="id_username">' in response.content


@pytest.mark.django_db
def test_a_failed_login_shows_an_error_summary_and_error_title(client: Client) -> None:
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"<title>Error: " in response.content


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq2!mZp9@Lr4$Tw8^Vb1&Nc6*Hd3(Jf5)Gs0_Ya-Ue+Oi=Xl~Qe",
    "ALLOWED_HOSTS": "example.com",
    "WS_API_URL": "https://api.wattshift.example",
    "WS_API_KEY": "production-key-from-the-vault",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "WS_API_URL", "WS_API_KEY", "WS_SANDBOX_API_KEY"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_sandbox_and_its_public_key_unless_asked() -> None:
    without_upstream = {k: v for k, v in PRODUCTION.items() if not k.startswith("WS_")}
    result = run_manage("check", **without_upstream)
    assert result.returncode != 0
    assert "WS_SANDBOX_API_KEY" in result.stderr
    assert "sandbox-key-not-a-secret" not in result.stderr

    staging = run_manage("check", **without_upstream, WS_SANDBOX_API_KEY="staging-only-key")
    assert staging.returncode == 0, staging.stderr


def test_a_real_upstream_needs_its_api_key() -> None:
    result = run_manage("check", **{**PRODUCTION, "WS_API_KEY": ""})
    assert result.returncode != 0
    assert "WS_API_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_settings() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
