from django.contrib import admin

from netralitas.elections.models import (
    CandidatePair,
    Contest,
    Election,
    Party,
    SanctionKind,
    Stage,
    ViolationType,
)


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "voting_date", "config_version"]
    inlines = [StageInline]


class PairInline(admin.TabularInline):
    model = CandidatePair
    extra = 0
    fields = ["number", "label", "names", "is_empty_column"]


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["name", "election", "office", "area", "candidates_set_on"]
    list_filter = ["election", "office"]
    inlines = [PairInline]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "name"]


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "sanction_category",
        "timing",
        "counterpart",
        "confidence",
        "is_active",
    ]
    list_filter = ["category", "sanction_category", "timing", "is_active"]
    search_fields = ["code", "name", "legal_basis"]
    ordering = ["order", "code"]


@admin.register(SanctionKind)
class SanctionKindAdmin(admin.ModelAdmin):
    list_display = ["code", "employee_kind", "category", "name", "confidence"]
    list_filter = ["employee_kind", "category"]
