"""The figures of `make bench-scale`: a table per size, the largest first with how each page's
cost changed from the smallest, as plain text and as Markdown. Targets are reported with ✓ or
✗, never enforced."""

import statistics
from dataclasses import dataclass
from typing import Any

from bench.report import MISSED, Table, mark, median, number

MAX_RATIO = 3.0
MAX_SQL = 8
# "Grows with N": the page's ratio to the floor at the largest N over that at the smallest. The
# floor is measured beside it, so a busier machine moves both; noise stays well under this.
MAX_GROWTH = 1.5


@dataclass(frozen=True)
class Row:
    label: str
    who: str
    n: int
    ms: float
    ratio: float
    sql_median: float | None
    sql_max: int | None
    kb: float
    wire_kb: float | None
    upstream: float
    streamed: bool


def rows_of(result: dict[str, Any]) -> list[Row]:
    floors = floor_ms(result)
    rows = []
    for label, who in result["order"]:
        samples = result["samples"][label]
        ms = median([s["ms"] for s in samples])
        sql = [s["sql"] for s in samples if s["sql"] is not None]
        wire = [s["wire_bytes"] for s in samples if s["wire_bytes"] is not None]
        rows.append(
            Row(
                label=label,
                who=who,
                n=len(samples),
                ms=ms,
                # Judged as printed, so a ratio shown as 3.00 is never a miss.
                ratio=round(ms / floors[who], 2) if floors[who] else 0.0,
                sql_median=median(sql) if sql else None,
                sql_max=max(sql) if sql else None,
                kb=median([s["page_bytes"] for s in samples]) / 1024,
                wire_kb=median(wire) / 1024 if wire else None,
                upstream=statistics.mean(len(s["upstream"]) for s in samples),
                streamed=not wire,
            )
        )
    return rows


def floor_ms(result: dict[str, Any]) -> dict[str, float]:
    return {who: median([h["ms"] for h in hits]) for who, hits in result["floors"].items()}


def missed_targets(row: Row) -> list[str]:
    missed = []
    if row.ratio > MAX_RATIO:
        missed.append(f"{row.label}: {row.ratio:.2f}× the floor")
    if row.sql_max is not None and row.sql_max > MAX_SQL:
        missed.append(f"{row.label}: up to {row.sql_max} SQL statements")
    return missed


def growth(big: Row, small: Row) -> tuple[str, list[str]]:
    """The growth cell, and what it misses: × floor up more than MAX_GROWTH times. A change
    in SQL statements is shown, not judged (a list's bounded count, at most COUNT_LIMIT + 1
    rows, is read with its page whatever N); ≤ MAX_SQL judges the number."""
    if not small.ratio:
        return "–", []
    grew = big.ratio / small.ratio
    missed = []
    if grew > MAX_GROWTH:
        missed.append(f"{big.label}: {grew:.2f}× its cost at the smaller N")
    cell = f"{grew:.2f}× {mark(grew <= MAX_GROWTH)}"
    if big.sql_max != small.sql_max:
        cell += f" (SQL {small.sql_max} → {big.sql_max})"
    return cell, missed


def page_table(rows: list[Row], reference: list[Row] | None, reference_n: int) -> Table:
    headers = ["Page", "n", "median ms", "× floor", "SQL median", "max", "KB (gzip)", "upstream"]
    if reference is not None:
        headers += [f"× floor at N={reference_n:,}", "growth"]
    table = Table(headers)
    for i, row in enumerate(rows):
        cells = [
            row.label,
            str(row.n),
            f"{row.ms:.1f}",
            f"{row.ratio:.2f}× {mark(row.ratio <= MAX_RATIO)}",
            number(row.sql_median) if row.sql_median is not None else "–",
            "–" if row.sql_max is None else f"{row.sql_max} {mark(row.sql_max <= MAX_SQL)}",
            f"{row.kb:.1f}" + (f" ({row.wire_kb:.1f})" if row.wire_kb is not None else ""),
            number(round(row.upstream, 1)),
        ]
        if reference is not None:
            cells += [f"{reference[i].ratio:.2f}×", growth(row, reference[i])[0]]
        table.rows.append(cells)
    return table


