"""The utility and rate plan step: lookup, preselection, tampering, upstream failures, cache,
and the plan list htmx swaps in for the utility chosen."""

import html
import re
from collections.abc import Callable

import pytest
import requests
from django.contrib.auth.models import User
from django.test import Client

from onboarding.wattshift.errors import (
    InvalidAnswer,
    OutcomeUnknown,
    Rejected,
    Unauthorized,
    UpstreamServerError,
    UpstreamUnavailable,
    WattShiftError,
)
from onboarding.wizard import selectors, steps
from onboarding.wizard.models import Onboarding
from onboarding.wizard.rate_limits import AskedToWait, try_again_after
from onboarding.wizard.steps.utility import NOT_SURE, UtilityPlanForm
from onboarding.wizard.steps.zip import ZipForm
from tests.wizard import factories
from tests.wizard.pages import (
    HTMX,
    check_url,
    checked_radios,
    error_codes,
    plan_choice,
    step_url,
)
from tests.wizard.upstream import (
    PGE_95313,
    RATE_LIMITED,
    SHARED_ID,
    TOU_D_ID,
    UtilityApi,
    end_the_cache_window,
    move_the_clock,
)


@pytest.fixture
def zip_draft(installer: User) -> Callable[[str], Onboarding]:
    """A draft for a ZIP code, named, its utility not chosen yet."""
    return lambda zipcode: factories.onboarding(
        installer, through="zip", zipcode=zipcode, home_name="Maple House"
    )


def post_plan(client: Client, onboarding: Onboarding, utility: str, plan: str, **extra: str):
    data = {"utility": utility, "plans_for": utility, "plan": plan, **extra}
    return client.post(step_url(onboarding, "utility"), data)


@pytest.mark.parametrize(
    ("plan_id", "name"), [(TOU_D_ID, "TOU-D"), (SHARED_ID, "TOU-C"), (SHARED_ID, "E-6")]
)
def test_duplicate_plan_ids_record_the_plan_picked(
    installer_client: Client, zip_draft, utility_api: UtilityApi, plan_id: str, name: str
) -> None:
    onboarding = zip_draft("95313")
    response = post_plan(installer_client, onboarding, "14328", plan_choice(plan_id, name))
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert (onboarding.rate_plan_id, onboarding.rate_plan_name) == (plan_id, name)
    # Coming back shows the same plan chosen, not the first one with that id.
    page = installer_client.get(step_url(onboarding, "utility")).content.decode()
    assert checked_radios(page, "plan") == [plan_choice(plan_id, name)]
    assert page.count(" checked") == 2  # the utility and the plan


def test_current_shape_records_rate_id(installer_client: Client, zip_draft, utility_api):
    onboarding = zip_draft("02139")
    response = post_plan(installer_client, onboarding, "11804", plan_choice("ev-r1", "R-1"))
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
            {"utility": "99999", "plans_for": "99999", "plan": plan_choice("pge-e1", "E-1")},
            "utility",
            "invalid_utility",
        ),
        ({"utility": "", "plans_for": "", "plan": ""}, "utility", "required"),
        # A plan of the other utility, sent as if it were PG&E's.
        (
            {"utility": "14328", "plans_for": "14328", "plan": plan_choice("smud-r-tod", "R-TOD")},
            "plan",
            "invalid_plan",
        ),
        ({"utility": "14328", "plans_for": "14328", "plan": "7:pge-e1"}, "plan", "invalid_plan"),
        # The right id with another plan's name: a value no listed plan has.
        (
            {"utility": "14328", "plans_for": "14328", "plan": plan_choice("pge-e1", "TOU-C")},
            "plan",
            "invalid_plan",
        ),
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
    assert f'value="{plan_choice("smud-r-tod", "R-TOD")}"' in page
    assert plan_choice("pge-e1", "E-1") not in page and "E-1" not in page

    # Switching utility with the other's plans on screen shows the new plans, no error.
    response = installer_client.post(
        step_url(onboarding, "utility"),
        {"utility": "14328", "plans_for": "19229", "plan": plan_choice("smud-r-tod", "R-TOD")},
    )
    assert response["Location"] == step_url(onboarding, "utility")
    onboarding.refresh_from_db()
    assert (onboarding.utility_id, onboarding.rate_plan_id) == ("14328", "")

    response = post_plan(installer_client, onboarding, "14328", plan_choice("pge-tou-c", "TOU-C"))
    assert response["Location"] == step_url(onboarding, "about-home")
    onboarding.refresh_from_db()
    assert (onboarding.utility_name, onboarding.rate_plan_name) == (
        "Pacific Gas & Electric",
        "TOU-C",
    )
    assert utility_api.calls() == ["95630"]


