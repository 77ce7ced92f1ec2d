from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class ErrorOut(Schema):
    errors: dict[str, list[str]]


class DetailOut(Schema):
    detail: str


class ViolationTypeOut(Schema):
    code: str
    name: str
    category: str
    legal_basis: str
    sanction_category: str


class ReporterIn(Schema):
    name: str | None = None
    phone: str | None = None
    email: str | None = None


class ReportIn(Schema):
    """Documents the JSON body; the endpoint validates it with the web form's rules."""

    reported_name: str
    reported_agency: str | None = None
    incident_date: date
    incident_place: str | None = None
    violation_type: str
    description: str
    evidence_links: list[str] | None = None
    reporter: ReporterIn | None = None


class ReportCreatedOut(Schema):
    tracking_code: str
    status: str
    status_url: str


class TimelineEntryOut(Schema):
    at: datetime
    status: str
    note: str


class ReportStatusOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    submitted_at: datetime
    timeline: list[TimelineEntryOut]


class CaseEventOut(Schema):
    at: datetime
    action: str
    actor: str | None
    actor_role: str
    from_status: str
    to_status: str
    note: str
    data: dict


class CaseOut(Schema):
    number: str
    status: str
    status_label: str
    subject_name: str
    agency: str | None
    incident_date: date
    violation_type: str
    reported_violation_type: str
    suggested_sanction_category: str
    recommended_sanction_kind: str | None
    forwarded_to: str
    due_on: date | None
    overdue: bool
    opened_at: datetime


class CaseDetailOut(CaseOut):
    reports: list[str]
    timeline: list[CaseEventOut]
    actions: list[str]


class TransitionIn(Schema):
    action: str
    note: str = ""
    public_message: str = ""
    fields: dict = {}


class SelfCheckIn(Schema):
    text: str
    # Keep the draft (text and verdict only) to improve the detector: the writer's choice.
    share: bool = False


class TargetOut(Schema):
    kind: str
    contest: str | None
    ballot_number: int | None
    name: str


class EvidenceOut(Schema):
    start: int
    end: int
    text: str
    why: str


class RuleOut(Schema):
    code: str
    title: str


class SelfCheckOut(Schema):
    partisan: bool
    stance: str
    targets: list[TargetOut]
    evidence: list[EvidenceOut]
    rules: list[RuleOut]
    advice: str


class GuidanceItemOut(Schema):
    code: str
    verdict: str  # allowed | not_allowed
    title: str
    explanation: str
    examples: list[str]
    stages: list[str]  # stage kinds; every kind when all_stages
    all_stages: bool
    # Rule-table codes; with a stage filter, only those that can apply in that stage.
    violation_types: list[str]
    legal_basis: str
    confidence: str


class GuidanceOut(Schema):
    language: str
    count: int
    items: list[GuidanceItemOut]
