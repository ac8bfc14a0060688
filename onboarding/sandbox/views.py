"""The sandbox upstream: the WattShift API's endpoints over the same HTTP contract.

Called by a server with an API key (or a session token it issued), never by a browser
with a login, so the views are CSRF-exempt and need no Django login. Error messages are the
upstream's own English words, as a real third-party API would answer them, in WattShift's error
envelope (errors.py); request fields are read by fields.py.
"""

import hmac
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from onboarding.sandbox import data, price_signal, triggers
from onboarding.sandbox.data import service_area
from onboarding.sandbox.errors import ApiError, ErrorCode
from onboarding.sandbox.fields import (
    APPLIANCE_FIELDS,
    ZIPCODE,
    Body,
    ac_type_of,
    home_name,
    moment,
    net_metering,
    optional_boolean,
    parse_body,
    plan_for,
    required_string,
    solar_size,
    utility_for,
    zipcode_of,
)
from onboarding.sandbox.models import (
    PendingFault,
    ReceivedRequest,
    SandboxHome,
    SessionToken,
    token_digest,
)

SESSION_TOKEN_LIFETIME = timedelta(hours=1)
MAX_RECORDED_BODY = 10_000
SOLAR_ORDER = "isSolarPrioritizedOrder"
NOT_AUTHENTICATED = "Missing or invalid credentials."
USE_POST = "Send every request as POST with a JSON body."
NO_SUCH_ENDPOINT = "Check the path: every endpoint is under /v1/, as the API reference lists it."
UNKNOWN_HOME = "Check the home id; homes/list lists the organisation's homes."


@dataclass(frozen=True)
class LateAnswer:
    """An answer the sandbox sends only after `seconds` (a slow test trigger)."""

    response: HttpResponse
    seconds: float


Handler = Callable[..., HttpResponse | LateAnswer]


def authenticate(request: HttpRequest, *, api_key_only: bool) -> tuple[str, ErrorCode | None]:
    """Which credential the request carries and the sandbox accepts, or NONE and why not."""
    none = ReceivedRequest.Auth.NONE
    key = request.headers.get("x-ws-api-key")
    expected = settings.WS_SANDBOX_API_KEY
    if key is not None:
        if bool(expected) and hmac.compare_digest(key.encode(), expected.encode()):
            return ReceivedRequest.Auth.API_KEY, None
        return none, ErrorCode.AUTH_INVALID_API_KEY
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if api_key_only or scheme.lower() != "bearer" or not token.strip():
        return none, ErrorCode.AUTH_MISSING_API_KEY
    issued = SessionToken.objects.filter(digest=token_digest(token.strip())).first()
    if issued is None:
        return none, ErrorCode.AUTH_INVALID_API_KEY
    if issued.expires_at <= timezone.now():
        return none, ErrorCode.AUTH_EXPIRED_CREDENTIAL
    return ReceivedRequest.Auth.SESSION_TOKEN, None


def record(request: HttpRequest, *, auth: str, status: int) -> None:
    ReceivedRequest.objects.create(
        path=request.path[:255],
        body=request.body.decode("utf-8", "replace")[:MAX_RECORDED_BODY],
        auth=auth,
        status=status,
    )


def endpoint(*, api_key_only: bool = False) -> Callable[[Handler], Callable[..., HttpResponse]]:
    """Wraps a handler(body, **url_kwargs) with the configured latency, method, auth, JSON
    parsing, errors, the request log and slow answers; handlers raise ApiError for a 4xx/5xx
    with a message."""

    def decorate(handler: Handler) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @login_not_required
        @wraps(handler)
        def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
            if settings.WS_SANDBOX_LATENCY_SECONDS > 0:
                # The round trip to a distant upstream, paid by every call (make bench).
                time.sleep(settings.WS_SANDBOX_LATENCY_SECONDS)
            auth: str = ReceivedRequest.Auth.NONE
            answer: HttpResponse | LateAnswer
            if request.method != "POST":
                answer = ApiError(405, "Use POST.", recovery=USE_POST).response()
                answer["Allow"] = "POST"
            else:
                auth, refused = authenticate(request, api_key_only=api_key_only)
                if refused is not None:
                    answer = ApiError(401, NOT_AUTHENTICATED, code=refused).response()
                else:
                    try:
                        answer = handler(parse_body(request), **kwargs)
                    except ApiError as exc:
                        answer = exc.response()
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
    return ApiError(404, "No such endpoint.", recovery=NO_SUCH_ENDPOINT).response()


