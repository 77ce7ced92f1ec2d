"""The case file: one case as a documented, versioned JSON document for other offices.

A reader module (like a selector): it builds the document and writes nothing; recording
that a file left the office is ``cases.services.case_export_record``. The format is
described field by field in ``docs/case-file.md`` and checked by the JSON Schema shipped
beside this module (``data/case-file.schema.json``); the two change together with
``VERSION``.

Least privilege decides what is left out (docs/case-file.md, "Left out on purpose"):
the reporter's identity (Perpres 76/2013 has the complainant's identity kept confidential,
domain.md §9; here only verifiers and examiners see it, each look logged, and this module
never even reads it), staff usernames and ids (actors are per-file pseudonyms),
the names reporters gave their files, and the evidence bytes (their SHA-256 identify
them).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation

from netralitas.cases.models import Case, CaseEvent, PersonCapacity
from netralitas.elections.models import (
    Contest,
    SanctionKind,
    Stage,
    ViolationType,
)
from netralitas.registry.models import Agency

FORMAT = "netralitas.case-file"
VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "data" / "case-file.schema.json"
# The timeline action that records an export: kept off the exported timeline (see below).
EXPORT_ACTION = "export"
# Labels are written in the language of the exchange, whatever the exporter's browser says,
# so that two exports of the same case are the same document.
LABEL_LANGUAGE = "id"


def case_by_number(*, number: str) -> Case | None:
    """The case with this number, for an operator's command (no user scope applies)."""
    return Case.objects.filter(number=number).first()


def case_file_export(*, case: Case, now: datetime | None = None) -> dict[str, Any]:
    """The case file of ``case`` as plain JSON data (see docs/case-file.md)."""
    case = (
        Case.objects.select_related(
            "employee",
            "agency",
            "reported_violation_type",
            "violation_type",
            "contest__election",
            "stage__election",
            "recommended_sanction_kind",
            "ppk_sanction_kind",
        )
        # Re-read: the caller's instance may be stale or loaded with fewer relations.
        .get(pk=case.pk)
    )
    actors = _Pseudonyms()
    with translation.override(LABEL_LANGUAGE):
        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": _datetime(now or timezone.now()),
            "exported_by_office": {"code": settings.OFFICE_CODE, "name": settings.OFFICE_NAME},
            "generator": {"name": "netralitas", "version": _software_version()},
            "case": _case(case),
            "timeline": _timeline(case, actors),
            "clarifications": _clarifications(case, actors),
            "reports": _reports(case),
            "findings": _findings(case, actors),
        }


