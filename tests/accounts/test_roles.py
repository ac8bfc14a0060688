import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from onboarding.accounts.roles import SUPPORT_GROUP, is_support


def test_installers_are_not_support(installer: User) -> None:
    assert not is_support(installer)


def test_the_support_group_carries_the_support_permission(support_user: User) -> None:
    assert is_support(support_user)


def test_superusers_are_support(db: None) -> None:
    admin = User.objects.create_superuser("root", password="pw-root-12345")
    assert is_support(admin)


@pytest.mark.django_db
def test_demo_users_exist_after_the_command_and_it_can_run_twice(
    capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    settings.DEBUG = True
    call_command("ensure_demo_users")
    call_command("ensure_demo_users")
    out = capsys.readouterr().out
    assert "installer / installer-demo-pass" in out
    support = User.objects.get(username="support")
    assert support.groups.filter(name=SUPPORT_GROUP).exists()
    assert is_support(support)
    assert not is_support(User.objects.get(username="installer"))
    assert Group.objects.filter(name=SUPPORT_GROUP).count() == 1


@pytest.mark.django_db
def test_demo_users_are_refused_in_production(settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("ensure_demo_users")
    assert not User.objects.filter(username="support").exists()
