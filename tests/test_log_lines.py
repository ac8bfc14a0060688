"""onboarding/log_lines.py and the LOGGING setting: plain or JSON lines, the secret filter on
every handler, and expected refusals written as one INFO line, never a WARNING traceback."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.log_lines import JsonFormatter, ServerErrorsOnly
from onboarding.logging import RedactSecrets
from onboarding.wizard.models import Onboarding

ROOT = Path(__file__).resolve().parent.parent


def record(msg: str = "utility/get 200", **extra: object) -> logging.LogRecord:
    line = logging.LogRecord("onboarding.wattshift", logging.INFO, __file__, 1, msg, None, None)
    line.__dict__.update(extra)
    return line


def test_a_json_line_has_the_fields_and_the_extras() -> None:
    line = json.loads(
        JsonFormatter().format(
            record(
                request_id="abc123def456",
                ws_endpoint="/v1/utility/get",
                ws_status=200,
                ws_duration_ms=41,
                request=object(),
            )
        )
    )
    assert line["level"] == "INFO"
    assert line["logger"] == "onboarding.wattshift"
    assert line["message"] == "utility/get 200"
    assert line["request_id"] == "abc123def456"
    assert (line["ws_endpoint"], line["ws_status"], line["ws_duration_ms"]) == (
        "/v1/utility/get",
        200,
        41,
    )
    assert line["timestamp"].endswith("+00:00")
    assert "request" not in line  # Django's HttpRequest is an object, not a fact


def test_a_json_line_carries_the_traceback_as_one_field() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        failed = record("failed", exc_info=sys.exc_info())
        failed.exc_info = sys.exc_info()
    text = JsonFormatter().format(failed)
    assert "\n" not in text
    assert "ValueError: boom" in json.loads(text)["exception"]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_log_format_json_writes_one_json_object_per_line_with_the_key_redacted() -> None:
    code = (
        "import logging; from django.conf import settings; "
        "logging.getLogger('onboarding.wattshift').info("
        "'called with %s', settings.WS_API_KEY, extra={'ws_endpoint': '/v1/homes/create'})"
    )
    result = manage(
        "shell", "-c", code, LOG_FORMAT="json", WS_SANDBOX_API_KEY="json-log-test-key-1234"
    )
    assert result.returncode == 0, result.stderr
    [line] = [json.loads(text) for text in result.stderr.splitlines() if text.startswith("{")]
    assert line["ws_endpoint"] == "/v1/homes/create"
    assert line["request_id"] == "-"
    assert line["message"] == "called with [redacted]"
    assert "json-log-test-key-1234" not in result.stderr


def test_the_plain_format_names_the_request_id() -> None:
    result = manage(
        "shell", "-c", "import logging; logging.getLogger('onboarding').warning('plain')"
    )
    assert result.returncode == 0, result.stderr
    assert " WARNING onboarding [-] plain" in result.stderr


def test_an_unknown_log_format_is_refused() -> None:
    result = manage("check", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'plain' or 'json'" in result.stderr


def test_every_handler_redacts_secrets_and_django_keeps_no_handler_of_its_own() -> None:
    for name, handler in settings.LOGGING["handlers"].items():
        assert "redact_secrets" in handler["filters"], name
    handlers = logging.getLogger().handlers
    assert any(h.get_name() == "console" for h in handlers)
    for handler in handlers:
        if handler.get_name() == "console":
            assert any(isinstance(f, RedactSecrets) for f in handler.filters)
    assert logging.getLogger("django").handlers == []


def test_server_errors_pass_and_refusals_do_not() -> None:
    only = ServerErrorsOnly()
    assert not only.filter(record(status_code=404))
    assert not only.filter(record(status_code=403))
    assert only.filter(record(status_code=500))
    assert only.filter(record())


def lines_at_info_and_above(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.INFO]


def assert_one_info_line(caplog: pytest.LogCaptureFixture, status: int) -> logging.LogRecord:
    lines = lines_at_info_and_above(caplog)
    assert [(r.name, r.levelname) for r in lines] == [("onboarding.requests", "INFO")]
    assert lines[0].status == status
    assert lines[0].exc_info is None
    return lines[0]


def test_a_404_is_one_info_line(installer_client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="django.request")
    caplog.set_level(logging.INFO)
    assert installer_client.get("/no-such-page/").status_code == 404
    assert_one_info_line(caplog, 404)


def test_a_403_is_one_info_line(
    installer_client: Client, needs_attention: Onboarding, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = installer_client.get(reverse("wizard:resolve", args=[needs_attention.public_id]))
    assert response.status_code == 403
    assert_one_info_line(caplog, 403)


def test_a_failed_csrf_check_is_one_info_line_with_the_reason(
    installer: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(installer)
    caplog.set_level(logging.INFO)
    assert client.post(reverse("wizard:new")).status_code == 403
    line = assert_one_info_line(caplog, 403)
    assert "refused=csrf: CSRF cookie not set." in line.getMessage()


def test_a_500_is_an_error_with_its_traceback(
    installer_client: Client, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onboarding.wizard.views import dashboard

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the dashboard broke")

    monkeypatch.setattr(dashboard, "render", broken)
    installer_client.raise_request_exception = False
    caplog.set_level(logging.INFO)
    assert installer_client.get(reverse("wizard:dashboard")).status_code == 500
    [error] = [r for r in caplog.records if r.name == "django.request"]
    assert error.levelname == "ERROR"
    assert error.exc_info is not None or error.exc_text
    assert [r.status for r in caplog.records if r.name == "onboarding.requests"] == [500]
