"""The step pages (views/steps.py): who may open what, what a submitted onboarding does,
the same views answering htmx with a partial of the same template, save for later, and
check answers with its Change links and duplicate warning."""

import inspect
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.wizard import steps
from onboarding.wizard.models import Answer, Onboarding
from onboarding.wizard.views import steps as step_views
from tests.wizard import factories
from tests.wizard.pages import HTMX, check_url, error_codes, step_url
from tests.wizard.upstream import UtilityApi


def test_the_step_view_knows_no_step_by_name():
    source = inspect.getsource(step_views)
    for step in steps.STEPS:
        assert f'"{step.slug}"' not in source
    assert "plans_pending" not in source
    assert "zip_url" not in source


def test_unknown_step_is_404(installer_client: Client, draft: Onboarding):
    assert installer_client.get(step_url(draft, "pets")).status_code == 404


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


def test_full_page_without_htmx(installer_client: Client, draft: Onboarding):
    content = installer_client.get(step_url(draft, "zip")).content.decode()
    assert content.startswith("<!doctype html>")
    assert 'id="step-body"' in content and 'id="zip-preview"' in content
    assert "Step 1 of 4" in content


def test_invalid_post_renders_only_the_form_partial(installer_client: Client, draft: Onboarding):
    response = installer_client.post(
        step_url(draft, "zip"), {"zipcode": "\uff19\uff15\uff13\uff11\uff13"}, headers=HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    # The partial carries its title, so htmx updates "Error: " in the tab too.
    assert content.startswith("<title>Error: ZIP code")
    assert '<div id="step-body">' in content
    assert "<html" not in content and "<header" not in content and "<main" not in content
    assert "There is a problem" in content
    assert error_codes(response, "zipcode") == ["not_ascii_digits"]
    assert "HX-Request" in response["Vary"]


def test_valid_post_asks_htmx_to_navigate(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
):
    """One request per step: the answer is the next page itself, put in the history at its URL."""
    response = installer_client.post(step_url(draft, "zip"), {"zipcode": "02139"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == step_url(draft, "utility")
    assert (response["HX-Retarget"], response["HX-Reselect"]) == ("#page", "#page")
    assert response["HX-Reswap"] == "outerHTML"
    content = response.content.decode()
    assert "<title>Utility and rate plan" in content and '<div class="page" id="page">' in content
    assert "Eversource" in content  # the utility step, with 02139's utilities
    draft.refresh_from_db()
    assert draft.zipcode == "02139"


def test_partials_are_only_for_htmx(installer_client: Client, draft: Onboarding):
    content = installer_client.get(step_url(draft, "zip") + "?partial=preview").content.decode()
    assert content.startswith("<!doctype html>")


def test_htmx_on_a_submitted_onboarding_navigates_to_its_home(installer_client, installer):
    onboarding = factories.onboarding(
        installer, through="none", status="complete", home_id="ws_home_9"
    )
    response = installer_client.post(step_url(onboarding, "zip"), {"zipcode": "1"}, headers=HTMX)
    assert response["HX-Redirect"].endswith(f"/onboardings/{onboarding.public_id}/home/")
    assert check_url(onboarding) != response["HX-Redirect"]


def test_buttons_that_wait_on_wattshift_carry_a_busy_label(
    installer_client: Client, installer: User, utility_api: UtilityApi
):
    onboarding = factories.onboarding(installer)
    zip_page = installer_client.get(step_url(onboarding, "zip")).content.decode()
    assert 'name="continue" value="1" data-busy-label="Checking…"' in zip_page
    assert 'name="save_later" value="1" data-busy-label="Saving…"' in zip_page
    # htmx disables both buttons of a step form while its request runs.
    assert 'hx-disabled-elt="find button[name=continue], find button[name=save_later]"' in zip_page
    utility_page = installer_client.get(step_url(onboarding, "utility")).content.decode()
    assert 'data-busy-label="Checking…"' in utility_page
    home_page = installer_client.get(step_url(onboarding, "about-home")).content.decode()
    assert 'name="continue" value="1" data-busy-label="Saving…"' in home_page
    check_page = installer_client.get(check_url(onboarding)).content.decode()
    assert 'data-busy-label="Creating the home…">Create home</button>' in check_page
    dashboard = installer_client.get("/").content.decode()
    assert 'data-busy-label="Starting…">Start onboarding</button>' in dashboard
    # The behaviour lives in the self-hosted script (CSP: script-src 'self'), not inline.
    assert "<script>" not in check_page and "/static/js/app.js" in check_page


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


def test_save_later_with_htmx(installer_client: Client, draft: Onboarding):
    response = installer_client.post(
        step_url(draft, "about-home"), {"home_name": "Elm", "save_later": "1"}, headers=HTMX
    )
    assert response["HX-Redirect"] == "/"
    draft.refresh_from_db()
    assert draft.home_name == "Elm"


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


def test_check_answers_shows_the_last_error(installer_client, installer):
    onboarding = factories.onboarding(installer, last_error="The WattShift service had a problem.")
    content = installer_client.get(check_url(onboarding)).content.decode()
    assert "The WattShift service had a problem." in content


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


def test_wattshift_s_word_on_an_answer_shows_at_its_question_until_it_is_answered_again(
    installer_client: Client, installer: User
) -> None:
    onboarding = factories.onboarding(
        installer,
        last_error="The WattShift service refused the request: Request validation failed.",
        upstream_field_errors={"home_name": "This name is not accepted by WattShift."},
    )

    check = installer_client.get(check_url(onboarding)).content.decode()
    assert "Home name: This name is not accepted by WattShift." in check
    assert f'href="{step_url(onboarding, "about-home", returning=True)}#id_home_name"' in check

    page = installer_client.get(step_url(onboarding, "about-home", returning=True))
    content = page.content.decode()
    assert "<title>Error: About the home" in content
    assert "There is a problem" in content and 'href="#id_home_name"' in content
    assert "WattShift refused this answer: This name is not accepted by WattShift." in content
    assert 'aria-invalid="true"' in content

    installer_client.post(
        step_url(onboarding, "about-home"),
        {"home_name": "Maple House, 12 Oak St", "has_ac": "yes", "ac_type": "central"},
    )
    onboarding.refresh_from_db()
    assert onboarding.upstream_field_errors == {}
