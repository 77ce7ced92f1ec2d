"""Employees and their social accounts from the spreadsheets personnel offices keep.

Pure parsing, no database (as ``monitoring.importers``): :func:`read_file` turns an .xlsx
or .csv file into :class:`EmployeeRow` and :class:`RowError` items in file order;
:func:`netralitas.registry.services.employees_import` stores them.

Columns (header names are case-insensitive; spaces, dots and slashes count as "_"; the
Indonesian name or the English alias; only ``nip`` or ``nama`` is required)::

    nip                 NIP, 18 digits (spaces, dots and dashes allowed). Empty for non-ASN staff.
    nama / name         full name
    jenis / kind        PNS | PPPK (also P3K) | non-ASN (also honorer, kontrak, THL, PTT)
    jabatan / position  position
    pangkat / rank      rank or grade ("Penata, III/c")
    kode_instansi / agency_code
                        the agency's code in the register ("19.OPD.DISDIK")
    jabatan_pimpinan / leadership
                        ya/tidak, true/false, 1/0: holds a leadership post
    aktif / active      ya/tidak, true/false, 1/0
    platform            facebook, instagram, x (twitter), tiktok, youtube, whatsapp (wa),
                        telegram
    akun / handle       the handle, with or without "@", or the profile URL
    url                 the profile URL
    telepon / phone     phone number (0812..., +62 812..., 62812...)
    terverifikasi / verified
                        ya/tidak: the account is confirmed to be the employee's

A row carries one employee and zero or one account; an employee with several accounts
takes one row per account (the employee's cells may be left empty on the extra rows). An
empty cell means "not given": it never clears a stored value. A row without NIP is a
non-ASN employee, found by name within the agency, so it needs ``nama`` and
``kode_instansi``. Title rows above the header are skipped: the header is the first row
(of the first ten) with a ``nip`` or ``nama`` column. Row numbers are the spreadsheet's.
Only the first sheet of a workbook is read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

# The matcher (monitoring.matching) looks accounts up with these same functions, so an
# account stored through them is found again; they are pure, hence the import across apps.
from netralitas.monitoring.importers.base import PLATFORMS, normalise_handle, normalise_phone
from netralitas.registry.nip import NipError, normalize_nip, parse_nip

# The values of registry.models.EmployeeKind (a test checks that they agree); this module
# cannot import the models, which need the app registry.
KIND_PNS = "PNS"
KIND_PPPK = "PPPK"
KIND_NON_ASN = "NON_ASN"

# Canonical field -> accepted header names (already normalised by _header_key).
COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nip_baru", "nomor_induk_pegawai"),
    "name": ("nama", "name", "nama_lengkap", "nama_pegawai"),
    "kind": ("jenis", "kind", "jenis_pegawai", "status_kepegawaian", "status_pegawai"),
    "position": ("jabatan", "position"),
    "rank": ("pangkat", "rank", "pangkat_golongan", "golongan", "grade"),
    "agency_code": ("kode_instansi", "agency_code", "kode_opd", "kode_unit_kerja"),
    "holds_leadership_post": ("jabatan_pimpinan", "leadership", "pimpinan"),
    "is_active": ("aktif", "active", "is_active"),
    "platform": ("platform", "medsos", "media_sosial"),
    "handle": ("akun", "handle", "nama_akun", "username"),
    "url": ("url", "tautan", "link"),
    "phone": ("telepon", "phone", "nomor_telepon", "no_telepon", "no_hp", "nomor_hp", "hp"),
    "verified": ("terverifikasi", "verified", "diverifikasi"),
}
ACCOUNT_FIELDS = ("platform", "handle", "url", "phone")
_BY_ALIAS = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
HEADER_SEARCH_ROWS = 10
# The running-number column nearly every sheet has: not reported as an unused column.
_ROW_NUMBER_HEADERS = frozenset({"no", "nomor", "no_urut", "nomor_urut"})

# The model's max_length of each text field: a longer value is an error, never truncated.
MAX_LENGTH = {
    "name": 200,
    "position": 200,
    "rank": 60,
    "agency_code": 40,
    "handle": 100,
    "url": 300,
    "phone": 20,
}

# Spellings seen in personnel files, compared upper case without spaces or punctuation.
_KINDS = {
    "PNS": KIND_PNS,
    "ASNPNS": KIND_PNS,
    "PEGAWAINEGERISIPIL": KIND_PNS,
    "CPNS": KIND_PNS,
    "PPPK": KIND_PPPK,
    "P3K": KIND_PPPK,
    "ASNPPPK": KIND_PPPK,
    "PPPKPARUHWAKTU": KIND_PPPK,
    "PEGAWAIPEMERINTAHDENGANPERJANJIANKERJA": KIND_PPPK,
    "NONASN": KIND_NON_ASN,
    "HONORER": KIND_NON_ASN,
    "TENAGAHONORER": KIND_NON_ASN,
    "KONTRAK": KIND_NON_ASN,
    "TENAGAKONTRAK": KIND_NON_ASN,
    "THL": KIND_NON_ASN,
    "PTT": KIND_NON_ASN,
}
# Compared lower case without spaces or punctuation ("Tik Tok", "X (Twitter)").
_PLATFORMS = {p: p for p in PLATFORMS} | {
    "fb": "facebook",
    "ig": "instagram",
    "twitter": "x",
    "xtwitter": "x",
    "yt": "youtube",
    "wa": "whatsapp",
    "tg": "telegram",
}
_TRUE = frozenset({"ya", "y", "yes", "true", "t", "1", "benar", "aktif", "✓"})
_FALSE = frozenset(
    {"tidak", "tdk", "no", "n", "false", "f", "0", "salah", "nonaktif", "non aktif", "tidak aktif"}
)
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE]\+?\d+$")
_SPACES = re.compile(r"\s+")
_url_validator = URLValidator(schemes=["http", "https"])


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read (nothing from it is imported)."""


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str  # the header as the file writes it
    error: str