def case_file_json(document: dict[str, Any]) -> str:
    """The document as sent: UTF-8 text (not \\u escapes, names stay readable), indented,
    keys in the documented order, one trailing newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def case_file_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# --- values ---------------------------------------------------------------------------


def _datetime(value: datetime | None) -> str | None:
    # Always with the offset of the configured zone (WIB: +07:00), never naive or bare UTC,
    # so that a reader in another zone gets the same instant and the local wall time.
    return timezone.localtime(value).isoformat() if value is not None else None


def _date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _coded(code: str, choices: Any) -> dict[str, str] | None:
    """``{"code", "label"}`` of a choice; None for an empty choice."""
    if not code:
        return None
    return {"code": code, "label": str(dict(choices).get(code, code))}


def _software_version() -> str:
    try:
        return metadata.version("netralitas")
    except metadata.PackageNotFoundError:
        return "unknown"


class _Pseudonyms:
    """Staff accounts as "staff-1", "staff-2", … in order of first appearance in the file.

    The receiving office can see that two steps were taken by the same person without
    learning who: usernames are internal, and a name is asked for through the sending
    office when it matters."""

    def __init__(self) -> None:
        self._refs: dict[int, str] = {}

    def ref(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self._refs:
            self._refs[user_id] = f"staff-{len(self._refs) + 1}"
        return self._refs[user_id]


# --- the case -------------------------------------------------------------------------


def _agency(agency: Agency | None) -> dict[str, str] | None:
    return {"code": agency.code, "name": agency.name} if agency else None


def _violation_type(vt: ViolationType) -> dict[str, Any]:
    return {
        "code": vt.code,
        "name": vt.name,
        "name_en": vt.name_en,
        "category": _coded(vt.category, vt._meta.get_field("category").choices),
        "legal_basis": vt.legal_basis,
        "sanction_category": _coded(
            vt.sanction_category, vt._meta.get_field("sanction_category").choices
        ),
    }


def _sanction_kind(kind: SanctionKind | None) -> dict[str, Any] | None:
    if kind is None:
        return None
    return {
        "code": kind.code,
        "name": kind.name,
        "employee_kind": kind.employee_kind,
        "category": _coded(kind.category, kind._meta.get_field("category").choices),
        "legal_basis": kind.legal_basis,
    }


def _contest(contest: Contest | None) -> dict[str, Any] | None:
    if contest is None:
        return None
    election = contest.election
    return {
        "code": contest.code,
        "name": contest.name,
        "office": contest.office,
        "candidates_set_on": _date(contest.candidates_set_on),
        "election": {
            "code": election.code,
            "name": election.name,
            "kind": _coded(election.kind, election._meta.get_field("kind").choices),
            "voting_date": _date(election.voting_date),
        },
    }


def _stage(stage: Stage | None) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {
        "election": stage.election.code,
        "code": stage.code,
        "name": stage.name,
        "kind": _coded(stage.kind, stage._meta.get_field("kind").choices),
        "start": _date(stage.start),
        "end": _date(stage.end),
    }


def _subject(case: Case) -> dict[str, Any]:
    employee = case.employee
    return {
        "name": case.subject_name,
        # Null until the verifier has matched the reported person to the staff registry.
        "employee": {
            "nip": employee.nip,
            "kind": _coded(employee.kind, employee._meta.get_field("kind").choices),
            "position": employee.position,
            "rank": employee.rank,
        }
        if employee
        else None,
        # The agency recorded on the case (where the person served when it was opened),
        # not the registry's current one: a later transfer does not move the case.
        "agency": _agency(case.agency),
    }


def _case(case: Case) -> dict[str, Any]:
    field = case._meta.get_field
    return {
        "number": case.number,
        "status": _coded(case.status, field("status").choices),
        "opened_at": _datetime(case.opened_at),
        "status_changed_at": _datetime(case.status_changed_at),
        "closed_at": _datetime(case.closed_at),
        "due_on": _date(case.due_on),
        "overdue": case.is_overdue(),
        "incident_date": _date(case.incident_date),
        "subject": _subject(case),
        "violation_type": {
            "reported": _violation_type(case.reported_violation_type),
            "applied": _violation_type(case.violation_type),
        },
        "contest": _contest(case.contest),
        "stage": _stage(case.stage),
        "requirements": {
            "formal_complete": case.formal_complete,
            "material_complete": case.material_complete,
        },
        "conclusion": _coded(case.conclusion, field("conclusion").choices),
        "sanction": {
            "suggested_category": _coded(
                case.suggested_sanction_category, field("suggested_sanction_category").choices
            ),
            "recommended": {
                "category": _coded(
                    case.recommended_sanction_category,
                    field("recommended_sanction_category").choices,
                ),
                "kind": _sanction_kind(case.recommended_sanction_kind),
                "override_reason": case.recommendation_override_reason,
            }
            if case.recommended_sanction_kind_id
            else None,
        },
        "forwarding": {
            "target": _coded(case.forwarded_to, field("forwarded_to").choices),
            "name": case.forwarded_to_name,
        }
        if case.forwarded_to
        else None,
        "ppk_decision": {
            "number": case.ppk_decision_number,
            "date": _date(case.ppk_decision_date),
            "sanction_kind": _sanction_kind(case.ppk_sanction_kind),
            "override_reason": case.ppk_override_reason,
        }
        if case.ppk_decision_number
        else None,
    }


# --- timeline and clarifications ------------------------------------------------------


def _event_data(event: CaseEvent) -> dict[str, Any]:
    data = dict(event.data)
    if data.get("capacity") == PersonCapacity.REPORTER and "person_heard" in data:
        # A reporter heard in a clarification is still the reporter: the name stays home.
        data["person_heard"] = None
    return data


def _timeline(case: Case, actors: _Pseudonyms) -> list[dict[str, Any]]:
    # Earlier exports are left out: they record who at this office handled the file, not
    # what happened to the case, and leaving them out keeps two exports of an unchanged
    # case identical but for ``exported_at``.
    events = case.events.exclude(action=EXPORT_ACTION).order_by("at", "id")
    return [
        {
            "at": _datetime(event.at),
            "actor": {"role": event.actor_role or None, "ref": actors.ref(event.actor_id)},
            "action": event.action,
            "from_status": event.from_status or None,
            "to_status": event.to_status or None,
            "note": event.note,
            "public_note": event.public_note,
            "data": _event_data(event),
        }
        for event in events
    ]


def _clarifications(case: Case, actors: _Pseudonyms) -> list[dict[str, Any]]:
    choices = PersonCapacity.choices
    return [
        {
            "id": record.pk,
            "held_on": _date(record.held_on),
            "person_heard": None
            if record.capacity == PersonCapacity.REPORTER
            else record.person_heard,
            "capacity": _coded(record.capacity, choices),
            "summary": record.summary,
            "recorded_at": _datetime(record.recorded_at),
            "recorded_by": actors.ref(record.recorded_by_id),
        }
        for record in case.clarifications.order_by("held_on", "id")
    ]


# --- reports and findings -------------------------------------------------------------


def _reports(case: Case) -> list[dict[str, Any]]:
    # Never select_related("reporter"): the identity is not even loaded.
    reports = (
        case.reports.select_related("agency")
        .prefetch_related(
            Prefetch("violation_types", queryset=ViolationType.objects.order_by("order", "code")),
            "evidence",
        )
        .order_by("submitted_at", "id")
    )
    rows = []
    for report in reports:
        channel_choices = report._meta.get_field("channel").choices
        rows.append(
            {
                "tracking_code": report.tracking_code,
                "channel": _coded(report.channel, channel_choices),
                "submitted_at": _datetime(report.submitted_at),
                "reporter_anonymous": report.is_anonymous,
                "reported_name": report.reported_name,
                "reported_agency_text": report.reported_agency_text,
                "agency": _agency(report.agency),
                "incident_date": _date(report.incident_date),
                "incident_place": report.incident_place,
                "violation_types": [
                    {"code": vt.code, "name": vt.name} for vt in report.violation_types.all()
                ],
                "description": report.description,
                "evidence": [
                    {
                        "kind": item.kind,
                        # Not the reporter's file name: it often carries their name or
                        # phone number. The hash identifies the file.
                        "sha256": item.sha256 or None,
                        "size": item.size,
                        "content_type": item.content_type or None,
                        "extension": item.extension or None,
                        "url": item.url or None,
                        "added_at": _datetime(item.added_at),
                    }
                    for item in report.evidence.all()
                ],
            }
        )
    return rows


def _findings(case: Case, actors: _Pseudonyms) -> list[dict[str, Any]]:
    findings = case.findings.select_related("post").order_by("posted_at", "id")
    rows = []
    for finding in findings:
        platform_choices = finding.post._meta.get_field("platform").choices
        status_choices = finding._meta.get_field("status").choices
        rows.append(
            {
                "id": finding.pk,
                "platform": _coded(finding.post.platform, platform_choices),
                "posted_at": _datetime(finding.posted_at),
                # Exactly as hashed at confirmation: the receiver recomputes the SHA-256 of
                # its canonical JSON (docs/case-file.md) to check it was not altered.
                "snapshot": finding.snapshot,
                "snapshot_sha256": finding.snapshot_sha256 or None,
                "detector": {
                    "version": finding.detector_version,
                    "stance": finding.stance,
                    "score": finding.score,
                    "targets": finding.targets,
                    "evidence": finding.evidence,
                },
                "review": {
                    "status": _coded(finding.status, status_choices),
                    "stance": finding.reviewed_stance or finding.stance,
                    "reviewed_at": _datetime(finding.reviewed_at),
                    "reviewer": actors.ref(finding.reviewed_by_id),
                    "note": finding.review_note,
                },
            }
        )
    return rows
