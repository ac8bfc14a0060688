"""The wizard's steps, in order, written once.

URLs, the progress indicator, "next", "back", resume (the first unanswered step), what a
draft still lacks (`missing_answers`), what a blank draft is, what a changed answer clears,
and the check-answers page all derive from STEPS. To add a step: a module here with its
StepForm and Step subclass, its template, and one entry in STEPS (README, "To add a step").
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from onboarding.wizard.models import Onboarding
from onboarding.wizard.steps.base import (
    NOT_PROVIDED,
    FollowUp,
    Step,
    StepForm,
    SummaryRow,
)
from onboarding.wizard.steps.home import HomeStep
from onboarding.wizard.steps.solar import SolarStep
from onboarding.wizard.steps.utility import UtilityStep
from onboarding.wizard.steps.zip import ZipStep

__all__ = [
    "NOT_PROVIDED",
    "STEPS",
    "FollowUp",
    "Progress",
    "Step",
    "StepForm",
    "SummaryRow",
    "blank_draft_filter",
    "clear_answers_built_on",
    "first_unanswered",
    "get_step",
    "missing_answers",
    "next_step",
    "previous_step",
    "progress",
    "standing",
    "summary",
]

STEPS: tuple[Step, ...] = (ZipStep(), UtilityStep(), HomeStep(), SolarStep())


def get_step(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def first_unanswered(onboarding: Onboarding) -> Step | None:
    return next((step for step in STEPS if not step.is_answered(onboarding)), None)


def next_step(step: Step) -> Step | None:
    later = STEPS[STEPS.index(step) + 1 :] if step in STEPS else ()
    return later[0] if later else None


def previous_step(step: Step) -> Step | None:
    earlier = STEPS[: STEPS.index(step)] if step in STEPS else ()
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    def __str__(self) -> str:
        return gettext("%(answered)d of %(total)d steps") % {
            "answered": self.answered,
            "total": self.total,
        }


def progress(onboarding: Onboarding) -> Progress:
    return standing(onboarding).progress


@dataclass(frozen=True)
class Standing:
    """Where a draft stands: its progress, and its first unanswered step (None: none is)."""

    progress: Progress
    unanswered: Step | None


def standing(onboarding: Onboarding) -> Standing:
    """progress() and first_unanswered() together, each step asked once (a list of drafts)."""
    answered = [step.is_answered(onboarding) for step in STEPS]
    # By index, not zip(): in this package the step module `zip` hides the builtin.
    first = None if all(answered) else STEPS[answered.index(False)]
    return Standing(Progress(sum(answered), len(STEPS)), first)


def missing_answers(onboarding: Onboarding) -> list[str]:
    """What this draft still lacks: the Onboarding fields its steps need, in order.

    Empty when every step is answered, i.e. when the draft can be sent.
    """
    return [name for step in STEPS for name in step.missing(onboarding)]


def summary(
    onboarding: Onboarding, *, with_ids: bool = False
) -> list[tuple[Step, list[SummaryRow]]]:
    """Every step with its answers: check answers, and (with the upstream ids of the utility
    and plan) the home page's record of what was sent."""
    return [(step, step.summary_rows(onboarding, with_ids=with_ids)) for step in STEPS]


def clear_answers_built_on(onboarding: Onboarding, changed: set[str]) -> set[str]:
    """Clear the answers of every step built on a changed answer (a new ZIP code clears the
    utility and plan chosen for the old one); return the fields cleared."""
    cleared: set[str] = set()
    for step in STEPS:
        if changed & set(step.builds_on):
            for name in step.answers:
                empty = Onboarding.unanswered(name)
                if getattr(onboarding, name) != empty:
                    setattr(onboarding, name, empty)
                    cleared.add(name)
    return cleared


def blank_draft_filter() -> Q:
    """A draft nobody has answered anything on: every step's answers empty, never sent."""
    empty: dict[str, Any] = {"home_id": "", "last_error": ""}
    for step in STEPS:
        for name in step.answers:
            unanswered = Onboarding.unanswered(name)
            if unanswered is None:
                empty[f"{name}__isnull"] = True
            else:
                empty[name] = unanswered
    return Q(**empty)
