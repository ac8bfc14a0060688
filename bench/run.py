"""make bench: start an upstream (the sandbox, with latency) and the app (gunicorn, DEBUG=0),
each on its own database, walk N onboardings through the wizard as a JavaScript browser, and
print how each step compares with a floor view. Reports; never fails on a missed target.

    python -m bench.run [--n 20] [--latency 0.2]    (DATABASE_URL, REDIS_URL from the environment)
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import report
from bench.browser import Browser, parse
from bench.journey import Journey, Plan, onboard
from bench.servers import BenchError, Databases, Processes, free_port, tail

HERE = Path(__file__).resolve().parent
MARKDOWN = HERE / "last-run.md"
# ZIP codes the sandbox knows (README, sandbox table); 95630 has two utilities.
MIX = ("95313", "95630", "02139", "94110", "92618", "78701", "10001")
WARMUP_ZIP = "92101"  # not in MIX, so the measured first lookups stay first
USERNAME = "bench"
# Variables the bench sets itself for each server; the rest of the environment passes through.
CONTROLLED = (
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "WS_API_URL",
    "WS_API_KEY",
    "SANDBOX_ENABLED",
    "WS_SANDBOX_API_KEY",
    "WS_SANDBOX_LATENCY_SECONDS",
    "REDIS_URL",
    "PORT",
)


def schedule(n: int) -> list[Plan]:
    """The warm-up, then N onboardings: a new ZIP code every other one until MIX is used up,
    the others reusing one already looked up; solar on two out of every four."""
    plans = [Plan(index=0, zipcode=WARMUP_ZIP, solar=True, first_lookup=True, warmup=True)]
    fresh, used = list(MIX), [WARMUP_ZIP]
    seen: list[str] = []
    for i in range(n):
        if fresh and (i % 2 == 0 or not seen):
            zipcode = fresh.pop(0)
            seen.append(zipcode)
        else:
            zipcode = seen[(i // 2) % len(seen)]
        plans.append(
            Plan(
                index=i + 1,
                zipcode=zipcode,
                solar=i % 4 in (0, 1),
                first_lookup=zipcode not in used,
            )
        )
        used.append(zipcode)
    return plans


def machine() -> dict[str, str]:
    cpu = ""
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = found.group(1).strip() if found else ""
    except OSError:
        pass
    import platform

    return {
        "cpu": cpu or platform.processor() or platform.machine(),
        "cores": str(os.cpu_count()),
        "load_before": load(),
        "gunicorn": version("gunicorn"),
    }


def load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def server_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    common = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain http on the loopback: no TLS redirect, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    return {**env, **common, **values}


def time_upstream_calls(calls: list[dict[str, Any]], access_log: Path) -> bool:
    """Add to each upstream call ("ms") the time its gunicorn took, from the access log.

    The bench makes one upstream call at a time, so the log's API lines come in the order of
    the sandbox's request log; a mismatch (path or count) leaves the calls untimed."""
    lines = access_log.read_text().splitlines() if access_log.exists() else []
    timed = [line.split() for line in lines if "/v1/" in line]
    if len(timed) != len(calls) or any(
        len(parts) != 4 or parts[1] != call["path"]
        for parts, call in zip(timed, calls, strict=False)
    ):
        return False
    for parts, call in zip(timed, calls, strict=True):
        call["ms"] = int(parts[3]) / 1000
    return True


def bench(n: int, latency: float, folder: Path) -> tuple[str, str]:
    began = time.monotonic()
    processes = Processes(folder)
    databases = Databases(os.environ.get("DATABASE_URL", "").strip(), folder)
    try:
        return _bench(n, latency, folder, processes, databases, began)
    finally:
        processes.stop_all()
        databases.drop_all()


