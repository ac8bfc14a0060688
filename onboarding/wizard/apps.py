from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WizardConfig(AppConfig):
    name = "onboarding.wizard"
    label = "wizard"
    verbose_name = _("Onboarding wizard")

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.db.models.signals import post_save

        from onboarding.wizard.services import search_text

        post_save.connect(search_text.owner_saved, sender=User, dispatch_uid="wizard.owner_saved")
