"""The utility and rate plan step: lookup, preselection, tampering, upstream failures, cache."""

from collections.abc import Callable

import pytest
import requests
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from onboarding.wattshift.errors import (
    InvalidAnswer,
    OutcomeUnknown,
    UpstreamServerError,
    UpstreamUnavailable,
    WattShiftError,
)
from onboarding.wizard.models import Onboarding
from tests.wizard.conftest import (
    PGE_95313,
    SHARED_ID,
    TOU_D_ID,
    UtilityApi,
    error_codes,
    step_url,
)


@pytest.fixture
def zip_draft(make_draft: Callable[..., Onboarding]) -> Callable[[str], Onboarding]:
    return lambda zipcode: make_draft(zipcode=zipcode, home_name="Maple House")


def post_plan(client: Client, onboarding: Onboarding, utility: str, plan: str, **extra: str):
    data = {"utility": utility, "plans_for": utility, "plan": plan, **extra}
    return client.post(step_url(onboarding, "utility"), data)


@pytest.mark.parametrize(("position", "name"), [(0, "TOU-D"), (1, "TOU-C"), (2, "E-6")])
def test_duplicate_plan_ids_record_the_plan_picked(
    installer_client: Client, zip_draft, utility_api: UtilityApi, position: int, name: str
) -> None:
    onboarding = zip_draft("95313")
    plan_id = TOU_D_ID if position == 0 else SHARED_ID
    response = post_plan(installer_client, onboarding, "14328", f"{position}:{plan_id}")
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert (onboarding.rate_plan_id, onboarding.rate_plan_name) == (plan_id, name)
    # Coming back shows the same plan chosen, not the first one with that id.
    page = installer_client.get(step_url(onboarding, "utility")).content.decode()
    assert f'value="{position}:{plan_id}" checked' in page
    assert page.count(" checked") == 2  # the utility and the plan


def test_current_shape_records_rate_id(installer_client: Client, zip_draft, utility_api):
    onboarding = zip_draft("02139")
    response = post_plan(installer_client, onboarding, "11804", "0:ev-r1")
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.zipcode == "02139"
    assert (onboarding.utility_id, onboarding.utility_name) == ("11804", "Eversource")
    assert (onboarding.rate_plan_id, onboarding.rate_plan_name) == ("ev-r1", "R-1")
    assert onboarding.rate_plan_rate_id == "NSTAR-R1"
    assert utility_api.calls() == ["02139"]


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (
            {"utility": "99999", "plans_for": "99999", "plan": "0:pge-e1"},
            "utility",
            "invalid_utility",
        ),
        ({"utility": "", "plans_for": "", "plan": ""}, "utility", "required"),
        # A plan of the other utility, sent as if it were PG&E's.
        (
            {"utility": "14328", "plans_for": "14328", "plan": "0:smud-r-tod"},
            "plan",
            "invalid_plan",
        ),
        ({"utility": "14328", "plans_for": "14328", "plan": "7:pge-e1"}, "plan", "invalid_plan"),
        ({"utility": "14328", "plans_for": "14328", "plan": "pge-e1"}, "plan", "invalid_plan"),
        (
            {"utility": "14328", "plans_for": "14328", "plan": "-1:pge-tou-c"},
            "plan",
            "invalid_plan",
        ),
        ({"utility": "14328", "plans_for": "14328", "plan": ""}, "plan", "plan_required"),
    ],
)
def test_tampered_or_missing_choices_are_refused(
    installer_client: Client, zip_draft, utility_api, data, field: str, code: str
) -> None:
    onboarding = zip_draft("95630")
    response = installer_client.post(step_url(onboarding, "utility"), data)
    assert response.status_code == 200
    assert error_codes(response, field) == [code]
    content = response.content.decode()
    assert "There is a problem" in content
    assert content.startswith("<!doctype html>")
    assert "<title>Error: " in content
    onboarding.refresh_from_db()
    assert onboarding.rate_plan_id == ""


