from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "onboarding.accounts"
    label = "accounts"
