"""``netralitas report``: run through the console script as a user would, minus the
process (so the test database is the one it reads)."""

from __future__ import annotations

import io

import pytest
from django.db import connections
from openpyxl import load_workbook
from pypdf import PdfReader

from netralitas.cli import main
from netralitas.dashboards.tests.test_period_build import PeriodWorld, period_world

pytestmark = pytest.mark.django_db

PERIOD = ["--from", "2024-01-01", "--to", "2024-12-31"]


@pytest.fixture
def world(verifier, examiner, ppk, employee) -> PeriodWorld:
    return period_world(verifier=verifier, examiner=examiner, ppk=ppk, employee=employee)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # A command run from the command line closes the database connections when it ends;
    # in a test that would close the connection holding the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(args: list[str]) -> int:
    try:
        main(["report", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_it_writes_a_pdf(world, tmp_path, capsys):
    out = tmp_path / "laporan.pdf"

    assert run([*PERIOD, "--format", "pdf", "-o", str(out)]) == 0

    reader = PdfReader(out)
    assert len(reader.pages) > 1
    assert "Halaman 1 dari" in reader.pages[0].extract_text()  # Indonesian by default
    assert str(out) in capsys.readouterr().err


def test_it_takes_the_format_from_the_file_name(world, tmp_path):
    out = tmp_path / "laporan.xlsx"

    assert run([*PERIOD, "-o", str(out)]) == 0

    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Ringkasan"


def test_the_agency_option_narrows_the_report(world, tmp_path):
    out = tmp_path / "belitung.xlsx"

    assert run([*PERIOD, "--agency", "19.02", "--language", "en", "-o", str(out)]) == 0

    summary = dict(load_workbook(out)["Summary"].iter_rows(min_row=2, values_only=True))
    assert (summary["Reports"], summary["Cases"]) == (2, 1)
    assert summary["Agencies covered"] == "Kabupaten Belitung"


def test_a_dash_writes_the_file_to_standard_output(world, monkeypatch, capsys):
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr("sys.stdout", stdout)

    assert run([*PERIOD, "--format", "pdf", "--language", "en", "-o", "-"]) == 0

    data = stdout.buffer.getvalue()
    assert data.startswith(b"%PDF-")
    assert "Page 1 of" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_a_dash_needs_a_format(db, capsys):
    assert run([*PERIOD, "-o", "-"]) == 2
    assert "--format" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--from", "2024-02-30", "--to", "2024-12-31"], "--from"),
        (["--from", "01/01/2024", "--to", "2024-12-31"], "--from"),
        (["--from", "2024-01-01", "--to", "kemarin"], "--to"),
        (["--from", "2024-12-31", "--to", "2024-01-01"], "--to"),
        (["--from", "2010-01-01", "--to", "2024-12-31"], "--to"),
        ([*PERIOD, "--agency", "19.TIDAK.ADA"], "--agency"),
    ],
)
def test_a_bad_option_exits_with_2_and_names_it(db, tmp_path, capsys, args, option):
    out = tmp_path / "laporan.pdf"

    assert run([*args, "--language", "en", "-o", str(out)]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"CommandError: {option}: ")
    assert "Traceback" not in err
    assert not out.exists()


def test_an_unwritable_file_exits_with_1(db, tmp_path, capsys):
    assert run([*PERIOD, "-o", str(tmp_path / "no-such-folder" / "laporan.pdf")]) == 1
    assert "no-such-folder" in capsys.readouterr().err


def test_a_missing_option_is_a_usage_error(db, capsys):
    assert run(["--from", "2024-01-01", "-o", "x.pdf"]) == 2
    assert "--to" in capsys.readouterr().err
