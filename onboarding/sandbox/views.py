"""The sandbox upstream: the WattShift API's endpoints over the same HTTP contract.

Called by a server with an API key (or a session token it issued), never by a browser
with a login, so the views are CSRF-exempt and need no Django login. Error messages are the
upstream's own English words, as a real third-party API would answer them.
"""

import hmac
import json
import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from onboarding.sandbox import data, price_signal, triggers
from onboarding.sandbox.data import SandboxRatePlan, SandboxUtility, service_area
from onboarding.sandbox.models import (
    PendingFault,
    ReceivedRequest,
    SandboxHome,
    SessionToken,
    token_digest,
)

SESSION_TOKEN_LIFETIME = timedelta(hours=1)
MAX_RECORDED_BODY = 10_000
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

Body = dict[str, Any]


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class LateAnswer:
    """An answer the sandbox sends only after `seconds` (a slow test trigger)."""

    response: HttpResponse
    seconds: float


Handler = Callable[..., HttpResponse | LateAnswer]


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"message": message}, status=status)


def authenticate(request: HttpRequest, *, api_key_only: bool) -> str:
    """Which credential the request carries and the sandbox accepts, or NONE."""
    key = request.headers.get("x-ws-api-key")
    expected = settings.WS_SANDBOX_API_KEY
    if key is not None:
        accepted = bool(expected) and hmac.compare_digest(key.encode(), expected.encode())
        return ReceivedRequest.Auth.API_KEY if accepted else ReceivedRequest.Auth.NONE
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if api_key_only or scheme.lower() != "bearer" or not token.strip():
        return ReceivedRequest.Auth.NONE
    issued = SessionToken.objects.filter(
        digest=token_digest(token.strip()), expires_at__gt=timezone.now()
    )
    return ReceivedRequest.Auth.SESSION_TOKEN if issued.exists() else ReceivedRequest.Auth.NONE


def reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def parse_body(request: HttpRequest) -> Body:
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body, parse_float=Decimal, parse_constant=reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "The request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return body


def record(request: HttpRequest, *, auth: str, status: int) -> None:
    ReceivedRequest.objects.create(
        path=request.path[:255],
        body=request.body.decode("utf-8", "replace")[:MAX_RECORDED_BODY],
        auth=auth,
        status=status,
    )


def endpoint(*, api_key_only: bool = False) -> Callable[[Handler], Callable[..., HttpResponse]]:
    """Wraps a handler(body, **url_kwargs) with method, auth, JSON parsing, errors, the
    request log and slow answers; handlers raise ApiError for a 4xx/5xx with a message."""

    def decorate(handler: Handler) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @login_not_required
        @wraps(handler)
        def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
            auth = ReceivedRequest.Auth.NONE
            answer: HttpResponse | LateAnswer
            if request.method != "POST":
                answer = error(405, "Use POST.")
                answer["Allow"] = "POST"
            else:
                auth = authenticate(request, api_key_only=api_key_only)
                if auth == ReceivedRequest.Auth.NONE:
                    answer = error(401, "Missing or invalid credentials.")
                else:
                    try:
                        answer = handler(parse_body(request), **kwargs)
                    except ApiError as exc:
                        answer = error(exc.status, exc.message)
            response = answer.response if isinstance(answer, LateAnswer) else answer
            # Recorded before a slow answer's wait, so a client that gave up can count it.
            record(request, auth=auth, status=response.status_code)
            if isinstance(answer, LateAnswer):
                time.sleep(answer.seconds)
            return response

        return view

    return decorate


@csrf_exempt
@login_not_required
def unknown_endpoint(request: HttpRequest) -> JsonResponse:
    record(request, auth=ReceivedRequest.Auth.NONE, status=404)
    return error(404, "No such endpoint.")


# Validation of request fields.


def required_string(body: Body, field: str) -> str:
    value = body.get(field)
    if value is None:
        raise ApiError(400, f"{field} is required.")
    if not isinstance(value, str):
        raise ApiError(400, f"{field} must be a string.")
    return value


def home_name(body: Body) -> str:
    name = required_string(body, "name").strip()
    if not name:
        raise ApiError(400, "name must not be empty.")
    if len(name) > NAME_MAX_LENGTH:
        raise ApiError(400, f"name must be at most {NAME_MAX_LENGTH} characters.")
    return name


def zipcode_of(body: Body) -> str:
    zipcode = required_string(body, "zipcode")
    if not ZIPCODE.fullmatch(zipcode):
        raise ApiError(400, "zipcode must be a string of five digits.")
    return zipcode


def utility_for(zipcode: str, utility_id: str) -> SandboxUtility:
    found = service_area(zipcode)
    utility = found.utility(utility_id) if found else None
    if utility is None:
        raise ApiError(400, f"utilityId {utility_id[:64]!r} does not serve ZIP code {zipcode}.")
    return utility


