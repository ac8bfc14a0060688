"""What a submission sends WattShift, built from the draft, and what WattShift's refusal
says about the answers (by question)."""

from typing import Any

from django.utils.translation import gettext as _

from onboarding.wattshift.errors import WattShiftError
from onboarding.wattshift.types import HomeDetails
from onboarding.wizard import selectors
from onboarding.wizard.models import APPLIANCE_COLUMNS, Answer, Onboarding

ANSWER_VALUES: dict[str, bool | None] = {Answer.YES: True, Answer.NO: False, Answer.NOT_SURE: None}


class PlanUnavailable(Exception):
    """The homeowner was not sure of the plan, and WattShift's plans could not be read to pick
    its first one; nothing was sent."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def home_details(*, onboarding: Onboarding) -> HomeDetails:
    """What homes/create is sent: unanswered questions omitted, "Not sure" sent as unknown."""
    appliances = {
        appliance: ANSWER_VALUES[getattr(onboarding, column)]
        for column, appliance in APPLIANCE_COLUMNS.items()
        if getattr(onboarding, column) in ANSWER_VALUES
    }
    return HomeDetails(
        name=onboarding.home_name.strip(),
        zipcode=onboarding.zipcode,
        utility_id=onboarding.utility_id,
        rate_plan_id=onboarding.rate_plan_id,
        appliances=appliances,
        ac_type=onboarding.ac_type if onboarding.has_ac == Answer.YES else "",
    )


def questions_refused(error: WattShiftError) -> dict[str, str]:
    """WattShift's complaints about request fields, by the question that answered each."""
    questions = {
        "name": "home_name",
        "zipcode": "zipcode",
        "utility_id": "utility",
        "rate_plan_id": "plan",
        "ac_type": "ac_type",
        "solar_size_kw": "solar_size_kw",
        "net_metered": "solar_net_metered",
        **{appliance.value: column for column, appliance in APPLIANCE_COLUMNS.items()},
    }
    return {
        questions[refused.field]: refused.message
        for refused in error.field_errors
        if refused.field in questions and refused.message
    }


def plan_to_use(onboarding: Onboarding) -> dict[str, Any]:
    """For a homeowner not sure of the plan: the plan WattShift lists first for the utility
    (asked with the plans that suit solar first, for a home with solar), to record with the
    claim. Nothing otherwise. Raises PlanUnavailable."""
    if not onboarding.plan_to_confirm or onboarding.rate_plan_id:
        return {}
    try:
        utilities = selectors.utilities_for_zip(
            onboarding.zipcode, solar_first=bool(onboarding.has_solar)
        )
    except WattShiftError as error:
        raise PlanUnavailable(error.message) from None
    utility = next((u for u in utilities if u.id == onboarding.utility_id), None)
    if utility is None or not utility.rate_plans:
        raise PlanUnavailable(
            _("WattShift no longer lists plans for %(utility)s. Choose the utility again.")
            % {"utility": onboarding.utility_name}
        )
    first = utility.rate_plans[0]
    return {
        "rate_plan_id": first.id,
        "rate_plan_name": first.name,
        "rate_plan_rate_id": first.rate_id,
    }
