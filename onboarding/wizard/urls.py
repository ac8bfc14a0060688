from django.urls import include, path

from onboarding.wizard.views import changes, dashboard, home, steps, support

app_name = "wizard"

# The pages of one onboarding, under onboardings/<its public id>/.
onboarding_pages = [
    path("", dashboard.resume, name="resume"),
    path("discard/", dashboard.discard, name="discard"),
    path("check/", steps.check_answers, name="check"),
    path("submit/", home.submit, name="submit"),
    path("home/", home.home, name="home"),
    path("price-signal/", home.price_signal, name="price_signal"),
    path("change/", changes.change_home, name="change_home"),
    path("change/confirm/", changes.confirm_change, name="change_confirm"),
    path("change/send/", changes.send_change, name="change_send"),
    path("resolve/", support.resolve, name="resolve"),
    path("resolve/check-again/", support.check_again, name="resolve_check_again"),
    path("resolve/home-id/", support.record_home_id, name="resolve_record_home_id"),
    path("resolve/retry/", support.allow_retry, name="resolve_allow_retry"),
    # Last: a step slug must not shadow the fixed paths above.
    path("<slug:step>/", steps.step_view, name="step"),
]

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("onboardings/new", dashboard.new_onboarding, name="new"),
    path("onboardings.csv", dashboard.export, name="export"),
    path("onboardings/<uuid:public_id>/", include(onboarding_pages)),
]
