from django.urls import path

from onboarding.wizard import views

app_name = "wizard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
