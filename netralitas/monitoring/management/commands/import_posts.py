"""``netralitas import-posts FILE [--format auto|whatsapp|telegram|x|csv|jsonl] [--json]``.

Imports one export file atomically. Bad lines are reported by number and skipped; a file
that is not in the format at all imports nothing and exits with 2. ``--json`` prints one
summary line ``{"imported", "duplicates", "rejected", "errors": [{"line", "error"}]}``;
otherwise a progress line on a terminal and a summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from netralitas.monitoring.importers import FORMATS, ImportFormatError
from netralitas.monitoring.services import posts_import


class Command(BaseCommand):
    help = "Import posts from a WhatsApp, Telegram, X v2, CSV or JSON-lines export."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", default="auto", choices=("auto", *FORMATS))
        parser.add_argument("--json", action="store_true", help="print one JSON summary line")
        parser.add_argument("--group", default="", help="chat name (WhatsApp iOS exports)")
        parser.add_argument(
            "--date-order",
            choices=("auto", "dmy", "mdy"),
            default="auto",
            help="WhatsApp dates: inferred from the file unless given",
        )
        parser.add_argument("--platform", default="", help="default platform for CSV/JSONL")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        day_first = {"auto": None, "dmy": True, "mdy": False}[options["date_order"]]
        show_progress = not options["json"] and sys.stderr.isatty()

        def progress(done: int) -> None:
            if show_progress:
                sys.stderr.write(f"\r{path.name}: {done:,} lines")
                sys.stderr.flush()

        try:
            summary = posts_import(
                path=path,
                fmt=options["format"],
                group=options["group"],
                day_first=day_first,
                platform=options["platform"],
                progress=progress,
            )
        except ImportFormatError as exc:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "imported": 0,
                            "duplicates": 0,
                            "rejected": 0,
                            "errors": [{"line": None, "error": str(exc)}],
                        }
                    )
                )
            raise CommandError(f"{path}: {exc}", returncode=2) from exc
        if show_progress:
            sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        for error in summary.errors:
            self.stderr.write(f"line {error['line']}: {error['error']}")
        self.stdout.write(
            f"{path.name} ({summary.format}): {summary.imported} imported, "
            f"{summary.duplicates} duplicates, {summary.rejected} rejected"
        )