def facts(results: list[dict[str, Any]], machine: dict[str, str]) -> list[tuple[str, str]]:
    first = results[0]["facts"]
    load = f"load average {machine['load_before']} before, {machine['load_after']} after"
    lines = [
        ("Machine", f"{machine['cpu']}, {machine['cores']} cores ({load})"),
        (
            "Software",
            f"Python {first['python']}, Django {first['django']}, gunicorn "
            f"{machine['gunicorn']}; the app on 2 sync workers, DEBUG=0, bench.settings",
        ),
        ("Database", first["database"]),
        ("Cache backend", first["cache"]),
        ("Upstream", "the app's own sandbox (no added latency), holding the homes below"),
    ]
    for result in results:
        n, filled = result["n"], result["filled"]
        counts = ", ".join(f"{k} {v:,}" for k, v in sorted(filled["counts"].items()))
        floors = ", ".join(f"{who} {ms:.1f} ms" for who, ms in sorted(floor_ms(result).items()))
        lines += [
            (
                f"N={n:,}",
                f"{counts}; {filled['events']:,} history events; {filled['homes_listed']:,} "
                f"homes in WattShift's list; filled in {filled['seconds']:.0f} s",
            ),
            (
                f"Floor at N={n:,}",
                f"{floors} (median of {result['rounds']} rounds, one after every page request)",
            ),
        ]
    return lines


def render(
    results: list[dict[str, Any]], machine: dict[str, str], seconds: float
) -> tuple[str, str]:
    """Plain text and Markdown; `results` from the smallest N to the largest."""
    by_size = [rows_of(result) for result in results]
    largest, smallest = by_size[-1], by_size[0]
    compare = len(results) > 1
    reference_n = results[0]["n"]
    missed: list[str] = []
    for row in largest:
        missed += missed_targets(row)
        if compare:
            missed += growth(row, smallest[largest.index(row)])[1]
    tables = [
        (
            f"N={results[-1]['n']:,}",
            page_table(largest, smallest if compare else None, reference_n),
        )
    ]
    tables += [
        (f"Reference: N={result['n']:,}", page_table(rows, None, 0))
        for result, rows in zip(results[:-1], by_size[:-1], strict=True)
    ][::-1]
    notes = [
        f"Targets at the largest N: every page ≤ {MAX_RATIO:g}× the floor of its client; ≤ "
        f"{MAX_SQL} SQL statements per request; no growth: × floor at most {MAX_GROWTH:g}× "
        "its value at the smallest N. A change in SQL statements between the sizes is shown "
        "in brackets (a list's bounded count, at most 1,001 rows, is read with its page, "
        "whatever N).",
        "The CSV export is timed to its first 64 KB; its SQL count is what ran before the "
        "rows stream (the export's own query runs while streaming, uncounted), and its KB is "
        "what was read, not the whole file.",
    ]
    for result in results:
        for name, ms in sorted(result.get("upstream_ms", {}).items()):
            homes = result["filled"]["homes_listed"]
            notes.append(
                f"At N={result['n']:,} the sandbox itself took {ms:.0f} ms (median, its access "
                f"log) to answer {name}"
                + (f" with {homes:,} homes." if name == "homes/list" else ".")
            )
    unattributed = sum(result["unattributed_calls"] for result in results)
    if unattributed:
        notes.append(f"{unattributed} upstream calls came outside any measured request.")
    verdict = "Every target met." if not missed else f"{len(missed)} targets missed:"
    timing = f"The run took {seconds:.0f} s."
    lines = facts(results, machine)
    width = max(len(k) for k, _v in lines)
    text = [*(f"{k.ljust(width)}  {v}" for k, v in lines), ""]
    markdown = ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in lines), ""]
    for title, table in tables:
        text += [title, table.text(), ""]
        markdown += [f"**{title}**", "", table.markdown(), ""]
    text += [*notes, "", verdict, *(f"  {MISSED} {what}" for what in missed), "", timing]
    markdown += [*(f"{note}  " for note in notes), "", f"**{verdict}**", ""]
    markdown += [*(f"- {MISSED} {what}" for what in missed), "", timing, ""]
    return "\n".join(text), "\n".join(markdown)
