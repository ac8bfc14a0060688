from django.urls import path, re_path

from onboarding.sandbox import views

app_name = "sandbox"

# The upstream's paths under /v1/, exactly as UPSTREAM_API.md names them.
urlpatterns = [
    path(
        "v1/onboarding/session-token/generate",
        views.generate_session_token,
        name="session-token-generate",
    ),
    path("v1/utility/get", views.get_utilities, name="utility-get"),
    path("v1/homes/create", views.create_home, name="homes-create"),
    path("v1/homes/solar/create", views.create_solar, name="homes-solar-create"),
    path("v1/homes/list", views.list_homes, name="homes-list"),
    path("v1/homes/<str:home_id>/price_signal", views.get_price_signal, name="price-signal"),
    path("v1/homes/<str:home_id>/update", views.update_home, name="homes-update"),
    re_path(r"^v1/", views.unknown_endpoint, name="unknown-endpoint"),
]
