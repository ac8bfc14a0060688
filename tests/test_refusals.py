"""onboarding/refusals.py and the error templates: each page says what happened, offers a way
forward, and shows the request id support can look up."""

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.template import TemplateDoesNotExist
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from onboarding import refusals, request_id
from onboarding.wizard.models import Onboarding


def assert_reference_and_way_forward(response: HttpResponse, status: int) -> None:
    assert response.status_code == status
    page = response.content.decode()
    reference = f'Reference: <span class="reference reference--small">{response["X-Request-ID"]}'
    assert reference in page
    assert f'href="{reverse("wizard:dashboard")}"' in page


def test_the_404_page(installer_client: Client) -> None:
    response = installer_client.get("/no-such-page/")
    assert_reference_and_way_forward(response, 404)
    assert b"Page not found" in response.content


def test_the_403_page(installer_client: Client, needs_attention: Onboarding) -> None:
    response = installer_client.get(reverse("wizard:resolve", args=[needs_attention.public_id]))
    assert_reference_and_way_forward(response, 403)
    assert b"You cannot do that" in response.content


def test_the_csrf_failure_page(installer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(installer)
    response = client.post(reverse("wizard:new"))
    assert_reference_and_way_forward(response, 403)
    assert b"This form has expired" in response.content
    assert b"Answers you sent before are saved" in response.content


def test_the_500_page_needs_no_database(django_db_blocker: DjangoDbBlocker) -> None:
    request = RequestFactory().get("/")
    request.request_id = "abc123def456"  # type: ignore[attr-defined]
    with django_db_blocker.block():
        response = refusals.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert 'Reference: <span class="reference reference--small">abc123def456</span>' in page
    assert 'href="/"' in page


def test_the_500_page_falls_back_to_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> None:
        raise TemplateDoesNotExist(name)

    monkeypatch.setattr(refusals.loader, "get_template", missing)
    token = request_id.serving("fedcba987654")
    try:
        response = refusals.server_error(RequestFactory().get("/"))
    finally:
        request_id.done(token)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert b"Reference: fedcba987654" in response.content


def test_a_500_from_a_view_shows_the_reference(
    installer_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onboarding.wizard.views import dashboard

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the dashboard broke")

    monkeypatch.setattr(dashboard, "render", broken)
    installer_client.raise_request_exception = False
    response = installer_client.get(reverse("wizard:dashboard"))
    assert response.status_code == 500
    assert response["X-Request-ID"].encode() in response.content
    assert b"Sorry, something went wrong on our side" in response.content
