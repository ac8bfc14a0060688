"""Background work, on Django's Tasks framework (the database backend; `manage.py worker`).

Tasks take ids and reload what they need, and are safe to run twice: the work itself is
guarded in the database (services.checks).
"""

from django.tasks import task

from onboarding.wizard.services import checks


@task()
def check_unknown_outcome(onboarding_id: int) -> str:
    """Ask WattShift's list whether a create with an unknown outcome made the home."""
    return checks.run_check(onboarding_id=onboarding_id)
