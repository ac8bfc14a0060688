from django.urls import path

from bench import views
from onboarding.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench/floor/", views.floor, name="bench-floor"),
    *project_urlpatterns,
]