@dataclass(frozen=True, slots=True)
class AccountRow:
    platform: str
    handle: str = ""  # lower case, without "@"
    url: str = ""
    phone: str = ""  # digits in international form, "6281234567890"
    verified: bool = False


@dataclass(frozen=True, slots=True)
class EmployeeRow:
    """One good row. ``None`` (or "" for the keys) means the file does not give the value."""

    row: int
    nip: str
    name: str
    kind: str
    agency_code: str
    position: str | None = None
    rank: str | None = None
    holds_leadership_post: bool | None = None
    is_active: bool | None = None
    account: AccountRow | None = None
    # Canonical field -> header as written, so that later checks name the column too.
    headers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def column(self, name: str) -> str:
        return self.headers.get(name, COLUMNS[name][0])


SheetItem = EmployeeRow | RowError


@dataclass(slots=True)
class Sheet:
    format: str  # xlsx | csv
    header_row: int
    headers: dict[str, str]  # canonical field -> header as written
    ignored_columns: list[str]
    items: list[SheetItem]


def read_file(path: Path) -> Sheet:
    """Parse a whole file. Raises :class:`SpreadsheetError` when it is not a readable .xlsx
    or .csv, or has no header row."""
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"} or (suffix != ".csv" and zipfile.is_zipfile(path)):
        return parse_rows(_xlsx_rows(path), fmt="xlsx")
    if suffix == ".xls":
        raise SpreadsheetError(_("Old .xls workbooks cannot be read: save the file as .xlsx."))
    return parse_rows(_csv_rows(path), fmt="csv")


def parse_rows(rows: Iterable[Sequence[object]], *, fmt: str) -> Sheet:
    """Parse rows of cell values, the first being row 1 of the sheet."""
    numbered = enumerate(rows, 1)
    header_row, headers, positions, ignored = _find_header(numbered)
    items: list[SheetItem] = []
    for number, cells in numbered:
        values = {
            name: cells[index] if index < len(cells) else None for name, index in positions.items()
        }
        if all(_blank(v) for v in values.values()):
            continue
        items.extend(parse_row(number, values, headers))
    return Sheet(fmt, header_row, headers, ignored, items)


