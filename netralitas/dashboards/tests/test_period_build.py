"""period_report_build: what both formats show, checked against the database.

The world (``period_world``) is built through the real services (report intake, case
transitions backdated with ``at``), so the counts are those of real use. Findings are
written straight to their table: only the detector creates them. The other
test_period_* files import ``period_world`` from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from netralitas.cases.models import Case, CaseStatus
from netralitas.cases.services import case_open_from_report, case_transition
from netralitas.conftest import make_submission
from netralitas.core.timeutil import local_today
from netralitas.dashboards.period import PeriodReportError, period_report_build
from netralitas.elections.models import SanctionKind, ViolationType
from netralitas.monitoring.models import Finding, ImportBatch, Post
from netralitas.registry.models import Agency
from netralitas.reports.models import Report
from netralitas.reports.services import report_submit

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
START, END = date(2024, 1, 1), date(2024, 12, 31)
BELITUNG_DINKES = "19.02.DINKES"  # an agency of Kabupaten Belitung (ppk_other's scope)


def wib(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


@dataclass
class PeriodWorld:
    """In 2024: 6 reports (3 Dinas Pendidikan, 2 Belitung, 1 without agency; one names two
    violation types), 4 cases (2 Dinas Pendidikan forwarded to the PPK, one of them
    decided; 1 Belitung and 1 without agency still in verification), 2 findings. Outside
    2024: a report on each side of the period, a case opened in 2025, a finding of 2023."""

    decided: Case  # forwarded to the PPK in March 2024, decided
    waiting: Case  # forwarded to the PPK in April 2024, no decision yet
    belitung: Case  # verification since October 2024: overdue
    no_agency: Case  # verification since November 2024: overdue
    later: Case  # opened in January 2025 (outside the period), overdue


def _report(n: int, at: datetime, agency: str, code: str = "KE-02") -> Report:
    report, created = report_submit(
        submission=make_submission(
            reported_name=f"Pegawai Uji {n}",
            reported_agency=agency,
            incident_date=at.date(),
            violation_type=ViolationType.objects.get(code=code),
            description=f"Laporan periode nomor {n}: unggahan dukungan pasangan calon.",
            submitted_at=at,
        )
    )
    assert created
    return report


def _walk(case: Case, steps: list[tuple[str, object, dict, datetime]]) -> Case:
    for action, actor, fields, at in steps:
        case.refresh_from_db()
        resolved = fields(case) if callable(fields) else fields
        case = case_transition(
            case=case, action=action, actor=actor, note="Catatan uji.", fields=resolved, at=at
        )
    return case


def _to_forwarded(case: Case, verifier, examiner, start: datetime) -> list:
    day = timedelta(days=1)

    def sanction(c: Case) -> dict:
        kind = SanctionKind.objects.filter(
            employee_kind="PNS", category=c.suggested_sanction_category
        ).first()
        return {"sanction_kind": kind}

    return [
        (
            "set_requirements",
            verifier,
            {"formal_complete": True, "material_complete": True},
            start,
        ),
        ("register", verifier, {}, start + day),
        ("start_examination", examiner, {}, start + 2 * day),
        (
            "add_clarification",
            examiner,
            {
                "held_on": (start + 3 * day).date(),
                "person_heard": "Rahmat Hidayat",
                "capacity": "reported",
                "summary": "Mengakui unggahan tersebut.",
            },
            start + 3 * day,
        ),
        ("conclude_proven", examiner, {}, start + 4 * day),
        ("recommend", examiner, sanction, start + 5 * day),
        ("forward", examiner, {"target": "ppk"}, start + 6 * day),
    ]


def _finding(n: int, at: datetime, agency: Agency | None, platform: str) -> Finding:
    batch = ImportBatch.objects.first() or ImportBatch.objects.create(
        filename="periode.jsonl", format="jsonl", sha256="0" * 64
    )
    post = Post.objects.create(
        key=f"period-post-{n}",
        source="jsonl",
        platform=platform,
        text="Ayo coblos nomor 2!",
        posted_at=at,
        batch=batch,
    )
    return Finding.objects.create(
        post=post, stance="support", score=0.9, agency=agency, posted_at=at
    )


def period_world(*, verifier, examiner, ppk, employee) -> PeriodWorld:
    disdik = employee.agency.code
    # In the period. The multi-type report and the last minute of the period included.
    r1 = _report(1, wib(2, 5), disdik)
    r1.violation_types.add(ViolationType.objects.get(code="DS-02"))
    r2 = _report(2, wib(3, 10), disdik, "KE-01")
    _report(3, wib(3, 20), disdik, "KE-05")
    r4 = _report(4, wib(10, 2), BELITUNG_DINKES, "DS-02")
    _report(5, wib(12, 31, 23, 50), BELITUNG_DINKES, "DS-02")
    r6 = _report(6, wib(11, 3), "", "DS-06")
    # Outside: ten minutes before and after the period, in WIB.
    _report(7, wib(12, 31, 23, 50, year=2023), disdik)
    r8 = _report(8, wib(1, 1, 0, 10, year=2025), disdik)

    decided = case_open_from_report(report=r1, actor=verifier, employee=employee, at=wib(2, 6))
    decided = _walk(
        decided,
        _to_forwarded(decided, verifier, examiner, wib(2, 7))
        + [
            (
                "decide",
                ppk,
                lambda c: {
                    "decision_number": "800/1/BKPSDMD/2024",
                    "decision_date": date(2024, 3, 20),
                    "sanction_kind": c.recommended_sanction_kind,
                },
                wib(3, 20),
            )
        ],
    )
    waiting = case_open_from_report(report=r2, actor=verifier, employee=employee, at=wib(3, 11))
    waiting = _walk(waiting, _to_forwarded(waiting, verifier, examiner, wib(3, 25)))
    belitung = case_open_from_report(report=r4, actor=verifier, at=wib(10, 3))
    no_agency = case_open_from_report(report=r6, actor=verifier, at=wib(11, 4))
    later = case_open_from_report(report=r8, actor=verifier, at=wib(1, 2, year=2025))

    _finding(1, wib(11, 20), employee.agency, "whatsapp")
    _finding(2, wib(6, 1), Agency.objects.get(code=BELITUNG_DINKES), "facebook")
    _finding(3, wib(12, 1, year=2023), employee.agency, "facebook")
    return PeriodWorld(decided, waiting, belitung, no_agency, later)


@pytest.fixture
def world(verifier, examiner, ppk, employee) -> PeriodWorld:
    return period_world(verifier=verifier, examiner=examiner, ppk=ppk, employee=employee)


def build(**kwargs):
    kwargs.setdefault("date_from", START)
    kwargs.setdefault("date_to", END)
    with translation.override("en"):
        return period_report_build(**kwargs)


def column(table, key: str) -> list:
    index = table.column(key)
    return [row[index] for row in table.rows]


def db_period_count(model, field: str) -> int:
    """The period's rows counted straight in the database (WIB days)."""
    start = datetime(2024, 1, 1, tzinfo=WIB)
    end = datetime(2025, 1, 1, tzinfo=WIB)
    return model.objects.filter(**{f"{field}__gte": start, f"{field}__lt": end}).count()


