"""What `make bench-scale` asks for, and how: every page a person uses to find and fix an
onboarding, each request followed by one request for the floor view from the same client, round
after round, so every page and the floor are measured under the same conditions."""

import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from bench.browser import Browser, Hit
from bench.scale.fill import INSTALLERS, KNOWN_NAME, SUPPORT
from bench.servers import BenchError
from onboarding.sandbox.models import SandboxHome
from onboarding.wizard import steps
from onboarding.wizard.links import check_url, onboarding_url
from onboarding.wizard.models import Onboarding
from onboarding.wizard.selectors import PAGE_SIZE, Cursor

FLOOR = "/bench/floor/"
# The CSV export is timed to its first bytes: what the person waits for before the download.
CSV_FIRST_BYTES = 64 * 1024
INSTALLER, SUPPORT_STAFF = "installer", "support"


@dataclass(frozen=True)
class Target:
    label: str
    who: str
    path: str
    # Read only the first CSV_FIRST_BYTES of the answer (the streamed CSV export).
    first_bytes: bool = False


@dataclass
class Sample:
    ms: float
    sql: int | None
    # The body as the browser reads it, and as it came over the wire (gzip); None when the
    # answer was streamed (no Content-Length).
    page_bytes: int
    wire_bytes: int | None
    upstream: list[str] = field(default_factory=list)


def query(**values: object) -> str:
    return "/?" + urlencode(values)


