from django.contrib import admin

from netralitas.reports.models import IdentityRevealLog


@admin.register(IdentityRevealLog)
class IdentityRevealLogAdmin(admin.ModelAdmin):
    """Who looked at which reporter's identity, and why: read-only for audit."""

    list_display = ["at", "user", "report", "reason"]
    list_filter = ["user"]
    readonly_fields = ["at", "user", "report", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
