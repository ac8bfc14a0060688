"""Rewrite every onboarding's search text whose installer's names are not in it as they are now:
once after deploying the release that put them there, when servers still running the release
before wrote rows meanwhile (README, Deploying). Safe to run at any time, and again."""

from typing import Any

from django.core.management.base import BaseCommand

from onboarding.wizard.services import search_text


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args: Any, **options: Any) -> None:
        rewritten = search_text.rewrite_all()
        self.stdout.write(f"{rewritten} onboardings' search text rewritten.")
