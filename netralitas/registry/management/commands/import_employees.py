"""``netralitas import-employees FILE [--dry-run] [--json]``.

Imports employees and their social accounts from a personnel spreadsheet (.xlsx, or .csv
separated by "," or ";"); the columns are described in :mod:`netralitas.registry.spreadsheet`.
Good rows are applied in one transaction; bad rows are reported by row and column and the
exit code is 1. ``--dry-run`` prints the same report and saves nothing. A file that cannot
be read at all imports nothing and exits with 2. ``--json`` prints one summary line
(:meth:`EmployeeImportSummary.as_dict` plus ``file``, ``format`` and ``ignored_columns``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from netralitas.registry.models import Employee
from netralitas.registry.services import (
    AccountAction,
    EmployeeImportSummary,
    RowAction,
    RowChange,
    employees_import,
    value_label,
)
from netralitas.registry.spreadsheet import SpreadsheetError, read_file


class Command(BaseCommand):
    help = "Import employees and their social accounts from an XLSX or CSV spreadsheet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, save nothing"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON summary line")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file") % {"file": path})
        try:
            sheet = read_file(path)
        except SpreadsheetError as exc:
            if options["json"]:
                failed = EmployeeImportSummary(dry_run=options["dry_run"]).as_dict()
                failed["errors"] = [{"row": None, "column": None, "error": str(exc)}]
                self.stdout.write(json.dumps({"file": path.name, **failed}, ensure_ascii=False))
            raise CommandError(f"{path}: {exc}", returncode=2) from exc
        summary = employees_import(rows=sheet.items, dry_run=options["dry_run"])
        if options["json"]:
            result = {
                "file": path.name,
                "format": sheet.format,
                **summary.as_dict(),
                "ignored_columns": sheet.ignored_columns,
            }
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self._report(path, sheet.ignored_columns, summary, verbose=options["verbosity"] > 1)
        if summary.errors:
            count = summary.rejected_rows
            if summary.dry_run:
                message = ngettext(
                    "%(count)d row has errors and would not be imported.",
                    "%(count)d rows have errors and would not be imported.",
                    count,
                )
            else:
                message = ngettext(
                    "%(count)d row has errors and was not imported.",
                    "%(count)d rows have errors and were not imported.",
                    count,
                )
            raise CommandError(message % {"count": count}, returncode=1)

    def _report(
        self, path: Path, ignored: list[str], summary: EmployeeImportSummary, *, verbose: bool
    ) -> None:
        if ignored:
            self.stderr.write(_("Columns not used: %(columns)s") % {"columns": ", ".join(ignored)})
        for change in summary.changes:
            for line in _change_lines(change, verbose=verbose):
                self.stdout.write(line)
        for error in summary.errors:
            self.stderr.write(
                _("Row %(row)d, column %(column)s: %(error)s")
                % {"row": error.row, "column": error.column, "error": error.error}
            )
        self.stdout.write(
            _(
                "%(file)s: employees %(created)d new, %(updated)d changed, %(unchanged)d "
                "unchanged; accounts %(accounts_created)d new, %(accounts_existing)d already "
                "registered; %(rejected)d rows with errors."
            )
            % {
                "file": path.name,
                "created": summary.employees_created,
                "updated": summary.employees_updated,
                "unchanged": summary.employees_unchanged,
                "accounts_created": summary.accounts_created,
                "accounts_existing": summary.accounts_existing,
                "rejected": summary.rejected_rows,
            }
        )
        if summary.dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))


def _change_lines(change: RowChange, *, verbose: bool) -> list[str]:
    who = f"{change.name} ({change.nip})" if change.nip else change.name
    lines = []
    if change.action == RowAction.CREATE:
        lines.append(_("Row %(row)d: new employee %(who)s") % {"row": change.row, "who": who})
    elif change.action == RowAction.UPDATE:
        changed = "; ".join(
            f"{Employee._meta.get_field(name).verbose_name} {value_label(name, old)} → "
            f"{value_label(name, new)}"
            for name, (old, new) in change.fields.items()
        )
        lines.append(
            _("Row %(row)d: %(who)s changed: %(changes)s")
            % {"row": change.row, "who": who, "changes": changed}
        )
    if change.account == AccountAction.CREATED:
        lines.append(
            _("Row %(row)d: new account %(account)s for %(who)s")
            % {"row": change.row, "account": change.account_label, "who": who}
        )
    if verbose and not lines:
        lines.append(_("Row %(row)d: %(who)s unchanged") % {"row": change.row, "who": who})
    return lines