def test_two_utilities_without_javascript_is_a_two_stage_form(
    installer_client: Client, zip_draft, utility_api
) -> None:
    onboarding = zip_draft("95630")
    page = installer_client.get(step_url(onboarding, "utility")).content.decode()
    assert "Pacific Gas &amp; Electric" in page and "Sacramento Municipal" in page
    assert " checked" not in page  # nothing preselected with two utilities
    assert 'name="plan"' not in page

    # Stage one: the utility alone is stored and its plans are shown.
    response = installer_client.post(
        step_url(onboarding, "utility"), {"utility": "19229", "plans_for": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(onboarding, "utility")
    onboarding.refresh_from_db()
    assert onboarding.utility_id == "19229"
    page = installer_client.get(response["Location"]).content.decode()
    assert 'value="0:smud-r-tod"' in page and "pge-e1" not in page

    # Switching utility with the other's plans on screen shows the new plans, no error.
    response = installer_client.post(
        step_url(onboarding, "utility"),
        {"utility": "14328", "plans_for": "19229", "plan": "0:smud-r-tod"},
    )
    assert response["Location"] == step_url(onboarding, "utility")
    onboarding.refresh_from_db()
    assert (onboarding.utility_id, onboarding.rate_plan_id) == ("14328", "")

    response = post_plan(installer_client, onboarding, "14328", "1:pge-tou-c")
    assert response["Location"] == step_url(onboarding, "about-home")
    onboarding.refresh_from_db()
    assert (onboarding.utility_name, onboarding.rate_plan_name) == (
        "Pacific Gas & Electric",
        "TOU-C",
    )
    assert utility_api.calls() == ["95630"]


def test_changing_utility_clears_the_old_plan(installer_client: Client, make_draft, utility_api):
    onboarding = make_draft(
        zipcode="95630",
        utility_id="14328",
        utility_name="Pacific Gas & Electric",
        rate_plan_id="pge-e1",
        rate_plan_name="E-1",
        rate_plan_rate_id="PGE-E-1",
    )
    post_plan(installer_client, onboarding, "19229", "0:smud-r-tod")
    onboarding.refresh_from_db()
    assert (onboarding.utility_id, onboarding.rate_plan_id) == ("19229", "smud-r-tod")
    assert onboarding.rate_plan_rate_id == "SMUD-R-TOD"


def test_no_utility_for_the_zip(installer_client: Client, zip_draft, utility_api) -> None:
    onboarding = zip_draft("96799")
    response = installer_client.get(step_url(onboarding, "utility"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "No utility found for ZIP code 96799" in content
    assert f'href="{step_url(onboarding, "zip")}"' in content
    assert "Change the ZIP code" in content
    assert 'name="plan"' not in content


def test_utility_step_needs_a_zip_first(installer_client: Client, draft, utility_api):
    response = installer_client.get(step_url(draft, "utility"))
    assert response["Location"] == step_url(draft, "zip")
    assert utility_api.calls() == []


@pytest.mark.parametrize(
    ("answer", "error_class"),
    [
        (503, UpstreamServerError),
        (500, UpstreamServerError),
        (401, None),
        (400, None),
        (requests.ConnectionError("refused"), UpstreamUnavailable),
        (requests.ReadTimeout("slow"), OutcomeUnknown),
        ("not json", InvalidAnswer),
    ],
)
def test_upstream_failure_keeps_the_draft_and_says_what_to_do(
    installer_client: Client, make_draft, utility_api: UtilityApi, answer, error_class
) -> None:
    onboarding = make_draft(zipcode="95313", home_name="Maple House", has_ac="yes", ac_type="split")
    if answer == "not json":
        utility_api.mock.replace(
            "POST", "https://ws-wizard.test/v1/utility/get", body="<html>oops</html>", status=200
        )
    else:
        utility_api.answers["95313"] = answer
    before = Onboarding.objects.values().get(pk=onboarding.pk)

    response = installer_client.get(step_url(onboarding, "utility"))
    content = response.content.decode()
    assert response.status_code == 200
    error = response.context["upstream_error"]
    assert isinstance(error, error_class or WattShiftError)
    assert error.message in content.replace("&#x27;", "'")
    assert "Try again" in content and f'href="{step_url(onboarding, "utility")}"' in content
    assert f'href="{step_url(onboarding, "zip")}"' in content
    assert "wizard-test-key-not-secret" not in content

    # Posting a choice while the upstream is down changes nothing either.
    response = post_plan(installer_client, onboarding, "14328", f"0:{TOU_D_ID}")
    assert response.status_code == 200
    assert Onboarding.objects.values().get(pk=onboarding.pk) == before

    # "Save and come back later" still works and keeps everything.
    response = post_plan(installer_client, onboarding, "14328", "", save_later="1")
    assert response["Location"] == "/"
    assert Onboarding.objects.values().get(pk=onboarding.pk) == before


def test_one_lookup_per_zip_across_views_and_users(
    installer_client: Client,
    zip_draft,
    make_draft,
    other_installer: User,
    utility_api: UtilityApi,
) -> None:
    first = zip_draft("95313")
    for _ in range(3):
        assert installer_client.get(step_url(first, "utility")).status_code == 200
    post_plan(installer_client, first, "14328", f"0:{TOU_D_ID}")
    installer_client.get(step_url(first, "zip"))
    installer_client.get(step_url(first, "utility"))

    other_client = Client()
    other_client.force_login(other_installer)
    second = make_draft(owner=other_installer, zipcode="95313")
    assert other_client.get(step_url(second, "utility")).status_code == 200
    post_plan(other_client, second, "14328", f"2:{SHARED_ID}")

    assert utility_api.calls() == ["95313"]


def test_failures_are_not_cached(installer_client: Client, zip_draft, utility_api: UtilityApi):
    onboarding = zip_draft("95313")
    utility_api.answers["95313"] = 400
    assert installer_client.get(step_url(onboarding, "utility")).context["upstream_error"]
    utility_api.answers["95313"] = PGE_95313
    response = installer_client.get(step_url(onboarding, "utility"))
    assert response.context["upstream_error"] is None
    assert "E-6" in response.content.decode()
    installer_client.get(step_url(onboarding, "utility"))
    assert utility_api.calls() == ["95313", "95313"]


def test_cache_window_expiry_asks_again(
    installer_client: Client, zip_draft, utility_api: UtilityApi
) -> None:
    onboarding = zip_draft("95313")
    installer_client.get(step_url(onboarding, "utility"))
    cache.clear()  # what the end of the cache window does
    installer_client.get(step_url(onboarding, "utility"))
    assert utility_api.calls() == ["95313", "95313"]
