"""The draft: one Onboarding row per home being onboarded, the single source of truth."""

import re
import unicodedata
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.moments import clock_time, day_and_month
from onboarding.wattshift.types import Appliance
from onboarding.wizard.places import place_for_zip


class Answer(models.TextChoices):
    """A Yes / No / Not sure answer; blank means the question was left unanswered."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


# Each appliance question's column on Onboarding, in the order asked, and what it asks about.
APPLIANCE_COLUMNS: dict[str, Appliance] = {
    "has_ev_charger": Appliance.EV_CHARGER,
    "has_electric_heater": Appliance.ELECTRIC_HEATER,
    "has_smart_water_heater": Appliance.SMART_WATER_HEATER,
    "has_electric_water_heater": Appliance.ELECTRIC_WATER_HEATER,
    "has_ac": Appliance.AC,
}


# The home's answers a search reads; its installer's names come after them (search_text_for).
SEARCH_INPUTS = ("home_name", "zipcode", "home_id")
# The installer's, a User's.
OWNER_SEARCH_INPUTS = ("username", "first_name", "last_name")


def search_key(*texts: str) -> str:
    """Text as search compares it: lower case, without accents, punctuation as spaces, so
    "Ramírez, 12 Oak St." and "ramirez 12 oak st" are the same words."""
    decomposed = unicodedata.normalize("NFKD", " ".join(texts))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def search_text_for(onboarding: "Onboarding", **values: str) -> str:
    """What `search_text` holds for this onboarding (`values` in place of the row's)."""
    home = [values.get(name, getattr(onboarding, name)) for name in SEARCH_INPUTS]
    return search_text_of(home, onboarding.owner)


def search_text_of(home: Iterable[str], owner: Any) -> str:
    """The home's name, ZIP code and home id (SEARCH_INPUTS, in order), then its installer's
    username, first and last name, all as search_key writes them: every word of a search is a
    condition on this one column (one trigram index scan on PostgreSQL, whatever it matches)."""
    return search_key(*home, *(getattr(owner, name) for name in OWNER_SEARCH_INPUTS))


class AcType(models.TextChoices):
    CENTRAL = "central", _("Central")
    WINDOW = "window", _("Window unit")
    SPLIT = "split", _("Ductless mini-split")
    OTHER = "other", _("Other")


class Onboarding(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # A submission holds the row: nobody else may send it.
        SUBMITTING = "submitting", _("Submitting")
        # The upstream may or may not have created the home: never re-send blindly.
        NEEDS_ATTENTION = "needs_attention", _("Needs attention")
        # The home exists upstream but a later step (solar) has not succeeded yet.
        HOME_CREATED = "home_created", _("Home created, solar pending")
        COMPLETE = "complete", _("Onboarded")
        # A change to the created home holds the row: it is sent once (services/edits).
        UPDATING = "updating", _("Changing")

    class SolarStatus(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not needed")
        PENDING = "pending", _("Not sent yet")
        ADDED = "added", _("Added")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by the owner's list index (Meta.indexes), which starts with this column.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="onboardings",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Indexed by the status list indexes (Meta.indexes), which start with this column.
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)

    # ZIP code step. Kept as a string: "02139" keeps its leading zero.
    zipcode = models.CharField(_("ZIP code"), max_length=10, blank=True)

    # Utility and rate plan step: what the person picked, as the upstream named it.
    utility_id = models.CharField(max_length=64, blank=True)
    utility_name = models.CharField(max_length=255, blank=True)
    rate_plan_id = models.CharField(max_length=64, blank=True)
    rate_plan_name = models.CharField(max_length=255, blank=True)
    rate_plan_rate_id = models.CharField(max_length=255, blank=True)
    # The homeowner did not know the plan: WattShift's first listed plan is used, and the
    # onboarding stays marked until someone confirms the plan on the created home.
    plan_to_confirm = models.BooleanField(default=False)

    # Home step.
    home_name = models.CharField(_("home name"), max_length=255, blank=True)
    has_ev_charger = models.CharField(max_length=10, choices=Answer, blank=True)
    has_electric_heater = models.CharField(max_length=10, choices=Answer, blank=True)
    has_smart_water_heater = models.CharField(max_length=10, choices=Answer, blank=True)
    has_electric_water_heater = models.CharField(max_length=10, choices=Answer, blank=True)
    has_ac = models.CharField(max_length=10, choices=Answer, blank=True)
    ac_type = models.CharField(max_length=10, choices=AcType, blank=True)

    # Solar step. None means not answered yet.
    has_solar = models.BooleanField(null=True, blank=True)
    solar_size_kw = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    solar_net_metered = models.BooleanField(null=True, blank=True)

    # What the upstream did with it.
    home_id = models.CharField(_("home id"), max_length=128, blank=True, db_index=True)
    # The home's name, ZIP code and home id and its installer's names as search compares them
    # (search_text_for): kept by every write of those (an installer's rename rewrites theirs),
    # so a search reads one indexed column (trigrams on PostgreSQL).
    search_text = models.TextField(blank=True, editable=False)
    last_error = models.TextField(blank=True)
    # WattShift's complaints about answers of the last create, by question (form field name):
    # shown at the question until it is answered again.
    upstream_field_errors = models.JSONField(default=dict, blank=True)
    # WattShift asked for no retry before this (RATE_LIMITED with retry_after_seconds).
    retry_not_before = models.DateTimeField(null=True, blank=True)
    # When the background check of an unknown outcome is next due (None: none is), and how many
    # checks were made: the backoff between them grows with it.
    next_check_at = models.DateTimeField(null=True, blank=True)
    checks_made = models.PositiveSmallIntegerField(default=0)
    # What the installer should be told the next time they open this onboarding (support or
    # the background check settled it); cleared once they have seen it.
    owner_notice = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        # Newest change first; the id breaks ties, so keyset pages (updated_at, id) are exact.
        ordering = ["-updated_at", "-id"]
        # One index per way the dashboard lists and filters, each in the list's own order, so a
        # page is a short walk down an index at any table size.
        indexes = [
            # The installer's news (owner_notice): few rows ever have one.
            models.Index(
                fields=["owner"], condition=~models.Q(owner_notice=""), name="onboarding_news_idx"
            ),
            models.Index(fields=["-updated_at", "-id"], name="onboarding_changed_idx"),
            models.Index(fields=["owner", "-updated_at", "-id"], name="onboarding_owner_idx"),
            models.Index(fields=["status", "-updated_at", "-id"], name="onboarding_status_idx"),
            models.Index(
                fields=["owner", "status", "-updated_at", "-id"], name="onboarding_owner_status_idx"
            ),
            models.Index(fields=["created_at", "id"], name="onboarding_created_idx"),
            # Few onboardings have a plan to confirm: a partial index holds only those.
            models.Index(
                fields=["-updated_at", "-id"],
                condition=models.Q(plan_to_confirm=True),
                name="onboarding_plan_to_confirm_idx",
            ),
            # Likely duplicates (same ZIP code, same name ignoring case): only that ZIP's rows
            # are read, however many onboardings there are.
            models.Index(fields=["zipcode", "home_name"], name="onboarding_same_home_idx"),
        ]
        permissions = [("support", "Support staff: see and resolve everyone's onboardings")]
        constraints = [
            # The AC type only means something for a home that has AC.
            models.CheckConstraint(
                condition=models.Q(ac_type="") | models.Q(has_ac=Answer.YES),
                name="wizard_onboarding_ac_type_needs_ac",
            ),
            models.CheckConstraint(
                condition=models.Q(solar_size_kw__isnull=True) | models.Q(solar_size_kw__gt=0),
                name="wizard_onboarding_solar_size_positive",
            ),
        ]

    def __str__(self) -> str:
        """The home's name; until it has one, where and when the draft was started, so drafts
        can be told apart ("Draft – Folsom, CA 95630, started 9:41 AM")."""
        if self.home_name.strip():
            return self.home_name
        started = timezone.localtime(self.created_at) if self.created_at else timezone.localtime()
        today = started.date() == timezone.localdate()
        # moments' words for "g:i A" and "j M, g:i A": a page of drafts names each of them.
        when = clock_time(started) if today else f"{day_and_month(started)}, {clock_time(started)}"
        place = " ".join(filter(None, (place_for_zip(self.zipcode), self.zipcode)))
        if place:
            return str(_("Draft – %(place)s, started %(when)s") % {"place": place, "when": when})
        return str(_("Draft started %(when)s") % {"when": when})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_text_for(self)
        super().save(*args, **kwargs)

    @classmethod
    def unanswered(cls, name: str) -> object:
        """What an answer column holds before it is answered: "" or None."""
        field = cls._meta.get_field(name)
        assert isinstance(field, models.Field)  # noqa: S101 - answer columns are plain fields
        return field.get_default()

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def solar_status(self) -> "Onboarding.SolarStatus":
        """Where solar stands, read off the status: solar is the last call of a submission."""
        if not self.has_solar:
            return self.SolarStatus.NOT_NEEDED
        if self.status in {self.Status.COMPLETE, self.Status.UPDATING}:
            return self.SolarStatus.ADDED
        if self.status == self.Status.HOME_CREATED:
            return self.SolarStatus.FAILED
        return self.SolarStatus.PENDING


class WorkerHeartbeat(models.Model):
    """A background worker saying it is alive: /healthz reports how long ago one last did."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.beat_at:%H:%M:%S}"


class Event(models.Model):
    """What happened to an onboarding: each upstream call and each support decision."""

    onboarding = models.ForeignKey(Onboarding, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64)
    outcome = models.CharField(max_length=32)
    # A safe sentence of detail; the history shows the event in words (history_text) with this.
    detail = models.TextField(blank=True)
    # What the sentence is made from (a home id, a count, the changes made...).
    params = models.JSONField(default=dict, blank=True)
    # The technical record of an upstream call, to quote to WattShift's support.
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=128, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.outcome}"
