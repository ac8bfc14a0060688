"""How forms render: through Django's form renderer, with the project's field and radio
templates (templates/jinja2/django/forms/), GOV.UK-shaped.

They are Jinja2 templates: a step page is mostly form fields, each a few small templates, and
Jinja2 renders those several times faster than Django's template language, which keeps a step
as cheap as the lightest page. The pages themselves stay Django templates. Text is translated
with Django's own gettext.
"""

from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.forms.renderers import Jinja2
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    """The project's Jinja2: autoescaped, with Django's gettext."""
    options.pop("autoescape", None)
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


class FormRenderer(Jinja2):
    """Jinja2 for the project's and Django's own form templates; Django templates for those
    only written for them (the admin's widgets)."""

    def get_template(self, template_name: str) -> Any:
        try:
            return self.engine.get_template(template_name)
        except TemplateDoesNotExist:
            return get_template(template_name)

    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [
                    Path(settings.BASE_DIR) / "templates" / "jinja2",
                    Path(django.__file__).parent / "forms" / "jinja2",
                ],
                "NAME": "forms",
                "OPTIONS": {"environment": "onboarding.forms_renderer.environment"},
            }
        )