def plan_for(utility: SandboxUtility, rate_plan_id: str) -> SandboxRatePlan:
    plan = utility.plan(rate_plan_id)
    if plan is None:
        raise ApiError(
            400, f"ratePlanId {rate_plan_id[:64]!r} is not a plan of utility {utility.id}."
        )
    return plan


def optional_boolean(body: Body, field: str) -> bool | None:
    value = body.get(field)
    if value is not None and not isinstance(value, bool):
        raise ApiError(400, f"{field} must be true, false or null.")
    return value


def ac_type_of(body: Body) -> str:
    value = body.get("acType")
    if value is None:
        return ""
    if value not in AC_TYPES:
        raise ApiError(400, f"acType must be one of: {', '.join(AC_TYPES)}.")
    return value


def solar_size(body: Body, *, required: bool) -> Decimal | None:
    value = body.get("solarSystemSizeKw")
    if value is None:
        if required:
            raise ApiError(400, "solarSystemSizeKw is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ApiError(400, "solarSystemSizeKw must be a number.")
    size = Decimal(value)
    if size <= 0 or size > MAX_SOLAR_KW:
        raise ApiError(400, f"solarSystemSizeKw must be more than 0 and at most {MAX_SOLAR_KW}.")
    return size.quantize(Decimal("0.001"))


def net_metering(body: Body) -> bool:
    value = body.get("isNonNetMetered", False)
    if not isinstance(value, bool):
        raise ApiError(400, "isNonNetMetered must be true or false.")
    return value


def known_home(home_id: str) -> SandboxHome:
    try:
        return SandboxHome.objects.get(pk=home_id)
    except SandboxHome.DoesNotExist:
        raise ApiError(404, f"Home {home_id[:64]!r} not found.") from None


def fault_fires(home: SandboxHome, endpoint: str) -> bool:
    """The decrement is one atomic UPDATE, so each pending failure fires for exactly one request."""
    pending = PendingFault.objects.filter(home=home, endpoint=endpoint, remaining__gt=0)
    return pending.update(remaining=F("remaining") - 1) > 0


def moment(body: Body, field: str) -> datetime:
    value = required_string(body, field)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"{field} must be an ISO-8601 date and time.") from None
    # A time without an offset is read as UTC.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def home_json(home: SandboxHome) -> dict[str, object]:
    answer: dict[str, object] = {
        "id": home.id,
        "name": home.name,
        "zipcode": home.zipcode,
        "utilityId": home.utility_id,
        "ratePlanId": home.rate_plan_id,
    }
    answer.update({field: getattr(home, column) for field, column in APPLIANCE_FIELDS.items()})
    answer["acType"] = home.ac_type or None
    size = home.solar_system_size_kw
    answer["solarSystemSizeKw"] = float(size) if size is not None else None
    answer["isNonNetMetered"] = home.is_non_net_metered
    answer["createdAt"] = price_signal.iso(home.created_at)
    answer["updatedAt"] = price_signal.iso(home.updated_at)
    return answer


# The endpoints.


@endpoint(api_key_only=True)
def generate_session_token(body: Body) -> JsonResponse:
    token = f"ws_sess_{secrets.token_urlsafe(32)}"
    SessionToken.objects.create(
        digest=token_digest(token), expires_at=timezone.now() + SESSION_TOKEN_LIFETIME
    )
    return JsonResponse({"sessionToken": token})


@endpoint()
def get_utilities(body: Body) -> HttpResponse | LateAnswer:
    zipcode = required_string(body, "zipcode")
    if zipcode == triggers.ZIP_UNAVAILABLE:
        return HttpResponse(triggers.PROXY_UNAVAILABLE_PAGE, status=503, content_type="text/html")
    if zipcode == triggers.ZIP_NOT_JSON:
        return HttpResponse(triggers.NOT_JSON_BODY, content_type="application/json")
    if zipcode == triggers.ZIP_SLOW:
        return LateAnswer(JsonResponse([], safe=False), triggers.slow_seconds())
    if not ZIPCODE.fullmatch(zipcode):
        raise ApiError(400, "zipcode must be a string of five digits.")
    utilities = [utility.as_json() for utility in data.utilities_for_zip(zipcode)]
    return JsonResponse(utilities, safe=False)


