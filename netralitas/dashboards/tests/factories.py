"""Rows for the dashboard tests, written straight to the tables: the dashboards read what
the services wrote, and the tests need exact dates, agencies and statuses."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from netralitas.cases.models import Case, CaseEvent
from netralitas.elections.models import Stage, ViolationType
from netralitas.monitoring.models import Finding, ImportBatch, Post
from netralitas.registry.models import Agency
from netralitas.reports.models import Report

WIB = ZoneInfo("Asia/Jakarta")
_serial = itertools.count(1)


def wib(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def pilkada_stage(code: str = "campaign") -> Stage:
    return Stage.objects.get(election__kind="pilkada", code=code)


def make_report(
    *,
    at: datetime,
    agency: Agency | None = None,
    violations: tuple[str, ...] = ("KE-02",),
    stage: Stage | None = None,
    status: str = "new",
) -> Report:
    n = next(_serial)
    report = Report.objects.create(
        tracking_code=f"TST-{n:06d}",
        channel="public_form",
        status=status,
        reported_name=f"Pegawai {n}",
        agency=agency,
        incident_date=at.date(),
        description="Unggahan dukungan pasangan calon.",
        stage=stage,
        submitted_at=at,
        content_fingerprint=f"fp{n}",
    )
    report.violation_types.set(ViolationType.objects.filter(code__in=violations))
    return report


def _batch() -> ImportBatch:
    batch = ImportBatch.objects.first()
    return batch or ImportBatch.objects.create(filename="uji.jsonl", format="jsonl", sha256="0")


def make_finding(
    *,
    at: datetime | None,
    platform: str = "facebook",
    agency: Agency | None = None,
    stage: Stage | None = None,
    status: str = "new",
    case: Case | None = None,
) -> Finding:
    n = next(_serial)
    post = Post.objects.create(
        key=f"post-{n}",
        source="jsonl",
        platform=platform,
        text=f"Ayo pilih nomor 2, pesan {n}",
        posted_at=at,
        batch=_batch(),
    )
    return Finding.objects.create(
        post=post,
        status=status,
        stance="support",
        score=0.9,
        agency=agency,
        stage=stage,
        posted_at=at,
        case=case,
    )


def make_case(
    *,
    at: datetime,
    agency: Agency | None = None,
    violation: str = "KE-02",
    status: str = "verification",
    stage: Stage | None = None,
    due_on: date | None = None,
    forwarded_to: str = "",
    forwarded_to_name: str = "",
    decided_on: date | None = None,
) -> Case:
    n = next(_serial)
    vt = ViolationType.objects.get(code=violation)
    return Case.objects.create(
        number=f"KASUS-T-{n:05d}",
        status=status,
        subject_name=f"Pegawai {n}",
        agency=agency,
        incident_date=at.date(),
        reported_violation_type=vt,
        violation_type=vt,
        stage=stage,
        opened_at=at,
        due_on=due_on,
        forwarded_to=forwarded_to,
        forwarded_to_name=forwarded_to_name,
        ppk_decision_date=decided_on,
    )


def forward_event(case: Case, at: datetime) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, at=at, action="forward", from_status="recommended", to_status="forwarded"
    )