def parse_row(number: int, values: dict[str, object], headers: dict[str, str]) -> list[SheetItem]:
    """One data row: ``[EmployeeRow]``, or one :class:`RowError` per faulty cell."""
    cells = _Cells(number, values, headers)
    kind = cells.kind()
    nip = cells.nip(kind)
    name = cells.text("name")
    agency_code = cells.text("agency_code")
    if not nip and not cells.failed("nip"):
        if not name:
            cells.fail(
                "nip" if "nip" in headers else "name", _("The row has neither a NIP nor a name.")
            )
        elif kind in {KIND_PNS, KIND_PPPK}:
            cells.fail("nip", _("A PNS or PPPK must have a NIP."))
        elif not agency_code and not cells.failed("agency_code"):
            # Non-ASN staff have no NIP and are told apart by name within their agency.
            cells.fail("agency_code", _("A row without a NIP needs the agency code."))
        kind = kind or KIND_NON_ASN
    position = cells.text("position") or None
    rank = cells.text("rank") or None
    leadership = cells.flag("holds_leadership_post")
    active = cells.flag("is_active")
    account = cells.account()
    if cells.errors:
        return list(cells.errors)
    return [
        EmployeeRow(
            row=number,
            nip=nip,
            name=name,
            kind=kind,
            agency_code=agency_code,
            position=position,
            rank=rank,
            holds_leadership_post=leadership,
            is_active=active,
            account=account,
            headers=headers,
        )
    ]


class _Cells:
    """The cells of one row, read field by field; each fault is kept with its column."""

    def __init__(self, number: int, values: dict[str, object], headers: dict[str, str]) -> None:
        self.number = number
        self.values = values
        self.headers = headers
        self.errors: list[RowError] = []

    def fail(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.headers.get(name, COLUMNS[name][0]), message))

    def failed(self, name: str) -> bool:
        column = self.headers.get(name, COLUMNS[name][0])
        return any(error.column == column for error in self.errors)

    def text(self, name: str) -> str:
        value = _text(self.values.get(name))
        limit = MAX_LENGTH.get(name)
        if limit and len(value) > limit:
            self.fail(name, _("Longer than %(limit)d characters.") % {"limit": limit})
            return ""
        return value

    def flag(self, name: str) -> bool | None:
        raw = self.values.get(name)
        if _blank(raw):
            return None
        parsed = _bool(raw)
        if parsed is None:
            self.fail(
                name,
                _("Write ya or tidak (or 1 or 0), not %(value)s.") % {"value": _quoted(raw)},
            )
        return parsed

    def kind(self) -> str:
        raw = self.text("kind")
        if not raw:
            return ""
        kind = _KINDS.get(re.sub(r"[^A-Z0-9]", "", raw.upper()), "")
        if not kind:
            self.fail(
                "kind",
                _("Unknown employee kind %(value)s: write PNS, PPPK or non-ASN.")
                % {"value": _quoted(raw)},
            )
        return kind

    def nip(self, kind: str) -> str:
        raw = self.values.get("nip")
        if _blank(raw):
            return ""
        if not isinstance(raw, str) or _SCIENTIFIC.match(raw.strip()):
            # Spreadsheets keep 15 significant digits of a number: an 18-digit NIP typed
            # into a number cell has already lost its last digits, so it cannot be repaired.
            self.fail(
                "nip",
                _(
                    "The NIP is stored as a number, which keeps only 15 digits: format the "
                    "column as text and type the NIP again."
                ),
            )
            return ""
        # Excel users type a leading apostrophe to keep a number as text.
        nip = normalize_nip(raw.strip().lstrip("'"))
        try:
            # Without a kind, the PPPK rules: they accept every PNS number as well.
            parse_nip(nip, kind=KIND_PNS if kind == KIND_PNS else KIND_PPPK)
        except NipError as error:
            self.fail("nip", str(error))
            return ""
        return nip

    def account(self) -> AccountRow | None:
        if all(_blank(self.values.get(name)) for name in ACCOUNT_FIELDS):
            return None  # a "verified" cell alone says nothing
        platform_text = self.text("platform")
        platform = _PLATFORMS.get(re.sub(r"[^a-z0-9]", "", platform_text.lower()), "")
        if not platform_text:
            self.fail("platform", _("An account needs its platform."))
        elif not platform:
            self.fail(
                "platform",
                _("Unknown platform %(value)s: write one of %(known)s.")
                % {"value": _quoted(platform_text), "known": ", ".join(PLATFORMS)},
            )
        raw_handle, url = self.text("handle"), self.text("url")
        if raw_handle.lower().startswith(("http://", "https://", "www.")) and not url:
            url = raw_handle  # a profile URL typed into the handle column
        handle = normalise_handle(raw_handle)
        if len(handle) > MAX_LENGTH["handle"]:
            self.fail("handle", _("Longer than %(limit)d characters.") % {"limit": 100})
        phone = self.phone()
        if url:
            url = _url(url)
            try:
                _url_validator(url)
            except ValidationError:
                self.fail("url", _("%(value)s is not a web address.") % {"value": _quoted(url)})
            if len(url) > MAX_LENGTH["url"]:
                self.fail("url", _("Longer than %(limit)d characters.") % {"limit": 300})
        if not (handle or phone or url) and not self.failed("phone") and not self.failed("url"):
            self.fail("handle", _("An account needs a handle, a URL or a phone number."))
        verified = self.flag("verified")
        return AccountRow(platform, handle=handle, url=url, phone=phone, verified=bool(verified))

    def phone(self) -> str:
        raw = self.values.get("phone")
        if _blank(raw):
            return ""
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        # A number cell has lost the leading 0; normalise_phone puts 62 before an 8.
        text = str(raw).strip()
        phone = normalise_phone(text)
        if not phone:
            self.fail("phone", _("%(value)s is not a phone number.") % {"value": _quoted(text)})
        elif len(phone) > MAX_LENGTH["phone"]:
            self.fail("phone", _("Longer than %(limit)d characters.") % {"limit": 20})
            return ""
        return phone


