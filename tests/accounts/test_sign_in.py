"""Signing in: what an empty form is told."""

from django.test import Client
from django.urls import reverse


def test_an_empty_sign_in_says_what_to_enter(client: Client) -> None:
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in page and "Enter your password" in page
    assert "This field is required" not in page
