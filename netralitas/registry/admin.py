from django.contrib import admin

from netralitas.registry.models import Agency, Employee, IntegrityPact, SocialisationEvent


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent", "head"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "kind", "position", "agency", "holds_leadership_post"]
    list_filter = ["kind", "holds_leadership_post", "is_active"]
    search_fields = ["name", "nip", "position"]
    autocomplete_fields = ["agency"]


@admin.register(IntegrityPact)
class IntegrityPactAdmin(admin.ModelAdmin):
    """Pacts are records of what someone signed: read here, written by registry.pacts
    (which checks the file's content). Deleting stays possible, for a sheet recorded
    against the wrong employee."""

    list_display = ["employee", "agency", "election", "method", "signed_at", "recorded_by"]
    list_filter = ["method", "election"]
    search_fields = ["employee__name", "employee__nip", "agency__name"]
    list_select_related = ["employee", "agency", "election", "recorded_by"]
    readonly_fields = [
        "employee",
        "agency",
        "election",
        "method",
        "signed_at",
        "text_version",
        "file",
        "file_sha256",
        "file_content_type",
        "file_extension",
        "file_size",
        "recorded_by",
        "link_issued_by",
        "recorded_at",
    ]
    # The keyed address hash is of no use to a person reading the admin.
    exclude = ["client_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SocialisationEvent)
class SocialisationEventAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "agency", "organiser", "unlisted_attendee_count"]
    list_filter = ["election"]
    search_fields = ["title", "agency__name", "organiser", "place"]
    date_hierarchy = "held_on"
    list_select_related = ["agency"]
    autocomplete_fields = ["agency", "attendees"]
    readonly_fields = ["recorded_by", "recorded_at"]
