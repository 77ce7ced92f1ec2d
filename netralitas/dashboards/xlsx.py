"""A period report as an XLSX workbook: a summary sheet, then one sheet per table.

Every data sheet is a plain list: one bold, frozen header row, then one row per agency,
month, case... with typed cells (integers, dates as dates), and an autofilter. Totals are
deliberately **not** written under the tables: a totals row inside the data would be
counted again by a reader's SUM, sort or pivot table, and for two tables (reports by
violation type, cases by platform) the rows may add up to more than the total anyway.
The totals, each record counted once, are on the summary sheet instead, together with
the notes that explain the counting.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from netralitas.dashboards.period import Column, PeriodReport, Table

SHEET_NAME_MAX = 31  # Excel refuses longer sheet names
# Characters Excel refuses in a sheet name.
SHEET_NAME_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_WIDTH = 60


def sheet_title(name: str, taken: set[str]) -> str:
    title = name.translate(SHEET_NAME_FORBIDDEN)[:SHEET_NAME_MAX].strip() or "Sheet"
    candidate, n = title, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = title[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def _local(value: datetime) -> datetime:
    # Excel has no time zones: write the local (WIB) wall-clock time, to the second.
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _write_header(ws: Worksheet, labels: list[str]) -> None:
    ws.append(labels)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A2"


def _fit_columns(ws: Worksheet, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, width + 2))


def _width(value: Any) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return len(str(value)) if value is not None else 0


def _cell_value(value: Any, column: Column) -> Any:
    if value in ("", None):
        return None  # an empty cell, not an empty string that ISBLANK() calls non-blank
    if column.kind == "datetime" and isinstance(value, datetime):
        return _local(value)
    return value


def _table_sheet(ws: Worksheet, table: Table) -> None:
    labels = [c.label for c in table.columns]
    _write_header(ws, labels)
    widths = [len(label) for label in labels]
    for row in table.rows:
        ws.append([_cell_value(v, c) for v, c in zip(row, table.columns, strict=True)])
        widths = [max(w, _width(v)) for w, v in zip(widths, row, strict=True)]
    formats = {"date": DATE_FORMAT, "month": MONTH_FORMAT, "datetime": DATETIME_FORMAT}
    for index, column in enumerate(table.columns, start=1):
        number_format = formats.get(column.kind)
        if number_format:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    if table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{len(table.rows) + 1}"
    _fit_columns(ws, widths)


def _summary_sheet(ws: Worksheet, report: PeriodReport) -> None:
    _write_header(ws, [_("Item"), _("Value")])
    rows: list[tuple[str, Any]] = [
        (_("Title"), report.title),
        (_("Prepared by"), report.office_name),
        (_("Period start"), report.date_from),
        (_("Period end"), report.date_to),
        (_("Agencies covered"), report.scope_label),
        (_("Agency code"), report.agency_code or None),
        (_("Generated"), _local(report.generated_at)),
    ]
    rows += [(f.label, f.value) for f in report.figures]
    for table in report.tables.values():
        if table.note:
            rows.append((_("Note: %(sheet)s") % {"sheet": table.sheet}, table.note))
    rows += [(_("Note"), note) for note in report.notes]
    for label, value in rows:
        ws.append([label, value])
        cell = ws.cell(row=ws.max_row, column=2)
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.column_dimensions["A"].width = min(MAX_WIDTH, max(len(str(r[0])) for r in rows) + 2)
    ws.column_dimensions["B"].width = 80


def period_report_xlsx(report: PeriodReport) -> bytes:
    workbook = Workbook()
    taken: set[str] = set()
    summary = workbook.active
    summary.title = sheet_title(_("Summary"), taken)
    _summary_sheet(summary, report)
    for table in report.tables.values():
        _table_sheet(workbook.create_sheet(sheet_title(table.sheet, taken)), table)
    properties = workbook.properties
    properties.title = f"{report.title} ({report.period_label})"
    properties.creator = report.office_name
    properties.subject = report.scope_label
    properties.created = properties.modified = _local(report.generated_at)
    properties.language = report.language
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
