"""The period report's XLSX, opened with openpyxl: sheets, headers, rows, types, totals."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from netralitas.cases.models import Case, CaseStatus
from netralitas.dashboards.period import period_report_build
from netralitas.dashboards.tests.test_period_build import (
    END,
    START,
    PeriodWorld,
    db_period_count,
    period_world,
)
from netralitas.dashboards.xlsx import SHEET_NAME_MAX, period_report_xlsx, sheet_title
from netralitas.monitoring.models import Finding
from netralitas.reports.models import Report

pytestmark = pytest.mark.django_db

GENERATED = datetime(2025, 3, 14, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
ENGLISH_SHEETS = [
    "Summary",
    "By agency",
    "By region",
    "By violation type",
    "By platform",
    "By election stage",
    "By status",
    "By month",
    "Overdue cases",
    "PPK follow-up",
]


@pytest.fixture
def world(verifier, examiner, ppk, employee) -> PeriodWorld:
    return period_world(verifier=verifier, examiner=examiner, ppk=ppk, employee=employee)


def workbook(language: str = "en", **kwargs):
    kwargs.setdefault("date_from", START)
    kwargs.setdefault("date_to", END)
    with translation.override(language):
        data = period_report_xlsx(period_report_build(now=GENERATED, **kwargs))
    return load_workbook(io.BytesIO(data))


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def body(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=2, values_only=True))


def summary(wb) -> dict:
    return dict(body(wb.worksheets[0]))


def test_it_has_one_sheet_per_table(world):
    assert workbook().sheetnames == ENGLISH_SHEETS


def test_the_sheet_names_are_translated(world):
    names = workbook("id").sheetnames

    with translation.override("id"):
        assert names == [_(name) for name in ENGLISH_SHEETS]
    assert names[0] == "Ringkasan"
    assert all(len(name) <= SHEET_NAME_MAX for name in names)


def test_every_sheet_has_a_bold_frozen_header_row(world):
    for ws in workbook().worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(cell.font.bold for cell in ws[1]), ws.title
        assert all(cell.value for cell in ws[1]), ws.title


def test_the_summary_totals_are_the_database_totals(world):
    values = summary(workbook())

    assert values["Reports"] == db_period_count(Report, "submitted_at") == 6
    assert values["Findings"] == db_period_count(Finding, "posted_at") == 2
    assert values["Cases"] == db_period_count(Case, "opened_at") == 4
    assert values["Period start"] == datetime(2024, 1, 1)
    assert values["Period end"] == datetime(2024, 12, 31)
    assert values["Generated"] == datetime(2025, 3, 14, 9, 30)  # WIB wall-clock time


def test_the_agency_sheet_has_one_row_per_agency_and_no_totals_row(world, disdik):
    ws = workbook()["By agency"]
    rows = body(ws)

    assert header(ws) == ["Code", "Agency", "Reports", "Findings", "Cases"]
    assert [r[0] for r in rows] == [disdik.code, "19.02.DINKES", None]
    # Totals live on the summary sheet, so a SUM of a column is the total.
    assert sum(r[2] for r in rows) == 6
    assert sum(r[4] for r in rows) == 4
    assert all(isinstance(r[2], int) for r in rows)
    assert ws.auto_filter.ref == "A1:E4"


def test_the_violation_sheet_names_each_type(world):
    rows = {r[0]: r for r in body(workbook()["By violation type"])}

    assert rows["DS-02"][2] == 3  # reports, the two-type report included
    assert rows["KE-02"][1]  # the type's name


def test_the_month_sheet_has_a_date_cell_per_month(world):
    ws = workbook()["By month"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]

    assert len(cells) == 12
    assert all(c.is_date for c in cells)
    assert [c.value.date() for c in cells] == [date(2024, m, 1) for m in range(1, 13)]
    assert cells[0].number_format == "yyyy-mm"


def test_the_overdue_sheet_lists_every_overdue_case_with_date_cells(world):
    ws = workbook()["Overdue cases"]
    # Overdue on the day the report was made (GENERATED), not the day the test runs.
    expected = list(
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(due_on__lt=GENERATED.date())
        .order_by("due_on", "number")
        .values_list("number", flat=True)
    )
    columns = header(ws)
    rows = list(ws.iter_rows(min_row=2))

    assert [r[0].value for r in rows] == expected
    due = rows[0][columns.index("Due on")]
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    late = rows[0][columns.index("Days late")].value
    assert isinstance(late, int) and late > 0


def test_the_follow_up_sheet_has_the_decisions(world):
    ws = workbook()["PPK follow-up"]
    columns = header(ws)
    rows = {r[0]: r for r in body(ws)}

    decided = rows[world.decided.number]
    assert decided[columns.index("PPK decision no.")] == "800/1/BKPSDMD/2024"
    assert decided[columns.index("Date of the PPK decision")] == datetime(2024, 3, 20)
    assert decided[columns.index("Sanction imposed")]
    assert rows[world.waiting.number][columns.index("Date of the PPK decision")] is None


def test_an_agency_head_gets_no_names(world, agency_head):
    wb = workbook(user=agency_head)

    assert "Reported person" not in header(wb["Overdue cases"])
    assert "Reported person" not in header(wb["PPK follow-up"])
    assert summary(wb)["Reports"] == 3
    assert "Findings" not in summary(wb)


def test_sheet_titles_are_cut_to_excel_limits_and_kept_unique():
    taken: set[str] = set()
    long = "Laporan, temuan dan kasus per jenis pelanggaran: rincian"

    first = sheet_title(long, taken)
    second = sheet_title(long, taken)
    odd = sheet_title("Per [bulan]: 1/2?", taken)

    assert len(first) == len(second) == SHEET_NAME_MAX
    assert first != second and second.endswith(" (2)")
    assert odd == "Per -bulan-- 1-2-"
