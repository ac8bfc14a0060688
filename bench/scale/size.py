"""One size of `make bench-scale`, in a process of its own with Django set up on that size's
database (bench.settings, DATABASE_URL from bench.scale.run): migrate, fill N onboardings, serve
the app under gunicorn, measure every page, and write the figures as JSON.

    python -m bench.scale.size --n 100000 --rounds 10 --folder DIR --out FILE
"""

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

import django

from bench import report
from bench.probe import describe, upstream_log
from bench.servers import BenchError, Processes, free_port


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--rounds", type=int, required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    port = free_port()
    # The app calls its own sandbox on the port it serves (no page measured here should).
    os.environ["WS_SANDBOX_URL"] = f"http://127.0.0.1:{port}/sandbox"
    django.setup()

    from django.core.management import call_command
    from django.db import connections

    from bench.scale import fill, pages

    began = time.monotonic()
    say(f"N={args.n}: migrating, collecting static files…")
    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    say(f"N={args.n}: filling {args.n:,} onboardings…")
    password = secrets.token_urlsafe(16)
    filled = fill.fill(args.n, password)
    say(
        f"N={args.n}: filled in {filled.seconds:.0f} s ({filled.counts}); "
        f"{filled.homes_listed:,} homes in the sandbox's list"
    )
    wanted = pages.targets()
    facts = describe()
    connections.close_all()

    processes = Processes(args.folder)
    try:
        url = processes.gunicorn(f"app-{args.n}", dict(os.environ), port, workers=2)
        set_up = time.monotonic() - began
        say(f"N={args.n}: serving on :{port}; measuring {args.rounds} rounds…")
        measured = pages.measure(url, password, wanted, args.rounds)
        processes.check_alive()
    finally:
        processes.stop_all()
    # Each upstream call (the sandbox's log) given to the page request it was made for.
    unattributed = report.attribute(measured.hits, upstream_log())
    for hit in measured.hits:
        if id(hit) in measured.hit_of:
            measured.hit_of[id(hit)].upstream = hit.upstream
    result = {
        "n": args.n,
        "upstream_ms": upstream_ms(args.folder / f"app-{args.n}-access.log"),
        "rounds": args.rounds,
        "facts": facts,
        "filled": {
            "counts": filled.counts,
            "homes_listed": filled.homes_listed,
            "events": filled.events,
            "seconds": filled.seconds,
        },
        "order": [(page.label, page.who) for page in wanted],
        "unattributed_calls": unattributed,
        "seconds": {"setup": set_up, "total": time.monotonic() - began},
        **measured.as_json(),
    }
    args.out.write_text(json.dumps(result))
    return 0


def upstream_ms(access_log: Path) -> dict[str, float]:
    """How long the sandbox took to answer each endpoint (median ms), from the app's access
    log: the sandbox is served by the app, so a page's time includes it."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines() if access_log.exists() else []:
        parts = line.split()
        if len(parts) == 4 and "/v1/" in parts[1] and parts[3].isdigit():
            times.setdefault(report.endpoint(parts[1]), []).append(int(parts[3]) / 1000)
    return {name: report.median(values) for name, values in times.items()}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        say(f"make bench-scale stopped: {error}")
        sys.exit(1)
