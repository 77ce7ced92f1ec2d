from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from netralitas.cases.models import CaseStatus
from netralitas.cases.transitions import TRANSITIONS
from netralitas.reports.models import Report, ReportStatus
from netralitas.reports.tracking import normalize_tracking_code

# What a reporter sees: fewer, plainer states than the staff workflow, and nothing
# that anticipates the official's decision.
PUBLIC_STATUS_LABELS = {
    "received": _("Received"),
    "verification": _("Being verified"),
    "awaiting_info": _("Waiting for more information from you"),
    "not_registered": _("Not registered"),
    "examination": _("Under examination"),
    "examined": _("Examination complete"),
    "forwarded": _("Forwarded to the competent official"),
    "decided": _("Decided"),
    "closed": _("Closed"),
    "dismissed": _("Not followed up"),
}

# Translated when read, so the reporter sees them in their own language.
PUBLIC_NOTES = {
    "open": _("The report is being verified."),
    **{action: t.public_note for action, t in TRANSITIONS.items() if t.public_note},
}

_CASE_TO_PUBLIC = {
    CaseStatus.VERIFICATION: "verification",
    CaseStatus.AWAITING_INFO: "awaiting_info",
    CaseStatus.REGISTERED: "examination",
    CaseStatus.NOT_REGISTERED: "not_registered",
    CaseStatus.EXAMINATION: "examination",
    CaseStatus.PROVEN: "examined",
    CaseStatus.NOT_PROVEN: "examined",
    CaseStatus.RECOMMENDED: "examined",
    CaseStatus.FORWARDED: "forwarded",
    CaseStatus.DECIDED: "decided",
    CaseStatus.CLOSED: "closed",
}


@dataclass(frozen=True)
class PublicTimelineEntry:
    at: datetime
    status: str
    note: str


@dataclass(frozen=True)
class PublicReportStatus:
    tracking_code: str
    status: str
    status_label: str
    submitted_at: datetime
    timeline: list[PublicTimelineEntry]


def report_public_status_code(report: Report) -> str:
    if report.status == ReportStatus.DISMISSED:
        return "dismissed"
    if report.case_id is None:
        return "received"
    return _CASE_TO_PUBLIC[CaseStatus(report.case.status)]


def report_public_status(*, tracking_code: str) -> PublicReportStatus | None:
    """The status a reporter may read; never identity, evidence or internal notes."""
    code = normalize_tracking_code(tracking_code)
    if code is None:
        return None
    report = Report.objects.select_related("case").filter(tracking_code=code).first()
    if report is None:
        return None
    timeline = [PublicTimelineEntry(report.submitted_at, "received", str(_("Report received.")))]
    if report.case_id:
        for event in report.case.events.order_by("at", "id"):
            note = event.public_note or str(PUBLIC_NOTES.get(event.action, ""))
            if not note:
                continue  # internal steps stay internal
            status = _CASE_TO_PUBLIC.get(event.to_status, "verification")
            timeline.append(PublicTimelineEntry(event.at, status, note))
    if report.status == ReportStatus.DISMISSED:
        timeline.append(
            PublicTimelineEntry(
                report.submitted_at, "dismissed", str(_("The report will not be followed up."))
            )
        )
    status = report_public_status_code(report)
    return PublicReportStatus(
        tracking_code=report.tracking_code,
        status=status,
        status_label=str(PUBLIC_STATUS_LABELS[status]),
        submitted_at=report.submitted_at,
        timeline=timeline,
    )


def reports_inbox() -> QuerySet[Report]:
    return (
        Report.objects.filter(status=ReportStatus.NEW)
        .prefetch_related("violation_types")
        .order_by("submitted_at")
    )