# --- totals and tables ------------------------------------------------------------------


def test_it_counts_the_period_in_local_days(world):
    report = build()

    assert report.totals == {"reports": 6, "findings": 2, "cases": 4}
    assert report.totals["reports"] == db_period_count(Report, "submitted_at")
    assert report.totals["cases"] == db_period_count(Case, "opened_at")
    assert report.totals["findings"] == db_period_count(Finding, "posted_at")


def test_the_agency_table_adds_up_to_the_totals_with_no_agency_last(world, disdik):
    table = build().tables["agency"]

    assert column(table, "code") == [disdik.code, BELITUNG_DINKES, ""]
    assert column(table, "reports") == [3, 2, 1]
    assert column(table, "cases") == [2, 1, 1]
    assert column(table, "findings") == [1, 1, 0]
    assert table.rows[-1][1] == "No agency recorded"
    assert table.totals == ["", "Total", 6, 2, 4]


def test_the_region_table_rolls_agencies_up_to_their_region(world, disdik):
    table = build().tables["region"]

    assert column(table, "code") == [disdik.region.code, "19.02", ""]
    assert column(table, "reports") == [3, 2, 1]


def test_a_report_with_two_violation_types_counts_under_both_but_once_in_the_total(world):
    table = build().tables["violation"]
    reports = dict(zip(column(table, "code"), column(table, "reports"), strict=True))

    # DS-01: the case of the KE-01 report, whose incident came after the candidates were
    # set (ethics → discipline); its report still counts under what the reporter chose.
    assert reports == {"KE-01": 1, "KE-02": 1, "KE-05": 1, "DS-01": 0, "DS-02": 3, "DS-06": 1}
    assert sum(reports.values()) == 7
    assert table.totals[1] == "Total (each counted once)"
    assert table.totals[table.column("reports")] == 6
    # Names come from the rule table, in the report's language.
    names = dict(zip(column(table, "code"), column(table, "name"), strict=True))
    assert names["KE-02"] == ViolationType.objects.get(code="KE-02").name_en


def test_the_month_table_has_every_month_of_the_period(world):
    table = build().tables["month"]

    assert column(table, "month") == [date(2024, m, 1) for m in range(1, 13)]
    reports = column(table, "reports")
    assert reports[1] == 1 and reports[2] == 2 and reports[11] == 1  # Feb, Mar, Dec
    assert sum(reports) == 6


