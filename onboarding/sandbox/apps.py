from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "onboarding.sandbox"
    label = "sandbox"
    verbose_name = "WattShift sandbox"
