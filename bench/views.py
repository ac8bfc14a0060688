from django.http import HttpResponse
from django.shortcuts import render

from onboarding.http import AuthenticatedRequest
from onboarding.wizard.models import Onboarding


def floor(request: AuthenticatedRequest) -> HttpResponse:
    """The least a logged-in page costs here: the session, the user, one row, a tiny template.
    Every step is compared with it, timed under the same conditions."""
    newest = Onboarding.objects.filter(owner=request.user).order_by("-created_at").first()
    return render(request, "bench/floor.html", {"onboarding": newest})
