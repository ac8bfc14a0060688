"""Fixtures for the wizard tests: drafts at each stage and a mocked utility/get."""

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import responses
from django.contrib.auth.models import User
from django.urls import reverse
from pytest_django import Settings
from requests import PreparedRequest

from onboarding.wattshift.types import RatePlan
from onboarding.wizard.models import AcType, Answer, Onboarding
from onboarding.wizard.steps.utility import plan_value

WIZARD_API = "https://ws-wizard.test"
UTILITY_GET = f"{WIZARD_API}/v1/utility/get"
TOU_D_ID = "662955dff338bcedec0dbfe7"
SHARED_ID = "66d811ce52c6fe40859130e8"  # TOU-C and E-6 share it in the documented example

# The documented example for 95313, in the older `wsRatePlans` shape.
PGE_95313 = [
    {
        "utilityId": "14328",
        "utilityName": "Pacific Gas & Electric",
        "wsRatePlans": [
            {"id": TOU_D_ID, "ratePlanName": "TOU-D"},
            {"id": SHARED_ID, "ratePlanName": "TOU-C"},
            {"id": SHARED_ID, "ratePlanName": "E-6"},
        ],
    }
]
# Two utilities, in the current `ratePlans` shape.
TWO_UTILITIES = [
    {
        "utilityId": "14328",
        "utilityName": "Pacific Gas & Electric",
        "ratePlans": [
            {"id": "pge-e1", "ratePlanName": "E-1", "rateID": "PGE-E-1", "supportedType": "x"},
            {"id": "pge-tou-c", "ratePlanName": "TOU-C", "rateID": "PGE-TOU-C"},
        ],
    },
    {
        "utilityId": "19229",
        "utilityName": "Sacramento Municipal Utility District",
        "ratePlans": [
            {"id": "smud-r-tod", "ratePlanName": "R-TOD", "rateID": "SMUD-R-TOD"},
        ],
    },
]
CAMBRIDGE_02139 = [
    {
        "utilityId": "11804",
        "utilityName": "Eversource",
        "ratePlans": [{"id": "ev-r1", "ratePlanName": "R-1", "rateID": "NSTAR-R1"}],
    }
]
ANSWERS: dict[str, object] = {
    "95313": PGE_95313,
    "95630": TWO_UTILITIES,
    "02139": CAMBRIDGE_02139,
    "96799": [],
}


@dataclass
class UtilityApi:
    """utility/get, mocked: `answers` maps a ZIP code to a JSON answer or an HTTP status."""

    mock: responses.RequestsMock
    answers: dict[str, object] = field(default_factory=lambda: dict(ANSWERS))
    # Seconds each answer takes, for tests of lookups that overlap.
    delay: float = 0.0

    def calls(self, zipcode: str | None = None) -> list[str]:
        """The ZIP codes utility/get was asked for, in order (each retry counts)."""
        zips = [
            json.loads(call.request.body)["zipcode"]
            for call in self.mock.calls
            if call.request.url == UTILITY_GET
        ]
        return [z for z in zips if zipcode is None or z == zipcode]

    def respond(self, request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        time.sleep(self.delay)
        answer = self.answers.get(json.loads(request.body or "{}")["zipcode"], [])
        if isinstance(answer, int):
            return answer, {"Content-Type": "text/html"}, "<html>Bad gateway</html>"
        if isinstance(answer, Exception):
            raise answer
        return 200, {"Content-Type": "application/json"}, json.dumps(answer)


@pytest.fixture
def utility_api(settings: Settings) -> Iterator[UtilityApi]:
    settings.WS_API_URL = WIZARD_API
    settings.WS_API_KEY = "wizard-test-key-not-secret"
    settings.WS_API_AUTH = "api-key"
    settings.WS_API_BACKOFF = 0
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        api = UtilityApi(mock)
        mock.add_callback(responses.POST, UTILITY_GET, callback=api.respond)
        yield api


def complete_answers(**fields: object) -> dict[str, object]:
    """Every question answered: PG&E E-6 in 95313, every appliance, 7.6 kW net-metered solar."""
    values: dict[str, object] = {
        "zipcode": "95313",
        "utility_id": "14328",
        "utility_name": "Pacific Gas & Electric",
        "rate_plan_id": SHARED_ID,
        "rate_plan_name": "E-6",
        "rate_plan_rate_id": "",
        "home_name": "Maple House",
        "has_ev_charger": Answer.YES,
        "has_electric_heater": Answer.NO,
        "has_smart_water_heater": Answer.NOT_SURE,
        "has_electric_water_heater": Answer.NO,
        "has_ac": Answer.YES,
        "ac_type": AcType.CENTRAL,
        "has_solar": True,
        "solar_size_kw": Decimal("7.6"),
        "solar_net_metered": True,
    }
    values.update(fields)
    return values


@pytest.fixture
def make_draft(installer: User) -> Callable[..., Onboarding]:
    def make(owner: User | None = None, **fields: object) -> Onboarding:
        return Onboarding.objects.create(owner=owner or installer, **fields)

    return make


@pytest.fixture
def draft(make_draft: Callable[..., Onboarding]) -> Onboarding:
    """A draft just started: nothing answered."""
    return make_draft()


@pytest.fixture
def complete_draft(make_draft: Callable[..., Onboarding]) -> Onboarding:
    return make_draft(**complete_answers())


def step_url(onboarding: Onboarding, slug: str, *, returning: bool = False) -> str:
    url = reverse("wizard:step", args=[onboarding.public_id, slug])
    return f"{url}?return=check" if returning else url


def check_url(onboarding: Onboarding) -> str:
    return reverse("wizard:check", args=[onboarding.public_id])


def plan_choice(plan_id: str, name: str) -> str:
    """The radio value the utility step gives the plan with this id and name."""
    return plan_value(RatePlan(id=plan_id, name=name))


def checked_radios(page: str, name: str) -> list[str]:
    """The values of the radios named `name` that the page shows checked."""
    inputs = re.findall(r'<input type="radio" name="' + re.escape(name) + r'"[^>]*>', page)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if " checked" in tag]


def error_codes(response: object, field_name: str) -> list[str]:
    """The ValidationError codes the page's form raised for one field."""
    form = response.context["form"]  # type: ignore[attr-defined]
    return [error.code for error in form.errors.as_data().get(field_name, [])]


# The header htmx sends with every request it makes.
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Creating users with the production hasher costs seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
