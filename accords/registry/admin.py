"""The Django admin for reference-data staff. Every save and delete leaves its audit entry."""

from django.contrib import admin

from accords.audit.log import entry_append
from accords.registry.models import (
    Agreement,
    Credit,
    ReportedTransfer,
    Source,
    StatusChange,
    Term,
)


class AuditedAdmin(admin.ModelAdmin):
    """The admin already runs each save in one transaction; the audit entry joins it."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = list(form.changed_data) + [
            f"{fs.prefix}:{len(fs.new_objects)} new, {len(fs.changed_objects)} changed, "
            f"{len(fs.deleted_objects)} deleted"
            for fs in formsets
            if fs.has_changed()
        ]
        verb = "change" if change else "add"
        entry_append(
            actor=request.user,
            action=f"admin.{form.instance._meta.model_name}.{verb}",
            obj=form.instance,
            details={"changed": changed},
        )

    def delete_model(self, request, obj):
        entry_append(
            actor=request.user, action=f"admin.{obj._meta.model_name}.delete", obj=obj, details={}
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class CreditInline(admin.TabularInline):
    """Every fact is credited to at least one source."""

    model = Credit
    fields = ["source", "confidence"]
    autocomplete_fields = ["source"]
    extra = 0
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        # The admin passes min_num to the formset but not validate_min, without which a
        # form posting no credit at all would pass.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["status", "on", "on_precision", "note"]
    extra = 0
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    list_display = ["name", "sending_state", "receiving_state", "arrangement", "kind", "regime"]
    list_filter = ["sending_state", "receiving_state", "arrangement", "kind", "regime"]
    search_fields = ["name", "key"]
    inlines = [StatusChangeInline]


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ["agreement", "kind", "text", "amount", "currency", "valid_from"]
    list_filter = ["kind", "agreement"]
    search_fields = ["text", "key"]
    inlines = [CreditInline]


@admin.register(StatusChange)
class StatusChangeAdmin(AuditedAdmin):
    list_display = ["agreement", "status", "on"]
    list_filter = ["status", "agreement"]
    inlines = [CreditInline]


@admin.register(ReportedTransfer)
class ReportedTransferAdmin(AuditedAdmin):
    list_display = ["agreement", "on", "people", "text"]
    inlines = [CreditInline]


@admin.register(Source)
class SourceAdmin(AuditedAdmin):
    list_display = ["title", "publisher", "published_on", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "key"]
