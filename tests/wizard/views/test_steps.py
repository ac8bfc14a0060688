"""Drafts, resume, check answers and its Change links, and who may open what."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.wizard import steps
from onboarding.wizard.models import Answer, Onboarding
from tests.wizard import factories
from tests.wizard.pages import check_url, error_codes, plan_choice, step_url
from tests.wizard.upstream import SHARED_ID, UtilityApi


def test_the_step_list_is_written_once_and_drives_progress(complete_draft: Onboarding):
    assert [step.slug for step in steps.STEPS] == ["zip", "utility", "about-home", "solar"]
    assert str(steps.progress(complete_draft)) == "4 of 4 steps"
    fixed = {"check", "submit", "home", "price-signal", "resolve"}
    assert not fixed & {step.slug for step in steps.STEPS}


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


@pytest.mark.parametrize("status", ["submitting", "needs_attention", "home_created", "complete"])
def test_a_submitted_onboarding_sends_steps_to_its_home_page(
    installer_client: Client, installer: User, status: str
):
    onboarding = factories.onboarding(installer, status=status, home_id="ws_home_1")
    home = reverse("wizard:home", args=[onboarding.public_id])
    for slug in ("zip", "solar"):
        assert installer_client.get(step_url(onboarding, slug))["Location"] == home
        response = installer_client.post(step_url(onboarding, "zip"), {"zipcode": "02139"})
        assert response["Location"] == home
    assert installer_client.get(check_url(onboarding))["Location"] == home
    resume = installer_client.get(reverse("wizard:resume", args=[onboarding.public_id]))
    assert resume["Location"] == home
    onboarding.refresh_from_db()
    assert onboarding.zipcode == "95313"


def test_a_step_saved_while_a_submission_started_changes_nothing(
    installer_client: Client, complete_draft: Onboarding
):
    # The page was loaded as a draft, then another tab submitted it.
    form = steps.get_step("zip").form_class({"zipcode": "02139"}, onboarding=complete_draft)
    Onboarding.objects.filter(pk=complete_draft.pk).update(status="submitting")
    assert form.is_valid()
    assert form.save() is False
    complete_draft.refresh_from_db()
    assert complete_draft.zipcode == "95313"


def test_someone_elses_onboarding_is_404(installer_client: Client, other_installer: User):
    theirs = factories.onboarding(other_installer)
    urls = [
        reverse("wizard:resume", args=[theirs.public_id]),
        check_url(theirs),
        step_url(theirs, "zip"),
        step_url(theirs, "solar"),
    ]
    for url in urls:
        assert installer_client.get(url).status_code == 404
    assert installer_client.post(step_url(theirs, "zip"), {"zipcode": "02139"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.zipcode == "95313"


def test_support_can_open_anyones_onboarding(support_client: Client, complete_draft):
    response = support_client.get(check_url(complete_draft))
    assert response.status_code == 200
    assert "Maple House" in response.content.decode()


def test_unknown_step_is_404(installer_client: Client, draft: Onboarding):
    assert installer_client.get(step_url(draft, "pets")).status_code == 404


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


def test_validation_error_keeps_what_was_typed(installer_client: Client, draft: Onboarding):
    response = installer_client.post(step_url(draft, "zip"), {"zipcode": "9531x"})
    assert response.status_code == 200
    assert error_codes(response, "zipcode") == ["letters"]
    content = response.content.decode()
    assert 'value="9531x"' in content
    assert 'href="#id_zipcode"' in content
    assert "<title>Error: " in content

    response = installer_client.post(
        step_url(draft, "about-home"),
        {"home_name": "Willow Cottage", "has_ev_charger": "yes", "has_ac": "yes"},
    )
    assert error_codes(response, "ac_type") == ["ac_type_required"]
    content = response.content.decode()
    assert 'value="Willow Cottage"' in content
    assert 'name="has_ev_charger" value="yes" id="id_has_ev_charger_0" checked' in content
    draft.refresh_from_db()
    assert draft.home_name == ""


def test_save_and_come_back_later_keeps_valid_answers_only(
    installer_client: Client, draft: Onboarding
):
    response = installer_client.post(
        step_url(draft, "about-home"),
        {
            "home_name": "Willow Cottage",
            "has_ev_charger": "maybe",  # tampered: not saved
            "has_electric_heater": "not_sure",
            "has_ac": "yes",  # its follow-up is unanswered: saved anyway
            "save_later": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wizard:dashboard")
    draft.refresh_from_db()
    assert draft.home_name == "Willow Cottage"
    assert draft.has_ev_charger == ""
    assert draft.has_electric_heater == Answer.NOT_SURE
    assert (draft.has_ac, draft.ac_type) == (Answer.YES, "")
    dashboard = installer_client.get(response["Location"]).content.decode()
    # The refused answer is named, not silently dropped under "Your answers are saved".
    assert "Your answers are saved" not in dashboard
    assert "Your other answers are saved" in dashboard
    assert "Does the home have an electric vehicle (EV) charger?" in dashboard
    assert "Does the home have electric heating?" not in dashboard
    assert "Willow Cottage" in dashboard
    assert "0 of 4 steps" in dashboard


def test_save_later_names_every_answer_it_did_not_keep(installer_client, complete_draft):
    response = installer_client.post(
        step_url(complete_draft, "solar"),
        {"has_solar": "yes", "solar_size_kw": "lots", "solar_net_metered": "x", "save_later": "1"},
    )
    complete_draft.refresh_from_db()
    assert complete_draft.solar_size_kw == Decimal("7.6")
    dashboard = installer_client.get(response["Location"]).content.decode()
    assert (
        "These answers were not valid, so they were not saved: "
        "“System size in kW”, “Is the solar system net metered?”"
    ) in dashboard
    assert "Does the home have solar panels?" not in dashboard


def test_save_later_with_nothing_refused_says_all_is_saved(installer_client, draft):
    response = installer_client.post(
        step_url(draft, "about-home"), {"home_name": "", "has_ac": "yes", "save_later": "1"}
    )
    dashboard = installer_client.get(response["Location"]).content.decode()
    # Left blank is not refused: nothing typed was lost.
    assert "Your answers are saved." in dashboard
    assert "not saved" not in dashboard


def test_save_later_with_an_invalid_size_keeps_the_solar_answer(installer_client, draft):
    installer_client.post(
        step_url(draft, "solar"),
        {"has_solar": "yes", "solar_size_kw": "NaN", "solar_net_metered": "no", "save_later": "1"},
    )
    draft.refresh_from_db()
    assert (draft.has_solar, draft.solar_size_kw, draft.solar_net_metered) == (True, None, False)


def test_save_later_with_an_empty_zip_changes_nothing(installer_client, complete_draft):
    response = installer_client.post(
        step_url(complete_draft, "zip"), {"zipcode": "", "save_later": "1"}
    )
    assert response["Location"] == reverse("wizard:dashboard")
    complete_draft.refresh_from_db()
    assert (complete_draft.zipcode, complete_draft.rate_plan_name) == ("95313", "E-6")


def test_check_answers_lists_every_answer_with_change_links(installer_client, installer):
    onboarding = factories.onboarding(
        installer, has_electric_water_heater="", has_smart_water_heater="not_sure"
    )
    response = installer_client.get(check_url(onboarding))
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "95313 (Crows Landing, CA)",
        "Pacific Gas &amp; Electric",
        "E-6",
        "Maple House",
        "Not sure",
        "Central",
        "7.6 kW",
        "Not provided",
    ):
        assert text in content, text
    for slug, field in (
        ("zip", "zipcode"),
        ("utility", "plan"),
        ("about-home", "ac_type"),
        ("solar", "solar_size_kw"),
    ):
        assert f'href="{step_url(onboarding, slug, returning=True)}#id_{field}"' in content
    assert content.count(">Change<") == 13
    assert "Create home" in content
    assert 'action="{}"'.format(reverse("wizard:submit", args=[onboarding.public_id])) in content


def test_check_answers_with_unanswered_steps_leads_to_them(installer_client, installer):
    onboarding = factories.onboarding(
        installer, has_solar=None, solar_size_kw=None, solar_net_metered=None
    )
    response = installer_client.get(check_url(onboarding))
    assert response["Location"] == step_url(onboarding, "solar", returning=True)


def test_change_link_returns_to_check_answers(installer_client, complete_draft):
    url = step_url(complete_draft, "about-home", returning=True)
    page = installer_client.get(url).content.decode()
    assert "Back to check your answers" in page
    assert 'name="return" value="check"' in page
    response = installer_client.post(
        url, {"home_name": "Maple House Annex", "has_ac": "no", "return": "check"}
    )
    assert response["Location"] == check_url(complete_draft)
    complete_draft.refresh_from_db()
    assert (complete_draft.home_name, complete_draft.ac_type) == ("Maple House Annex", "")


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


def test_likely_duplicate_warning_keeps_other_peoples_onboardings_private(
    installer_client, installer, other_installer
):
    mine = factories.onboarding(installer)
    theirs = factories.onboarding(
        other_installer,
        home_name=" maple house ".strip(),
        status="complete",
        home_id="ws_home_42",
    )
    factories.onboarding(installer, home_name="Maple House", zipcode="02139")
    content = installer_client.get(check_url(mine)).content.decode()
    assert "Another onboarding already has the home name" in content
    assert "One of them was started by another person" in content
    # Nothing about it the installer could not see by opening it: no id, status, owner or link.
    warning = content[content.index('id="duplicate-warning"') :]
    warning = warning[: warning.index("</div>")]
    assert "ws_home_42" not in content
    assert "Onboarded" not in warning and "oscar" not in warning.lower()
    assert str(theirs.public_id) not in content
    assert "<li>" not in warning


def test_likely_duplicate_warning_details_what_the_person_may_see(
    installer_client, support_client, installer, other_installer
):
    mine = factories.onboarding(installer)
    own_other = factories.onboarding(installer, status="complete", home_id="ws_home_7")
    theirs = factories.onboarding(other_installer, status="complete", home_id="ws_home_42")
    content = installer_client.get(check_url(mine)).content.decode()
    assert "2 other onboardings already have the home name" in content
    assert "ws_home_7" in content and str(own_other.public_id) in content
    assert "ws_home_42" not in content and str(theirs.public_id) not in content
    assert content.count("<li>") == 1

    content = support_client.get(check_url(mine)).content.decode()
    assert "ws_home_7" in content and "ws_home_42" in content
    assert str(theirs.public_id) in content
    assert "started by another person" not in content
    assert content.count("<li>") == 2


def test_no_duplicate_warning_for_a_unique_home(installer_client, complete_draft):
    content = installer_client.get(check_url(complete_draft)).content.decode()
    assert "duplicate-warning" not in content


def test_check_answers_shows_the_last_error(installer_client, installer):
    onboarding = factories.onboarding(installer, last_error="The WattShift service had a problem.")
    content = installer_client.get(check_url(onboarding)).content.decode()
    assert "The WattShift service had a problem." in content
