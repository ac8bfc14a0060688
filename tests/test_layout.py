"""The shape of the code, checked: the wire's names stay in the client, modules stay small."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WIZARD = ROOT / "onboarding" / "wizard"
# Request and answer field names of WattShift's wire (UPSTREAM_API.md), in camelCase.
WIRE_NAMES = re.compile(
    r"\b(hasEvCharger|hasElectricHeater|hasSmartWaterHeater|hasElectricWaterHeater|hasAC|acType"
    r"|solarSystemSizeKw|isNonNetMetered|ratePlanId|utilityId|UtilityId|utilityName"
    r"|ratePlanName|rateID|wsRatePlans|ratePlans|supportedType|homeId|createdAt|sessionToken"
    r"|priceSignal|isSolarPrioritizedOrder)\b"
)
MAX_MODULE_LINES = 400


def _python_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*.py") if "migrations" not in path.parts]


def test_no_upstream_field_name_appears_in_the_wizard():
    """Only onboarding/wattshift/ knows how WattShift spells its fields."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in _python_files(WIZARD)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for match in WIRE_NAMES.finditer(line)
    ]
    assert not found, "Wire names outside the client:\n" + "\n".join(found)


def test_the_check_finds_a_wire_name(tmp_path: Path):
    assert WIRE_NAMES.search("client.update_home(home_id, solarSystemSizeKw=size)")
    assert not WIRE_NAMES.search("client.update_home(home_id, solar_size_kw=size)")


@pytest.mark.parametrize(
    "path",
    [
        path
        for path in _python_files(ROOT / "onboarding")
        if path != ROOT / "onboarding" / "sandbox" / "data.py"
    ],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_every_module_is_small(path: Path):
    """One concept per module: past 400 lines, look for the seam (sandbox data aside)."""
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES
