"""The staff dashboard and the list behind each of its numbers.

Thin views, as in cases.views: parse the filters, call one selector, render. What is
counted, for whom, lives in dashboards.selectors; this module only turns the counts into
tables, inline SVG charts (dashboards.charts) and links. Every link to a list carries the
dashboard's filters, so the list holds exactly the rows of the number that was clicked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from netralitas.cases.views import forbidden, not_found, role_required
from netralitas.core.timeutil import local_today
from netralitas.dashboards import charts
from netralitas.dashboards.forms import FILTER_KEYS, DashboardFilterForm, filters_query
from netralitas.dashboards.selectors import (
    BREAKDOWNS,
    DASHBOARD_ROLES,
    NONE_KEY,
    OVERDUE,
    OVERDUE_ALL,
    SPECS,
    DashboardFilters,
    DashboardSummary,
    EntityCounts,
    UnknownBucket,
    dashboard_summary,
    drilldown_rows,
    entity_listable,
    holder_label,
)

PAGE_SIZE = 50
CHART_BARS = 15  # bars per chart; the table beside it lists every bucket
COLOURS = {"reports": charts.PALETTE[0], "findings": charts.PALETTE[1], "cases": charts.PALETTE[2]}
DIMENSION_LABELS = {
    "month": gettext_lazy("Month"),
    "region": gettext_lazy("Region (province, regency or city)"),
    "agency": gettext_lazy("Agency"),
    "violation": gettext_lazy("Violation type"),
    "platform": gettext_lazy("Platform"),
    "stage": gettext_lazy("Election stage"),
    "status": gettext_lazy("Status"),
}


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _drill_url(entity: str, filters: DashboardFilters, dimension: str = "", key: str = "") -> str:
    extra = {"dim": dimension, "key": key} if dimension else {}
    query = filters_query(filters, **extra)
    return reverse("dashboards:drilldown", args=[entity]) + (f"?{query}" if query else "")


def _dashboard_url(filters: DashboardFilters, anchor: str = "") -> str:
    query = filters_query(filters)
    return (
        reverse("dashboards:dashboard")
        + (f"?{query}" if query else "")
        + (f"#{anchor}" if anchor else "")
    )


def _month_label(key: str) -> str:
    if key == NONE_KEY:
        return _("No date")
    year, month = key.split("-")
    return formats.date_format(date(int(year), int(month), 1), "M Y")  # "Okt 2024"


# --- the dashboard ----------------------------------------------------------------------


def _filter_summary(form: DashboardFilterForm) -> list[tuple[str, str]]:
    """The filters in force, as (label, value) for a sentence above the numbers."""
    shown = []
    for key in FILTER_KEYS:
        value = form.cleaned_data.get(key)
        if value in (None, ""):
            continue
        field = form.fields[key]
        if hasattr(field, "choices"):
            flat: dict[str, str] = {}
            for option, label in field.choices:
                if isinstance(label, list | tuple):
                    flat.update({str(k): str(v).strip() for k, v in label})
                else:
                    flat[str(option)] = str(label)
            text = flat.get(str(value), str(value))
        else:
            text = formats.date_format(value, "j M Y")
        shown.append((str(field.label), text))
    return shown


def _rows(entity: EntityCounts, dimension: str, filters: DashboardFilters) -> list[dict]:
    return [
        {
            "key": b.key,
            "label": b.label,
            "title": b.extra.get("title", ""),
            "count": b.count,
            "href": _drill_url(entity.entity, filters, dimension, b.key)
            if entity.listable and b.count
            else None,
        }
        for b in entity.by[dimension]
    ]


def _bar_chart(entity: EntityCounts, dimension: str, rows: list[dict]) -> str:
    bars = [
        charts.Bar(
            # A violation code alone says little: its name follows (cut to fit).
            label=f"{r['label']} — {r['title']}" if r["title"] else r["label"],
            value=r["count"],
            href=r["href"],
        )
        for r in rows[:CHART_BARS]
    ]
    title = _("%(entity)s by %(dimension)s") % {
        "entity": entity.label,
        "dimension": str(DIMENSION_LABELS[dimension]).lower(),
    }
    svg = charts.bar_chart(
        bars,
        title=title,
        colour=COLOURS[entity.entity],
        fmt=_number,
        empty_text=_("Nothing to count."),
    )
    return mark_safe(svg)  # charts escapes every label it draws


def _trend(summary: DashboardSummary) -> dict[str, Any]:
    shown = [e for e in summary.entities if e.applies]
    counts = {e.entity: {b.key: b.count for b in e.by["month"]} for e in shown}
    labels = [_month_label(m) for m in summary.months]
    series = []
    for e in shown:
        values = [counts[e.entity].get(m, 0) for m in summary.months]
        hrefs = [
            _drill_url(e.entity, summary.filters, "month", m) if e.listable and v else None
            for m, v in zip(summary.months, values, strict=True)
        ]
        series.append(charts.Series(e.label, values, COLOURS[e.entity], hrefs))
    svg = charts.column_chart(
        labels,
        series,
        title=_("Reports, findings and cases by month"),
        fmt=_number,
        empty_text=_("Nothing to count."),
    )
    rows = [
        {
            "label": label,
            "cells": [{"count": s.values[i], "href": s.hrefs[i]} for s in series],
        }
        for i, label in enumerate(labels)
    ]
    return {
        "chart": mark_safe(svg),  # charts escapes every label it draws
        "series": [{"label": s.name, "colour": s.colour} for s in series],
        "rows": rows,
    }


def _sections(summary: DashboardSummary) -> list[dict[str, Any]]:
    sections = []
    for dimension in BREAKDOWNS:
        panels = []
        for entity in summary.entities:
            if not entity.applies or dimension not in entity.by:
                continue
            rows = _rows(entity, dimension, summary.filters)
            panels.append(
                {
                    "entity": entity.entity,
                    "label": entity.label,
                    "chart": _bar_chart(entity, dimension, rows),
                    "rows": rows,
                    "cut": len(rows) > CHART_BARS,
                    "chart_bars": CHART_BARS,
                    "total": entity.total,
                }
            )
        if panels:
            sections.append(
                {"dimension": dimension, "label": DIMENSION_LABELS[dimension], "panels": panels}
            )
    return sections


def _overdue(summary: DashboardSummary) -> dict[str, Any] | None:
    if summary.overdue_total is None:
        return None
    today = local_today()
    listable = summary.overdue_listable

    def link(key: str) -> str | None:
        return _drill_url("cases", summary.filters, OVERDUE, key) if listable else None

    return {
        "total": summary.overdue_total,
        "total_shown": _number(summary.overdue_total),
        "href": link(OVERDUE_ALL),
        "listable": listable,
        "holders": [
            {"label": b.label or "—", "count": b.count, "href": link(b.key)}
            for b in summary.overdue_holders
        ],
        "cases": [
            {"case": c, "days_late": (today - c.due_on).days, "holder": holder_label(c) or "—"}
            for c in summary.overdue
        ],
        "more": summary.overdue_total > len(summary.overdue),
    }


def _totals(summary: DashboardSummary) -> list[dict[str, Any]]:
    cards = []
    for e in summary.entities:
        cards.append(
            {
                "entity": e.entity,
                "label": e.label,
                "total": e.total,
                "applies": e.applies,
                "href": _drill_url(e.entity, summary.filters) if e.listable and e.applies else None,
            }
        )
    return cards


@role_required(*DASHBOARD_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        # The page and its form still render, with the field's error: no numbers for a
        # filter that could not be read, rather than numbers for another filter.
        return render(request, "staff/dashboards/dashboard.html", {"form": form}, status=400)
    filters = form.filters()
    summary = dashboard_summary(filters=filters, user=request.user)
    query = filters_query(filters)
    context = {
        "form": form,
        "active_filters": _filter_summary(form) if form.is_bound else [],
        "totals": _totals(summary),
        "trend": _trend(summary),
        "sections": _sections(summary),
        "overdue": _overdue(summary),
        # The period report's form reads the same query-string keys.
        "period_report_url": reverse("period_reports:form") + (f"?{query}" if query else ""),
    }
    return render(request, "staff/dashboards/dashboard.html", context)


# --- the list behind a number ---------------------------------------------------------


def _drilldown_title(entity: str, dimension: str, label: str) -> str:
    if dimension == OVERDUE:
        title = _("Overdue cases")
        return f"{title}: {label}" if label else title
    title = str(SPECS[entity].label)
    if dimension:
        return f"{title} · {DIMENSION_LABELS[dimension]}: {label}"
    return title


@role_required(*DASHBOARD_ROLES)
@require_GET
def drilldown(request: HttpRequest, entity: str) -> HttpResponse:
    if entity not in SPECS:
        return not_found(request)
    if not entity_listable(entity=entity, user=request.user):
        # Counts only for this role (an agency head): the rows stay with those who
        # already read them elsewhere.
        return forbidden(request)
    form = DashboardFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        context = {
            "form": form,
            "entity": entity,
            "title": SPECS[entity].label,
            "back_url": reverse("dashboards:dashboard"),
        }
        return render(request, "staff/dashboards/drilldown.html", context, status=400)
    filters = form.filters()
    dimension = request.GET.get("dim", "")[:20]
    key = request.GET.get("key", "")[:300]
    try:
        rows, label = drilldown_rows(
            entity=entity, filters=filters, user=request.user, dimension=dimension, key=key
        )
    except UnknownBucket:
        return not_found(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_today()
    if entity == "cases":
        for case in page.object_list:
            case.days_late = (today - case.due_on).days if case.is_overdue(today) else 0
    anchor = "overdue" if dimension == OVERDUE else (f"dim-{dimension}" if dimension else "")
    context = {
        "form": form,
        "entity": entity,
        "title": _drilldown_title(entity, dimension, label),
        "page": page,
        "active_filters": _filter_summary(form),
        "back_url": _dashboard_url(filters, anchor),
        "overdue": dimension == OVERDUE,
    }
    return render(request, "staff/dashboards/drilldown.html", context)
