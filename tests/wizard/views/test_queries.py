"""What a wizard request costs the database: at most 4 statements for any step (the session,
the user with their role, the row, one more), the role known without permission queries."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onboarding.wattshift.types import RatePlan
from onboarding.wizard.steps.utility import plan_value
from tests.wizard import factories
from tests.wizard.pages import HTMX, step_url
from tests.wizard.upstream import SHARED_ID, UtilityApi

MAX_STEP_QUERIES = 4


def _count(client: Client, method: str, url: str, data: dict[str, str] | None = None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {}, headers=HTMX)
    assert response.status_code == 200, response
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("slug", ["zip", "utility", "about-home", "solar"])
def test_a_step_page_costs_at_most_four_statements(
    installer_client: Client, installer: User, utility_api: UtilityApi, slug: str
) -> None:
    onboarding = factories.onboarding(installer)
    installer_client.get(step_url(onboarding, "utility"))  # the ZIP looked up already

    statements = _count(installer_client, "get", step_url(onboarding, slug))

    assert len(statements) <= MAX_STEP_QUERIES, statements
    # The role comes with the user (one query), never from queries of its own.
    roles = [sql for sql in statements if "auth_permission" in sql]
    assert len(roles) <= 1 and all('FROM "auth_user"' in sql for sql in roles)


@pytest.mark.parametrize(
    ("slug", "answers"),
    [
        ("utility", {"utility": "14328", "plans_for": "14328", "plan": ""}),
        (
            "about-home",
            {"home_name": "Maple House", "has_ac": "no"},
        ),
        # The last step: its answer is check answers, duplicates counted with the row.
        ("solar", {"has_solar": "no"}),
    ],
)
def test_a_step_post_costs_at_most_four_statements(
    installer_client: Client,
    installer: User,
    utility_api: UtilityApi,
    slug: str,
    answers: dict[str, str],
) -> None:
    onboarding = factories.onboarding(installer, through="zip")
    if slug == "utility":
        answers["plan"] = plan_value(RatePlan(SHARED_ID, "E-6"))
    else:
        onboarding = factories.onboarding(
            installer, through="about-home" if slug == "solar" else "utility"
        )
    installer_client.get(step_url(onboarding, "utility"))  # the ZIP looked up already

    statements = _count(installer_client, "post", step_url(onboarding, slug), answers)

    assert len(statements) <= MAX_STEP_QUERIES, statements