def test_changing_utility_clears_the_old_plan(installer_client: Client, installer, utility_api):
    onboarding = factories.onboarding(
        installer,
        through="utility",
        zipcode="95630",
        rate_plan_id="pge-e1",
        rate_plan_name="E-1",
        rate_plan_rate_id="PGE-E-1",
    )
    post_plan(installer_client, onboarding, "19229", plan_choice("smud-r-tod", "R-TOD"))
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
        (401, Unauthorized),
        (403, Unauthorized),
        (400, Rejected),
        (requests.ConnectionError("refused"), UpstreamUnavailable),
        (requests.ReadTimeout("slow"), OutcomeUnknown),
        ("not json", InvalidAnswer),
        ({"utilities": "not the documented list"}, InvalidAnswer),
        ([{"utilityName": "No id"}], InvalidAnswer),
    ],
)
def test_upstream_failure_keeps_the_draft_and_says_what_to_do(
    installer_client: Client, installer: User, utility_api: UtilityApi, answer, error_class
) -> None:
    onboarding = factories.onboarding(
        installer, through="zip", home_name="Maple House", has_ac="yes", ac_type="split"
    )
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
    # "Try again" asks WattShift afresh; a plain reload shows the failure just had, at once.
    assert "Try again" in content and f'href="{step_url(onboarding, "utility")}?retry=1"' in content
    assert f'href="{step_url(onboarding, "zip")}"' in content
    assert "wizard-test-key-not-secret" not in content

    # Posting a choice while the upstream is down changes nothing either.
    response = post_plan(installer_client, onboarding, "14328", plan_choice(TOU_D_ID, "TOU-D"))
    assert response.status_code == 200
    assert Onboarding.objects.values().get(pk=onboarding.pk) == before

    # "Save and come back later" still works and keeps everything.
    response = post_plan(installer_client, onboarding, "14328", "", save_later="1")
    assert response["Location"] == "/"
    assert Onboarding.objects.values().get(pk=onboarding.pk) == before


def test_one_lookup_per_zip_across_views_and_users(
    installer_client: Client,
    zip_draft,
    other_installer: User,
    utility_api: UtilityApi,
) -> None:
    first = zip_draft("95313")
    for _ in range(3):
        assert installer_client.get(step_url(first, "utility")).status_code == 200
    post_plan(installer_client, first, "14328", plan_choice(TOU_D_ID, "TOU-D"))
    installer_client.get(step_url(first, "zip"))
    installer_client.get(step_url(first, "utility"))

    other_client = Client()
    other_client.force_login(other_installer)
    second = factories.onboarding(other_installer, through="zip")
    assert other_client.get(step_url(second, "utility")).status_code == 200
    post_plan(other_client, second, "14328", plan_choice(SHARED_ID, "E-6"))

    assert utility_api.calls() == ["95313"]


def test_failures_are_not_cached(installer_client: Client, zip_draft, utility_api: UtilityApi):
    onboarding = zip_draft("95313")
    utility_api.answers["95313"] = 400
    assert installer_client.get(step_url(onboarding, "utility")).context["upstream_error"]
    utility_api.answers["95313"] = PGE_95313
    response = installer_client.get(step_url(onboarding, "utility") + "?retry=1")
    assert response.context["upstream_error"] is None
    assert "E-6" in response.content.decode()
    installer_client.get(step_url(onboarding, "utility"))
    assert utility_api.calls() == ["95313", "95313"]