@endpoint()
def create_home(body: Body) -> JsonResponse | LateAnswer:
    name = home_name(body)
    zipcode = zipcode_of(body)
    utility = utility_for(zipcode, required_string(body, "utilityId"))
    plan = plan_for(utility, required_string(body, "ratePlanId"))
    appliances = {
        column: optional_boolean(body, field) for field, column in APPLIANCE_FIELDS.items()
    }
    ac_type = ac_type_of(body)
    size = solar_size(body, required=False)
    client_id = body.get("clientId") or ""
    if not isinstance(client_id, str):
        raise ApiError(400, "clientId must be a string.")

    trigger = triggers.home_name_trigger(name)
    if trigger == triggers.HomeNameTrigger.CREATE_FAIL:
        raise ApiError(500, "Internal server error.")
    with transaction.atomic():
        home = SandboxHome.objects.create(
            name=name,
            zipcode=zipcode,
            utility_id=utility.id,
            rate_plan_id=plan.id,
            ac_type=ac_type,
            solar_system_size_kw=size,
            is_non_net_metered=net_metering(body) if size is not None else None,
            client_id=client_id[:255],
            **appliances,
        )
        if trigger == triggers.HomeNameTrigger.SOLAR_FAIL_ONCE:
            PendingFault.objects.create(home=home, endpoint=PendingFault.Endpoint.SOLAR_CREATE)
        if trigger == triggers.HomeNameTrigger.PRICE_FAIL_ONCE:
            # Enough failures to outlast the client's own retries: the person sees it once.
            PendingFault.objects.create(
                home=home,
                endpoint=PendingFault.Endpoint.PRICE_SIGNAL,
                remaining=1 + settings.WS_API_RETRIES,
            )
    response = JsonResponse(home_json(home))
    if trigger == triggers.HomeNameTrigger.CREATE_SLOW:
        return LateAnswer(response, triggers.slow_seconds())
    return response


@endpoint()
def create_solar(body: Body) -> JsonResponse:
    home = known_home(required_string(body, "homeId"))
    size = solar_size(body, required=True)
    non_net_metered = net_metering(body)
    if fault_fires(home, PendingFault.Endpoint.SOLAR_CREATE):
        raise ApiError(503, "Service temporarily unavailable. Try again.")
    home.solar_system_size_kw = size
    home.is_non_net_metered = non_net_metered
    home.save(update_fields=["solar_system_size_kw", "is_non_net_metered", "updated_at"])
    return JsonResponse({"homeId": home.id})


@endpoint()
def get_price_signal(body: Body, home_id: str) -> JsonResponse:
    home = known_home(home_id)
    has_start, has_end = body.get("startTime") is not None, body.get("endTime") is not None
    if has_start != has_end:
        raise ApiError(400, "Send both startTime and endTime, or neither.")
    if has_start:
        start = price_signal.slot_start(moment(body, "startTime"))
        end = moment(body, "endTime")
        if end <= start:
            raise ApiError(400, "endTime must be after startTime.")
        if end - start > price_signal.MAX_WINDOW:
            raise ApiError(400, "The window may be at most 7 days.")
        count = math.ceil((end - start) / price_signal.INTERVAL)
    else:
        start = price_signal.slot_start(timezone.now())
        count = price_signal.DEFAULT_INTERVALS
    found = service_area(home.zipcode)
    utility = found.utility(home.utility_id) if found else None
    plan = utility.plan(home.rate_plan_id) if utility else None
    if utility is None or plan is None:
        raise ApiError(409, "The home's rate plan has no price signal.")
    if fault_fires(home, PendingFault.Endpoint.PRICE_SIGNAL):
        raise ApiError(503, "Service temporarily unavailable. Try again.")
    prices = price_signal.intervals(home, plan, start, count)
    if utility.legacy_shape:
        return JsonResponse(price_signal.legacy_answer(start, prices))
    return JsonResponse(price_signal.current_answer(home.id, start, prices))


@endpoint()
def list_homes(body: Body) -> JsonResponse:
    homes = [
        {
            "id": home.id,
            "name": home.name,
            "zipcode": home.zipcode,
            "utilityId": home.utility_id,
            "ratePlanId": home.rate_plan_id,
            "createdAt": price_signal.iso(home.created_at),
        }
        for home in SandboxHome.objects.all()
    ]
    return JsonResponse(homes, safe=False)


@endpoint()
def update_home(body: Body, home_id: str) -> JsonResponse:
    home = known_home(home_id)
    fields = {"name", "zipcode", "utilityId", "ratePlanId", "solarSystemSizeKw", "isNonNetMetered"}
    if not fields & body.keys():
        raise ApiError(400, f"Send at least one of: {', '.join(sorted(fields))}.")
    if "name" in body:
        home.name = home_name(body)
    if body.keys() & {"zipcode", "utilityId", "ratePlanId"}:
        # The new combination must hold together: the plan belongs to a utility serving the ZIP.
        zipcode = zipcode_of(body) if "zipcode" in body else home.zipcode
        utility_id = required_string(body, "utilityId") if "utilityId" in body else home.utility_id
        rate_plan_id = (
            required_string(body, "ratePlanId") if "ratePlanId" in body else home.rate_plan_id
        )
        plan = plan_for(utility_for(zipcode, utility_id), rate_plan_id)
        home.zipcode, home.utility_id, home.rate_plan_id = zipcode, utility_id, plan.id
    if "solarSystemSizeKw" in body:
        home.solar_system_size_kw = solar_size(body, required=False)
    if "isNonNetMetered" in body:
        home.is_non_net_metered = net_metering(body)
    home.save()
    return JsonResponse(home_json(home))
