from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WizardConfig(AppConfig):
    name = "onboarding.wizard"
    label = "wizard"
    verbose_name = _("Onboarding wizard")
