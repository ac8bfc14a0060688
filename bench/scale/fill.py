"""N onboardings that look like production, written fast through the models: 20 installers (a few
doing most of the work), drafts stopped at every step, about 1 % needing attention, most homes
complete with a home id (and that home in the sandbox's list), some plans to confirm, names
with accents ("Ramírez, 12 Oak St"), created over the last year. Runs inside Django (the app's
settings and database), in one transaction, with bulk_create in batches.
"""

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone

from onboarding.accounts.roles import SUPPORT_GROUP
from onboarding.sandbox import data as sandbox_data
from onboarding.sandbox.models import SandboxHome
from onboarding.wattshift.types import Home
from onboarding.wizard import selectors, steps
from onboarding.wizard.models import (
    APPLIANCE_COLUMNS,
    AcType,
    Answer,
    Event,
    Onboarding,
    search_text_for,
)
from onboarding.wizard.services.history import Action, Outcome

SUPPORT = "sam.support"
# (username, first name, last name, share of the onboardings): a few installers do most.
INSTALLERS = (
    ("ines.ramirez", "Inés", "Ramírez", 14),
    ("jose.nunez", "José", "Núñez", 12),
    ("alex.chen", "Alex", "Chen", 10),
    ("maria.lopez", "María", "López", 8),
    ("sam.oconnor", "Sam", "O'Connor", 7),
    ("zoe.muller", "Zoë", "Müller", 6),
    ("dmitri.volkov", "Dmitri", "Volkov", 5),
    ("priya.patel", "Priya", "Patel", 5),
    ("tom.nguyen", "Tom", "Nguyễn", 4),
    ("lena.dvorak", "Lena", "Dvořák", 4),
    ("omar.haddad", "Omar", "Haddad", 4),
    ("kim.park", "Kim", "Park", 3),
    ("lucia.pena", "Lucía", "Peña", 3),
    ("ben.okafor", "Ben", "Okafor", 3),
    ("ana.souza", "Ana", "Souza", 3),
    ("eric.larsen", "Eric", "Larsen", 2),
    ("fatima.zahra", "Fatima", "Zahra", 2),
    ("noah.brown", "Noah", "Brown", 2),
    ("chloe.martin", "Chloé", "Martin", 2),
    ("raj.iyer", "Raj", "Iyer", 1),
)
SURNAMES = (
    "Ramírez",
    "García",
    "Núñez",
    "Muñoz",
    "Peña",
    "Gómez",
    "Hernández",
    "López",
    "Martínez",
    "Pérez",
    "Sánchez",
    "Álvarez",
    "Castaño",
    "O'Brien",
    "Müller",
    "Nguyễn",
    "Dvořák",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Evans",
    "Turner",
    "Torres",
    "Parker",
    "Collins",
    "Edwards",
    "Flores",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Reyes",
)
STREETS = (
    "Oak",
    "Maple",
    "Pine",
    "Cedar",
    "Elm",
    "Main",
    "Park",
    "Lake",
    "Hill",
    "Sunset",
    "Willow",
    "Birch",
    "Walnut",
    "Chestnut",
    "Spruce",
    "Cherry",
    "Magnolia",
    "Juniper",
    "Sycamore",
    "Aspen",
    "Redwood",
    "Laurel",
    "Cypress",
    "Poplar",
    "Orchard",
    "Mission",
)
SUFFIXES = ("St", "Ave", "Rd", "Dr", "Ln", "Ct", "Way", "Blvd", "Pl")
# The search the README promises: this exact home is always among them.
KNOWN_NAME = "Ramírez, 12 Oak St"
# The step a draft stopped at: "" none answered, else the last step answered (STEPS' slugs).
DRAFT_STAGES = ("", *(step.slug for step in steps.STEPS))
# Rows written whatever N, just past the middle, for the pages the benchmark opens: the busiest
# installer's drafts stopped at each step (by offset from N // 2), and one needing attention.
EXAMPLES: dict[int, tuple[Onboarding.Status, str]] = {
    **{k + 1: (Onboarding.Status.DRAFT, stage) for k, stage in enumerate(DRAFT_STAGES)},
    len(DRAFT_STAGES) + 1: (Onboarding.Status.NEEDS_ATTENTION, steps.STEPS[-1].slug),
}
HAS_HOME_ID = (Onboarding.Status.COMPLETE, Onboarding.Status.HOME_CREATED)
BATCH = 2_000
# Homes of one ZIP code kept for the checks of unknown creates: more than a check keeps.
NEAR_HOMES = 50
DAYS = 365


@dataclass
class Filled:
    """What the benchmark needs to know about the rows it wrote."""

    n: int
    counts: dict[str, int] = field(default_factory=dict)
    homes_listed: int = 0
    events: int = 0
    seconds: float = 0.0


