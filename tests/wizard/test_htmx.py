"""With htmx the same views answer with a partial of the same template; same validation."""

from django.test import Client

from onboarding.wizard.models import Onboarding
from tests.wizard.conftest import (
    HTMX,
    TOU_D_ID,
    UtilityApi,
    check_url,
    error_codes,
    plan_choice,
    step_url,
)


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


def test_valid_post_asks_htmx_to_navigate(installer_client: Client, draft: Onboarding):
    response = installer_client.post(step_url(draft, "zip"), {"zipcode": "02139"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == step_url(draft, "utility")
    draft.refresh_from_db()
    assert draft.zipcode == "02139"


def test_full_page_without_htmx(installer_client: Client, draft: Onboarding):
    content = installer_client.get(step_url(draft, "zip")).content.decode()
    assert content.startswith("<!doctype html>")
    assert 'id="step-body"' in content and 'id="zip-preview"' in content
    assert "Step 1 of 4" in content


def test_zip_preview_shows_place_and_utilities(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
):
    url = step_url(draft, "zip") + "?partial=preview&zipcode=95313"
    response = installer_client.get(url, headers=HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="zip-preview"')
    assert "Crows Landing, CA" in content
    assert "Pacific Gas &amp; Electric" in content
    # The utility step then uses the cached answer.
    installer_client.post(step_url(draft, "zip"), {"zipcode": "95313"})
    installer_client.get(step_url(draft, "utility"))
    assert utility_api.calls() == ["95313"]


def test_zip_preview_of_unknown_or_partial_zip(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
):
    url = step_url(draft, "zip") + "?partial=preview&zipcode=953"
    content = installer_client.get(url, headers=HTMX).content.decode()
    assert "inset" not in content
    url = step_url(draft, "zip") + "?partial=preview&zipcode=96799"
    content = installer_client.get(url, headers=HTMX).content.decode()
    assert "WattShift lists no utility for this ZIP code." in content
    assert utility_api.calls() == ["96799"]


def test_zip_preview_survives_an_upstream_failure(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
):
    utility_api.answers["95313"] = 503
    url = step_url(draft, "zip") + "?partial=preview&zipcode=95313"
    response = installer_client.get(url, headers=HTMX)
    assert response.status_code == 200
    assert "Crows Landing, CA" in response.content.decode()


def test_partials_are_only_for_htmx(installer_client: Client, draft: Onboarding):
    content = installer_client.get(step_url(draft, "zip") + "?partial=preview").content.decode()
    assert content.startswith("<!doctype html>")


def test_plan_list_follows_the_chosen_utility(
    installer_client: Client, make_draft, utility_api: UtilityApi
):
    onboarding = make_draft(zipcode="95630")
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
    installer_client: Client, make_draft, utility_api: UtilityApi
):
    onboarding = make_draft(zipcode="95313")
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
    assert response["HX-Redirect"] == step_url(onboarding, "about-home")


def test_save_later_with_htmx(installer_client: Client, draft: Onboarding):
    response = installer_client.post(
        step_url(draft, "about-home"), {"home_name": "Elm", "save_later": "1"}, headers=HTMX
    )
    assert response["HX-Redirect"] == "/"
    draft.refresh_from_db()
    assert draft.home_name == "Elm"


def test_htmx_on_a_submitted_onboarding_navigates_to_its_home(installer_client, make_draft):
    onboarding = make_draft(status="complete", home_id="ws_home_9")
    response = installer_client.post(step_url(onboarding, "zip"), {"zipcode": "1"}, headers=HTMX)
    assert response["HX-Redirect"].endswith(f"/onboardings/{onboarding.public_id}/home/")
    assert check_url(onboarding) != response["HX-Redirect"]
