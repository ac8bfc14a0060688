from django import template

from onboarding import moments

register = template.Library()

# {{ onboarding.updated_at|when }}: a filter, not an include, as a list shows one per row.
register.filter("when", moments.when)
