"""The ZIP code step: what its form accepts, normalises and refuses (by error code), and the
preview of the place and its utilities that htmx shows while the code is typed."""

import pytest
from django.test import Client

from onboarding.wizard.models import Onboarding
from onboarding.wizard.steps.zip import ZipForm
from tests.wizard.pages import HTMX, error_codes, step_url
from tests.wizard.upstream import UtilityApi


def zip_form(value: str, onboarding: Onboarding) -> ZipForm:
    return ZipForm({"zipcode": value}, onboarding=onboarding)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("95313", "95313"),
        ("  95313\t", "95313"),
        ("95313-1234", "95313"),
        ("95313 1234", "95313"),
        ("02139", "02139"),  # the leading zero stays
        ("00501", "00501"),
        ("99999", "99999"),  # well-formed, unknown to the offline list: still accepted
    ],
)
def test_zip_accepts_five_digits_and_zip_plus_four(draft: Onboarding, typed: str, stored: str):
    form = zip_form(typed, draft)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["zipcode"] == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("\uff19\uff15\uff13\uff11\uff13", "not_ascii_digits"),  # fullwidth 95313
        ("\u0669\u0665\u0663\u0661\u0663", "not_ascii_digits"),  # Arabic-Indic digits
        ("9531", "wrong_length"),
        ("953130", "wrong_length"),
        ("95313-12", "wrong_length"),
        ("9531a", "letters"),
        ("ABCDE", "letters"),
        ("95313-abcd", "letters"),
    ],
)
def test_zip_refuses_with_a_clear_code(draft: Onboarding, typed: str, code: str):
    form = zip_form(typed, draft)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["zipcode"]] == [code]
    assert str(form.errors["zipcode"][0]) == str(ZipForm.error_messages[code])


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


def test_zip_preview_says_when_the_lookup_failed(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
):
    utility_api.answers["95313"] = 503
    url = step_url(draft, "zip") + "?partial=preview&zipcode=95313"
    content = installer_client.get(url, headers=HTMX).content.decode()
    assert "The utilities could not be looked up just now. You can still continue." in content


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


def test_a_zip_no_utility_serves_is_answered_on_the_zip_page(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
) -> None:
    """No dead end: 96799 is refused where it was typed, with what to do next."""
    response = installer_client.post(step_url(draft, "zip"), {"zipcode": "96799"})

    assert response.status_code == 200
    assert error_codes(response, "zipcode") == ["no_utility"]
    page = response.content.decode()
    assert "WattShift lists no electricity utility for ZIP code 96799" in page
    assert "Check the ZIP code is right" in page
    assert f'href="/onboardings/{draft.public_id}/discard/"' in page
    draft.refresh_from_db()
    assert draft.zipcode == ""


def test_a_zip_whose_lookup_fails_is_kept_and_the_next_page_says_so(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
) -> None:
    utility_api.answers["95313"] = 503

    response = installer_client.post(step_url(draft, "zip"), {"zipcode": "95313"}, follow=True)

    draft.refresh_from_db()
    assert draft.zipcode == "95313"
    assert response.redirect_chain == [(step_url(draft, "utility"), 302)]
    assert response.context["upstream_error"] is not None
    # The failure just had is shown at once, not asked again behind the person's back.
    assert utility_api.calls("95313") == ["95313"] * 3  # the first lookup and its 2 retries
