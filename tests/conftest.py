"""Fixtures every test folder shares: people in each role, logged-in clients."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from pytest_django.fixtures import Settings

from onboarding.accounts.roles import SUPPORT_GROUP

# The submission tests' finished draft and mocked WattShift API (ready_onboarding, wattshift_api).
pytest_plugins = ["tests.wizard.submission_fixtures"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Slow hashing protects real passwords, not test users; it only slows every test down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def installer(db: None) -> User:
    return User.objects.create_user("ina", password="pw-ina-12345", first_name="Ina")


@pytest.fixture
def other_installer(db: None) -> User:
    return User.objects.create_user("oscar", password="pw-oscar-12345", first_name="Oscar")


@pytest.fixture
def support_user(db: None) -> User:
    user = User.objects.create_user("sam", password="pw-sam-12345", first_name="Sam")
    user.groups.add(Group.objects.get(name=SUPPORT_GROUP))
    return user


@pytest.fixture
def installer_client(installer: User) -> Client:
    client = Client()
    client.force_login(installer)
    return client


@pytest.fixture
def support_client(support_user: User) -> Client:
    client = Client()
    client.force_login(support_user)
    return client
