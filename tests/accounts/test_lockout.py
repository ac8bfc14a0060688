"""Failed sign-ins (django-axes): 5 within 15 minutes lock the username, and the address whatever
the username; the page says when to try again; support unlocks; proxies only when trusted."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.fixtures import Settings

from onboarding.accounts.addresses import client_address

OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(username: str, password: str, address: str = OFFICE) -> HttpResponse:
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def fail(times: int, username: str = "ina", address: str = OFFICE) -> list[HttpResponse]:
    return [sign_in(username, f"wrong-{n}", address) for n in range(times)]


def signed_in(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("wizard:dashboard")


def test_four_failures_are_still_the_sign_in_form(installer: User) -> None:
    for response in fail(4):
        assert response.status_code == 200
        assert b"There is a problem" in response.content
    assert signed_in(sign_in("ina", "pw-ina-12345"))


def test_the_fifth_failure_locks_with_a_message_saying_when_and_who_can_help(
    installer: User,
) -> None:
    locked = fail(5)[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in is paused" in page
    assert "paused for 15 minutes" in page
    assert "Try again after " in page
    assert "ask support: they can unlock it" in page
    assert f'href="{reverse("login")}"' in page
    assert "Reference: " in page


def test_the_right_password_is_refused_while_locked_then_works_after_a_reset(
    installer: User,
) -> None:
    fail(5)
    assert sign_in("ina", "pw-ina-12345").status_code == 429
    call_command("axes_reset_username", "ina")
    assert signed_in(sign_in("ina", "pw-ina-12345"))


def test_the_lock_ends_after_the_cool_off(installer: User) -> None:
    fail(5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert signed_in(sign_in("ina", "pw-ina-12345"))


def test_the_username_is_locked_from_every_address(installer: User) -> None:
    fail(5, address=OFFICE)
    assert sign_in("ina", "pw-ina-12345", address=ELSEWHERE).status_code == 429


def test_the_address_is_locked_for_every_username(installer: User, other_installer: User) -> None:
    for n in range(5):
        sign_in(f"guess-{n}", "wrong", address=OFFICE)
    assert sign_in("oscar", "pw-oscar-12345", address=OFFICE).status_code == 429
    assert signed_in(sign_in("oscar", "pw-oscar-12345", address=ELSEWHERE))


def test_a_lockout_is_one_info_line(installer: User, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    fail(4)
    caplog.clear()
    fail(1)
    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert [(r.name, r.levelname) for r in lines] == [("onboarding.requests", "INFO")]
    assert "429" in lines[0].getMessage()
    assert "refused=locked-out" in lines[0].getMessage()


def test_support_unlocks_in_the_admin(installer: User, support_user: User) -> None:
    fail(5)
    support_user.is_staff = True
    support_user.save()
    support = Client()
    support.force_login(support_user)
    changelist = support.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert b"ina" in changelist.content
    attempt = AccessAttempt.objects.get(username="ina")
    deleted = support.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in(sign_in("ina", "pw-ina-12345"))


def test_the_failures_are_kept_for_support_to_read(installer: User, support_user: User) -> None:
    fail(2)
    support_user.is_staff = True
    support_user.save()
    support = Client()
    support.force_login(support_user)
    assert support.get(reverse("admin:axes_accessfailurelog_changelist")).status_code == 200


def test_the_address_is_remote_addr_unless_a_proxy_is_trusted(settings: Settings) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.7"  # what the proxy saw, not what was written
    settings.TRUSTED_PROXIES = 2
    assert client_address(request) == "6.6.6.6"
    settings.TRUSTED_PROXIES = 3
    assert client_address(request) == "10.0.0.2"  # fewer hops than proxies: not through them


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_escape_the_lock(installer: User) -> None:
    for n in range(5):
        Client(REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            reverse("login"), {"username": f"guess-{n}", "password": "wrong"}
        )
    assert sign_in("ina", "pw-ina-12345", address=OFFICE).status_code == 429
