"""``netralitas export-case NUMBER [-o FILE|-]``: one case file as JSON (docs/case-file.md).

Writes to standard output by default, or to FILE. The export is recorded on the case's
timeline as done from the command line (no staff account: whoever runs this has the
server's own access). An unknown case number prints one line on stderr and exits with 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from netralitas.cases.export import case_by_number, case_file_export, case_file_json
from netralitas.cases.services import case_export_record


class Command(BaseCommand):
    help = "Export one case file as JSON for exchange with other offices."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("number", help="case number, e.g. KASUS-2024-00001")
        parser.add_argument("-o", "--output", default="-", help="file to write, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        number = options["number"].strip().upper()
        case = case_by_number(number=number)
        if case is None:
            raise CommandError(_("There is no case %(number)s.") % {"number": number})
        text = case_file_json(case_file_export(case=case))
        output = options["output"]
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{output}: {exc.strerror}") from exc
        # Recorded only once the file was written: a failed write took nothing out.
        case_export_record(case=case, actor=None, via="command")
        if output != "-":
            self.stderr.write(
                _("Case %(number)s written to %(file)s.") % {"number": number, "file": output}
            )
