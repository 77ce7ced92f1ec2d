"""The period report's PDF, opened with pypdf: pages, headings, numbers, footers."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from netralitas.dashboards.pdf import period_report_pdf
from netralitas.dashboards.period import period_report_build
from netralitas.dashboards.tests.test_period_build import END, START, PeriodWorld, period_world

pytestmark = pytest.mark.django_db

GENERATED = datetime(2025, 3, 14, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def world(verifier, examiner, ppk, employee) -> PeriodWorld:
    return period_world(verifier=verifier, examiner=examiner, ppk=ppk, employee=employee)


def render(language: str = "id", **kwargs) -> tuple[PdfReader, list[str]]:
    kwargs.setdefault("date_from", START)
    kwargs.setdefault("date_to", END)
    with translation.override(language):
        report = period_report_build(now=GENERATED, **kwargs)
        data = period_report_pdf(report)
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def squeeze(text: str) -> str:
    # pypdf breaks lines inside table cells; compare on single spaces.
    return " ".join(text.split())


def test_it_is_an_indonesian_a4_report_with_numbered_pages(world, settings):
    settings.OFFICE_NAME = "Pemerintah Provinsi Kepulauan Bangka Belitung"
    reader, pages = render()
    count = len(pages)

    assert count > 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {count}" in text
        assert "14 Maret 2025 09:30 WIB" in text  # generated, in every footer
    first = squeeze(pages[0])
    assert "Pemerintah Provinsi Kepulauan Bangka Belitung" in first
    assert "1 Januari 2024 – 31 Desember 2024" in first
    assert "1. Ringkasan" in first
    with translation.override("id"):
        assert squeeze(_("Period report on ASN neutrality supervision")) in first


def test_the_summary_figures_are_the_database_totals(world):
    _reader, pages = render()
    first = squeeze(pages[0])

    # Reports 6, findings 2, cases 4 (test_period_build checks these against the DB).
    assert re.search(r"\bLaporan 6\b", first)
    assert re.search(r"\bKasus 4\b", first)


def test_the_tables_carry_indonesian_headings_and_totals_rows(world, disdik):
    _reader, pages = render()
    text = squeeze(" ".join(pages))

    for heading in ("Instansi", "Jenis pelanggaran", "Terlapor", "Batas waktu", "Nomor kasus"):
        assert heading in text
    # The agency table: Dinas Pendidikan first with 3 reports, 1 finding, 2 cases; then the
    # totals row with the period's totals.
    assert f"{disdik.name} 3 1 2" in text
    assert "Jumlah 6 2 4" in text


def test_it_lists_the_overdue_cases_and_the_ppk_follow_up(world):
    _reader, pages = render()
    text = squeeze(" ".join(pages))

    for case in (world.belitung, world.no_agency, world.later):
        assert case.number in text
    assert world.decided.number in text
    # The PPK's decision: its number (which may wrap at the column's edge) and date.
    assert "800/1/BKPSDMD/202420Mar2024" in re.sub(r"\s+", "", text)


def test_a_long_table_continues_on_the_next_pages_under_its_header(world):
    with translation.override("en"):
        report = period_report_build(date_from=START, date_to=END, now=GENERATED)
        overdue = report.tables["overdue"]
        template = overdue.rows[0]
        rows = [[f"KASUS-2099-{n:05d}", *template[1:]] for n in range(1, 181)]
        report.tables["overdue"] = replace(overdue, rows=rows)
        data = period_report_pdf(report)
    pages = [squeeze(p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]

    with_rows = [p for p in pages if "KASUS-2099-" in p]
    assert len(with_rows) >= 3
    for page in with_rows:
        assert "Case number" in page and "Days late" in page  # the repeated header
    assert "KASUS-2099-00001" in with_rows[0] and "KASUS-2099-00180" in with_rows[-1]


def test_the_language_option_gives_an_english_report(world):
    _reader, pages = render("en")
    first = squeeze(pages[0])

    assert "Page 1 of" in first
    assert "Period report on ASN neutrality supervision" in first
    assert "1 January 2024 – 31 December 2024" in first


def test_the_same_report_gives_the_same_bytes(world):
    with translation.override("id"):
        report = period_report_build(date_from=START, date_to=END, now=GENERATED)
        assert period_report_pdf(report) == period_report_pdf(report)


def test_text_outside_the_standard_font_is_transliterated_not_dropped(world):
    world.belitung.subject_name = "Ünal Řezník ✓"
    world.belitung.save(update_fields=["subject_name"])

    _reader, pages = render()
    text = squeeze(" ".join(pages))

    # Ü and í are in the font; Ř becomes R; a sign with no letter in it a question mark.
    assert "Ünal Rezník ?" in text


def test_a_quiet_period_still_renders(db):
    _reader, pages = render(date_from=date(2019, 1, 1), date_to=date(2019, 1, 31))
    text = squeeze(" ".join(pages))

    with translation.override("id"):
        assert _("No data in this period.") in text
    assert re.search(r"\bLaporan 0\b", text)