def targets() -> list[Target]:
    """The pages, with the rows and words they use picked from what fill() wrote: the busiest
    installer, one draft stopped at the home step, one ready to send, one needing attention."""
    installer = User.objects.get(username=INSTALLERS[0][0])
    smallest = User.objects.get(username=INSTALLERS[-1][0])
    drafts = Onboarding.objects.filter(owner=installer, status=Onboarding.Status.DRAFT)
    at_home = _first(drafts, lambda row: _next_slug(row) == "about-home")
    ready = _first(drafts, lambda row: _next_slug(row) is None)
    # One whose home WattShift does list (its check, made at once, kept its ZIP code's homes).
    listed = set(SandboxHome.objects.values_list("name", "zipcode"))
    stuck = _first(
        Onboarding.objects.filter(status=Onboarding.Status.NEEDS_ATTENTION),
        lambda row: (row.home_name, row.zipcode) in listed,
    )
    known = Onboarding.objects.get(home_name=KNOWN_NAME)
    home = Onboarding.objects.exclude(home_id="").order_by("pk")[1]
    ordered = Onboarding.objects.order_by("-updated_at", "-id")
    count = ordered.count()
    twentieth = ordered[min(PAGE_SIZE, count) - 1]
    middle = ordered[count // 2]
    today = timezone.localdate()
    return [
        Target("Installer: dashboard", INSTALLER, "/"),
        Target("Installer: search “ramirez 12 oak”", INSTALLER, query(q="ramirez 12 oak")),
        Target("Installer: a wizard step (home details)", INSTALLER, _step(at_home, "about-home")),
        Target("Installer: check answers", INSTALLER, check_url(ready)),
        Target("Support: dashboard", SUPPORT_STAFF, "/"),
        Target(
            "Support: page 2 (its Next link)",
            SUPPORT_STAFF,
            query(cursor=Cursor.after(twentieth, 2)),
        ),
        Target("Support: page 50 (?page=50)", SUPPORT_STAFF, query(page=50)),
        Target(
            "Support: a page halfway down (cursor)",
            SUPPORT_STAFF,
            query(cursor=Cursor.after(middle, count // 2 // PAGE_SIZE + 1)),
        ),
        Target("Search: home name “ramirez 12 oak”", SUPPORT_STAFF, query(q="ramirez 12 oak")),
        Target(f"Search: ZIP code {known.zipcode}", SUPPORT_STAFF, query(q=known.zipcode)),
        Target("Search: home id fragment", SUPPORT_STAFF, query(q=home.home_id[10:18])),
        Target("Search: onboarding reference", SUPPORT_STAFF, query(q=home.public_id.hex[:8])),
        Target("Search: installer name “nunez”", SUPPORT_STAFF, query(q="nunez")),
        Target("Search: nothing found “qqqzzz”", SUPPORT_STAFF, query(q="qqqzzz")),
        Target("Filter: status draft", SUPPORT_STAFF, query(status="draft")),
        Target("Filter: installer", SUPPORT_STAFF, query(installer=smallest.pk)),
        Target("Filter: plan to confirm", SUPPORT_STAFF, query(plan_to_confirm="on")),
        Target(
            "Filter: created, a 30-day range",
            SUPPORT_STAFF,
            query(
                created_from=(today - timedelta(days=200)).isoformat(),
                created_to=(today - timedelta(days=171)).isoformat(),
            ),
        ),
        Target("Needs-attention list", SUPPORT_STAFF, query(status="needs_attention")),
        # It shows what the last check kept: the upstream column says it asks WattShift nothing.
        Target("Resolve page", SUPPORT_STAFF, onboarding_url("wizard:resolve", stuck)),
        Target(
            "CSV export, first 64 KB", SUPPORT_STAFF, reverse("wizard:export"), first_bytes=True
        ),
    ]


def _next_slug(row: Onboarding) -> str | None:
    unanswered = steps.first_unanswered(row)
    return None if unanswered is None else unanswered.slug


def _first(rows: Any, wanted: Any) -> Onboarding:
    found = next((row for row in rows.iterator() if wanted(row)), None)
    if found is None:
        raise BenchError(f"The filled database has no onboarding for {rows.query}.")
    return found


def _step(row: Onboarding, slug: str) -> str:
    return onboarding_url("wizard:step", row, slug)


@dataclass
class Measured:
    """Every sample of every page, and the floor's, by client."""

    samples: dict[str, list[Sample]] = field(default_factory=dict)
    floors: dict[str, list[Hit]] = field(default_factory=dict)
    # Every page request, the warm-up's included (the upstream's log covers it too), and the
    # sample of each measured one.
    hits: list[Hit] = field(default_factory=list)
    hit_of: dict[int, Sample] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "samples": {k: [asdict(s) for s in v] for k, v in self.samples.items()},
            "floors": {
                who: [{"ms": h.ms, "sql": h.sql} for h in hits] for who, hits in self.floors.items()
            },
        }


def measure(base_url: str, password: str, pages: list[Target], rounds: int) -> Measured:
    """`rounds` rounds of every page (after one warm-up round, left out), each request followed
    by one floor request from the same client."""
    browsers = {INSTALLER: Browser(base_url, FLOOR), SUPPORT_STAFF: Browser(base_url, FLOOR)}
    browsers[INSTALLER].login(INSTALLERS[0][0], password)
    browsers[SUPPORT_STAFF].login(SUPPORT, password)
    measured = Measured(floors={who: [] for who in browsers})
    for round_number in range(rounds + 1):
        for page in pages:
            browser = browsers[page.who]
            sample, hit = _ask(browser, page)
            browser.ask_floor()
            measured.hits.append(hit)
            if round_number:
                measured.samples.setdefault(page.label, []).append(sample)
                measured.floors[page.who].append(browser.floor_hits[-1])
                measured.hit_of[id(hit)] = sample
    return measured


def _ask(browser: Browser, page: Target) -> tuple[Sample, Hit]:
    url = browser.url(page.path)
    if page.first_bytes:
        return _first_bytes(browser, url)
    response, hit = browser.send("GET", url)
    if response.status_code != 200:
        raise browser.unexpected(page.label, response, f"answered {response.status_code}")
    length = response.headers.get("Content-Length")
    sample = Sample(
        ms=hit.ms,
        sql=hit.sql,
        page_bytes=len(response.content),
        wire_bytes=int(length) if length else None,
    )
    return sample, hit


def _first_bytes(browser: Browser, url: str) -> tuple[Sample, Hit]:
    """The time until the first CSV_FIRST_BYTES of a streamed answer have arrived."""
    started, clock = time.time(), time.perf_counter()
    with browser.session.get(url, stream=True, timeout=60) as response:
        read = 0
        for chunk in response.iter_content(chunk_size=8192):
            read += len(chunk)
            if read >= CSV_FIRST_BYTES:
                break
        ms = (time.perf_counter() - clock) * 1000
        if response.status_code != 200:
            raise browser.unexpected("CSV export", response, f"answered {response.status_code}")
        sql = response.headers.get("X-Bench-SQL")
    hit = Hit(
        method="GET",
        url=url,
        status=200,
        ms=ms,
        sql=int(sql) if sql else None,
        started=started,
        ended=time.time(),
    )
    return Sample(ms=ms, sql=hit.sql, page_bytes=read, wire_bytes=None), hit
