"""make bench-scale: for each size, a throwaway database filled with N onboardings through the
models, the app under gunicorn on it, and every page of finding and fixing an onboarding timed
beside a floor view; then how each page's cost changed between the sizes. Reports; never fails
on a missed target.

    python -m bench.scale.run [--n 100000] [--reference 10000] [--rounds 20]
    (DATABASE_URL, REDIS_URL from the environment)
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.run import load, machine, say, server_env
from bench.scale import report
from bench.servers import ROOT, BenchError, Databases, tail

HERE = Path(__file__).resolve().parent
MARKDOWN = HERE.parent / "last-scale-run.md"
SMALLEST, LARGEST = 100, 100_000


def sizes(text: str, reference: int) -> list[int]:
    """N as given ("100000", or "10000,100000"), from the smallest; a single N gets the
    reference size beside it when that is smaller, so growth can be seen in one run. 10,000 by
    default: enough rows for every list and search to fill its first page, as at 100,000, so
    the comparison shows what grows with N rather than a page filling up."""
    try:
        wanted = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise BenchError(f"N must be numbers separated by commas, not {text!r}.") from None
    if not wanted or wanted[0] < SMALLEST or wanted[-1] > LARGEST:
        raise BenchError(f"Each N must be from {SMALLEST:,} to {LARGEST:,}.")
    if len(wanted) == 1 and SMALLEST <= reference < wanted[0]:
        wanted.insert(0, reference)
    return wanted


def one_size(n: int, rounds: int, folder: Path, databases: Databases) -> dict[str, Any]:
    """Run bench.scale.size for N on a database of its own (dropped after it)."""
    env = server_env(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=databases.url(f"scale{n}"),
        # The sandbox is the upstream, served by the app itself (as `make run` does).
        SANDBOX_ENABLED="1",
        WS_SANDBOX_API_KEY=secrets.token_urlsafe(24),
        BENCH_STATIC_ROOT=str(folder / "static"),
        BENCH_CACHE_PREFIX=f"bench-scale-{os.getpid()}-{n}-{secrets.token_hex(4)}",
    )
    if os.environ.get("REDIS_URL", "").strip():
        env["REDIS_URL"] = os.environ["REDIS_URL"].strip()
    out = folder / f"scale-{n}.json"
    command = [sys.executable, "-m", "bench.scale.size", f"--n={n}", f"--rounds={rounds}"]
    command += [f"--folder={folder}", f"--out={out}"]
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603
        if done.returncode:
            raise BenchError(f"N={n:,} did not finish (exit code {done.returncode}).")
    finally:
        databases.drop_all()
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", default=os.environ.get("N") or "100000")
    parser.add_argument(
        "--reference", type=int, default=int(os.environ.get("REFERENCE_N") or 10_000)
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS") or 20))
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("ROUNDS must be at least 1.")
    try:
        wanted = sizes(args.n, args.reference)
    except BenchError as error:
        parser.error(str(error))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    began = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="wattshift-bench-scale-"))
    databases = Databases(os.environ.get("DATABASE_URL", "").strip(), folder)
    facts = machine()
    keep = bool(os.environ.get("BENCH_KEEP"))
    try:
        results = [one_size(n, args.rounds, folder, databases) for n in wanted]
    except BenchError as error:
        keep = True
        logs = [log for log in sorted(folder.glob("*.log")) if log.stat().st_size]
        say("".join(f"\n--- last lines of {log} ---\n{tail(log, 20)}\n" for log in logs))
        say(f"make bench-scale stopped: {error}")
        return 1
    except KeyboardInterrupt:
        keep = True
        say("\nInterrupted; servers stopped, databases dropped.")
        return 130
    finally:
        databases.drop_all()
        if keep:
            say(f"Logs (and SQLite databases) kept in {folder}.")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    facts["load_after"] = load()
    text, markdown = report.render(results, facts, time.monotonic() - began)
    print(text, flush=True)
    MARKDOWN.write_text(markdown)
    say(f"\n(Also written as Markdown to {MARKDOWN.relative_to(ROOT)}.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
