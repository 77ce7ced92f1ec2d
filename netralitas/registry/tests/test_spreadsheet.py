"""Parsing personnel spreadsheets: no database, the sample file and hand-made sheets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from netralitas.registry.spreadsheet import (
    KIND_NON_ASN,
    KIND_PNS,
    KIND_PPPK,
    AccountRow,
    EmployeeRow,
    RowError,
    SpreadsheetError,
    parse_rows,
    read_file,
)

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "employees.csv"
NIP = "198507142010011001"
HEADER = ["nip", "nama", "jenis", "kode_instansi"]


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgids, whatever the .po says.
    with translation.override("en"):
        yield


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def rows(*lines: list[object]) -> list[EmployeeRow | RowError]:
    return parse_rows([HEADER, *lines], fmt="test").items


def errors(items: list[EmployeeRow | RowError]) -> list[tuple[int, str]]:
    return [(item.row, item.column) for item in items if isinstance(item, RowError)]


def good(items: list[EmployeeRow | RowError]) -> list[EmployeeRow]:
    return [item for item in items if isinstance(item, EmployeeRow)]


def test_it_reads_the_sample_csv_with_semicolons_and_a_bom():
    sheet = read_file(SAMPLE)
    assert sheet.format == "csv" and sheet.header_row == 1
    assert sheet.headers["agency_code"] == "Kode Instansi"
    assert sheet.ignored_columns == []  # "No" is the running number, not a typo
    rahmat, rahmat_wa, siti, dewi, budi, andi, foreign = good(sheet.items)
    assert rahmat == EmployeeRow(
        row=2,
        nip=NIP,
        name="Rahmat Hidayat",
        kind=KIND_PNS,
        agency_code="19.OPD.DISDIK",
        position="Kepala Seksi Kurikulum",
        rank="III/d",
        holds_leadership_post=False,
        is_active=True,
        account=AccountRow("instagram", handle="rahmat.hidayat", verified=True),
    )
    # A second account of the same employee: the employee's cells are left empty.
    assert rahmat_wa == EmployeeRow(
        row=3,
        nip=NIP,
        name="",
        kind="",
        agency_code="",
        account=AccountRow("whatsapp", phone="6281270010001"),
    )
    assert siti.nip == "199003152015032002"  # typed with spaces
    assert siti.account == AccountRow(
        "facebook", url="https://facebook.com/siti.aminah.babel", verified=True
    )
    assert (dewi.kind, dewi.account) == (KIND_PPPK, AccountRow("tiktok", handle="dewi_lestari"))
    assert (budi.nip, budi.kind, budi.account) == ("", KIND_NON_ASN, AccountRow("x", "budi_babel"))
    assert (andi.name, andi.is_active, andi.account) == (
        "Andi Wijaya",
        True,
        AccountRow("whatsapp", phone="6281920003000"),
    )
    assert (foreign.row, foreign.agency_code) == (13, "99.TIDAK.ADA")  # checked by the service


def test_it_reports_each_bad_row_by_number_and_column_and_keeps_the_good_ones():
    items = read_file(SAMPLE).items
    assert errors(items) == [
        (8, "NIP"),  # 17 digits
        (9, "Jenis"),  # "Pegawai Tetap"
        (10, "Platform"),  # myspace
        (11, "Kode Instansi"),  # non-ASN without NIP needs the agency
        (12, "Jabatan Pimpinan"),  # "mungkin"
        (15, "NIP"),  # 1,98507E+17: Excel turned it into a number
        (16, "Telepon"),  # every faulty cell of a row is reported
        (16, "Terverifikasi"),
    ]
    messages = {(e.row, e.column): e.error for e in items if isinstance(e, RowError)}
    assert messages[(8, "NIP")] == "NIP must be 18 digits."
    assert "15 digits" in messages[(15, "NIP")]
    assert messages[(12, "Jabatan Pimpinan")] == 'Write ya or tidak (or 1 or 0), not "mungkin".'
    assert [row.row for row in good(items)] == [2, 3, 4, 5, 6, 7, 13]  # 14 is empty


def test_the_xlsx_of_the_sample_gives_the_same_rows(tmp_path):
    with SAMPLE.open(encoding="utf-8-sig", newline="") as stream:
        table: list[list[object]] = list(csv.reader(stream, delimiter=";"))
    path = write_xlsx(tmp_path / "pegawai.xlsx", table)
    sheet = read_file(path)
    assert sheet.format == "xlsx"
    assert sheet.items == read_file(SAMPLE).items


def test_it_finds_the_header_below_a_title_and_numbers_rows_as_the_sheet_does(tmp_path):
    path = write_xlsx(
        tmp_path / "daftar.xlsx",
        [
            ["DAFTAR PEGAWAI DINAS PENDIDIKAN"],
            [],
            ["No.", "NIP", "Name", "KIND", "Agency Code", "Leadership", "Catatan"],
            [1, NIP, "Rahmat Hidayat", "pns", "19.OPD.DISDIK", True, "pindahan"],
            [],
            [2, "1985", "Salah", "PNS", "19.OPD.DISDIK", 0, ""],
        ],
    )
    sheet = read_file(path)
    assert sheet.header_row == 3
    assert sheet.ignored_columns == ["Catatan"]
    assert [(r.row, r.nip, r.holds_leadership_post) for r in good(sheet.items)] == [(4, NIP, True)]
    assert errors(sheet.items) == [(6, "NIP")]


def test_it_reads_english_headers_and_commas(tmp_path):
    path = write_csv(
        tmp_path / "staff.csv",
        "NIP,Name,Kind,Position,Rank,Agency_Code,Leadership,Active,Platform,Handle,URL,Phone,Verified\n"
        f"{NIP},Rahmat Hidayat,Civil servant,,,19.OPD.DISDIK,false,0,,,,,\n"
        f'{NIP},,,,,,,,Telegram,@Rahmat_H,,"+62 812-3456-7890",true\n',
    )
    first, second = read_file(path).items
    assert isinstance(first, RowError) and (first.row, first.column) == (2, "Kind")
    assert second == EmployeeRow(
        row=3,
        nip=NIP,
        name="",
        kind="",
        agency_code="",
        account=AccountRow("telegram", handle="rahmat_h", phone="6281234567890", verified=True),
    )


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("PNS", KIND_PNS),
        ("ASN - PNS", KIND_PNS),
        ("Pegawai Negeri Sipil", KIND_PNS),
        ("pppk", KIND_PPPK),
        ("P3K", KIND_PPPK),
        ("Non-ASN", KIND_NON_ASN),
        ("non asn", KIND_NON_ASN),
        ("NON_ASN", KIND_NON_ASN),
        ("Honorer", KIND_NON_ASN),
        ("THL", KIND_NON_ASN),
    ],
)
def test_it_accepts_the_common_spellings_of_kinds(written, kind):
    [row] = rows([NIP, "Rahmat Hidayat", written, "19.OPD.DISDIK"])
    assert isinstance(row, EmployeeRow) and row.kind == kind


@pytest.mark.parametrize(
    ("written", "value"),
    [("ya", True), ("Tidak", False), ("TRUE", True), ("false", False), ("1", True), (0, False)],
)
def test_it_reads_yes_and_no(written, value):
    items = parse_rows(
        [["nip", "jabatan_pimpinan", "aktif"], [NIP, written, written]], fmt="test"
    ).items
    assert [(r.holds_leadership_post, r.is_active) for r in good(items)] == [(value, value)]


def test_the_kinds_and_platforms_are_those_of_the_models():
    from netralitas.monitoring.importers.base import PLATFORMS
    from netralitas.registry.models import EmployeeKind, Platform

    assert {KIND_PNS, KIND_PPPK, KIND_NON_ASN} == set(EmployeeKind.values)
    assert set(PLATFORMS) == set(Platform.values)


def test_a_pppk_nip_is_checked_against_the_kind():
    pppk_nip = "199201012023212003"  # "21" where a PNS number has the month
    assert good(rows([pppk_nip, "Dewi Lestari", "PPPK", "19.OPD.DISDIK"]))
    assert good(rows([pppk_nip, "Dewi Lestari", "", "19.OPD.DISDIK"]))  # kind given elsewhere
    assert errors(rows([pppk_nip, "Dewi Lestari", "PNS", "19.OPD.DISDIK"])) == [(2, "nip")]


def test_a_row_without_nip_is_non_asn_and_needs_the_agency():
    [budi] = rows(["", "Budi Santoso", "", "19.OPD.DISDIK"])
    assert isinstance(budi, EmployeeRow) and budi.kind == KIND_NON_ASN
    assert errors(rows(["", "Budi Santoso", "", ""])) == [(2, "kode_instansi")]
    assert errors(rows(["", "Rahmat Hidayat", "PNS", "19.OPD.DISDIK"])) == [(2, "nip")]
    assert errors(rows(["", "", "PNS", "19.OPD.DISDIK"])) == [(2, "nip")]


def test_a_nip_typed_into_a_number_cell_is_refused(tmp_path):
    # 18 digits do not fit the 15 a spreadsheet number keeps: the last ones are lost.
    path = write_xlsx(tmp_path / "angka.xlsx", [HEADER, [int(NIP), "Rahmat", "PNS", "19"]])
    [error] = read_file(path).items
    assert isinstance(error, RowError) and (error.row, error.column) == (2, "nip")
    assert "number" in error.error


def test_a_phone_in_a_number_cell_gets_its_country_code_back(tmp_path):
    path = write_xlsx(
        tmp_path / "hp.xlsx",
        [["nip", "platform", "telepon"], [NIP, "WhatsApp", 81234567890]],
    )
    [row] = read_file(path).items
    assert isinstance(row, EmployeeRow)
    assert row.account == AccountRow("whatsapp", phone="6281234567890")


def test_a_profile_url_in_the_handle_column_gives_handle_and_url():
    [row] = parse_rows(
        [["nip", "platform", "akun"], [NIP, "ig", "https://www.instagram.com/Rahmat.H/"]],
        fmt="test",
    ).items
    assert isinstance(row, EmployeeRow)
    assert row.account == AccountRow(
        "instagram", handle="rahmat.h", url="https://www.instagram.com/Rahmat.H"
    )


def test_an_account_needs_a_platform_and_something_to_find_it_by():
    header = ["nip", "platform", "akun", "url", "telepon", "terverifikasi"]
    items = parse_rows(
        [
            header,
            [NIP, "", "rahmat", "", "", ""],
            [NIP, "facebook", "", "", "", "ya"],
            [NIP, "facebook", "", "bukan alamat", "", ""],
            [NIP, "", "", "", "", "ya"],  # "verified" alone is no account
        ],
        fmt="test",
    ).items
    assert errors(items) == [(2, "platform"), (3, "akun"), (4, "url")]
    assert [(row.row, row.account) for row in good(items)] == [(5, None)]


def test_a_value_longer_than_the_register_keeps_is_an_error():
    assert errors(rows([NIP, "R" * 201, "PNS", "19.OPD.DISDIK"])) == [(2, "nama")]


def test_a_quoted_cell_over_two_lines_is_one_row(tmp_path):
    path = write_csv(
        tmp_path / "multi.csv",
        f'nip;nama;jabatan\n{NIP};Rahmat;"Kepala Seksi\nKurikulum"\n1985;Salah;Staf\n',
    )
    items = read_file(path).items
    assert [row.position for row in good(items)] == ["Kepala Seksi Kurikulum"]
    assert errors(items) == [(3, "nip")]


def test_it_refuses_files_it_cannot_read(tmp_path):
    with pytest.raises(SpreadsheetError, match="UTF-8"):
        read_file(write_csv(tmp_path / "latin.csv", "nip;nama\n1;José\n", "latin-1"))
    with pytest.raises(SpreadsheetError, match="header"):
        read_file(write_csv(tmp_path / "none.csv", "a;b\n1;2\n"))
    with pytest.raises(SpreadsheetError, match="same column"):
        read_file(write_csv(tmp_path / "twice.csv", "nip;nama;name\n"))
    with pytest.raises(SpreadsheetError, match="xlsx"):
        read_file(write_csv(tmp_path / "old.xls", "not a workbook"))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SpreadsheetError, match="xlsx"):
        read_file(broken)
