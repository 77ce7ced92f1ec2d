from django.contrib import admin

from netralitas.registry.models import Agency, Employee


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "kind", "position", "agency", "holds_leadership_post"]
    list_filter = ["kind", "holds_leadership_post", "is_active"]
    search_fields = ["name", "nip", "position"]
    autocomplete_fields = ["agency"]
