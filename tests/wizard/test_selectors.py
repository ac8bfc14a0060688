"""Read-only queries (selectors.py): a home id checked against homes/list, and one utility
lookup per ZIP code however many ask at once."""

import threading

import responses
from pytest_django.fixtures import Settings

from onboarding.wizard import selectors
from onboarding.wizard.models import Onboarding
from tests.wizard.upstream import SHARED_ID, UtilityApi, listed_home, url


def test_checking_a_home_id_finds_it_with_the_same_details(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[listed_home(needs_attention, "ws_home_same", name="  maple house ")],
    )

    check = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_same")

    assert check.listed and check.found
    assert check.home is not None and check.home.id == "ws_home_same"
    assert check.differences == ()


def test_checking_a_home_id_names_each_detail_that_differs(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST,
        url("homes/list"),
        json=[
            listed_home(
                needs_attention, "ws_home_other", name="Oak House", zipcode="02139", ratePlanId=""
            )
        ],
    )

    check = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_other")

    assert check.found
    assert check.differences == (
        selectors.Difference("Name", "Maple House", "Oak House"),
        selectors.Difference("ZIP code", "95313", "02139"),
        selectors.Difference("Rate plan", f"E-6 ({SHARED_ID})", "Not listed"),
    )


def test_checking_a_home_id_that_is_not_listed_or_without_a_list(
    needs_attention: Onboarding, wattshift_api: responses.RequestsMock
) -> None:
    wattshift_api.add(
        responses.POST, url("homes/list"), json=[listed_home(needs_attention, "ws_home_real")]
    )
    absent = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_nope")
    assert absent.listed and not absent.found

    wattshift_api.replace(responses.POST, url("homes/list"), status=403)
    unavailable = selectors.check_home_id(onboarding=needs_attention, home_id="ws_home_nope")

    assert not unavailable.listed and not unavailable.found
    assert unavailable.list_error
    assert "test-key" not in unavailable.list_error


def test_two_lookups_of_one_zip_at_the_same_moment_make_one_upstream_call(
    utility_api: UtilityApi, settings: Settings
) -> None:
    # A process-local cache: the point is the lock, and threads share it without a transaction.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "l"},
    }
    utility_api.delay = 0.3
    start = threading.Barrier(3)
    found: list[list[str]] = []

    def look_up() -> None:
        start.wait()
        found.append([utility.name for utility in selectors.utilities_for_zip("95313")])

    threads = [threading.Thread(target=look_up) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert found == [["Pacific Gas & Electric"]] * 3
    assert utility_api.calls("95313") == ["95313"]
