"""The audit log, read-only, for monitors and auditors."""

from django.contrib import admin

from accords.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["seq", "at", "actor_name", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "actor_name", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
