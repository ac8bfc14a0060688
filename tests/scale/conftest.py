"""The production set-up, scaled out, each part a real process: two gunicorn servers and two
background workers (`manage.py worker`) on one PostgreSQL database made by `migrate` alone and
one Redis, against the sandbox upstream on its own database. Started once for the module with
the process harness of `make bench` (bench/servers.py) and stopped, with its databases dropped,
at the end; the logs stay in a temporary folder named when a test fails.

Needs a PostgreSQL server (SCALE_POSTGRES_URL, default the local one) and `redis-server`. Without
them the tests are skipped, unless SCALE_REQUIRED=1 (CI), where that is a failure."""

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis

from bench.browser import Browser
from bench.run import server_env
from bench.servers import BenchError, Databases, Processes, free_port, with_group

POSTGRES_URL = os.environ.get("SCALE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
INSTALLER, SUPPORT = "ina", "sam"
PASSWORD = "pw-scale-" + secrets.token_hex(8)
# Short enough for a test, with the production code paths: the create's answer is late after
# 1.5 s, a check may be taken over 4 s after a worker died, workers beat every second.
APP_SETTINGS = {
    "WS_API_TIMEOUT": "1.5",
    "WS_RECONCILE_GRACE_SECONDS": "2",
    "WS_CHECK_LEASE_SECONDS": "4",
    "WORKER_HEARTBEAT_SECONDS": "1",
}
UPSTREAM_LATENCY_SECONDS = "0.2"
UPSTREAM_SLOW_SECONDS = "3"  # a "Test Answer Lost" home is created, its answer comes too late


def _unavailable(reason: str) -> None:
    if os.environ.get("SCALE_REQUIRED") == "1":
        pytest.fail(f"The scale-out tests must run here: {reason}")
    pytest.skip(reason)


@dataclass
class Cluster:
    folder: Path
    processes: Processes
    app_env: dict[str, str]
    servers: list[str]
    app_database: str
    upstream_database: str
    redis_port: int
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def browser(self, server: int, username: str = INSTALLER) -> Browser:
        """A person's browser, logged in on servers[server]."""
        browser = Browser(self.servers[server], "/healthz")
        browser.login(username, PASSWORD)
        return browser

    def app_rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return _rows(self.app_database, sql, params)

    def upstream_rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return _rows(self.upstream_database, sql, params)

    def upstream_calls(self, endpoint: str) -> list[tuple[str, int]]:
        """(body, status) of every call the upstream received at …/v1/<endpoint>."""
        return [
            (body, status)
            for body, status in self.upstream_rows(
                "SELECT body, status FROM sandbox_receivedrequest WHERE path LIKE %s ORDER BY id",
                f"%/v1/{endpoint}",
            )
        ]

    def start_worker(self, name: str) -> None:
        self.workers[name] = self.processes.worker(name, self.app_env)

    def kill_worker(self, name: str) -> None:
        """SIGKILL: no clean-up of any kind, as when a machine dies."""
        worker = self.workers.pop(name)
        with_group(worker, signal.SIGKILL)
        worker.wait(timeout=10)

    def pause_worker(self, name: str, paused: bool) -> None:
        with_group(self.workers[name], signal.SIGSTOP if paused else signal.SIGCONT)

    def stop_redis(self) -> None:
        redis.Redis(port=self.redis_port).shutdown(nosave=True)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _rows(url: str, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        return list(db.execute(sql, params).fetchall())  # type: ignore[arg-type]


def wait_for(what: str, condition: Callable[[], Any], seconds: float = 60) -> Any:
    """Poll until `condition()` is truthy; its value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"Waited {seconds:.0f} s for {what}.")


@pytest.fixture(scope="module")
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        _unavailable("redis-server is not installed")
    try:
        psycopg.connect(POSTGRES_URL.replace("postgres://", "postgresql://", 1)).close()
    except psycopg.OperationalError as error:
        _unavailable(f"no PostgreSQL at {POSTGRES_URL}: {error}")

    folder = Path(tempfile.mkdtemp(prefix="wattshift-scale-"))
    processes = Processes(folder)
    databases = Databases(POSTGRES_URL, folder)
    try:
        yield _start(folder, processes, databases, str(redis_server))
    except BenchError as error:
        pytest.fail(f"The scale-out set-up did not start: {error} (logs in {folder})")
    finally:
        processes.stop_all()
        databases.drop_all()
        failed = request.session.testsfailed
        if failed:
            print(f"\nScale-out logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def database_cache_servers(cluster: Cluster) -> list[str]:
    """Two more servers on the same database, without REDIS_URL: the database cache (the
    embedded default) and database sessions."""
    env = {name: value for name, value in cluster.app_env.items() if name != "REDIS_URL"}
    return [cluster.processes.gunicorn(f"dbcache-{n}", env, free_port(), workers=3) for n in (1, 2)]


def _start(folder: Path, processes: Processes, databases: Databases, redis_server: str) -> Cluster:
    redis_port, upstream_port = free_port(), free_port()
    processes.spawn(
        "redis",
        [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
        dict(os.environ),
    )
    key = secrets.token_urlsafe(24)
    upstream_env = server_env(
        DJANGO_SETTINGS_MODULE="onboarding.settings",
        DATABASE_URL=databases.url("upstream"),
        SANDBOX_ENABLED="1",
        WS_SANDBOX_API_KEY=key,
        WS_SANDBOX_LATENCY_SECONDS=UPSTREAM_LATENCY_SECONDS,
        WS_SANDBOX_SLOW_SECONDS=UPSTREAM_SLOW_SECONDS,
    )
    app_env = server_env(
        DJANGO_SETTINGS_MODULE="onboarding.settings",
        DATABASE_URL=databases.url("app"),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        SANDBOX_ENABLED="0",
        WS_API_URL=f"http://127.0.0.1:{upstream_port}/sandbox",
        WS_API_KEY=key,
        # Both servers sign the same sessions: a person may land on either.
        SECRET_KEY=secrets.token_urlsafe(40),
        STATIC_ROOT=str(folder / "static"),
        **APP_SETTINGS,
    )
    wait_for("Redis", lambda: _answers(redis_port), seconds=20)
    processes.manage("upstream", upstream_env, "migrate", "--no-input", "-v", "0")
    upstream = processes.gunicorn("upstream", upstream_env, upstream_port, workers=4)
    # migrate alone: no createcachetable, no other step (the "fresh database").
    processes.manage("app", app_env, "migrate", "--no-input", "-v", "0")
    processes.manage("app", app_env, "collectstatic", "--no-input", "-v", "0")
    processes.manage("app", app_env, "shell", "-c", _MAKE_PEOPLE)
    servers = [processes.gunicorn(f"server-{n}", app_env, free_port(), workers=3) for n in (1, 2)]
    cluster = Cluster(
        folder=folder,
        processes=processes,
        app_env=app_env,
        servers=servers,
        app_database=app_env["DATABASE_URL"],
        upstream_database=upstream_env["DATABASE_URL"],
        redis_port=redis_port,
    )
    for name in ("worker-1", "worker-2"):
        cluster.start_worker(name)
    assert upstream
    return cluster


def _answers(port: int) -> bool:
    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


_MAKE_PEOPLE = f"""
from django.contrib.auth.models import Group, User
from onboarding.accounts.roles import SUPPORT_GROUP
User.objects.create_user({INSTALLER!r}, password={PASSWORD!r}, first_name="Ina")
sam = User.objects.create_user({SUPPORT!r}, password={PASSWORD!r}, first_name="Sam", is_staff=True)
sam.groups.add(Group.objects.get(name=SUPPORT_GROUP))
"""
