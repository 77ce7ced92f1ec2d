"""The dashboard's filters: a GET form whose query string is the dashboard's state, so a
filtered view can be bookmarked, shared and carried into every drill-down link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from netralitas.accounts.models import User
from netralitas.dashboards.selectors import REGION_KINDS, SCOPED_ROLES, DashboardFilters
from netralitas.elections.models import Stage, ViolationType
from netralitas.registry.models import Agency, AgencyKind, Platform

# The query-string keys of the filters, in the order of the form.
FILTER_KEYS = ("from", "to", "agency", "violation", "platform", "stage")


def iso_date_field(label: str, *, required: bool = False) -> forms.DateField:
    # ISO only: what <input type="date"> sends whatever the browser's language, and
    # unambiguous in a shared link (03/04 is March in one country and April in another).
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def agency_choices(user: User | None) -> list[tuple[str, Any]]:
    """Regions first (province, then its regencies and cities), then each region's
    agencies (OPD) in a group of their own. Units are left out: an agency's numbers
    already include its units. A PPK or agency head chooses within their subtree."""
    agencies = Agency.objects.filter(is_active=True).exclude(kind=AgencyKind.UNIT)
    if user is not None and user.role in SCOPED_ROLES:
        agencies = agencies.subtree_of(user.agency) if user.agency else agencies.none()
    nodes = list(agencies.order_by("path"))
    by_id = {a.pk: a for a in nodes}
    regions = [a for a in nodes if a.kind in REGION_KINDS]
    # Each agency under the nearest region in the list (None: the user's own agency,
    # whose region is outside their scope).
    groups: dict[int | None, list[tuple[str, str]]] = {r.pk: [] for r in regions}
    for node in nodes:
        if node.kind in REGION_KINDS:
            continue
        parent = by_id.get(node.parent_id) if node.parent_id else None
        while parent is not None and parent.kind not in REGION_KINDS:
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        groups.setdefault(parent.pk if parent else None, []).append((node.code, node.name))
    choices: list[tuple[str, Any]] = [("", _("All"))]
    if regions:
        top = min(a.path.count("/") for a in regions)
        choices.append(
            (
                _("Regions"),
                # Indented by depth: the province, its regencies and cities beneath it.
                [(a.code, "\u2003" * (a.path.count("/") - top) + a.name) for a in regions],
            )
        )
    for region in regions:
        if groups[region.pk]:
            label = _("Agencies: %(region)s") % {"region": region.short_name or region.name}
            choices.append((label, groups[region.pk]))
    if groups.get(None):
        choices.append((_("Agencies"), groups[None]))
    return choices


def stage_choices() -> list[tuple[str, Any]]:
    """Stages grouped by election, in time order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for stage in Stage.objects.select_related("election").order_by("start", "id"):
        groups.setdefault(stage.election.name, []).append((str(stage.pk), stage.name))
    return [("", _("All"))] + list(groups.items())


class DashboardFilterForm(forms.Form):
    """All optional. ``from`` and ``to`` are keywords in Python, so they are added below
    the class under the names the query string uses."""

    agency = forms.ChoiceField(label=_("Agency or region"), required=False)
    violation = forms.ChoiceField(label=_("Violation type"), required=False)
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=[("", _("All"))] + Platform.choices
    )
    stage = forms.TypedChoiceField(
        label=_("Election stage"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(user)
        # Every type ever configured, active or not: past periods count under old codes.
        self.fields["violation"].choices = [("", _("All"))] + [
            (code, f"{code} — {name}")
            for code, name in ViolationType.objects.order_by("code").values_list("code", "name")
        ]
        self.fields["stage"].choices = stage_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date is before the start date."))
        return data

    def filters(self) -> DashboardFilters:
        """The filters of a valid form (an unbound form: no filter)."""
        data = self.cleaned_data if self.is_bound else {}
        return DashboardFilters(
            date_from=data.get("from"),
            date_to=data.get("to"),
            agency=data.get("agency") or "",
            violation=data.get("violation") or "",
            platform=data.get("platform") or "",
            stage=data.get("stage"),
        )


DashboardFilterForm.base_fields = {
    "from": iso_date_field(_("From")),
    "to": iso_date_field(_("To")),
    **DashboardFilterForm.base_fields,
}


def filters_query(filters: DashboardFilters, **extra: str) -> str:
    """The query string of these filters (only those set) and ``extra`` keys."""
    values = {
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        "agency": filters.agency,
        "violation": filters.violation,
        "platform": filters.platform,
        "stage": str(filters.stage) if filters.stage else "",
        **extra,
    }
    query = QueryDict(mutable=True)
    for key, value in values.items():
        if value:
            query[key] = value
    return query.urlencode()
