"""The foundation: health check, login required everywhere, deploy settings."""

import multiprocessing
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from onboarding.wattshift.transport import DEADLINE_FACTOR
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


# The README's deploy recipes, run as written ---------------------------------------------------

RECIPE = re.compile(r"<!-- recipe: (?P<name>[\w-]+) -->\n```sh\n(?P<body>.*?)\n```", re.S)
# What the recipes read from the environment; the rest they set themselves.
OWN_SETTINGS = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_PROXY_SSL_HEADER", "WS_API_URL"}
OWN_SETTINGS |= {"WS_API_KEY", "WS_SANDBOX_API_KEY", "WS_SANDBOX_URL", "DATABASE_URL", "PORT"}
OWN_SETTINGS |= {"LOG_FORMAT", "WEB_CONCURRENCY", "GUNICORN_THREADS", "REDIS_URL"}


def readme_recipes() -> dict[str, str]:
    return {
        found["name"]: found["body"]
        for found in RECIPE.finditer((ROOT / "README.md").read_text(encoding="utf-8"))
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_readme_has_both_recipes_and_they_check_the_deploy_settings() -> None:
    recipes = readme_recipes()
    assert set(recipes) == {"production", "staging"}
    for body in recipes.values():
        assert "python manage.py check --deploy --fail-level WARNING" in body
        assert body.splitlines()[-1] == "honcho start"


@pytest.mark.parametrize("name", ["production", "staging"])
def test_a_readme_recipe_passes_as_written(name: str, tmp_path: Path) -> None:
    """The block is run by bash -e in a copy of the project, with only a scratch database and a
    free port given; it must get through every check and serve /healthz under honcho."""
    project = tmp_path / "project"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "staticfiles", "build", "screenshots", "__pycache__", ".*cache"
        ),
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in OWN_SETTINGS}
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'recipe.sqlite3'}",
        "PORT": str(port),
        # Light on a shared machine: one process, two threads.
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    script = "set -euo pipefail\n" + readme_recipes()[name]
    output = tmp_path / "output.log"
    with output.open("wb") as out:
        recipe = subprocess.Popen(  # noqa: S603
            ["bash", "-c", script],  # noqa: S607
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    host = "staging.onboard.example.com" if name == "staging" else "onboard.example.com"
    try:
        health = wait_for_health(recipe, port, host, output)
        assert health.headers["X-Request-ID"]
        if name == "staging":
            # The app's own call to its sandbox: plain HTTP with SECURE_SSL_REDIRECT on.
            sandbox = requests.post(
                f"http://127.0.0.1:{port}/sandbox/v1/utility/get",
                json={"zipcode": "95630"},
                timeout=10,
                allow_redirects=False,
            )
            assert sandbox.status_code == 401  # no key: refused by the sandbox, not redirected
    finally:
        os.killpg(recipe.pid, signal.SIGTERM)
        try:
            recipe.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(recipe.pid, signal.SIGKILL)
            recipe.wait()
    log = output.read_text(errors="replace")
    assert "System check identified no issues" in log, log
    assert "worker.1" in log and "web.1" in log, log
    assert re.search(r'"GET /healthz" 200 \d+ \d+ms request_id=[0-9a-f]{12}', log), log


def wait_for_health(
    recipe: subprocess.Popen[bytes], port: int, host: str, output: Path
) -> requests.Response:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if recipe.poll() is not None:
            pytest.fail(f"The recipe stopped ({recipe.returncode}):\n{output.read_text()}")
        try:
            response = requests.get(
                f"http://127.0.0.1:{port}/healthz", headers={"Host": host}, timeout=5
            )
        except requests.ConnectionError:
            time.sleep(0.5)
            continue
        assert response.status_code == 200, output.read_text()
        return response
    pytest.fail(f"/healthz never answered:\n{output.read_text()}")


# The staging copy: the app's own sandbox calls are not redirected to HTTPS ------------------------


@pytest.mark.django_db
def test_the_sandbox_is_not_redirected_to_https_but_pages_are(settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # its middleware is built now, with the redirect on
    sandbox = client.post(
        "/sandbox/v1/utility/get", {"zipcode": "95630"}, content_type="application/json"
    )
    assert sandbox.status_code == 401  # the sandbox's own answer: no key was sent
    assert client.get("/healthz").status_code == 200
    page = client.get(reverse("login"))
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


# gunicorn.conf.py and the Procfile ------------------------------------------------------------


def gunicorn_conf(**env: str) -> dict[str, object]:
    keep = {k: v for k, v in os.environ.items() if k not in OWN_SETTINGS | {"WS_API_TIMEOUT"}}
    with pytest.MonkeyPatch.context() as patch:
        for key in set(os.environ) - set(keep):
            patch.delenv(key)
        for key, value in env.items():
            patch.setenv(key, value)
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_workers_follow_the_cores_capped_unless_told() -> None:
    cores = multiprocessing.cpu_count()
    conf = gunicorn_conf()
    assert conf["workers"] == min(2 * cores + 1, conf["MAX_WORKERS"])
    assert gunicorn_conf(WEB_CONCURRENCY="7")["workers"] == 7
    assert (conf["threads"], conf["worker_class"]) == (4, "gthread")
    assert gunicorn_conf(GUNICORN_THREADS="8")["threads"] == 8
    assert conf["bind"] == "0.0.0.0:8000"
    assert gunicorn_conf(PORT="5123")["bind"] == "0.0.0.0:5123"


@pytest.mark.parametrize(
    ("env", "deadline"),
    [({}, 25.0), ({"WS_API_TIMEOUT": "4"}, 10.0), ({"WS_API_DEADLINE": "40"}, 40.0)],
)
def test_gunicorn_outwaits_three_upstream_calls(env: dict[str, str], deadline: float) -> None:
    conf = gunicorn_conf(**env)
    assert conf["timeout"] > 3 * deadline
    assert conf["graceful_timeout"] == conf["timeout"]
    # The same rule as the client's.
    assert conf["DEADLINE_FACTOR"] == DEADLINE_FACTOR


def test_gunicorn_access_line_has_the_request_id_and_duration_but_no_query() -> None:
    conf = gunicorn_conf()
    line = str(conf["access_log_format"])
    assert "%({x-request-id}o)s" in line
    assert "%(M)s" in line
    for query_carrier in ("%(r)s", "%(q)s", "%(f)s"):
        assert query_carrier not in line
    assert "logconfig_dict" not in conf
    assert "logconfig_dict" in gunicorn_conf(LOG_FORMAT="json")


def test_the_procfile_runs_gunicorn_with_its_conf_and_the_worker() -> None:
    lines = (ROOT / "Procfile").read_text().splitlines()
    assert lines == [
        "web: gunicorn --config gunicorn.conf.py onboarding.wsgi",
        "worker: python manage.py worker --no-reload",
    ]


# Lock files -----------------------------------------------------------------------------------

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$")


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1])
    found: dict[str, str] = {}
    for entry in entries:
        first = entry.splitlines()[0]
        if first.startswith("#") or not first.strip():
            continue
        match = PIN.match(first)
        assert match, f"{name}: {first!r} is not pinned with hashes"
        assert "--hash=sha256:" in entry, f"{name}: {first!r} has no hash"
        found[match[1].lower()] = match[2]
    return found


def test_every_locked_package_is_pinned_with_its_hash() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {"django", "gunicorn", "django-axes", "honcho"} <= set(runtime)
    # The dev lock is the complete set: every runtime pin, exactly, and the tools.
    assert {k: dev.get(k) for k in runtime} == runtime
    assert {"pytest", "ruff", "mypy"} <= set(dev)


def test_the_makefile_installs_with_require_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "install --require-hashes -r requirements.lock" in makefile
    assert "install --require-hashes -r requirements-dev.lock" in makefile
    assert "--generate-hashes" in makefile
