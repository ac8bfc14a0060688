"""Reading the request bodies the sandbox receives, field by field, as a real API validates them.

Each refusal is an ApiError naming the wire field it is about, so the envelope's field_errors
can point at it.
"""

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest

from onboarding.sandbox.data import SandboxRatePlan, SandboxUtility, service_area
from onboarding.sandbox.errors import ApiError

NAME_MAX_LENGTH = 255
MAX_SOLAR_KW = Decimal("1000")
ZIPCODE = re.compile(r"\d{5}")
APPLIANCE_FIELDS = {
    "hasEvCharger": "has_ev_charger",
    "hasElectricHeater": "has_electric_heater",
    "hasSmartWaterHeater": "has_smart_water_heater",
    "hasElectricWaterHeater": "has_electric_water_heater",
    "hasAC": "has_ac",
}
AC_TYPES = ("central", "window", "split", "other")
NOT_JSON_RECOVERY = "Send a JSON object as the request body, with Content-Type: application/json."

Body = dict[str, Any]


def reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def parse_body(request: HttpRequest) -> Body:
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body, parse_float=Decimal, parse_constant=reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(
            400, "The request body is not valid JSON.", recovery=NOT_JSON_RECOVERY
        ) from exc
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.", recovery=NOT_JSON_RECOVERY)
    return body


def required_string(body: Body, field: str) -> str:
    value = body.get(field)
    if value is None:
        raise ApiError(400, f"{field} is required.", field=field)
    if not isinstance(value, str):
        raise ApiError(400, f"{field} must be a string.", field=field)
    return value


def home_name(body: Body) -> str:
    name = required_string(body, "name").strip()
    if not name:
        raise ApiError(400, "name must not be empty.", field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ApiError(400, f"name must be at most {NAME_MAX_LENGTH} characters.", field="name")
    return name


def zipcode_of(body: Body) -> str:
    zipcode = required_string(body, "zipcode")
    if not ZIPCODE.fullmatch(zipcode):
        raise ApiError(400, "zipcode must be a string of five digits.", field="zipcode")
    return zipcode


def utility_for(zipcode: str, utility_id: str) -> SandboxUtility:
    found = service_area(zipcode)
    utility = found.utility(utility_id) if found else None
    if utility is None:
        message = f"utilityId {utility_id[:64]!r} does not serve ZIP code {zipcode}."
        raise ApiError(400, message, field="utilityId")
    return utility


def plan_for(utility: SandboxUtility, rate_plan_id: str) -> SandboxRatePlan:
    plan = utility.plan(rate_plan_id)
    if plan is None:
        message = f"ratePlanId {rate_plan_id[:64]!r} is not a plan of utility {utility.id}."
        raise ApiError(400, message, field="ratePlanId")
    return plan


def optional_boolean(body: Body, field: str, *, message: str = "") -> bool | None:
    value = body.get(field)
    if value is not None and not isinstance(value, bool):
        raise ApiError(400, message or f"{field} must be true, false or null.", field=field)
    return value


def ac_type_of(body: Body) -> str:
    value = body.get("acType")
    if value is None:
        return ""
    if value not in AC_TYPES:
        message = f"acType must be one of: {', '.join(AC_TYPES)}."
        raise ApiError(400, message, field="acType")
    return str(value)


def solar_size(body: Body, *, required: bool) -> Decimal | None:
    field = "solarSystemSizeKw"
    value = body.get(field)
    if value is None:
        if required:
            raise ApiError(400, f"{field} is required.", field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ApiError(400, f"{field} must be a number.", field=field)
    size = Decimal(value)
    if size <= 0 or size > MAX_SOLAR_KW:
        message = f"{field} must be more than 0 and at most {MAX_SOLAR_KW}."
        raise ApiError(400, message, field=field)
    return size.quantize(Decimal("0.001"))


def net_metering(body: Body) -> bool:
    value = body.get("isNonNetMetered", False)
    if not isinstance(value, bool):
        raise ApiError(400, "isNonNetMetered must be true or false.", field="isNonNetMetered")
    return value


def moment(body: Body, field: str) -> datetime:
    value = required_string(body, field)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"{field} must be an ISO-8601 date and time.", field=field) from None
    # A time without an offset is read as UTC.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