# Helpers.


def known_home(home_id: str) -> SandboxHome:
    try:
        return SandboxHome.objects.get(pk=home_id)
    except SandboxHome.DoesNotExist:
        raise ApiError(404, f"Home {home_id[:64]!r} not found.", recovery=UNKNOWN_HOME) from None


def fault_fires(home: SandboxHome, endpoint: str) -> bool:
    """The decrement is one atomic UPDATE, so each pending failure fires for exactly one request."""
    pending = PendingFault.objects.filter(home=home, endpoint=endpoint, remaining__gt=0)
    return pending.update(remaining=F("remaining") - 1) > 0


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
        raise ApiError(400, "zipcode must be a string of five digits.", field="zipcode")
    solar_first = optional_boolean(
        body, SOLAR_ORDER, message=f"{SOLAR_ORDER} must be true or false."
    )
    utilities = data.utilities_for_zip(zipcode)
    return JsonResponse([u.as_json(solar_first=bool(solar_first)) for u in utilities], safe=False)


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
        raise ApiError(400, "clientId must be a string.", field="clientId")

    trigger = triggers.home_name_trigger(name)
    if trigger == triggers.HomeNameTrigger.CREATE_FAIL:
        raise ApiError(500, "Internal server error.")
    if trigger == triggers.HomeNameTrigger.NAME_REFUSED:
        raise ApiError(400, triggers.NAME_REFUSED_MESSAGE, field="name")
    if trigger == triggers.HomeNameTrigger.RATE_LIMITED:
        seconds = triggers.RATE_LIMIT_SECONDS
        message = f"Too many requests. Try again in {seconds} seconds."
        raise ApiError(429, message, retry_after=seconds)
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
        if trigger == triggers.HomeNameTrigger.ANSWER_LOST:
            PendingFault.objects.create(
                home=home,
                endpoint=PendingFault.Endpoint.LIST_HOMES,
                remaining=1 + settings.WS_API_RETRIES,
            )
        if trigger == triggers.HomeNameTrigger.PRICE_FAIL_ONCE:
            # Enough failures to outlast the client's own retries: the person sees it once.
            PendingFault.objects.create(
                home=home,
                endpoint=PendingFault.Endpoint.PRICE_SIGNAL,
                remaining=1 + settings.WS_API_RETRIES,
            )
    response = JsonResponse(home_json(home))
    if trigger in {triggers.HomeNameTrigger.CREATE_SLOW, triggers.HomeNameTrigger.ANSWER_LOST}:
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
        missing = "endTime" if has_start else "startTime"
        raise ApiError(400, "Send both startTime and endTime, or neither.", field=missing)
    if has_start:
        start = price_signal.slot_start(moment(body, "startTime"))
        end = moment(body, "endTime")
        if end <= start:
            raise ApiError(400, "endTime must be after startTime.", field="endTime")
        if end - start > price_signal.MAX_WINDOW:
            raise ApiError(400, "The window may be at most 7 days.", field="endTime")
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
    lists = PendingFault.Endpoint.LIST_HOMES
    failing = PendingFault.objects.filter(endpoint=lists, remaining__gt=0).first()
    if failing is not None and fault_fires(failing.home, lists):
        raise ApiError(503, "Service temporarily unavailable. Try again.")
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
        if triggers.home_name_trigger(home.name) == triggers.HomeNameTrigger.NAME_REFUSED:
            raise ApiError(400, triggers.NAME_REFUSED_MESSAGE, field="name")
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
