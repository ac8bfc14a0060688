from django.urls import path

from onboarding.wizard.views import changes, dashboard, home, steps, support

app_name = "wizard"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("onboardings/new", dashboard.new_onboarding, name="new"),
    path("onboardings.csv", dashboard.export, name="export"),
    path("onboardings/<uuid:public_id>/", dashboard.resume, name="resume"),
    path("onboardings/<uuid:public_id>/discard/", dashboard.discard, name="discard"),
    path("onboardings/<uuid:public_id>/check/", steps.check_answers, name="check"),
    path("onboardings/<uuid:public_id>/submit/", home.submit, name="submit"),
    path("onboardings/<uuid:public_id>/home/", home.home, name="home"),
    path("onboardings/<uuid:public_id>/price-signal/", home.price_signal, name="price_signal"),
    path("onboardings/<uuid:public_id>/change/", changes.change_home, name="change_home"),
    path(
        "onboardings/<uuid:public_id>/change/confirm/",
        changes.confirm_change,
        name="change_confirm",
    ),
    path("onboardings/<uuid:public_id>/change/send/", changes.send_change, name="change_send"),
    path("onboardings/<uuid:public_id>/resolve/", support.resolve, name="resolve"),
    path(
        "onboardings/<uuid:public_id>/resolve/check-again/",
        support.check_again,
        name="resolve_check_again",
    ),
    path(
        "onboardings/<uuid:public_id>/resolve/home-id/",
        support.record_home_id,
        name="resolve_record_home_id",
    ),
    path(
        "onboardings/<uuid:public_id>/resolve/retry/",
        support.allow_retry,
        name="resolve_allow_retry",
    ),
    # Last: a step slug must not shadow the fixed paths above.
    path("onboardings/<uuid:public_id>/<slug:step>/", steps.step_view, name="step"),
]