def _find_header(
    numbered: Iterator[tuple[int, Sequence[object]]],
) -> tuple[int, dict[str, str], dict[str, int], list[str]]:
    for number, cells in numbered:
        keys = [_header_key(cell) for cell in cells]
        names = [_BY_ALIAS.get(key, "") for key in keys]
        if "nip" not in names and "name" not in names:
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        headers: dict[str, str] = {}
        positions: dict[str, int] = {}
        ignored: list[str] = []
        for index, (cell, name) in enumerate(zip(cells, names, strict=True)):
            written = _text(cell)
            if not name:
                if written and keys[index] not in _ROW_NUMBER_HEADERS:
                    ignored.append(written)
                continue
            if name in headers:
                raise SpreadsheetError(
                    _("Row %(row)d: columns %(first)s and %(second)s are the same column.")
                    % {"row": number, "first": headers[name], "second": written}
                )
            headers[name] = written
            positions[name] = index
        return number, headers, positions, ignored
    raise SpreadsheetError(
        _("No header row with a %(nip)s or %(name)s column in the first %(count)d rows.")
        % {"nip": "nip", "name": "nama", "count": HEADER_SEARCH_ROWS}
    )


def _xlsx_rows(path: Path) -> Iterator[Sequence[object]]:
    from openpyxl import load_workbook  # imported here: CSV imports do not need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise SpreadsheetError(
            _("Not a readable .xlsx workbook (%(error)s).") % {"error": exc}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        # Files written by other programs often carry a wrong size; read what is there.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[Sequence[object]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _('Not UTF-8 text (byte %(byte)d): save the file as "CSV UTF-8".') % {"byte": exc.start}
        ) from exc
    head = text[:4096]
    # Excel in Indonesian locales writes ";" because "," is the decimal separator.
    delimiter = ";" if head.count(";") > head.count(",") else ","
    # A csv record is one spreadsheet row even when a quoted cell spans lines, and a blank
    # line is an (empty) row, so records are numbered, not lines.
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _header_key(value: object) -> str:
    return re.sub(r"[^0-9a-z]+", "_", _text(value).lower()).strip("_")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return _SPACES.sub(" ", str(value)).strip()


def _quoted(value: object) -> str:
    return f'"{_text(value)}"'


def _bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _url(value: str) -> str:
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        value = "https://" + value
    return value.rstrip("/")
