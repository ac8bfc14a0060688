"""Pointing the app at a real upstream: every call goes there, with its credentials, and
the sandbox is neither called nor served."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import responses
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django.fixtures import Settings

from onboarding.sandbox.models import ReceivedRequest
from onboarding.wizard.models import Onboarding
from onboarding.wizard.steps import STEPS
from tests.wizard import factories
from tests.wizard.pages import check_url, plan_choice, step_url
from tests.wizard.upstream import API, PGE_95313, SHARED_ID

ROOT = Path(__file__).resolve().parent.parent
REAL = "https://api.wattshift.example"
KEY = "real-upstream-key-from-the-vault"
TOKEN = "minted-session-token-0123456789"


def wattshift_api_url() -> str:
    return f"{API}/v1"


def onboard_a_home(client: Client) -> Onboarding:
    """95313, PG&E, E-6, appliances, 7.6 kW solar, Create home, then the home page."""
    client.post(reverse("wizard:new"))
    onboarding = Onboarding.objects.get()
    client.post(step_url(onboarding, "zip"), {"zipcode": "95313"})
    client.get(step_url(onboarding, "utility"))
    client.post(
        step_url(onboarding, "utility"),
        {"utility": "14328", "plans_for": "14328", "plan": plan_choice(SHARED_ID, "E-6")},
    )
    client.post(
        step_url(onboarding, "about-home"),
        {"home_name": "Maple House", "has_ev_charger": "yes", "has_ac": "no"},
    )
    client.post(
        step_url(onboarding, "solar"),
        {"has_solar": "yes", "solar_size_kw": "7.6", "solar_net_metered": "yes"},
    )
    assert client.get(check_url(onboarding)).status_code == 200
    client.post(reverse("wizard:submit", args=[onboarding.public_id]))
    home = client.get(reverse("wizard:home", args=[onboarding.public_id]))
    assert home.status_code == 200
    onboarding.refresh_from_db()
    return onboarding


@pytest.mark.parametrize("auth", ["api-key", "session-token"])
def test_every_call_goes_to_the_configured_upstream_with_its_credentials(
    installer_client: Client, settings: Settings, auth: str
) -> None:
    settings.WS_API_URL = REAL
    settings.WS_API_KEY = KEY
    settings.WS_API_AUTH = auth
    settings.WS_USING_SANDBOX = False
    with responses.RequestsMock(assert_all_requests_are_fired=True) as upstream:
        if auth == "session-token":
            upstream.add(
                responses.POST,
                f"{REAL}/v1/onboarding/session-token/generate",
                json={"sessionToken": TOKEN},
            )
        upstream.add(responses.POST, f"{REAL}/v1/utility/get", json=PGE_95313)
        upstream.add(responses.POST, f"{REAL}/v1/homes/create", json={"id": "ws_home_777"})
        upstream.add(
            responses.POST, f"{REAL}/v1/homes/solar/create", json={"homeId": "ws_home_777"}
        )
        upstream.add(
            responses.POST,
            f"{REAL}/v1/homes/ws_home_777/price_signal",
            json={"startTime": "2026-11-27T08:00:00Z", "priceSignal": [0.25] * 96},
        )
        onboarding = onboard_a_home(installer_client)
        calls = list(upstream.calls)

    assert onboarding.status == Onboarding.Status.COMPLETE
    assert (onboarding.home_id, onboarding.rate_plan_name) == ("ws_home_777", "E-6")
    assert all(call.request.url.startswith(f"{REAL}/v1/") for call in calls)
    for call in calls:
        if call.request.url.endswith("/session-token/generate"):
            assert call.request.headers["x-ws-api-key"] == KEY
        elif auth == "session-token":
            assert call.request.headers["Authorization"] == f"Bearer {TOKEN}"
            assert "x-ws-api-key" not in call.request.headers
        else:
            assert call.request.headers["x-ws-api-key"] == KEY
    created = next(call for call in calls if call.request.url.endswith("/homes/create"))
    assert json.loads(created.request.body)["ratePlanId"] == SHARED_ID
    assert not ReceivedRequest.objects.exists()


@pytest.mark.parametrize("using_sandbox", [True, False])
def test_every_page_says_sandbox_while_the_sandbox_is_the_upstream(
    installer: User,
    installer_client: Client,
    settings: Settings,
    wattshift_api: responses.RequestsMock,
    using_sandbox: bool,
) -> None:
    settings.WS_USING_SANDBOX = using_sandbox
    wattshift_api.add(responses.POST, f"{wattshift_api_url()}/utility/get", json=PGE_95313)
    draft = factories.onboarding(installer)
    created = factories.onboarding(
        installer, status=Onboarding.Status.COMPLETE, home_id="ws_home_1", home_name="Other"
    )
    pages = [
        reverse("wizard:dashboard"),
        reverse("login"),
        *(step_url(draft, step.slug) for step in STEPS),
        check_url(draft),
        reverse("wizard:home", args=[created.public_id]),
    ]
    for url in pages:
        response = installer_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert ('class="badge badge--sandbox"' in page) is using_sandbox, url


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 401, "json": {"message": "bad key"}},
        {"status": 503, "body": "<html>down</html>"},
        {"body": requests.ConnectionError("refused")},
    ],
    ids=["401", "503", "refused"],
)
def test_a_session_token_that_cannot_be_minted_leaves_the_draft_and_says_so(
    installer: User, installer_client: Client, settings: Settings, failure: dict[str, object]
) -> None:
    settings.WS_API_URL = REAL
    settings.WS_API_KEY = KEY
    settings.WS_API_AUTH = "session-token"
    settings.WS_API_BACKOFF = 0
    draft = factories.onboarding(installer)
    before = Onboarding.objects.values().get(pk=draft.pk)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as upstream:
        upstream.add(responses.POST, f"{REAL}/v1/onboarding/session-token/generate", **failure)
        response = installer_client.get(step_url(draft, "utility"))
        urls = {call.request.url for call in upstream.calls}

    assert response.status_code == 200
    assert escape(response.context["upstream_error"].message) in response.content.decode()
    assert "Try again" in response.content.decode()
    assert urls == {f"{REAL}/v1/onboarding/session-token/generate"}
    assert Onboarding.objects.values().get(pk=draft.pk) == before


def test_with_a_real_upstream_the_sandbox_is_not_served() -> None:
    env = {"WS_API_URL": REAL, "WS_API_KEY": KEY, "PYTHONPATH": str(ROOT)}
    script = (
        "import django, os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'onboarding.settings');"
        "django.setup();"
        "from django.urls import Resolver404, resolve;"
        "from django.conf import settings;"
        "print(settings.WS_USING_SANDBOX, settings.SANDBOX_ENABLED);"
        "resolve('/sandbox/v1/utility/get')"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "False False"
    assert "Resolver404" in result.stderr
