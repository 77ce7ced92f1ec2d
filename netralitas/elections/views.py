"""The public neutrality guide: what civil servants may and may not do in each stage.

Thin: the pure module :mod:`netralitas.elections.guidance` searches the packaged guide, the
selectors say where each election stands today, and this view only shapes the result for
the template in the active language. A GET form keeps every filter in the URL, so a result
can be bookmarked or shared and the page works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from netralitas.core.timeutil import local_today
from netralitas.elections.guidance import (
    ALL,
    MAX_QUERY_LENGTH,
    Guidance,
    GuidanceItem,
    default_guidance,
    group_by_stage,
    search,
)
from netralitas.elections.models import StageKind, ViolationType
from netralitas.elections.selectors import ElectionPhase, election_phases_on

# The page's query parameters are Indonesian, like its URL; the values of ``jenis``.
VERDICT_PARAMS = {"boleh": "allowed", "tidak": "not_allowed"}
# Suggested searches: the words civil servants actually type.
QUICK_SEARCHES = ("like", "share", "foto", "kampanye", "grup WA", "mobil dinas", "keluarga", "TPS")


@require_GET
def guidance_index(request: HttpRequest) -> HttpResponse:
    query, stage, jenis = _params(request.GET)
    guide = default_guidance()
    language = translation.get_language() or "id"
    verdict = VERDICT_PARAMS.get(jenis)
    items = search(guide, query=query, stage=stage or None, verdict=verdict)
    # Several words that no single item holds ("like foto"): rather than nothing, show the
    # items holding some of them, best first, and say so.
    partial = False
    if not items and len(guide.query_terms(query)) > 1:
        items = search(guide, query=query, stage=stage or None, verdict=verdict, any_term=True)
        partial = bool(items)
    codes = {code for item in items for code in guide.violation_types_for(item, stage or None)}
    violation_types = list(
        ViolationType.objects.filter(code__in=codes, is_active=True).order_by("order", "code")
    )
    linked = {vt.code: vt for vt in violation_types}
    phases = election_phases_on(day=local_today())
    today_kinds: dict[str, list[str]] = {}
    for phase in phases:
        if phase.kind:
            today_kinds.setdefault(phase.kind, []).append(phase.election.name)

    groups = [
        {
            "key": key,
            "label": _("All stages") if key == ALL else StageKind(key).label,
            "running_in": today_kinds.get(key, []),
            "items": [_item(guide, item, key, stage, language, linked) for item in members],
        }
        for key, members in group_by_stage(items, stage=stage or None)
    ]
    path = reverse("guidance:index")
    context: dict[str, Any] = {
        "q": query,
        "tahap": stage,
        "jenis": jenis,
        "max_query_length": MAX_QUERY_LENGTH,
        "stage_choices": StageKind.choices,
        "groups": groups,
        "result_count": len(items),
        "partial": partial,
        "filtered": bool(query or stage or jenis),
        "clear_search_url": _url(path, tahap=stage, jenis=jenis),
        "quick_searches": [(word, _url(path, q=word)) for word in QUICK_SEARCHES],
        "phases": [_phase(phase, path) for phase in phases],
        "today": local_today(),
        "violation_types": [_violation_type(vt, language) for vt in violation_types],
    }
    return render(request, "public/guidance.html", context)


def _params(data: QueryDict) -> tuple[str, str, str]:
    """q, tahap and jenis; an unknown tahap or jenis is ignored (a stale or edited link
    should still show the guide), an overlong q is cut."""
    query = " ".join(data.get("q", "").split())[:MAX_QUERY_LENGTH]
    stage = data.get("tahap", "")
    if stage not in StageKind.values:
        stage = ""
    jenis = data.get("jenis", "")
    if jenis not in VERDICT_PARAMS:
        jenis = ""
    return query, stage, jenis


def _url(path: str, **params: str) -> str:
    kept = {key: value for key, value in params.items() if value}
    return f"{path}?{urlencode(kept)}" if kept else path


def _item(
    guide: Guidance,
    item: GuidanceItem,
    group: str,
    stage: str,
    language: str,
    linked: dict[str, ViolationType],
) -> dict[str, Any]:
    # Inside a stage's group only the rows that can apply in it: KE-* before the candidates
    # are set, DS-* after. The "all stages" group shows both unless a stage was chosen.
    shown_stage = stage or (None if group == ALL else group)
    codes = guide.violation_types_for(item, shown_stage)
    return {
        "code": item.code,
        "anchor": f"{group}-{item.code}",
        "allowed": item.allowed,
        "title": item.title.in_language(language),
        "explanation": item.explanation.in_language(language),
        "examples": [example.in_language(language) for example in item.examples],
        "stages": [] if item.all_stages else [StageKind(kind).label for kind in item.stages],
        "violations": [
            {
                "code": code,
                "name": _violation_name(linked[code], language) if code in linked else "",
                "linked": code in linked,
            }
            for code in codes
        ],
        "legal_basis": item.legal_basis.in_language(language),
        "confidence": item.confidence,
        "uncertain": item.confidence.startswith("L") or item.confidence.endswith("L"),
    }


def _phase(phase: ElectionPhase, path: str) -> dict[str, Any]:
    return {
        "election": phase.election.name,
        "kind": phase.kind,
        "label": StageKind(phase.kind).label if phase.kind else "",
        "stage": phase.stage,
        "url": _url(path, tahap=phase.kind) if phase.kind else "",
    }


def _violation_name(vt: ViolationType, language: str) -> str:
    return vt.name_en if language.startswith("en") and vt.name_en else vt.name


def _violation_type(vt: ViolationType, language: str) -> dict[str, Any]:
    return {
        "code": vt.code,
        "name": _violation_name(vt, language),
        "category": vt.get_category_display(),
        "sanction": vt.get_sanction_category_display(),
        "legal_basis": vt.legal_basis,
        "confidence": vt.confidence,
    }
