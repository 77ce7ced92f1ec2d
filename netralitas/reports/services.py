"""Public intake: the one place a report, its evidence and its reporter are written."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.accounts.models import Role, User
from netralitas.cases.selectors import cases_visible_to
from netralitas.core.crypto import encrypt_text
from netralitas.elections.models import ViolationType
from netralitas.elections.selectors import stage_on
from netralitas.registry.models import Agency
from netralitas.reports.models import (
    Channel,
    Evidence,
    EvidenceKind,
    IdentityRevealLog,
    Report,
    ReporterIdentity,
    ReportStatus,
)
from netralitas.reports.tracking import new_tracking_code
from netralitas.reports.uploads import SniffedFile, UploadRejected, inspect_upload

logger = logging.getLogger(__name__)

# Roles that may see who filed a report; every look is logged.
IDENTITY_ROLES = frozenset({Role.VERIFIER, Role.EXAMINER})
# A second identical submission within this window is the same report (double click,
# flaky mobile connection), even without an idempotency key.
DUPLICATE_WINDOW = timedelta(minutes=30)


class ReportInputError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class EvidenceUpload:
    name: str
    file: IO[bytes]


@dataclass
class ReportSubmission:
    reported_name: str
    incident_date: date
    violation_type: ViolationType
    description: str
    channel: str = Channel.PUBLIC_FORM
    reported_agency: str = ""
    incident_place: str = ""
    evidence_links: list[str] = field(default_factory=list)
    evidence_files: list[EvidenceUpload] = field(default_factory=list)
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    idempotency_key: str = ""
    # Set only when recording a report received earlier (imports, demo data).
    submitted_at: datetime | None = None


def _fingerprint(sub: ReportSubmission) -> str:
    parts = [
        sub.reported_name.strip().lower(),
        sub.incident_date.isoformat(),
        sub.violation_type.code,
        " ".join(sub.description.split()).lower(),
        sub.reporter_phone.strip(),
        sub.reporter_email.strip().lower(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def agency_match(text: str) -> Agency | None:
    """The agency a reporter named, by code, name or short name (exact, any case)."""
    text = text.strip()
    if not text:
        return None
    return (
        Agency.objects.filter(
            Q(code__iexact=text) | Q(name__iexact=text) | Q(short_name__iexact=text)
        )
        .order_by("path")
        .first()
    )


def _inspect_files(files: list[EvidenceUpload]) -> list[tuple[EvidenceUpload, SniffedFile]]:
    if len(files) > settings.EVIDENCE_MAX_FILES:
        raise ReportInputError(
            {
                "evidence": [
                    _("At most %(n)d files may be attached.") % {"n": settings.EVIDENCE_MAX_FILES}
                ]
            }
        )
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(
                (
                    upload,
                    inspect_upload(
                        upload.file, name=upload.name, max_bytes=settings.EVIDENCE_MAX_BYTES
                    ),
                )
            )
        except UploadRejected as exc:
            errors.append(str(exc))
    if errors:
        raise ReportInputError({"evidence": errors})
    return checked


def report_submit(
    *, submission: ReportSubmission, submitted_by: User | None = None
) -> tuple[Report, bool]:
    """File a report. Returns (report, created); a repeat of the same submission
    returns the first report and created=False."""
    sub = submission
    fingerprint = _fingerprint(sub)
    key = hashlib.sha256(sub.idempotency_key.encode()).hexdigest() if sub.idempotency_key else None
    # Check every file before writing anything, so a bad file leaves no half report.
    files = _inspect_files(sub.evidence_files)
    if key:
        existing = Report.objects.filter(idempotency_key=key).first()
        if existing and existing.content_fingerprint == fingerprint:
            return _with_new_evidence(existing, sub.evidence_links, files), False
        if existing:
            # As the IETF Idempotency-Key draft says: a key reused for other content is
            # an error. Returning that report would hand a stranger its tracking code.
            raise ReportInputError(
                {"idempotency_key": [_("This key was already used for a different report.")]}
            )
    recent = Report.objects.filter(
        content_fingerprint=fingerprint, submitted_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).first()
    if recent:
        return _with_new_evidence(recent, sub.evidence_links, files), False
    try:
        with transaction.atomic():
            report = _create_report(sub, key, fingerprint, files, submitted_by)
    except IntegrityError:
        # Two copies of one submission raced on the idempotency key: keep the first.
        existing = Report.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return _with_new_evidence(existing, sub.evidence_links, files), False
    logger.info("report filed id=%s channel=%s files=%d", report.pk, report.channel, len(files))
    return report, True


def _create_report(
    sub: ReportSubmission,
    key: str | None,
    fingerprint: str,
    files: list[tuple[EvidenceUpload, SniffedFile]],
    submitted_by: User | None,
) -> Report:
    has_identity = any(
        [sub.reporter_name.strip(), sub.reporter_phone.strip(), sub.reporter_email.strip()]
    )
    report = Report.objects.create(
        tracking_code=new_tracking_code(),
        channel=sub.channel,
        reported_name=sub.reported_name.strip(),
        reported_agency_text=sub.reported_agency.strip(),
        agency=agency_match(sub.reported_agency),
        incident_date=sub.incident_date,
        incident_place=sub.incident_place.strip(),
        description=sub.description.strip(),
        stage=stage_on(day=sub.incident_date),
        is_anonymous=not has_identity,
        submitted_by=submitted_by,
        idempotency_key=key,
        content_fingerprint=fingerprint,
        submitted_at=sub.submitted_at or timezone.now(),
    )
    report.violation_types.add(sub.violation_type)
    if has_identity:
        ReporterIdentity.objects.create(
            report=report,
            name_encrypted=encrypt_text(sub.reporter_name.strip()),
            phone_encrypted=encrypt_text(sub.reporter_phone.strip()),
            email_encrypted=encrypt_text(sub.reporter_email.strip()),
        )
    _add_evidence(report, sub.evidence_links, files)
    return report


def _add_evidence(
    report: Report, links: list[str], files: list[tuple[EvidenceUpload, SniffedFile]]
) -> int:
    """Attach links and checked files the report does not hold yet; returns how many."""
    have_links = set(report.evidence.filter(kind=EvidenceKind.LINK).values_list("url", flat=True))
    have_files = set(
        report.evidence.filter(kind=EvidenceKind.FILE).values_list("sha256", flat=True)
    )
    added = 0
    for url in links:
        if url not in have_links:
            Evidence.objects.create(report=report, kind=EvidenceKind.LINK, url=url)
            have_links.add(url)
            added += 1
    for upload, sniffed in files:
        if sniffed.sha256 in have_files:
            continue
        evidence = Evidence(
            report=report,
            kind=EvidenceKind.FILE,
            original_name=upload.name[:255],
            size=sniffed.size,
            content_type=sniffed.content_type,
            extension=sniffed.extension.lstrip("."),
            sha256=sniffed.sha256,
        )
        upload.file.seek(0)
        evidence.file.save(f"{sniffed.sha256}{sniffed.extension}", File(upload.file), save=False)
        evidence.save()
        have_files.add(sniffed.sha256)
        added += 1
    return added


def _with_new_evidence(
    report: Report, links: list[str], files: list[tuple[EvidenceUpload, SniffedFile]]
) -> Report:
    # A reporter who sends the same report again to add a screenshot must not lose it.
    if links or files:
        with transaction.atomic():
            if _add_evidence(report, links, files):
                logger.info("evidence added to repeated report id=%s", report.pk)
    return report


@transaction.atomic
def report_dismiss(*, report: Report, actor: User, reason: str) -> Report:
    if actor.role != Role.VERIFIER:
        raise PermissionError("only verifiers dismiss reports")
    if not reason.strip():
        raise ReportInputError({"reason": [_("Give a reason.")]})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.NEW:
        raise ReportInputError({"report": [_("This report has already been handled.")]})
    report.status = ReportStatus.DISMISSED
    report.dismissed_reason = reason.strip()
    report.save(update_fields=["status", "dismissed_reason"])
    return report


def reporter_identity_reveal(*, report: Report, user: User, reason: str) -> dict[str, str] | None:
    """Decrypt who filed a report for a role allowed to see it, logging the look.

    Returns None for an anonymous report. Raises PermissionError for other roles."""
    if user.role not in IDENTITY_ROLES:
        raise PermissionError("role may not see reporter identity")
    if user.role != Role.VERIFIER and not (
        report.case_id and cases_visible_to(user=user).filter(pk=report.case_id).exists()
    ):
        # Examiners reach a reporter only through a case they work on, not the inbox.
        raise PermissionError("report is not in a case this user handles")
    if not reason.strip():
        raise ReportInputError({"reason": [_("Say why you need the reporter's identity.")]})
    identity = ReporterIdentity.objects.filter(report=report).first()
    IdentityRevealLog.objects.create(report=report, user=user, reason=reason.strip()[:500])
    # The log line names who looked and at which report, never the identity itself.
    logger.info("reporter identity revealed report=%s user=%s", report.pk, user.pk)
    return identity.decrypted() if identity else None
