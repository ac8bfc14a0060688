from django import template

from onboarding.wizard import history_text
from onboarding.wizard.models import Event

register = template.Library()


@register.filter
def in_words(event: Event) -> str:
    return history_text.in_words(event)


@register.filter
def technical(event: Event) -> str:
    return history_text.technical(event)
