from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from netralitas.core.demo import DemoError, demo_seed
from netralitas.core.management.commands.demo import quiet_intake, summary_write


class Command(BaseCommand):
    help = "Seed demo accounts, employees, reports and cases (once; later runs change nothing)."

    def handle(self, *args, **options) -> None:
        verbosity = options.get("verbosity", 1)
        try:
            with quiet_intake(verbosity):
                summary = demo_seed(stdout=self.stdout if verbosity > 1 else None)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        summary_write(self.stdout, summary)