def test_the_status_table_lists_each_entity_in_workflow_order(world):
    table = build().tables["status"]
    cases = [(row[1], row[2]) for row in table.rows if row[0] == "Cases"]

    assert cases == [("Verification", 2), ("Forwarded", 1), ("Decided by the PPK", 1)]
    assert table.totals is None


def test_overdue_cases_are_listed_whenever_they_were_opened(world):
    report = build()
    table = report.tables["overdue"]
    today = local_today()
    expected = list(
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(due_on__lt=today)
        .order_by("due_on", "number")
        .values_list("number", "due_on")
    )

    assert [(r[0], r[table.column("due_on")]) for r in table.rows] == expected
    numbers = column(table, "number")
    assert {world.belitung.number, world.no_agency.number, world.later.number} <= set(numbers)
    days = dict(zip(numbers, column(table, "days_late"), strict=True))
    assert days[world.later.number] == (today - world.later.due_on).days
    figure = next(f for f in report.figures if f.key == "overdue")
    assert figure.value == len(expected)
    assert sum(b.count for b in report.overdue_holders) == len(expected)


def test_the_ppk_follow_up_shows_forwarded_cases_and_decisions(world):
    report = build()
    table = report.tables["follow_up"]
    rows = {r[0]: r for r in table.rows}

    assert list(rows) == sorted([world.decided.number, world.waiting.number])
    decided = rows[world.decided.number]
    assert decided[table.column("decision_date")] == date(2024, 3, 20)
    assert decided[table.column("decision_number")] == "800/1/BKPSDMD/2024"
    assert decided[table.column("state")] == "Decided"
    assert rows[world.waiting.number][table.column("forwarded_on")] == date(2024, 3, 31)
    assert rows[world.waiting.number][table.column("decision_date")] is None
    figures = {f.key: f.value for f in report.figures}
    assert (figures["forwarded"], figures["decided"], figures["waiting"]) == (2, 1, 1)


def test_a_forward_outside_the_period_is_not_followed_up(world):
    report = build(date_from=date(2024, 3, 25), date_to=date(2024, 12, 31))

    assert column(report.tables["follow_up"], "number") == [world.waiting.number]


# --- scope ------------------------------------------------------------------------------


def test_an_agency_code_restricts_every_number(world):
    report = build(agency_code="19.02")

    assert report.totals == {"reports": 2, "findings": 1, "cases": 1}
    assert column(report.tables["overdue"], "number") == [world.belitung.number]
    assert report.tables["follow_up"].rows == []
    assert report.scope_label == "Kabupaten Belitung"
    assert report.agency_code == "19.02"


def test_a_ppk_reports_on_their_own_subtree_only(world, ppk_other):
    report = build(user=ppk_other)

    assert report.totals == {"reports": 2, "cases": 1}  # no findings for a PPK
    assert "findings" not in report.entities
    assert report.scope_label == "Kabupaten Belitung"


def test_a_ppk_may_not_ask_for_another_agency(world, ppk_other, disdik):
    with pytest.raises(PeriodReportError) as raised:
        build(user=ppk_other, agency_code=disdik.code)

    assert raised.value.field == "agency_code"


def test_an_agency_head_sees_counts_but_no_names(world, agency_head):
    report = build(user=agency_head)

    assert report.totals == {"reports": 3, "cases": 2}
    assert "subject" not in [c.key for c in report.tables["overdue"].columns]
    assert "subject" not in [c.key for c in report.tables["follow_up"].columns]
    assert world.decided.subject_name not in str(report.tables["follow_up"].rows)


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_from", "date_to", "field"),
    [
        (date(2024, 5, 1), date(2024, 4, 30), "date_to"),
        (date(2018, 1, 1), date(2024, 1, 1), "date_to"),  # over five years
        (None, date(2024, 1, 1), "date_from"),
        (date(2024, 1, 1), None, "date_to"),
    ],
)
def test_it_rejects_a_bad_period(db, date_from, date_to, field):
    with pytest.raises(PeriodReportError) as raised:
        build(date_from=date_from, date_to=date_to)

    assert raised.value.field == field
    assert isinstance(raised.value, ValueError)


def test_it_accepts_exactly_five_years(db):
    report = build(date_from=date(2020, 1, 1), date_to=date(2024, 12, 31))

    assert len(report.tables["month"].rows) == 60


def test_it_rejects_an_unknown_agency_code(db):
    with pytest.raises(PeriodReportError) as raised:
        build(agency_code="19.NOPE")

    assert raised.value.field == "agency_code"
    assert "19.NOPE" in str(raised.value)


def test_an_agency_code_is_matched_in_any_case(world, disdik):
    assert build(agency_code=disdik.code.lower()).agency_code == disdik.code
