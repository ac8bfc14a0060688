"""Support changes a created home's rate plan in Chromium, against the sandbox upstream: check
before you send, one homes/{id}/update, and the history saying who changed what."""

from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect

from onboarding.sandbox.models import SandboxHome
from onboarding.wizard.models import Event, Onboarding
from tests.e2e import wizard_flow as flow
from tests.e2e.checks import assert_page_ok
from tests.e2e.conftest import SUPPORT_PASSWORD, ensure_support_group, log_in
from tests.wizard import factories

TOU_D_PLAN_ID = "662955dff338bcedec0dbfe7"
# E-6 shares this id with TOU-C in the documented example: the record must still say E-6.
E6_PLAN_ID = flow.E6_PLAN_ID


def created_home_on_tou_d(owner: User) -> Onboarding:
    """A home WattShift (the sandbox) created on TOU-D, as the wizard records it."""
    upstream = SandboxHome.objects.create(
        name="Nguyen residence",
        zipcode="95313",
        utility_id=flow.PGE_ID,
        rate_plan_id=TOU_D_PLAN_ID,
        has_ac=True,
        ac_type="central",
    )
    home = factories.onboarding(
        owner,
        status=Onboarding.Status.COMPLETE,
        home_id=upstream.id,
        rate_plan_id=TOU_D_PLAN_ID,
        rate_plan_name="TOU-D",
        home_name=upstream.name,
        has_ev_charger="",
        has_electric_heater="",
        has_smart_water_heater="",
        has_electric_water_heater="",
        has_solar=False,
        solar_size_kw=None,
        solar_net_metered=None,
    )
    Event.objects.create(
        onboarding=home,
        by=owner,
        action="homes/create",
        outcome="succeeded",
        params={"home_id": upstream.id},
    )
    return home


def test_support_changes_the_rate_plan_after_checking_it(page: Page, installer: User) -> None:
    home = created_home_on_tou_d(installer)
    support = User.objects.create_user("sam", password=SUPPORT_PASSWORD, first_name="Sam")
    support.groups.add(ensure_support_group())
    log_in(page, support.get_username(), SUPPORT_PASSWORD)

    page.goto(reverse("wizard:home", args=[home.public_id]))
    expect(flow.heading(page)).to_have_text("Home created")
    page.get_by_role("link", name="Change this home").click()

    # The change page: the home's values filled in, the plan it is on chosen.
    expect(flow.heading(page)).to_have_text("Change this home")
    expect(page.get_by_label("Home name")).to_have_value("Nguyen residence")
    expect(flow.plan_radio(page, "TOU-D")).to_be_checked()
    assert_page_ok(page, "change page")
    flow.plan_radio(page, "E-6").check()
    flow.continue_(page)

    # The confirmation page: exactly what changes, and nothing sent yet.
    expect(flow.heading(page)).to_have_text("Check these changes before sending them")
    changes = page.locator("#changes .summary-list__row")
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text("Rate plan")
    expect(changes).to_contain_text("TOU-D → E-6")
    assert flow.received(f"homes/{home.home_id}/update") == []
    assert_page_ok(page, "confirmation page")
    page.get_by_role("button", name="Send these changes to WattShift").click()

    # Back on the home page: the outcome once, the new plan, and who changed what.
    expect(flow.heading(page)).to_have_text("Home created")
    expect(page.get_by_text("The changes were sent to WattShift.")).to_have_count(1)
    sent = page.locator(".summary-list__row").filter(has_text="Rate plan id")
    expect(sent).to_contain_text(E6_PLAN_ID)
    expect(page.locator(".summary-list__row").filter(has_text="Rate plan").first).to_contain_text(
        "E-6"
    )
    expect(page.locator(".history")).to_contain_text("Sam changed the rate plan from TOU-D to E-6")

    assert flow.received(f"homes/{home.home_id}/update") == [{"ratePlanId": E6_PLAN_ID}]
    assert SandboxHome.objects.get(id=home.home_id).rate_plan_id == E6_PLAN_ID
    home.refresh_from_db()
    assert (home.status, home.rate_plan_id, home.rate_plan_name) == (
        Onboarding.Status.COMPLETE,
        E6_PLAN_ID,
        "E-6",
    )
