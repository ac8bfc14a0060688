"""The processes and databases of one run: each started here, each stopped or dropped on exit
(normal end, error or Ctrl+C), their logs kept in the run's temporary folder."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import closing, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
LOG_TAIL_LINES = 40


class BenchError(Exception):
    """The run cannot go on: a server did not start, or the app answered unexpectedly."""


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


class Databases:
    """Two throwaway databases: SQLite files in the run folder, or, with DATABASE_URL, two
    databases created on that PostgreSQL server (and dropped at the end)."""

    def __init__(self, server_url: str, folder: Path) -> None:
        # A SQLite DATABASE_URL means SQLite: files of this run, never the file it names.
        self.server_url = "" if server_url.startswith("sqlite") else server_url
        self.folder = folder
        self.created: list[str] = []

    def url(self, name: str) -> str:
        if not self.server_url:
            return f"sqlite:///{self.folder / f'{name}.sqlite3'}"
        parts = urlsplit(self.server_url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
            raise BenchError(f"make bench supports SQLite or PostgreSQL, not {parts.scheme}://.")
        # The process id keeps runs by two people on one server apart.
        database = f"bench_{name}_{os.getpid()}"
        with self._server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{database}"')
            server.execute(f'CREATE DATABASE "{database}"')
        self.created.append(database)
        return urlunsplit(parts._replace(path=f"/{database}"))

    def drop_all(self) -> None:
        if not self.created:
            return
        with self._server() as server:
            for database in self.created:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.created.clear()

    def _server(self) -> Any:
        import psycopg

        parts = urlsplit(self.server_url)
        url = urlunsplit(parts._replace(scheme="postgresql"))
        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise BenchError(f"Cannot connect to DATABASE_URL's server: {error}") from None


class Processes:
    """Servers and setup commands, run from the project folder, logged to the run folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: list[tuple[str, subprocess.Popen[bytes]]] = []
        # Set by stop_all: a server being started in another thread must not outlive the run.
        self.stopping = False
        self._lock = threading.Lock()

    def _check_not_stopping(self) -> None:
        if self.stopping:
            raise BenchError("The run is stopping.")

    def manage(self, name: str, env: dict[str, str], *args: str) -> None:
        self._check_not_stopping()
        log = self.folder / f"{name}-setup.log"
        with log.open("ab") as out:
            done = subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=out
            )
        if done.returncode:
            raise BenchError(f"{name}: manage.py {' '.join(args)} failed (its log is below).")

    def probe(self, env: dict[str, str], *commands: str) -> dict[str, Any]:
        """bench.probe's answers, by command."""
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.probe", *commands],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise BenchError(f"bench.probe {' '.join(commands)} failed:\n{done.stderr[-3000:]}")
        answers: dict[str, Any] = json.loads(done.stdout)
        return answers

    def gunicorn(self, name: str, env: dict[str, str], port: int, workers: int) -> str:
        """Start gunicorn in its own process group; return its base URL once /healthz answers."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "onboarding.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            # gunicorn.conf.py (production's) is read from the working directory: its threads
            # would turn these sync workers into gthread ones.
            "--threads=1",
            "--timeout=60",
            # gunicorn's control socket is one path per user: two servers would fight over it.
            "--no-control-socket",
            f"--access-logfile={self.folder / f'{name}-access.log'}",
            # Path, status and duration in microseconds: the upstream's own time per call.
            "--access-logformat=%(m)s %(U)s %(s)s %(D)s",
        ]
        process = self.spawn(name, command, env)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self._check_not_stopping()
            if process.poll() is not None:
                raise BenchError(
                    f"{name} exited with code {process.returncode} while starting "
                    "(its log is below)."
                )
            try:
                if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                    return url
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise BenchError(f"{name} did not answer /healthz within 60 s (its log is below).")

    def spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        """Start a long-running process (a server, a worker) in its own process group, logged to
        the run folder as `name`.log, stopped by stop_all."""
        log = self.folder / f"{name}.log"
        with self._lock, log.open("ab") as out:
            self._check_not_stopping()
            process = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=out,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.running.append((name, process))
        return process

    def worker(self, name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        """A background worker (manage.py worker), as production runs it."""
        return self.spawn(name, [sys.executable, "manage.py", "worker", f"--worker-id={name}"], env)

    def stop_all(self) -> None:
        """SIGTERM each server's process group (gunicorn and its workers), then SIGKILL."""
        with self._lock:
            self.stopping = True
        for _name, process in reversed(self.running):
            if process.poll() is None:
                with_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, process in reversed(self.running):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with_group(process, signal.SIGKILL)
                process.wait()
        self.running.clear()

    def check_alive(self) -> None:
        for name, process in self.running:
            if process.poll() is not None:
                raise BenchError(f"{name} exited (code {process.returncode}; its log is below).")


def with_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
