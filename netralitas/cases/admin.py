from django.contrib import admin

from netralitas.cases.models import DeadlineRule, Holiday, ReceivingBody


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["step", "name", "days", "day_kind", "confirmed", "legal_basis"]
    list_filter = ["day_kind", "confirmed"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(ReceivingBody)
class ReceivingBodyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_until"]


# Cases, timelines and reports are deliberately not in the admin: every change to them
# goes through cases.services / reports.services, which check roles and write the
# timeline; reporter identity is shown only through the logged reveal.
