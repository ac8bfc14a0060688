"""The step list as the one definition of order, what a draft lacks, and its summary."""

import inspect

import pytest
from django.contrib.auth.models import User

from onboarding.wattshift.client import APPLIANCE_WIRE_NAMES
from onboarding.wattshift.types import Appliance
from onboarding.wizard import steps
from onboarding.wizard.models import APPLIANCE_COLUMNS, Onboarding
from onboarding.wizard.steps.home import HomeForm, HomeStep
from onboarding.wizard.views import steps as step_views
from tests.wizard import factories


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        (factories.answers(), []),
        (
            factories.answers(through="none"),
            ["zipcode", "utility_id", "rate_plan_id", "rate_plan_name", "home_name", "has_solar"],
        ),
        (factories.answers(home_name="   "), ["home_name"]),
        (factories.answers(ac_type=""), ["ac_type"]),
        (factories.answers(has_ac="no", ac_type=""), []),
        (factories.answers(rate_plan_name=""), ["rate_plan_name"]),
        (
            factories.answers(has_solar=None, solar_size_kw=None, solar_net_metered=None),
            ["has_solar"],
        ),
        (factories.answers(has_solar=False, solar_size_kw=None, solar_net_metered=None), []),
        (
            factories.answers(solar_size_kw=None, solar_net_metered=None),
            ["solar_size_kw", "solar_net_metered"],
        ),
    ],
)
def test_missing_answers_follow_the_step_list(
    installer: User, answers: dict[str, object], missing: list[str]
):
    onboarding = factories.onboarding(installer, through="none", **answers)
    assert steps.missing_answers(onboarding) == missing
    # The same definition drives resume: the first step with something missing.
    unanswered = steps.first_unanswered(onboarding)
    assert (unanswered is None) == (missing == [])
    if unanswered is not None:
        assert missing[0] in unanswered.missing(onboarding)


def test_summary_with_ids_adds_the_upstream_ids_for_the_home_page(complete_draft: Onboarding):
    plain = {row.key: row.value for _step, rows in steps.summary(complete_draft) for row in rows}
    sent = {
        row.key: row.value
        for _step, rows in steps.summary(complete_draft, with_ids=True)
        for row in rows
    }
    assert "Utility id" not in plain
    assert sent["Utility id"] == "14328"
    assert sent["Rate plan id"] == complete_draft.rate_plan_id
    assert sent["Rate plan"] == "E-6"
    assert sent["Does the home have air conditioning?"] == "Yes"
    assert sent.items() >= plain.items()


def test_appliance_fields_are_defined_once():
    # The columns, in the order asked, are the home step's answers and its form's fields.
    assert list(APPLIANCE_COLUMNS.values()) == list(Appliance)
    assert HomeStep.answers == ("home_name", *APPLIANCE_COLUMNS, "ac_type")
    assert set(APPLIANCE_COLUMNS) <= set(HomeForm.base_fields)
    # Each appliance has exactly one wire name, known only to the client.
    assert set(APPLIANCE_WIRE_NAMES) == set(Appliance)
    assert set(APPLIANCE_WIRE_NAMES.values()) == {
        "hasEvCharger",
        "hasElectricHeater",
        "hasSmartWaterHeater",
        "hasElectricWaterHeater",
        "hasAC",
    }
    model_fields = {f.name for f in Onboarding._meta.get_fields()}
    assert set(APPLIANCE_COLUMNS) <= model_fields


def test_the_step_view_knows_no_step_by_name():
    source = inspect.getsource(step_views)
    for step in steps.STEPS:
        assert f'"{step.slug}"' not in source
    assert "plans_pending" not in source
    assert "zip_url" not in source
