from django.urls import path

from onboarding.wizard import submission_views, views

app_name = "wizard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("onboardings/new", views.new_onboarding, name="new"),
    path("onboardings/<uuid:public_id>/", views.resume, name="resume"),
    path("onboardings/<uuid:public_id>/check/", views.check_answers, name="check"),
    path("onboardings/<uuid:public_id>/discard/", views.discard, name="discard"),
    path("onboardings/<uuid:public_id>/submit/", submission_views.submit, name="submit"),
    path("onboardings/<uuid:public_id>/home/", submission_views.home, name="home"),
    path(
        "onboardings/<uuid:public_id>/price-signal/",
        submission_views.price_signal,
        name="price_signal",
    ),
    path("onboardings/<uuid:public_id>/resolve/", submission_views.resolve, name="resolve"),
    # Last: a step slug must not shadow the fixed paths above.
    path("onboardings/<uuid:public_id>/<slug:step>/", views.step_view, name="step"),
]
