"""Onboardings for the tests: one factory for a draft answered through any step.

`onboarding(owner, through="utility")` is a draft with the ZIP code and utility steps
answered; `through="solar"` (the default) answers every step, `through="none"` (or "")
none. The answers are always those of one home, ANSWERS: Maple House in 95313 on PG&E's E-6
(the plan id it shares with TOU-C in the documented example, which gives no rateID), every
appliance question answered, 7.6 kW of net-metered solar. Any field may be overridden, an
answer or not (`status`, `home_id`, `last_error`, ...); `answers(...)` is the same as a dict.

Registered as a plugin in tests/conftest.py, so the fixtures below are seen everywhere.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from onboarding.wizard.models import AcType, Answer, Event, Onboarding, search_text_for
from onboarding.wizard.services import reconciliation
from tests.wizard.upstream import HOME_ID, SHARED_ID

# Each step's answers, by the step's slug, in the wizard's order.
ANSWERS: dict[str, dict[str, object]] = {
    "zip": {"zipcode": "95313"},
    "utility": {
        "utility_id": "14328",
        "utility_name": "Pacific Gas & Electric",
        "rate_plan_id": SHARED_ID,
        "rate_plan_name": "E-6",
        "rate_plan_rate_id": "",
        "plan_to_confirm": False,
    },
    "about-home": {
        "home_name": "Maple House",
        "has_ev_charger": Answer.YES,
        "has_electric_heater": Answer.NO,
        "has_smart_water_heater": Answer.NOT_SURE,
        "has_electric_water_heater": Answer.NO,
        "has_ac": Answer.YES,
        "ac_type": AcType.CENTRAL,
    },
    "solar": {"has_solar": True, "solar_size_kw": Decimal("7.6"), "solar_net_metered": True},
}
NOTHING_ANSWERED = ("", "none")


def answers(*, through: str = "solar", **fields: object) -> dict[str, object]:
    """The canonical answers of every step up to and including `through`, then `fields`."""
    slugs = list(ANSWERS)
    if through in NOTHING_ANSWERED:
        answered: list[str] = []
    elif through in ANSWERS:
        answered = slugs[: slugs.index(through) + 1]
    else:
        raise ValueError(f"No step {through!r}: one of {slugs} or {NOTHING_ANSWERED}.")
    values: dict[str, object] = {}
    for slug in answered:
        values.update(ANSWERS[slug])
    values.update(fields)
    return values


def onboarding(owner: User, *, through: str = "solar", **fields: object) -> Onboarding:
    """An onboarding of `owner`'s answered through the step `through` (see the module)."""
    return Onboarding.objects.create(owner=owner, **answers(through=through, **fields))


def many(owner: User, count: int, *, through: str = "solar", **fields: object) -> None:
    """`count` onboardings of `owner`'s in one statement, for tests of long lists; their
    search_text filled as save() fills it."""
    rows = [Onboarding(owner=owner, **answers(through=through, **fields)) for _ in range(count)]
    for row in rows:
        row.search_text = search_text_for(row)
    Onboarding.objects.bulk_create(rows, batch_size=500)


def checked_with_wattshift(onboarding: Onboarding) -> Onboarding:
    """A check of homes/list, as every create with an unknown outcome gets (the submission's
    own at once, then the background ones): the resolve page shows what it found."""
    return reconciliation.reconcile_onboarding(onboarding=onboarding, by=None)


def events(onboarding: Onboarding) -> list[tuple[str, str]]:
    """What the onboarding's history records, in order: (action, outcome) of each event."""
    return [(event.action, event.outcome) for event in onboarding.events.all()]


@pytest.fixture
def draft(installer: User) -> Onboarding:
    """A draft just started: nothing answered."""
    return onboarding(installer, through="none")


@pytest.fixture
def complete_draft(installer: User) -> Onboarding:
    """A draft with every step answered, not sent yet."""
    return onboarding(installer)


@pytest.fixture
def ready_onboarding(complete_draft: Onboarding) -> Onboarding:
    """The complete draft, by the name the submission tests give it: ready to be sent."""
    return complete_draft


@pytest.fixture
def needs_attention(installer: User) -> Onboarding:
    """Sent, but homes/create gave no clear answer: support has to find out what it did."""
    stuck = onboarding(
        installer,
        status=Onboarding.Status.NEEDS_ATTENTION,
        last_error="The WattShift service did not answer in time.",
    )
    Event.objects.create(onboarding=stuck, action="homes/create", outcome="unknown")
    return stuck


@pytest.fixture
def created_home(installer: User) -> Onboarding:
    """A home created with its solar, as the home page shows it: the plan with a tariff
    reference (rateID PGE-E-6) and the electric water heater question left unanswered."""
    created = onboarding(
        installer,
        status=Onboarding.Status.COMPLETE,
        home_id=HOME_ID,
        rate_plan_rate_id="PGE-E-6",
        has_electric_water_heater="",
    )
    for action in ("homes/create", "homes/solar/create"):
        Event.objects.create(onboarding=created, action=action, outcome="succeeded", by=installer)
    return created