def fill(n: int, password: str, seed: int = 10) -> Filled:
    """Write the installers, a support user and N onboardings (with their history events and
    the sandbox's homes), then refresh the planner's statistics as autovacuum would."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, the same every run
    began = timezone.now()
    hashed = make_password(password)
    support = User.objects.create(username=SUPPORT, first_name="Sam", password=hashed)
    support.groups.add(Group.objects.get(name=SUPPORT_GROUP))
    installers = User.objects.bulk_create(
        User(username=u, first_name=f, last_name=last, password=hashed)
        for u, f, last, _share in INSTALLERS
    )
    weights = [share for *_names, share in INSTALLERS]
    areas = zip_pool(rng)
    filled = Filled(n=n)
    now = timezone.now()
    listed_by_zip: dict[str, list[Home]] = {}
    with transaction.atomic(), timestamps_as_given():
        for start in range(0, n, BATCH):
            drawn = []
            for i in range(start, min(start + BATCH, n)):
                example = EXAMPLES.get(i - n // 2)
                owner = installers[0] if example else rng.choices(installers, weights)[0]
                drawn.append(onboarding(rng, i, n, owner, areas, now, example))
            rows = [row for row, _listed in drawn]
            Onboarding.objects.bulk_create(rows, batch_size=BATCH)
            history, homes = events_and_homes(rng, drawn, listed_by_zip)
            Event.objects.bulk_create(history, batch_size=BATCH)
            SandboxHome.objects.bulk_create(homes, batch_size=BATCH)
            filled.events += len(history)
            filled.homes_listed += len(homes)
            for row in rows:
                filled.counts[str(row.status)] = filled.counts.get(str(row.status), 0) + 1
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: statistics and the visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    filled.seconds = (timezone.now() - began).total_seconds()
    return filled


def zip_pool(rng: random.Random) -> list[tuple[str, tuple[sandbox_data.SandboxUtility, ...]]]:
    """Each ZIP code the sandbox serves, and 24 neighbours served by the same utilities: about
    400 ZIP codes, a few hundred onboardings each at N = 100,000."""
    pool = []
    for zipcode, area in sandbox_data.SERVICE_AREAS.items():
        if not area.utilities:
            continue
        pool.append((zipcode, area.utilities))
        neighbours = {f"{zipcode[:3]}{rng.randrange(100):02d}" for _ in range(24)} - {zipcode}
        pool += [(near, area.utilities) for near in sorted(neighbours)]
    return pool


def home_name(rng: random.Random) -> str:
    number, street = rng.randrange(1, 1000), f"{rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    surname = rng.choice(SURNAMES)
    shape = rng.random()
    if shape < 0.6:
        return f"{surname}, {number} {street}"
    if shape < 0.8:
        return f"{surname} residence, {number} {street.rsplit(' ', 1)[0]}"
    return f"{number} {street}"


def status_of(rng: random.Random) -> tuple[Onboarding.Status, str]:
    """(status, the last step answered): 72 % complete, 1 % needing attention, 0.5 % waiting
    for solar, the rest drafts spread over every step."""
    roll = rng.random()
    last = steps.STEPS[-1].slug
    if roll < 0.72:
        return Onboarding.Status.COMPLETE, last
    if roll < 0.73:
        return Onboarding.Status.NEEDS_ATTENTION, last
    if roll < 0.735:
        return Onboarding.Status.HOME_CREATED, last
    return Onboarding.Status.DRAFT, rng.choice(DRAFT_STAGES)


def onboarding(
    rng: random.Random,
    index: int,
    n: int,
    owner: User,
    areas: list[tuple[str, tuple[sandbox_data.SandboxUtility, ...]]],
    now: datetime,
    example: tuple[Onboarding.Status, str] | None = None,
) -> tuple[Onboarding, bool]:
    """One onboarding, and whether WattShift lists a home for it that it has no id of (half
    of those whose create answer was lost, and the example that needs attention)."""
    status, through = example or status_of(rng)
    # Older rows first, so ids grow with creation time as they do in production.
    created = now - timedelta(days=DAYS * (n - index) / n, seconds=rng.randrange(3600))
    sent = status != Onboarding.Status.DRAFT
    zipcode, utilities = rng.choice(areas)
    utility = rng.choice(utilities)
    # "I'm not sure" of the plan: WattShift's first listed plan is used once the home is sent.
    to_confirm = rng.random() < 0.03
    plan = utility.rate_plans[0] if to_confirm else rng.choice(utility.rate_plans)
    has_ac = rng.choice(list(Answer))
    solar = rng.random() < 0.4
    row = Onboarding(
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        owner=owner,
        created_at=created,
        # Sent homes changed within the hour; drafts were left up to a month ago.
        updated_at=min(now, created + timedelta(minutes=rng.randrange(60 if sent else 43_200))),
        status=status,
        zipcode=zipcode,
        utility_id=utility.id,
        utility_name=utility.name,
        rate_plan_id=plan.id,
        rate_plan_name=plan.name,
        rate_plan_rate_id=plan.rate_id,
        plan_to_confirm=to_confirm,
        home_name=KNOWN_NAME if index == n // 2 else home_name(rng),
        **{column: rng.choice(list(Answer)) for column in APPLIANCE_COLUMNS if column != "has_ac"},
        has_ac=has_ac,
        ac_type=rng.choice(list(AcType)) if has_ac == Answer.YES else "",
        has_solar=solar,
        solar_size_kw=Decimal(rng.randrange(20, 150)) / 10 if solar else None,
        solar_net_metered=rng.random() < 0.8 if solar else None,
        home_id=f"ws_home_{rng.getrandbits(64):016x}" if status in HAS_HOME_ID else "",
        submitted_at=created if sent else None,
        submitted_by=owner if sent else None,
        last_error="The WattShift service did not answer in time."
        if status == Onboarding.Status.NEEDS_ATTENTION
        else "",
    )
    if to_confirm and not sent:
        row.rate_plan_id = row.rate_plan_name = row.rate_plan_rate_id = ""
    if not sent:
        answered = DRAFT_STAGES.index(through)
        for step in steps.STEPS[answered:]:
            for name in step.answers:
                setattr(row, name, Onboarding.unanswered(name))
    # As every write of the model keeps it (Onboarding.save, the step forms, status moves).
    row.search_text = search_text_for(row)
    lost = status == Onboarding.Status.NEEDS_ATTENTION
    return row, lost and (example is not None or rng.random() < 0.5)


def events_and_homes(
    rng: random.Random,
    drawn: list[tuple[Onboarding, bool]],
    listed_by_zip: dict[str, list[Home]],
) -> tuple[list[Event], list[SandboxHome]]:
    """Each sent onboarding's history (homes/create, then solar; after an unknown outcome the
    check made at once), and the homes WattShift lists: every recorded home id, and the homes
    created though their answer was lost. `listed_by_zip` gathers the homes listed so far."""
    history: list[Event] = []
    homes: list[SandboxHome] = []
    for row, listed_without_id in drawn:
        if row.status == Onboarding.Status.DRAFT:
            continue
        unknown = row.status == Onboarding.Status.NEEDS_ATTENTION
        calls = [(Action.CREATE_HOME, Outcome.UNKNOWN if unknown else Outcome.SUCCEEDED)]
        if row.has_solar and not unknown:
            solar_failed = row.status == Onboarding.Status.HOME_CREATED
            calls.append((Action.ADD_SOLAR, Outcome.FAILED if solar_failed else Outcome.SUCCEEDED))
        history += [
            Event(onboarding=row, by=row.owner, action=action, outcome=outcome)
            for action, outcome in calls
        ]
        if row.home_id or listed_without_id:
            homes.append(
                SandboxHome(
                    id=row.home_id or f"ws_home_{rng.getrandbits(64):016x}",
                    name=row.home_name,
                    zipcode=row.zipcode,
                    utility_id=row.utility_id,
                    rate_plan_id=row.rate_plan_id,
                )
            )
    for home in homes:
        near = listed_by_zip.setdefault(home.zipcode, [])
        if len(near) < NEAR_HOMES:
            near.append(Home(home.id, home.name, home.zipcode, home.utility_id, home.rate_plan_id))
    history += [
        event
        for row, _listed in drawn
        if row.status == Onboarding.Status.NEEDS_ATTENTION
        for event in first_check(row, listed_by_zip.get(row.zipcode, []))
    ]
    return history, homes


def first_check(row: Onboarding, zip_homes: list[Home]) -> list[Event]:
    """The check an unknown create gets at once, as the app keeps it: too soon to prove anything
    (WattShift did not list the home yet), the homes of its ZIP code kept for support."""
    near = [home for home in zip_homes if home.name != row.home_name]
    search = selectors.HomeSearch(candidates=[], near=near, requested_at=row.updated_at)
    found = {"matches": 0, **selectors.kept_homes(search)}
    return [
        Event(
            onboarding=row,
            by=row.owner,
            action=Action.LIST_HOMES,
            outcome=Outcome.SUCCEEDED,
            params=found,
        ),
        Event(onboarding=row, by=row.owner, action=Action.RECONCILE, outcome=Outcome.TOO_SOON),
    ]


@contextmanager
def timestamps_as_given() -> Iterator[None]:
    """created_at and updated_at as the rows give them (spread over a year), not now."""
    fields = [Onboarding._meta.get_field(name) for name in ("created_at", "updated_at")]
    dated = [f for f in fields if isinstance(f, DateTimeField)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in dated]
    for f in dated:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
