from django.contrib import admin
from django.http import HttpRequest

from commonground.ledger.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only, even for superusers."""

    list_display = ["seq", "time", "action", "object_type", "object_id", "forum", "actor"]
    list_filter = ["action", "forum"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
