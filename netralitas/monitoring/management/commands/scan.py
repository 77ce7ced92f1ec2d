"""``netralitas scan [--json] [--batch N] [--limit N] [--queue]``: run the detector over
posts not yet scanned.

In-process by default (the embedded setup). With ``--queue`` (or when
``CELERY_BROKER_URL`` is set and ``--in-process`` is not given) it enqueues one task per
batch for the Celery workers, which may run on several machines.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from netralitas.monitoring.selectors import posts_unscanned_count
from netralitas.monitoring.services import posts_scan


class Command(BaseCommand):
    help = "Scan unscanned posts for partisan content."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--limit", type=int, default=None)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--queue", action="store_true", help="enqueue for Celery workers")
        mode.add_argument("--in-process", action="store_true", help="never use the queue")

    def handle(self, *args: Any, **options: Any) -> None:
        use_queue = options["queue"] or (
            bool(settings.CELERY_BROKER_URL) and not options["in_process"]
        )
        if use_queue:
            from netralitas.monitoring.tasks import enqueue_scan

            batches = enqueue_scan(size=options["batch"], limit=options["limit"])
            result: dict[str, Any] = {"queued_batches": batches}
        else:
            tty = sys.stderr.isatty() and not options["json"]
            pending = posts_unscanned_count() if tty else 0

            def progress(done: int) -> None:
                if tty:
                    sys.stderr.write(f"\rscanned {done:,} of {pending:,}")

            result = posts_scan(
                size=options["batch"], limit=options["limit"], progress=progress
            ).as_dict()
            if tty:
                sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items()))