def _bench(
    n: int,
    latency: float,
    folder: Path,
    processes: Processes,
    databases: Databases,
    began: float,
) -> tuple[str, str]:
    facts = machine()
    sandbox_key = secrets.token_urlsafe(24)
    password = secrets.token_urlsafe(16)
    upstream_port, app_port = free_port(), free_port()
    upstream_env = server_env(
        DJANGO_SETTINGS_MODULE="onboarding.settings",
        DATABASE_URL=databases.url("upstream"),
        SANDBOX_ENABLED="1",
        WS_SANDBOX_API_KEY=sandbox_key,
        WS_SANDBOX_LATENCY_SECONDS=str(latency),
    )
    app_env = server_env(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=databases.url("app"),
        SANDBOX_ENABLED="0",
        WS_API_URL=f"http://127.0.0.1:{upstream_port}/sandbox",
        WS_API_KEY=sandbox_key,
        BENCH_STATIC_ROOT=str(folder / "static"),
        # A shared cache (Redis) must not answer from an earlier run: keys of this run only.
        BENCH_CACHE_PREFIX=f"bench-{os.getpid()}-{secrets.token_hex(4)}",
        BENCH_USERNAME=USERNAME,
        BENCH_PASSWORD=password,
    )
    if os.environ.get("REDIS_URL", "").strip():
        app_env["REDIS_URL"] = os.environ["REDIS_URL"].strip()

    say(f"Setting up in {folder}: two databases migrated, static files collected…")
    # The upstream gets ready while the app does: setup is mostly waiting on processes.
    background = ThreadPoolExecutor(max_workers=1)
    try:
        upstream = background.submit(start_upstream, processes, upstream_env, upstream_port)
        processes.manage("app", app_env, "migrate", "--no-input", "-v", "0")
        processes.manage("app", app_env, "collectstatic", "--no-input", "-v", "0")
        described = processes.probe(app_env, "create-user", "describe")["describe"]
        facts.update({k: str(v) for k, v in described.items()})
        if app_env.get("REDIS_URL") and "redis" not in facts["cache"].lower():
            facts["cache"] += " (REDIS_URL was set, but the app does not use it)"
        upstream.result()
    finally:
        # On an error, stop_all (in bench) stops whatever the upstream's thread had started.
        background.shutdown(wait=False, cancel_futures=True)
    say(f"The upstream is on :{upstream_port}; starting the app on :{app_port}…")
    app_url = processes.gunicorn("app", app_env, app_port, workers=2)
    setup_done = time.monotonic()

    browser = Browser(app_url, "/bench/floor/")
    browser.login(USERNAME, password)
    dashboard, _hit = browser.send("GET", browser.current_url)
    start = next((f for f in parse(dashboard.text).forms if f.action.endswith("/new")), None)
    if start is None:
        raise browser.unexpected("dashboard", dashboard, "shows no Start onboarding form")

    journeys: list[Journey] = []
    plans = schedule(n)
    for plan in plans:
        kind = "warm-up" if plan.warmup else f"{plan.index}/{n}"
        say(
            f"  onboarding {kind}: ZIP {plan.zipcode}"
            f" ({'first lookup' if plan.first_lookup else 'looked up before'}),"
            f" {'solar' if plan.solar else 'no solar'}"
        )
        journeys.append(onboard(browser, plan, start))
        processes.check_alive()
    measured_done = time.monotonic()

    calls = processes.probe(upstream_env, "upstream-log")["upstream-log"]
    timed = time_upstream_calls(calls, folder / "upstream-access.log")
    left = report.attribute(browser.hits + browser.floor_hits, calls)
    # One floor request was asked per measured request, the warm-up's first.
    warmup_floor = sum(len(a.hits) for j in journeys if j.plan.warmup for a in j.actions)
    facts["load_after"] = load()
    run = report.Run(
        machine=facts,
        n=n,
        latency=latency,
        journeys=[j for j in journeys if not j.plan.warmup],
        floor_hits=browser.floor_hits[warmup_floor:],
        unattributed_calls=left,
        upstream_timed=timed,
        seconds={
            "setup": setup_done - began,
            "measure": measured_done - setup_done,
            "total": time.monotonic() - began,
        },
    )
    return report.render(run)


def start_upstream(processes: Processes, env: dict[str, str], port: int) -> str:
    processes.manage("upstream", env, "migrate", "--no-input", "-v", "0")
    return processes.gunicorn("upstream", env, port, workers=2)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("N") or 20))
    parser.add_argument("--latency", type=float, default=float(os.environ.get("LATENCY") or 0.2))
    args = parser.parse_args()
    if args.n < 1 or args.latency < 0:
        parser.error("N must be at least 1 and LATENCY at least 0.")
    # Ctrl+C (even where the shell started us ignoring it) and SIGTERM stop the servers too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    folder = Path(tempfile.mkdtemp(prefix="wattshift-bench-"))
    try:
        text, markdown = bench(args.n, args.latency, folder)
    except BenchError as error:
        say(f"\nmake bench stopped: {error}")
        for log in sorted(folder.glob("*.log")):
            if log.name.endswith("-access.log") or not log.stat().st_size:
                continue
            say(f"\n--- last lines of {log} ---\n{tail(log, 20)}")
        say(f"\nLogs kept in {folder}")
        return 1
    except KeyboardInterrupt:
        say(f"\nInterrupted; servers stopped. Logs kept in {folder}")
        return 130
    print(text, flush=True)
    MARKDOWN.write_text(markdown)
    say(f"\n(Also written as Markdown to {MARKDOWN.relative_to(HERE.parent)}.)")
    if os.environ.get("BENCH_KEEP"):
        say(f"Logs and SQLite databases kept in {folder} (BENCH_KEEP).")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
