"""What the sandbox upstream remembers. Everything lives in the database, never in process
memory, so it survives a restart and every gunicorn worker sees the same state."""

import hashlib
import secrets

from django.db import models


def new_home_id() -> str:
    return f"ws_home_{secrets.token_hex(8)}"


class SandboxHome(models.Model):
    id = models.CharField(primary_key=True, max_length=64, default=new_home_id, editable=False)
    name = models.CharField(max_length=255)
    zipcode = models.CharField(max_length=10)
    utility_id = models.CharField(max_length=64)
    rate_plan_id = models.CharField(max_length=64)
    # None means the installer answered "not sure" (null) or did not send the field.
    has_ev_charger = models.BooleanField(null=True)
    has_electric_heater = models.BooleanField(null=True)
    has_smart_water_heater = models.BooleanField(null=True)
    has_electric_water_heater = models.BooleanField(null=True)
    has_ac = models.BooleanField(null=True)
    ac_type = models.CharField(max_length=10, blank=True)
    solar_system_size_kw = models.DecimalField(max_digits=9, decimal_places=3, null=True)
    is_non_net_metered = models.BooleanField(null=True)
    client_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.id} ({self.name})"


class PendingFault(models.Model):
    """A test trigger's failures still to come; an atomic decrement of `remaining` is what
    fires one, so two workers racing for the last one cannot both fail."""

    class Endpoint(models.TextChoices):
        SOLAR_CREATE = "solar_create", "homes/solar/create"
        PRICE_SIGNAL = "price_signal", "homes/{id}/price_signal"
        LIST_HOMES = "list_homes", "homes/list"

    home = models.ForeignKey(SandboxHome, on_delete=models.CASCADE, related_name="pending_faults")
    endpoint = models.CharField(max_length=20, choices=Endpoint)
    remaining = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["home", "endpoint"], name="sandbox_one_fault_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} fails once for {self.home_id}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionToken(models.Model):
    """A session token the sandbox issued. Only its SHA-256 digest is stored."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"session token issued {self.created_at:%Y-%m-%d %H:%M}"


class ReceivedRequest(models.Model):
    """One request the sandbox received, so tests can count what the upstream saw.
    Holds the body only: never a header, so never the API key or a session token."""

    class Auth(models.TextChoices):
        API_KEY = "api-key", "API key"
        SESSION_TOKEN = "session-token", "Session token"
        NONE = "none", "Missing or not accepted"

    path = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    auth = models.CharField(max_length=20, choices=Auth, default=Auth.NONE)
    status = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.path} -> {self.status}"
