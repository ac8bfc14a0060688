"""Every field of every step, sent hostile values: never a 500, and Continue says what is wrong.

A field that fails Django's own checks (a NUL character, say) is missing from cleaned_data,
so a form's clean() must never assume it is there.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from onboarding.wizard import steps
from onboarding.wizard.models import Onboarding
from tests.wizard import factories
from tests.wizard.pages import plan_choice, step_url
from tests.wizard.upstream import SHARED_ID, UtilityApi

HOSTILE = {
    "nul": "\x00",
    "nul-inside": "95\x0013",
    "10k": "9" * 10_000,
    "unicode-digits": "\u0669\u0665\u0663\u0661\u0663",
    "nan": "nan",
    "inf": "inf",
    "-0": "-0",
    "1e9": "1e9",
    "html": '<script>alert("x")</script>',
}

# A valid answer to each step: one hostile field at a time goes in its place.
VALID = {
    "zip": {"zipcode": "95313"},
    "utility": {
        "utility": "14328",
        "plans_for": "14328",
        "plan": plan_choice(SHARED_ID, "E-6"),
        "for_zipcode": "95313",
    },
    "about-home": {
        "home_name": "Maple House",
        "has_ev_charger": "yes",
        "has_electric_heater": "no",
        "has_smart_water_heater": "not_sure",
        "has_electric_water_heater": "no",
        "has_ac": "yes",
        "ac_type": "central",
    },
    "solar": {"has_solar": "yes", "solar_size_kw": "7.6", "solar_net_metered": "yes"},
}
# Free text a home name may well be: stored as typed (and escaped on every page).
ACCEPTED = {("home_name", key) for key in ("unicode-digits", "nan", "inf", "-0", "1e9", "html")}
CASES = [
    (slug, name, key)
    for slug, data in VALID.items()
    for name in data
    if name not in {"plans_for", "for_zipcode"}
    for key in HOSTILE
]


def test_every_field_of_every_step_is_covered():
    for step in steps.STEPS:
        assert set(step.form_class.base_fields) <= set(VALID[step.slug]), step.slug


@pytest.fixture
def onboarding(installer: User, utility_api: UtilityApi) -> Onboarding:
    return factories.onboarding(installer)


@pytest.mark.parametrize(("slug", "name", "key"), CASES)
def test_continue_with_a_hostile_value_says_what_is_wrong(
    installer_client: Client, onboarding: Onboarding, slug: str, name: str, key: str
):
    before = Onboarding.objects.values().get(pk=onboarding.pk)
    data = {**VALID[slug], name: HOSTILE[key]}

    response = installer_client.post(step_url(onboarding, slug), data)

    content = response.content.decode()
    assert "<script>alert" not in content
    if (name, key) in ACCEPTED:
        assert response.status_code == 302
        onboarding.refresh_from_db()
        assert onboarding.home_name == HOSTILE[key]
        check = installer_client.get(reverse("wizard:check", args=[onboarding.public_id]))
        assert check.status_code == 200 and "<script>alert" not in check.content.decode()
        return
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(name), form.errors
    message = str(form.errors[name][0])
    assert message and escape(message) in content
    assert "There is a problem" in content
    assert Onboarding.objects.values().get(pk=onboarding.pk) == before


@pytest.mark.parametrize(("slug", "name", "key"), CASES)
def test_save_later_with_a_hostile_value_keeps_the_rest(
    installer_client: Client, onboarding: Onboarding, slug: str, name: str, key: str
):
    data = {**VALID[slug], name: HOSTILE[key], "save_later": "1"}

    response = installer_client.post(step_url(onboarding, slug), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("wizard:dashboard")
    onboarding.refresh_from_db()
    stored = Onboarding.objects.values().get(pk=onboarding.pk)
    assert HOSTILE[key] not in {str(value) for value in stored.values()} or (name, key) in ACCEPTED
    dashboard = installer_client.get(response["Location"]).content.decode()
    if (name, key) not in ACCEPTED:
        label = str(steps.get_step(slug).form_class.base_fields[name].label)
        assert "Your other answers are saved" in dashboard
        assert escape(label) in dashboard
    # The step's answers are all there again (stored now, or kept from before).
    assert steps.missing_answers(onboarding) == []


@pytest.mark.parametrize("key", HOSTILE)
@pytest.mark.parametrize("name", ["plans_for", "for_zipcode"])
def test_hidden_utility_fields_with_hostile_values_store_no_plan(
    installer_client: Client, installer: User, utility_api: UtilityApi, name: str, key: str
):
    onboarding = factories.onboarding(installer, through="zip")
    data = {**VALID["utility"], name: HOSTILE[key]}
    response = installer_client.post(step_url(onboarding, "utility"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        # A utility whose plans were not shown: stored alone, then its plans are shown.
        assert response["Location"] == step_url(onboarding, "utility")
    onboarding.refresh_from_db()
    assert onboarding.rate_plan_id == ""


@pytest.mark.parametrize("key", HOSTILE)
def test_htmx_partials_with_hostile_values(installer_client: Client, onboarding, key: str):
    headers = {"HX-Request": "true"}
    for slug, partial, name in (("zip", "preview", "zipcode"), ("utility", "plans", "utility")):
        url = step_url(onboarding, slug)
        response = installer_client.get(
            url, {"partial": partial, name: HOSTILE[key]}, headers=headers
        )
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        # The reported 500s, each now a clear message on its field.
        ({"solar_size_kw": "1" * 31}, "solar_size_kw", "size_too_long"),
        ({"solar_size_kw": "7\x00"}, "solar_size_kw", "null_characters_not_allowed"),
        ({"solar_net_metered": "\x00"}, "solar_net_metered", "null_characters_not_allowed"),
    ],
)
def test_reported_solar_crashes(installer_client: Client, onboarding, data, field: str, code: str):
    for extra in ({}, {"save_later": "1"}):
        response = installer_client.post(
            step_url(onboarding, "solar"), {**VALID["solar"], **data, **extra}
        )
        assert response.status_code in (200, 302)
        if not extra:
            form = response.context["form"]
            assert [e.code for e in form.errors.as_data()[field]] == [code]


def test_reported_ac_type_crash(installer_client: Client, onboarding):
    data = {**VALID["about-home"], "ac_type": "\x00"}
    response = installer_client.post(step_url(onboarding, "about-home"), data)
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["ac_type"]] == ["null_characters_not_allowed"]
    response = installer_client.post(
        step_url(onboarding, "about-home"), {**data, "save_later": "1"}
    )
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.ac_type == "central"
