"""What the last look in homes/list found, read back from the history
(selectors/found_homes.py)."""

from onboarding.wizard.models import Onboarding
from onboarding.wizard.selectors import last_found
from onboarding.wizard.services import history
from onboarding.wizard.services.history import Action, Outcome


def kept(home_id: str) -> dict[str, str]:
    return {"id": home_id, "name": "Maple House", "zipcode": "95313", "created_at": "yesterday"}


def test_the_latest_look_is_the_one_shown(needs_attention: Onboarding) -> None:
    assert last_found(needs_attention.events.all()) is None  # the create alone: no look yet
    history.record(
        needs_attention,
        history.event(
            Action.LIST_HOMES, Outcome.SUCCEEDED, params={"candidates": [kept("a")], "near": []}
        ),
    )
    history.record(
        needs_attention,
        history.event(
            Action.LIST_HOMES,
            Outcome.SUCCEEDED,
            params={"candidates": [kept("b")], "near": [kept("c")]},
        ),
    )

    found = last_found(needs_attention.events.all())

    assert found is not None
    assert [home.id for home in found.candidates] == ["b"]
    assert [home.id for home in found.near] == ["c"]
    assert found.near[0].rate_plan_id == "" and found.near[0].created is None
    assert found.at == needs_attention.events.last().at


def test_a_look_that_kept_no_homes_is_not_shown_as_finding_none(
    needs_attention: Onboarding,
) -> None:
    # Written before checks kept what they found: what it found is not known.
    history.record(
        needs_attention,
        history.event(Action.LIST_HOMES, Outcome.SUCCEEDED, params={"count": 3, "matches": 1}),
    )

    assert last_found(needs_attention.events.all()) is None


def test_a_look_before_the_latest_create_is_not_shown(needs_attention: Onboarding) -> None:
    """Sent again after a check found nothing: that check speaks of the earlier create, and
    must not tell support that WattShift has no home for this one."""
    history.record(
        needs_attention,
        history.event(Action.LIST_HOMES, Outcome.SUCCEEDED, params={"candidates": [], "near": []}),
        history.event(Action.CREATE_HOME, Outcome.UNKNOWN),
    )

    assert last_found(needs_attention.events.all()) is None