def test_a_rate_limit_is_waited_out_even_by_try_again(
    installer_client: Client, zip_draft, utility_api: UtilityApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    onboarding = zip_draft("95313")
    before = Onboarding.objects.values().get(pk=onboarding.pk)
    utility_api.answers["95313"] = (429, RATE_LIMITED)
    first = installer_client.get(step_url(onboarding, "utility"))
    assert "Try again in about 2 minutes" in first.content.decode()
    # WattShift would answer now, but it asked for no retry for 2 minutes.
    utility_api.answers["95313"] = PGE_95313

    for asked in ("?retry=1", "", "?retry=1"):
        response = installer_client.get(step_url(onboarding, "utility") + asked)
        error = response.context["upstream_error"]
        assert isinstance(error, AskedToWait)
        assert re.search(
            r"WattShift asked to wait, so try again after \d{1,2}:\d\d [AP]M\.",
            response.content.decode(),
        )
        assert try_again_after(error.until) in response.content.decode()
    assert utility_api.calls() == ["95313"]
    assert Onboarding.objects.values().get(pk=onboarding.pk) == before

    move_the_clock(monkeypatch, 121)
    response = installer_client.get(step_url(onboarding, "utility") + "?retry=1")

    assert response.context["upstream_error"] is None
    assert "E-6" in response.content.decode()
    assert utility_api.calls() == ["95313", "95313"]


def test_cache_window_expiry_asks_again(
    installer_client: Client, zip_draft, utility_api: UtilityApi
) -> None:
    onboarding = zip_draft("95313")
    installer_client.get(step_url(onboarding, "utility"))
    end_the_cache_window()
    installer_client.get(step_url(onboarding, "utility"))
    assert utility_api.calls() == ["95313", "95313"]


def test_a_reordered_plan_list_still_records_the_plan_picked(
    installer_client: Client, zip_draft, utility_api: UtilityApi
) -> None:
    onboarding = zip_draft("95313")
    page = installer_client.get(step_url(onboarding, "utility")).content.decode()
    e6 = plan_choice(SHARED_ID, "E-6")
    assert f'value="{e6}"' in page
    # The cache window ends and utility/get answers the same plans in another order: TOU-C,
    # with E-6's id, now sits where E-6 was.
    end_the_cache_window()
    tou_d, tou_c, e_6 = PGE_95313[0]["wsRatePlans"]
    utility_api.answers["95313"] = [{**PGE_95313[0], "wsRatePlans": [tou_d, e_6, tou_c]}]

    response = post_plan(installer_client, onboarding, "14328", e6)

    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert (onboarding.rate_plan_id, onboarding.rate_plan_name) == (SHARED_ID, "E-6")
    assert utility_api.calls() == ["95313", "95313"]


def test_a_plan_gone_from_the_new_list_is_refused_not_swapped(
    installer_client: Client, zip_draft, utility_api: UtilityApi
) -> None:
    onboarding = zip_draft("95313")
    installer_client.get(step_url(onboarding, "utility"))
    end_the_cache_window()
    # E-6 is gone; TOU-C, with the same id, is still listed.
    tou_d, tou_c, _e_6 = PGE_95313[0]["wsRatePlans"]
    utility_api.answers["95313"] = [{**PGE_95313[0], "wsRatePlans": [tou_d, tou_c]}]

    response = post_plan(installer_client, onboarding, "14328", plan_choice(SHARED_ID, "E-6"))

    assert error_codes(response, "plan") == ["invalid_plan"]
    onboarding.refresh_from_db()
    assert onboarding.rate_plan_name == ""


def test_a_zip_changed_in_another_tab_is_not_given_the_old_zips_plan(
    installer_client: Client, zip_draft, utility_api: UtilityApi, monkeypatch
) -> None:
    """Tab B's save is a compare-and-set on the ZIP code the choice was made for."""
    onboarding = zip_draft("95313")
    read_utilities = selectors.utilities_for_zip

    tab_a_saved = []

    def tab_a_changes_the_zip_meanwhile(zipcode: str, **options: bool):
        utilities = read_utilities(zipcode, **options)
        if not tab_a_saved:  # tab A's own ZIP check looks 02139 up through here too
            tab_a_saved.append(True)
            # After tab B loaded the draft and its utilities, before it saves.
            tab_a = ZipForm(
                {"zipcode": "02139"}, onboarding=Onboarding.objects.get(pk=onboarding.pk)
            )
            assert tab_a.is_valid() and tab_a.save()
        return utilities

    monkeypatch.setattr(selectors, "utilities_for_zip", tab_a_changes_the_zip_meanwhile)

    response = post_plan(installer_client, onboarding, "14328", plan_choice(SHARED_ID, "E-6"))

    assert response["Location"] == step_url(onboarding, "utility")
    onboarding.refresh_from_db()
    assert onboarding.zipcode == "02139"
    assert (onboarding.utility_id, onboarding.rate_plan_id) == ("", "")
    monkeypatch.setattr(selectors, "utilities_for_zip", read_utilities)
    page = installer_client.get(response["Location"]).content.decode()
    assert "The ZIP code was changed in another tab or window" in page
    assert "Eversource" in page


def test_a_page_shown_for_the_old_zip_cannot_save_its_choice(
    installer_client: Client, zip_draft, utility_api: UtilityApi
) -> None:
    # Tab B shows 95630's utilities; tab A changes the ZIP to 95313 (PG&E serves both).
    onboarding = zip_draft("95630")
    page = installer_client.get(step_url(onboarding, "utility")).content.decode()
    assert 'name="for_zipcode" value="95630"' in page
    installer_client.post(step_url(onboarding, "zip"), {"zipcode": "95313"})

    for extra in ({}, {"save_later": "1"}):
        response = post_plan(
            installer_client,
            onboarding,
            "14328",
            plan_choice(TOU_D_ID, "TOU-D"),
            for_zipcode="95630",
            **extra,
        )
        onboarding.refresh_from_db()
        assert (onboarding.zipcode, onboarding.utility_id, onboarding.rate_plan_id) == (
            "95313",
            "",
            "",
        )
    response = post_plan(
        installer_client, onboarding, "14328", plan_choice(TOU_D_ID, "TOU-D"), for_zipcode="95630"
    )
    assert error_codes(response, "utility") == ["zipcode_changed"]
    assert "Choose the utility and rate plan again for ZIP code 95313" in response.content.decode()


def test_the_utility_form_is_given_its_utilities(zip_draft, utility_api: UtilityApi) -> None:
    onboarding = zip_draft("95313")
    form = UtilityPlanForm(onboarding=onboarding, utilities=[])
    assert form.utilities == [] and utility_api.calls() == []
    form = UtilityPlanForm.for_onboarding(onboarding=onboarding)
    assert [u.id for u in form.utilities] == ["14328"]
    assert utility_api.calls() == ["95313"]


def test_a_slow_lookup_says_nothing_changed_not_may_or_may_not(
    installer_client: Client, installer: User, utility_api: UtilityApi
) -> None:
    onboarding = factories.onboarding(installer, through="zip")
    utility_api.answers["95313"] = requests.ReadTimeout("slow")

    content = installer_client.get(step_url(onboarding, "utility")).content.decode()

    assert "did not answer in time. Nothing was changed. Try again in a moment." in content
    assert "may or may not" not in content
    assert "Try again" in content


def test_plan_list_follows_the_chosen_utility(
    installer_client: Client, installer: User, utility_api: UtilityApi
):
    onboarding = factories.onboarding(installer, through="zip", zipcode="95630")
    url = step_url(onboarding, "utility") + "?partial=plans&utility=19229"
    content = installer_client.get(url, headers=HTMX).content.decode()
    assert content.lstrip().startswith('<div id="plans"')
    assert 'name="plans_for" value="19229"' in content
    assert "R-TOD" in content and "E-1" not in content
    url = step_url(onboarding, "utility") + "?partial=plans&utility=14328"
    content = installer_client.get(url, headers=HTMX).content.decode()
    assert "E-1" in content and "TOU-C" in content and "R-TOD" not in content
    onboarding.refresh_from_db()
    assert onboarding.utility_id == ""  # a preview stores nothing
    assert utility_api.calls() == ["95630"]


def test_utility_step_with_htmx_posts_and_errors_in_place(
    installer_client: Client, installer: User, utility_api: UtilityApi
):
    onboarding = factories.onboarding(installer, through="zip")
    response = installer_client.post(
        step_url(onboarding, "utility"),
        {"utility": "14328", "plans_for": "14328", "plan": plan_choice("forged", "TOU-D")},
        headers=HTMX,
    )
    assert error_codes(response, "plan") == ["invalid_plan"]
    content = response.content.decode()
    assert '<div id="step-body">' in content and "<main" not in content
    response = installer_client.post(
        step_url(onboarding, "utility"),
        {"utility": "14328", "plans_for": "14328", "plan": plan_choice(TOU_D_ID, "TOU-D")},
        headers=HTMX,
    )
    assert response["HX-Push-Url"] == step_url(onboarding, "about-home")
    assert "<title>About the home" in response.content.decode()


# "I'm not sure" -----------------------------------------------------------------------------


def test_a_homeowner_who_does_not_know_the_plan_can_say_so(
    installer_client: Client, zip_draft, utility_api: UtilityApi
) -> None:
    onboarding = zip_draft("95630")
    plans = step_url(onboarding, "utility") + "?partial=plans&utility=14328"
    page = installer_client.get(plans, headers=HTMX).content.decode()
    # Each plan as the bill names it (name, tariff reference as a hint), then "I'm not sure".
    hint = '<p class="radio__hint" id="id_plan_0_hint">PGE-E-1</p>'
    assert f'<label for="id_plan_0">E-1</label>{hint}' in page
    assert 'aria-describedby="id_plan_0_hint"' in page
    assert '<p class="radios__divider">or</p>' in page
    assert "I'm not sure" in html.unescape(page) and "plan WattShift lists first" in page

    response = post_plan(installer_client, onboarding, "14328", NOT_SURE)

    assert response["Location"] == step_url(onboarding, "about-home")
    onboarding.refresh_from_db()
    assert onboarding.plan_to_confirm is True
    assert (onboarding.utility_id, onboarding.rate_plan_id, onboarding.rate_plan_name) == (
        "14328",
        "",
        "",
    )
    assert "utility_id" not in steps.missing_answers(onboarding)
    assert "rate_plan_id" not in steps.missing_answers(onboarding)
    again = installer_client.get(step_url(onboarding, "utility")).content.decode()
    assert checked_radios(again, "plan") == [NOT_SURE]


def test_picking_a_plan_after_not_sure_clears_the_mark(
    installer_client: Client, zip_draft, utility_api: UtilityApi
) -> None:
    onboarding = zip_draft("95313")
    post_plan(installer_client, onboarding, "14328", NOT_SURE)
    post_plan(installer_client, onboarding, "14328", plan_choice(SHARED_ID, "E-6"))

    onboarding.refresh_from_db()
    assert (onboarding.plan_to_confirm, onboarding.rate_plan_name) == (False, "E-6")


def test_check_answers_says_the_plan_is_to_be_confirmed(
    installer_client: Client, installer: User
) -> None:
    onboarding = factories.onboarding(
        installer, rate_plan_id="", rate_plan_name="", plan_to_confirm=True
    )
    page = installer_client.get(check_url(onboarding)).content.decode()
    assert "Not sure: WattShift&#x27;s first listed plan will be used, to be confirmed" in page


# Lookups that fail --------------------------------------------------------------------------


def test_a_lookup_that_just_failed_is_not_repeated_unasked(
    installer_client: Client, zip_draft, utility_api: UtilityApi
) -> None:
    onboarding = zip_draft("95313")
    utility_api.answers["95313"] = requests.ConnectionError("down")
    first = installer_client.get(step_url(onboarding, "utility"))
    utility_api.answers["95313"] = PGE_95313

    # A reload (or Continue) shows the same failure at once, without waiting on WattShift again.
    second = installer_client.get(step_url(onboarding, "utility"))
    assert second.context["upstream_error"].message == first.context["upstream_error"].message
    assert utility_api.calls() == ["95313"] * 3  # one lookup and its two quick retries
    # "Try again" asks afresh.
    retried = installer_client.get(step_url(onboarding, "utility") + "?retry=1")
    assert retried.context["upstream_error"] is None
    assert len(utility_api.calls()) == 4


def test_a_lookup_gives_up_within_the_lookup_deadline_not_the_create_timeout(
    installer_client: Client, zip_draft, utility_api: UtilityApi, settings
) -> None:
    """A person waits on a lookup: its own short timeout; a create keeps WS_API_TIMEOUT."""
    settings.WS_API_TIMEOUT = 30
    settings.WS_LOOKUP_TIMEOUT = 4
    settings.WS_LOOKUP_DEADLINE = 5
    onboarding = zip_draft("95313")

    installer_client.get(step_url(onboarding, "utility"))

    [call] = utility_api.mock.calls
    assert call.request.req_kwargs["timeout"] == (4, 4)
