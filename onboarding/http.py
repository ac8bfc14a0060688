"""The request the app's views receive, typed as the middleware leaves it."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthenticatedRequest(HttpRequest):
    """Behind the login (LoginRequiredMiddleware), with django-htmx's `request.htmx`."""

    user: User
    htmx: HtmxDetails
