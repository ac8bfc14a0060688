"""onboarding/middleware.py: the request id and its one log line, pages behind the login kept out
of caches, gzip with Django's BREACH mitigation, and the Permissions-Policy header."""

import gzip
import logging
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding import request_id
from onboarding.wizard.models import Onboarding
from tests.wizard.pages import step_url
from tests.wizard.upstream import UtilityApi

HEX12 = re.compile(r"[0-9a-f]{12}")


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "onboarding.requests"]


# The request id -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_gets_a_short_id_on_its_response(client: Client) -> None:
    first, second = client.get("/healthz"), client.get("/healthz")
    assert HEX12.fullmatch(first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept(client: Client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c2e-01"})
    assert response["X-Request-ID"] == "lb-7f3a9c2e-01"


@pytest.mark.parametrize(
    "incoming",
    ["", "short", "x" * 65, "has space inside", "new\nline-injected", "<script>alert</script>"],
)
def test_an_insane_incoming_request_id_is_replaced(incoming: str) -> None:
    assert HEX12.fullmatch(request_id.accept(incoming))


def test_the_filter_puts_the_current_id_on_every_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    request_id.RequestIdFilter().filter(record)
    assert record.request_id == "-"
    token = request_id.serving("abc123def456")
    try:
        during = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
        request_id.RequestIdFilter().filter(during)
    finally:
        request_id.done(token)
    assert during.request_id == "abc123def456"
    assert request_id.current() == "-"


def test_one_info_line_per_request_without_the_query_string(
    installer_client: Client, installer: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = installer_client.get(reverse("wizard:dashboard"), {"q": "Maple Smith"})
    [line] = request_lines(caplog)
    assert line.levelno == logging.INFO
    assert "Maple" not in line.getMessage()
    assert line.getMessage().startswith("GET / 200 ")
    assert f"user={installer.pk}" in line.getMessage()
    assert (line.method, line.path, line.status) == ("GET", "/", 200)
    assert line.user_id == str(installer.pk)
    assert isinstance(line.duration_ms, int)
    assert line.request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_request_line_for_nobody_signed_in_costs_no_query(
    client: Client, caplog: pytest.LogCaptureFixture, django_assert_num_queries: Any
) -> None:
    caplog.set_level(logging.INFO)
    with django_assert_num_queries(0):
        client.get("/offline/")
    [line] = request_lines(caplog)
    assert line.user_id == "-"


def test_every_log_line_of_a_request_carries_its_id(
    installer_client: Client, draft: Onboarding, utility_api: UtilityApi
) -> None:
    """The console handler (as configured) writes the WattShift call's line with the id too."""
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    written: list[str] = []
    capture = logging.Handler()
    capture.emit = lambda record: written.append(console.format(record))  # type: ignore[method-assign]
    for log_filter in console.filters:
        capture.addFilter(log_filter)
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        response = installer_client.post(step_url(draft, "zip"), {"zipcode": "95630"})
    finally:
        root.removeHandler(capture)
    rid = response["X-Request-ID"]
    upstream = [line for line in written if "onboarding.wattshift" in line]
    assert upstream, written
    assert all(f"[{rid}]" in line for line in [*upstream, written[-1]])
    assert "onboarding.requests" in written[-1]


# Cache-Control --------------------------------------------------------------------------------


def test_pages_behind_the_login_are_private_and_not_stored(
    installer_client: Client, draft: Onboarding
) -> None:
    for url in (reverse("wizard:dashboard"), step_url(draft, "zip"), "/no-such-page/"):
        assert installer_client.get(url)["Cache-Control"] == "private, no-store", url


@pytest.mark.django_db
def test_a_redirect_to_the_login_is_not_stored_either(client: Client) -> None:
    assert client.get(reverse("wizard:dashboard"))["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_open_pages_keep_their_own_cache_rules(client: Client) -> None:
    # /healthz and the login page are never cached (never_cache); sw.js is checked every time;
    # the offline page names nobody and is kept by the service worker.
    assert "no-store" in client.get("/healthz")["Cache-Control"]
    assert "max-age=0" in client.get("/healthz")["Cache-Control"]
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    assert client.get("/sw.js")["Cache-Control"] == "no-cache"
    assert not client.get("/offline/").has_header("Cache-Control")


@pytest.mark.django_db
def test_static_files_are_left_to_whitenoise(client: Client) -> None:
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    response.close()


# gzip -----------------------------------------------------------------------------------------


def test_html_is_gzipped_with_random_padding_against_breach(installer_client: Client) -> None:
    sizes = set()
    for _ in range(8):
        response = installer_client.get(
            reverse("wizard:dashboard"), headers={"Accept-Encoding": "gzip, br"}
        )
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert b"WattShift onboarding" in gzip.decompress(response.content)
        # Django's mitigation (Heal The Breach): a random-length file name in the gzip header.
        assert response.content[3] & gzip.FNAME
        sizes.add(len(response.content))
    assert len(sizes) > 1


def test_nothing_is_gzipped_for_a_client_that_did_not_ask(installer_client: Client) -> None:
    assert not installer_client.get(reverse("wizard:dashboard")).has_header("Content-Encoding")


# Permissions-Policy ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_permissions_policy_denies_what_the_app_does_not_use(client: Client) -> None:
    policy = client.get(reverse("login"))["Permissions-Policy"]
    features = dict(item.split("=", 1) for item in policy.split(", "))
    for denied in ("camera", "microphone", "geolocation", "payment", "usb", "clipboard-read"):
        assert features[denied] == "()", denied
    assert features["clipboard-write"] == "(self)"


def test_permissions_policy_is_on_pages_behind_the_login_too(installer_client: Client) -> None:
    assert "camera=()" in installer_client.get(reverse("wizard:dashboard"))["Permissions-Policy"]
