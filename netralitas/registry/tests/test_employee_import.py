"""employees_import and `netralitas import-employees`, on the sample file and small sheets."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from netralitas.registry.models import Agency, Employee, SocialAccount
from netralitas.registry.services import EmployeeImportSummary, RowAction, employees_import
from netralitas.registry.spreadsheet import read_file

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "fixtures" / "employees.csv"
DISDIK = "19.OPD.DISDIK"
RAHMAT = "198507142010011001"  # the conftest's `employee`
SITI = "199003152015032002"
HEADER = "nip;nama;jenis;jabatan;pangkat;kode_instansi;platform;akun;telepon\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def sample_agency():
    """Dinas Pendidikan of the province, the agency of the sample file."""
    return Agency.objects.get(code=DISDIK)


@pytest.fixture
def rahmat(employee, sample_agency):
    """The conftest's employee, moved to the sample's agency: row 2 of the sample."""
    employee.agency = sample_agency
    employee.save(update_fields=["agency"])
    return employee


def sheet(tmp_path: Path, *lines: str, name: str = "pegawai.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def run_import(path: Path, *, dry_run: bool = False) -> EmployeeImportSummary:
    return employees_import(rows=read_file(path).items, dry_run=dry_run)


def errors(summary: EmployeeImportSummary) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in summary.errors]


def counts() -> tuple[int, int]:
    return Employee.objects.count(), SocialAccount.objects.count()


def test_it_creates_the_employees_and_accounts_of_the_sample():
    summary = run_import(SAMPLE)
    assert (summary.employees_created, summary.employees_updated) == (5, 0)
    assert (summary.accounts_created, summary.accounts_existing) == (6, 0)
    assert [(c.row, c.action) for c in summary.changes] == [
        (2, "create"),
        (3, "unchanged"),  # Rahmat's second account
        (4, "create"),
        (5, "create"),
        (6, "create"),
        (7, "create"),
    ]
    assert summary.changes[0].fields["agency"] == (None, DISDIK)
    rahmat = Employee.objects.get(nip=RAHMAT)
    assert (rahmat.name, rahmat.kind, rahmat.rank, rahmat.agency.code) == (
        "Rahmat Hidayat",
        "PNS",
        "III/d",
        DISDIK,
    )
    assert sorted(rahmat.accounts.values_list("platform", "handle", "phone", "verified")) == [
        ("instagram", "rahmat.hidayat", "", True),
        ("whatsapp", "", "6281270010001", False),
    ]
    assert Employee.objects.get(nip=SITI).holds_leadership_post is True
    budi = Employee.objects.get(name="Budi Santoso")
    assert (budi.nip, budi.kind, budi.is_active) == (None, "NON_ASN", True)


def test_it_updates_only_the_fields_that_changed(rahmat):
    rahmat.position = "Staf Kurikulum"
    rahmat.save(update_fields=["position"])
    summary = run_import(SAMPLE)
    first = summary.changes[0]
    assert (first.row, first.action, first.nip) == (2, RowAction.UPDATE, RAHMAT)
    # The conftest's employee has the sample's name, kind, rank, agency and flags already.
    assert first.fields == {"position": ("Staf Kurikulum", "Kepala Seksi Kurikulum")}
    assert (summary.employees_created, summary.employees_updated) == (4, 1)
    rahmat.refresh_from_db()
    assert rahmat.position == "Kepala Seksi Kurikulum"


def test_an_empty_cell_keeps_the_stored_value(rahmat, tmp_path):
    summary = run_import(sheet(tmp_path, f"{RAHMAT};;;;IV/a;;;;"))
    assert [(c.action, c.fields) for c in summary.changes] == [
        (RowAction.UPDATE, {"rank": ("III/d", "IV/a")})
    ]
    rahmat.refresh_from_db()
    assert (rahmat.name, rahmat.position, rahmat.rank) == (
        "Rahmat Hidayat",
        "Kepala Seksi Kurikulum",
        "IV/a",
    )


def test_a_reimport_changes_nothing():
    run_import(SAMPLE)
    before = counts()
    again = run_import(SAMPLE)
    assert counts() == before
    assert (again.employees_created, again.employees_updated, again.employees_unchanged) == (
        0,
        0,
        5,
    )
    assert (again.accounts_created, again.accounts_existing) == (0, 6)
    assert {c.action for c in again.changes} == {RowAction.UNCHANGED}
    assert all(c.fields == {} for c in again.changes)


def test_a_dry_run_reports_what_the_import_does_and_saves_nothing(rahmat):
    rahmat.rank = "III/c"
    rahmat.save(update_fields=["rank"])
    before = counts()
    dry = run_import(SAMPLE, dry_run=True)
    assert counts() == before
    rahmat.refresh_from_db()
    assert rahmat.rank == "III/c"
    real = run_import(SAMPLE)
    assert dry.dry_run and not real.dry_run
    assert {**dry.as_dict(), "dry_run": False} == real.as_dict()
    assert real.employees_updated == 1 and real.accounts_created == 6


def test_an_account_registered_to_another_employee_is_a_row_error(rahmat, sample_agency, tmp_path):
    other = Employee.objects.create(nip=SITI, name="Siti Aminah", kind="PNS", agency=sample_agency)
    SocialAccount.objects.create(employee=other, platform="whatsapp", phone="6281270010001")
    path = sheet(
        tmp_path,
        f"{RAHMAT};;;Kepala Seksi;;;whatsapp;;0812 7001 0001",
        f"{RAHMAT};;;;;;instagram;rahmat.h;",
    )
    summary = run_import(path)
    assert errors(summary) == [(2, "telepon")]
    assert "Siti Aminah (199003152015032002)" in summary.errors[0].error
    # The faulty row changed nothing, not even the employee's position; the next row did.
    rahmat.refresh_from_db()
    assert rahmat.position == "Kepala Seksi Kurikulum"
    assert SocialAccount.objects.get(phone="6281270010001").employee == other
    assert [(c.row, c.account) for c in summary.changes] == [(3, "created")]


def test_the_same_account_on_a_new_employee_is_also_an_error(rahmat, tmp_path):
    SocialAccount.objects.create(employee=rahmat, platform="x", handle="rahmat")
    summary = run_import(sheet(tmp_path, f"{SITI};Siti Aminah;PNS;;;{DISDIK};X;@Rahmat;"))
    assert errors(summary) == [(2, "akun")]
    assert not Employee.objects.filter(nip=SITI).exists()


def test_an_account_already_registered_with_a_trailing_slash_is_found(rahmat, tmp_path):
    SocialAccount.objects.create(
        employee=rahmat, platform="facebook", url="https://facebook.com/rahmat.h/"
    )
    path = tmp_path / "fb.csv"
    path.write_text(f"nip;platform;url\n{RAHMAT};facebook;facebook.com/rahmat.h\n")
    summary = run_import(path)
    assert (summary.accounts_created, summary.accounts_existing) == (0, 1)


def test_an_unknown_agency_is_a_row_error_and_codes_ignore_case(tmp_path):
    path = sheet(
        tmp_path,
        f"{RAHMAT};Rahmat Hidayat;PNS;;;99.TIDAK.ADA;;;",
        f"{SITI};Siti Aminah;PNS;;;19.opd.disdik;;;",
    )
    summary = run_import(path)
    assert errors(summary) == [(2, "kode_instansi")]
    assert "99.TIDAK.ADA" in summary.errors[0].error
    assert Employee.objects.get(nip=SITI).agency.code == DISDIK
    assert not Employee.objects.filter(nip=RAHMAT).exists()


def test_a_new_employee_needs_name_kind_and_agency(tmp_path):
    summary = run_import(sheet(tmp_path, f"{SITI};;;;;;;;"))
    assert errors(summary) == [(2, "nama"), (2, "jenis"), (2, "kode_instansi")]
    assert summary.rejected_rows == 1


def test_non_asn_staff_are_found_by_name_within_their_agency(sample_agency, tmp_path):
    budi = Employee.objects.create(name="Budi Santoso", kind="NON_ASN", agency=sample_agency)
    path = sheet(
        tmp_path,
        f";budi  santoso;honorer;Operator;;{DISDIK};;;",
        ";Budi Santoso;honorer;Pengemudi;;19.02.DINKES;;;",
    )
    summary = run_import(path)
    assert [(c.row, c.action) for c in summary.changes] == [
        (2, RowAction.UPDATE),
        (3, RowAction.CREATE),  # a namesake in another agency is another person
    ]
    budi.refresh_from_db()
    assert (budi.name, budi.position) == ("Budi Santoso", "Operator")
    assert Employee.objects.filter(name="Budi Santoso").count() == 2


def test_namesakes_without_nip_in_one_agency_are_a_row_error(sample_agency, tmp_path):
    for _ in range(2):
        Employee.objects.create(name="Budi Santoso", kind="NON_ASN", agency=sample_agency)
    summary = run_import(sheet(tmp_path, f";Budi Santoso;;Operator;;{DISDIK};;;"))
    assert errors(summary) == [(2, "nama")]


def test_two_rows_that_say_different_things_of_one_employee(tmp_path):
    path = sheet(
        tmp_path,
        f"{SITI};Siti Aminah;PNS;Kepala Bidang;IV/a;{DISDIK};instagram;siti;",
        f"{SITI};Siti Aminah;PNS;Kepala Seksi;;{DISDIK};facebook;siti;",
        f"{SITI};;;;IV/a;;tiktok;siti;",
    )
    summary = run_import(path)
    assert errors(summary) == [(3, "jabatan")]
    assert "Row 2" in summary.errors[0].error
    assert [(c.row, c.action) for c in summary.changes] == [
        (2, RowAction.CREATE),
        (4, RowAction.UNCHANGED),
    ]
    assert summary.employees_created == 1 and summary.employees_unchanged == 0


def test_queries_do_not_grow_with_the_rows(tmp_path):
    def queries(n: int) -> int:
        lines = [f"{RAHMAT};Rahmat Hidayat;PNS;;;{DISDIK};instagram;akun{i};" for i in range(n)]
        items = read_file(sheet(tmp_path, *lines, name=f"{n}.csv")).items
        employees_import(rows=items, dry_run=False)  # store them once
        with CaptureQueriesContext(connection) as captured:
            summary = employees_import(rows=items, dry_run=True)
        assert summary.accounts_existing == n
        return len(captured)

    assert queries(2) == queries(30)


# ------------------------------------------------------------------------- the command


def call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_employees", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_a_summary_and_exits_1_on_row_errors():
    with pytest.raises(CommandError) as failure:
        call(str(SAMPLE), "--dry-run")
    assert failure.value.returncode == 1
    assert "8 rows have errors and would not be imported" in str(failure.value)
    assert counts() == (0, 0)


def test_the_command_reports_row_errors_on_stderr_and_imports_the_rest(rahmat, tmp_path):
    path = sheet(
        tmp_path,
        f"{SITI};Siti Aminah;PNS;;;{DISDIK};;;",
        "1985;Salah;PNS;;;;;;",
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_employees", str(path), stdout=out, stderr=err)
    assert failure.value.returncode == 1
    assert "1 row has errors and was not imported" in str(failure.value)
    assert out.getvalue().splitlines()[0] == "Row 2: new employee Siti Aminah (199003152015032002)"
    assert err.getvalue().startswith("Row 3, column nip: NIP must be 18 digits.")
    assert Employee.objects.filter(nip=SITI).exists()


def test_the_command_output_on_a_clean_file(rahmat, tmp_path):
    path = sheet(
        tmp_path,
        f"{RAHMAT};;;Kepala Bidang;;;whatsapp;;0812-7001-0001",
        f"{SITI};Siti Aminah;PNS;;;{DISDIK};;;",
    )
    out, err = call(str(path), "--dry-run")
    assert out.splitlines() == [
        'Row 2: Rahmat Hidayat (198507142010011001) changed: position "Kepala Seksi '
        'Kurikulum" → "Kepala Bidang"',
        "Row 2: new account whatsapp +6281270010001 for Rahmat Hidayat (198507142010011001)",
        "Row 3: new employee Siti Aminah (199003152015032002)",
        "pegawai.csv: employees 1 new, 1 changed, 0 unchanged; accounts 1 new, "
        "0 already registered; 0 rows with errors.",
        "Dry run: nothing was saved.",
    ]
    assert err == ""
    assert not Employee.objects.filter(nip=SITI).exists()
    call(str(path))  # no error: exit code 0
    assert Employee.objects.filter(nip=SITI).exists()


def test_the_command_prints_one_json_line_for_an_xlsx(tmp_path):
    workbook = Workbook()
    for row in [
        ["NIP", "Nama", "Jenis", "Kode Instansi", "Platform", "Akun", "Keterangan"],
        [SITI, "Siti Aminah", "PNS", DISDIK, "instagram", "@siti", "baru"],
        ["123", "Salah", "PNS", DISDIK, "", "", ""],
    ]:
        workbook.active.append(row)
    path = tmp_path / "pegawai.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError):
        call(str(path), "--json")  # imports Siti; the second run finds her unchanged
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_employees", str(path), "--json", stdout=out, stderr=StringIO())
    assert failure.value.returncode == 1
    [line] = out.getvalue().splitlines()
    summary = json.loads(line)
    assert summary["format"] == "xlsx" and summary["ignored_columns"] == ["Keterangan"]
    assert summary["employees"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert summary["accounts"] == {"created": 0, "existing": 1}
    assert summary["changes"] == [
        {
            "row": 2,
            "action": "unchanged",
            "nip": SITI,
            "name": "Siti Aminah",
            "fields": {},
            "account": "existing",
        }
    ]
    assert summary["errors"] == [{"row": 3, "column": "NIP", "error": "NIP must be 18 digits."}]


def test_the_command_refuses_an_unreadable_file_with_exit_2(tmp_path):
    path = tmp_path / "catatan.csv"
    path.write_text("tanggal;kegiatan\n2024-01-01;rapat\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_employees", str(path), "--json", stdout=out, stderr=StringIO())
    assert failure.value.returncode == 2
    assert json.loads(out.getvalue())["errors"][0]["row"] is None
    assert counts() == (0, 0)


def test_the_agency_codes_of_the_sample_exist():
    assert Agency.objects.filter(code__in=[DISDIK, "19.02.DINKES"]).count() == 2
