"""A created home's price signal, and what its history says about fetching it."""

from onboarding.wattshift.errors import WattShiftError
from onboarding.wattshift.types import PriceSignal
from onboarding.wizard import selectors
from onboarding.wizard.models import Onboarding
from onboarding.wizard.services import history
from onboarding.wizard.services.history import Action, Outcome


def price_signal_for(*, onboarding: Onboarding) -> PriceSignal:
    """The home's next 24 hours of prices (cached briefly). Raises WattShiftError.

    A failure is recorded in the history; of the successes only the first is, since page
    views fetch it again every few minutes.
    """
    timed = history.Stopwatch()
    try:
        signal, fetched = selectors.price_signal(onboarding.home_id)
    except WattShiftError as error:
        history.record(onboarding, history.failure(Action.PRICE_SIGNAL, error, timed=timed))
        raise
    succeeded = {"action": Action.PRICE_SIGNAL, "outcome": Outcome.SUCCEEDED}
    if fetched and not onboarding.events.filter(**succeeded).exists():
        history.record(
            onboarding, history.event(Action.PRICE_SIGNAL, Outcome.SUCCEEDED, timed=timed)
        )
    return signal
