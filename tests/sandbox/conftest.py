"""Helpers for calling the sandbox upstream as a server would: POST, JSON, an API key."""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

SandboxPost = Callable[..., HttpResponse]
CreateHome = Callable[..., dict[str, Any]]

REQUEST_ID = re.compile(r"req_[0-9a-f]{16}")
TRY_LATER = (
    "Try again in a few minutes; if it keeps failing, give WattShift support the request_id."
)
NOT_JSON = "Send a JSON object as the request body, with Content-Type: application/json."
UNKNOWN_HOME = "Check the home id; homes/list lists the organisation's homes."


def envelope(response: HttpResponse) -> dict[str, Any]:
    """An error answer's envelope (UPSTREAM_API.md section 5), its request_id checked and
    taken out: each answer has its own."""
    body = response.json()
    assert isinstance(body, dict), body
    request_id = body.pop("request_id", None)
    assert isinstance(request_id, str) and REQUEST_ID.fullmatch(request_id), request_id
    return body


def refused(message: str, field: str = "", recovery: str = "") -> dict[str, Any]:
    """The envelope of a 400 VALIDATION_FAILED, without its request_id."""
    expected: dict[str, Any] = {"error_code": "VALIDATION_FAILED", "message": message}
    if recovery:
        expected["recovery_action"] = recovery
    if field:
        expected["field_errors"] = [{"field": field, "message": message}]
    return expected


VALID_HOME = {
    "name": "Ina's bungalow",
    "zipcode": "02139",
    "utilityId": "54913",
    "ratePlanId": "6729947eefe3563cb2d80ac3",
}


@pytest.fixture
def post(db: None) -> SandboxPost:
    """post("homes/create", {...}) -> the sandbox's answer, sent with the sandbox API key."""
    client = Client()

    def send(
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        raw: str | None = None,
    ) -> HttpResponse:
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        sent = {"x-ws-api-key": settings.WS_SANDBOX_API_KEY} if headers is None else headers
        return client.post(
            f"/sandbox/v1/{path}", data=data, content_type="application/json", headers=sent
        )

    return send


@pytest.fixture
def create_home(post: SandboxPost) -> CreateHome:
    """Create a home in the sandbox and return its answer; fields override VALID_HOME."""

    def create(**fields: Any) -> dict[str, Any]:
        response = post("homes/create", {**VALID_HOME, **fields})
        assert response.status_code == 200, response.content
        return response.json()

    return create
