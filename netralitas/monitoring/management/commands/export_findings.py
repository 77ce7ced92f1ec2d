"""``netralitas export-findings [-o FILE] [--status S] [--labels]``: findings as JSON lines.

Each line: ``{"finding_id", "status", "stance", "score", "targets", "post": {"source",
"external_id", "author", "text", "posted_at", "group"}}``. ``--labels`` writes the
reviewers' decisions in the detector corpus format instead, for retraining.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from netralitas.monitoring.models import FindingStatus
from netralitas.monitoring.selectors import finding_export_rows, review_labels


class Command(BaseCommand):
    help = "Export findings (or reviewer labels) as JSON lines."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("-o", "--output", default="-")
        parser.add_argument("--status", choices=FindingStatus.values, default="")
        parser.add_argument("--labels", action="store_true", help="reviewer decisions as corpus")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = (
            review_labels() if options["labels"] else finding_export_rows(status=options["status"])
        )
        out = (
            self.stdout
            if options["output"] == "-"
            else open(options["output"], "w", encoding="utf-8")
        )  # noqa: SIM115
        count = 0
        try:
            for row in rows:
                out.write(
                    json.dumps(row, ensure_ascii=False) + ("" if out is self.stdout else "\n")
                )
                count += 1
        finally:
            if out is not self.stdout:
                out.close()
        if options["output"] != "-":
            sys.stderr.write(f"{count} lines written to {options['output']}\n")
