"""``netralitas report --from DATE --to DATE [--format pdf|xlsx] -o FILE|- [--agency CODE]
[--language id|en]``: the period report of the dashboards as a PDF or XLSX file.

Dates are YYYY-MM-DD, both days included. ``--format`` may be left out when FILE ends in
.pdf or .xlsx. ``-o -`` writes the file to standard output (for a pipe; never to a
terminal). The report covers every agency unless ``--agency`` names one (with its units).
Labels are in ``--language`` (Indonesian by default).

Exit codes: 0 written; 2 a bad option (a date, an unknown agency, a period over five
years, a missing format), with one line on stderr naming the option; 1 the file could
not be written.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from netralitas.dashboards.pdf import period_report_pdf
from netralitas.dashboards.period import PeriodReportError, period_report_build
from netralitas.dashboards.xlsx import period_report_xlsx

FORMATS = ("pdf", "xlsx")
# The option that carries each argument of period_report_build, for error messages.
OPTIONS = {"date_from": "--from", "date_to": "--to", "agency_code": "--agency"}


def _usage_error(option: str, message: str) -> CommandError:
    # Exit code 2, as argparse uses for bad arguments; no traceback.
    return CommandError(f"{option}: {message}", returncode=2)


def _parse_date(option: str, value: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise _usage_error(
            option,
            _("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value},
        ) from None


class Command(BaseCommand):
    help = "Write the period report (summary, charts, tables) as a PDF or XLSX file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--from", dest="date_from", metavar="YYYY-MM-DD", required=True, help="first day"
        )
        parser.add_argument(
            "--to", dest="date_to", metavar="YYYY-MM-DD", required=True, help="last day"
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="pdf or xlsx (default: from the file name)"
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", required=True, help="file to write, or - for stdout"
        )
        parser.add_argument(
            "--agency", metavar="CODE", default="", help="agency code: only it and its units"
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the report (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        output = options["output"]
        fmt = options["format"] or Path(output).suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise _usage_error(
                "--format", _("Choose pdf or xlsx (the file name does not say which).")
            )
        if output == "-" and self.stdout.isatty():
            raise _usage_error(
                "-o", _("This is a binary file: write it to a file or a pipe, not a terminal.")
            )
        date_from = _parse_date("--from", options["date_from"])
        date_to = _parse_date("--to", options["date_to"])
        try:
            report = period_report_build(
                date_from=date_from, date_to=date_to, agency_code=options["agency"]
            )
        except PeriodReportError as exc:
            raise _usage_error(OPTIONS[exc.field], exc.message) from None
        data = period_report_pdf(report) if fmt == "pdf" else period_report_xlsx(report)
        if output == "-":
            # Bytes go to the underlying binary stream; flush the text layer first so
            # nothing written before lands after the file.
            self.stdout.flush()
            self.stdout.buffer.write(data)
            self.stdout.buffer.flush()
            return
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}", returncode=1) from exc
        self.stderr.write(
            _("Period report %(start)s to %(end)s written to %(file)s.")
            % {"start": date_from.isoformat(), "end": date_to.isoformat(), "file": output}
        )
