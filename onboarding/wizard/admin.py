from django.contrib import admin
from django.http import HttpRequest

from onboarding.wizard.models import Event, Onboarding


class EventInline(admin.TabularInline):
    """The history is a record: shown, never edited here."""

    model = Event
    extra = 0
    can_delete = False
    fields = ("at", "by", "action", "outcome", "detail")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Onboarding | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Onboarding | None = None) -> bool:
        return False


@admin.register(Onboarding)
class OnboardingAdmin(admin.ModelAdmin):
    list_display = ("home_name", "zipcode", "status", "home_id", "owner", "updated_at")
    list_filter = ("status",)
    search_fields = ("home_name", "zipcode", "home_id", "public_id", "owner__username")
    readonly_fields = ("public_id", "created_at", "updated_at", "submitted_at", "submitted_by")
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    inlines = (EventInline,)
