"""The step list as the one definition of the wizard's order: progress, what a draft lacks,
the summary, resume, the follow-ups asked on the way back to check answers, and what a
changed ZIP code clears; then the whole wizard through Django's test client, without
JavaScript: POST, redirect, GET."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.wizard import steps
from onboarding.wizard.models import AcType, Answer, Onboarding
from tests.wizard import factories
from tests.wizard.pages import check_url, checked_radios, error_codes, plan_choice, step_url
from tests.wizard.upstream import SHARED_ID, UtilityApi


def test_the_step_list_is_written_once_and_drives_progress(complete_draft: Onboarding):
    assert [step.slug for step in steps.STEPS] == ["zip", "utility", "about-home", "solar"]
    assert str(steps.progress(complete_draft)) == "4 of 4 steps"
    fixed = {"check", "submit", "home", "price-signal", "resolve"}
    assert not fixed & {step.slug for step in steps.STEPS}


@pytest.mark.parametrize("through", ["none", *factories.ANSWERS])
def test_the_draft_factory_answers_each_step_up_to_the_one_named(installer: User, through: str):
    """tests/wizard/factories.py follows the step list: the same steps, in order, each with
    the fields it stores, so a draft made `through` a step is answered up to that step."""
    slugs = [step.slug for step in steps.STEPS]
    assert list(factories.ANSWERS) == slugs
    for step in steps.STEPS:
        assert set(factories.ANSWERS[step.slug]) == set(step.answers), step.slug

    onboarding = factories.onboarding(installer, through=through)

    expected = slugs[: slugs.index(through) + 1] if through in slugs else []
    assert [step.slug for step in steps.STEPS if step.is_answered(onboarding)] == expected


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


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (factories.answers(through="none"), "zip"),
        (factories.answers(through="zip"), "utility"),
        (factories.answers(through="zip", utility_id="14328", utility_name="PG&E"), "utility"),
        (factories.answers(home_name=""), "about-home"),
        (factories.answers(ac_type=""), "about-home"),
        (factories.answers(has_solar=None, solar_size_kw=None, solar_net_metered=None), "solar"),
        (factories.answers(solar_net_metered=None), "solar"),
        (factories.answers(rate_plan_id="", rate_plan_name=""), "utility"),
    ],
)
def test_resume_lands_on_the_first_unanswered_step(
    installer_client: Client, installer: User, answers, expected: str
):
    onboarding = factories.onboarding(installer, through="none", **answers)
    response = installer_client.get(reverse("wizard:resume", args=[onboarding.public_id]))
    assert response["Location"] == step_url(onboarding, expected)


def test_resume_of_a_finished_draft_goes_to_check_answers(installer_client, complete_draft):
    response = installer_client.get(reverse("wizard:resume", args=[complete_draft.public_id]))
    assert response["Location"] == check_url(complete_draft)


def test_changing_the_zip_clears_utility_and_plan(installer_client: Client, complete_draft):
    response = installer_client.post(step_url(complete_draft, "zip"), {"zipcode": "02139"})
    assert response["Location"] == step_url(complete_draft, "utility")
    complete_draft.refresh_from_db()
    assert complete_draft.zipcode == "02139"
    assert complete_draft.utility_id == complete_draft.rate_plan_id == ""
    assert complete_draft.rate_plan_name == complete_draft.utility_name == ""
    assert complete_draft.home_name == "Maple House"


def test_same_zip_keeps_utility_and_plan(installer_client: Client, complete_draft):
    installer_client.post(step_url(complete_draft, "zip"), {"zipcode": "95313-0001"})
    complete_draft.refresh_from_db()
    assert (complete_draft.rate_plan_id, complete_draft.rate_plan_name) == (SHARED_ID, "E-6")


def test_changing_ac_to_yes_asks_the_type_first(installer_client, installer):
    onboarding = factories.onboarding(installer, has_ac="no", ac_type="")
    url = step_url(onboarding, "about-home", returning=True)
    response = installer_client.post(url, {"home_name": "Maple House", "has_ac": "yes"})
    assert response.status_code == 200
    assert error_codes(response, "ac_type") == ["ac_type_required"]
    response = installer_client.post(
        url, {"home_name": "Maple House", "has_ac": "yes", "ac_type": "window"}
    )
    assert response["Location"] == check_url(onboarding)


def test_changing_solar_to_yes_asks_size_and_net_metering(installer_client, installer):
    onboarding = factories.onboarding(
        installer, has_solar=False, solar_size_kw=None, solar_net_metered=None
    )
    url = step_url(onboarding, "solar", returning=True)
    response = installer_client.post(url, {"has_solar": "yes"})
    assert error_codes(response, "solar_size_kw") == ["size_required"]
    assert error_codes(response, "solar_net_metered") == ["net_metered_required"]
    response = installer_client.post(
        url, {"has_solar": "yes", "solar_size_kw": "12.25", "solar_net_metered": "no"}
    )
    assert response["Location"] == check_url(onboarding)
    onboarding.refresh_from_db()
    assert onboarding.solar_size_kw == Decimal("12.25")


def test_changing_the_zip_from_check_leads_through_utility_again(
    installer_client: Client, complete_draft: Onboarding, utility_api: UtilityApi
):
    response = installer_client.post(
        step_url(complete_draft, "zip", returning=True), {"zipcode": "02139", "return": "check"}
    )
    assert response["Location"] == step_url(complete_draft, "utility", returning=True)
    page = installer_client.get(response["Location"]).content.decode()
    assert "Eversource" in page and "Back to check your answers" in page
    response = installer_client.post(
        step_url(complete_draft, "utility", returning=True),
        {
            "utility": "11804",
            "plans_for": "11804",
            "plan": plan_choice("ev-r1", "R-1"),
            "return": "check",
        },
    )
    assert response["Location"] == check_url(complete_draft)
    check = installer_client.get(check_url(complete_draft)).content.decode()
    assert "02139 (Cambridge, MA)" in check and "R-1" in check


# The whole wizard, without JavaScript ---------------------------------------------------------


HOME_ANSWERS = {
    "home_name": "  Maple House  ",
    "has_ev_charger": "yes",
    "has_electric_heater": "no",
    "has_smart_water_heater": "not_sure",
    "has_electric_water_heater": "no",
    "has_ac": "yes",
    "ac_type": "central",
}


def start(client: Client) -> Onboarding:
    response = client.post(reverse("wizard:new"))
    onboarding = Onboarding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(onboarding, "zip")
    return onboarding


def test_the_documented_example_with_solar_records_e6(
    installer_client: Client, utility_api: UtilityApi
) -> None:
    onboarding = start(installer_client)

    response = installer_client.post(step_url(onboarding, "zip"), {"zipcode": " 95313 "})
    assert response["Location"] == step_url(onboarding, "utility")

    page = installer_client.get(step_url(onboarding, "utility"))
    assert page.status_code == 200
    content = page.content.decode()
    # One utility: preselected, its plans shown straight away.
    assert checked_radios(content, "utility") == ["14328"]
    assert "For ZIP code 95313 (Crows Landing, CA)." in content
    for name in ("TOU-D", "TOU-C", "E-6"):
        assert name in content
    response = installer_client.post(
        step_url(onboarding, "utility"),
        {"utility": "14328", "plans_for": "14328", "plan": plan_choice(SHARED_ID, "E-6")},
    )
    assert response["Location"] == step_url(onboarding, "about-home")

    response = installer_client.post(step_url(onboarding, "about-home"), HOME_ANSWERS)
    assert response["Location"] == step_url(onboarding, "solar")

    response = installer_client.post(
        step_url(onboarding, "solar"),
        {"has_solar": "yes", "solar_size_kw": "7.6", "solar_net_metered": "yes"},
    )
    assert response["Location"] == check_url(onboarding)

    onboarding.refresh_from_db()
    assert onboarding.zipcode == "95313"
    assert (onboarding.utility_id, onboarding.utility_name) == ("14328", "Pacific Gas & Electric")
    assert (onboarding.rate_plan_id, onboarding.rate_plan_name) == (SHARED_ID, "E-6")
    assert onboarding.home_name == "Maple House"
    assert onboarding.has_smart_water_heater == Answer.NOT_SURE
    assert onboarding.ac_type == AcType.CENTRAL
    assert onboarding.has_solar is True
    assert onboarding.solar_size_kw == Decimal("7.6")
    assert onboarding.solar_net_metered is True

    check = installer_client.get(check_url(onboarding))
    content = check.content.decode()
    assert check.status_code == 200
    assert "E-6" in content and "TOU-C" not in content
    assert "Crows Landing, CA" in content
    assert "7.6 kW" in content
    assert "Create home" in content
    assert reverse("wizard:submit", args=[onboarding.public_id]) in content
    # Going back and forth made one upstream call for the ZIP code.
    assert utility_api.calls() == ["95313"]


@pytest.mark.parametrize(
    "answers",
    [
        factories.answers(through="none"),
        factories.answers(through="zip"),
        factories.answers(rate_plan_id="", rate_plan_name=""),
        factories.answers(has_solar=None, solar_size_kw=None, solar_net_metered=None),
        factories.answers(),
    ],
)
def test_a_drafts_standing_is_its_progress_and_its_first_unanswered_step(
    installer: User, answers: dict[str, object]
):
    """A list of drafts asks each step once per draft for both (steps.standing)."""
    onboarding = factories.onboarding(installer, through="none", **answers)
    standing = steps.standing(onboarding)
    assert standing.progress == steps.progress(onboarding)
    assert standing.unanswered == steps.first_unanswered(onboarding)
    answered = sum(step.is_answered(onboarding) for step in steps.STEPS)
    assert standing.progress.answered == answered
