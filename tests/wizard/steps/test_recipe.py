"""The README's "To add a step" recipe, followed for a throwaway step: a module with its form
and Step, a template, one entry in STEPS. Everything else (URLs, progress, next and back,
resume, what is missing, check answers) follows from the step list."""

from pathlib import Path
from typing import Any, ClassVar

import pytest
from django import forms
from django.contrib.auth.models import User
from django.test import Client
from django.utils.translation import gettext_lazy as _
from pytest_django.fixtures import Settings

from onboarding.wizard import steps
from onboarding.wizard.models import Answer, Onboarding
from onboarding.wizard.steps import Step, StepForm, SummaryRow
from onboarding.wizard.steps.home import HomeStep, answer_label
from onboarding.wizard.widgets import Radios
from tests.wizard import factories
from tests.wizard.pages import check_url, step_url
from tests.wizard.upstream import UtilityApi

# 1. The step's module: its form and its Step.


class EvChargerForm(StepForm):
    page_heading = "has_ev_charger"
    error_messages: ClassVar[dict[str, Any]] = {"required": _("Say whether there is a charger")}

    has_ev_charger = forms.ChoiceField(
        label=_("Is there an EV charger in the garage?"),
        choices=Answer.choices,
        widget=Radios(choices=Answer.choices, inline=True),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["has_ev_charger"].error_messages["required"] = self.error_messages["required"]
        self.fields["has_ev_charger"].initial = self.onboarding.has_ev_charger


class EvChargerStep(Step):
    slug = "ev-charger"
    title = _("EV charger")
    template_name = "wizard/step_ev_charger.html"  # 2. its template
    form_class = EvChargerForm
    answers = ("has_ev_charger",)

    def summary_rows(self, onboarding: Onboarding, *, with_ids: bool = False) -> list[SummaryRow]:
        label = str(EvChargerForm.base_fields["has_ev_charger"].label)
        return [SummaryRow(label, answer_label(onboarding.has_ev_charger), "has_ev_charger")]


class HomeWithoutCharger(HomeStep):
    """The home step, its EV question now asked by the new step (so no column is answered
    twice); a real step would take the question out of HomeForm."""

    answers = tuple(name for name in HomeStep.answers if name != "has_ev_charger")


@pytest.fixture
def with_the_new_step(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Step:
    here = Path(__file__).parent / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [here, *settings.TEMPLATES[0]["DIRS"]]}]
    zip_step, utility_step, _home, solar_step = steps.STEPS
    new = EvChargerStep()
    # 3. One entry in STEPS, where it is asked.
    monkeypatch.setattr(
        steps, "STEPS", (zip_step, utility_step, new, HomeWithoutCharger(), solar_step)
    )
    return new


def test_a_new_step_is_one_module_one_template_and_one_entry(
    with_the_new_step: Step,
    installer_client: Client,
    installer: User,
    utility_api: UtilityApi,
) -> None:
    onboarding = factories.onboarding(installer, through="utility")

    # Resume and Continue lead to it; its page shows where it is in the list.
    assert installer_client.get(f"/onboardings/{onboarding.public_id}/")["Location"] == (
        step_url(onboarding, "ev-charger")
    )
    page = installer_client.get(step_url(onboarding, "ev-charger")).content.decode()
    assert "Step 3 of 5" in page and "Is there an EV charger in the garage?" in page
    assert f'href="{step_url(onboarding, "utility")}"' in page  # Back
    assert steps.missing_answers(onboarding) == ["has_ev_charger", "home_name", "has_solar"]

    # Its form validates, with the step's own message.
    refused = installer_client.post(step_url(onboarding, "ev-charger"), {})
    assert "Say whether there is a charger" in refused.content.decode()

    saved = installer_client.post(step_url(onboarding, "ev-charger"), {"has_ev_charger": "yes"})
    assert saved["Location"] == step_url(onboarding, "about-home")
    onboarding.refresh_from_db()
    assert onboarding.has_ev_charger == Answer.YES

    # Check answers lists it with a Change link, once the rest is answered.
    Onboarding.objects.filter(pk=onboarding.pk).update(
        **factories.answers(through="solar", has_ev_charger=Answer.YES)
    )
    check = installer_client.get(check_url(onboarding)).content.decode()
    assert "<h2>EV charger</h2>" in check
    assert f"{step_url(onboarding, 'ev-charger', returning=True)}#id_has_ev_charger" in check
