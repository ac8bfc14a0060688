"""With htmx the same views answer with a partial of the same template; same validation."""

from django.contrib.auth.models import User
from django.test import Client

from onboarding.wizard.models import Onboarding
from tests.wizard import factories
from tests.wizard.pages import HTMX, check_url, error_codes, plan_choice, step_url
from tests.wizard.upstream import TOU_D_ID, UtilityApi


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
    assert response["HX-Redirect"] == step_url(onboarding, "about-home")


def test_save_later_with_htmx(installer_client: Client, draft: Onboarding):
    response = installer_client.post(
        step_url(draft, "about-home"), {"home_name": "Elm", "save_later": "1"}, headers=HTMX
    )
    assert response["HX-Redirect"] == "/"
    draft.refresh_from_db()
    assert draft.home_name == "Elm"


def test_htmx_on_a_submitted_onboarding_navigates_to_its_home(installer_client, installer):
    onboarding = factories.onboarding(
        installer, through="none", status="complete", home_id="ws_home_9"
    )
    response = installer_client.post(step_url(onboarding, "zip"), {"zipcode": "1"}, headers=HTMX)
    assert response["HX-Redirect"].endswith(f"/onboardings/{onboarding.public_id}/home/")
    assert check_url(onboarding) != response["HX-Redirect"]


def test_zip_lookup_shows_looking_up_instead_of_the_previous_result(
    installer_client: Client, draft: Onboarding
):
    content = installer_client.get(step_url(draft, "zip")).content.decode()
    # htmx marks #zip-lookup busy while a lookup runs; CSS then hides the old result.
    assert 'hx-indicator="#zip-lookup"' in content
    lookup = content.split('id="zip-lookup"')[1]
    assert 'aria-live="polite"' in lookup.split(">")[0]
    assert lookup.index("Looking up…") < lookup.index('id="zip-preview"')
    # Typing a ZIP code must not disable Continue while the preview is looked up.
    assert 'hx-disabled-elt="unset"' in content


def test_zip_preview_says_when_the_lookup_failed(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
):
    utility_api.answers["95313"] = 503
    url = step_url(draft, "zip") + "?partial=preview&zipcode=95313"
    content = installer_client.get(url, headers=HTMX).content.decode()
    assert "The utilities could not be looked up just now. You can still continue." in content


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
