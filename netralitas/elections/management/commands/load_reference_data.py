from django.core.management.base import BaseCommand, CommandError

from netralitas.elections.config import ConfigError
from netralitas.elections.services import reference_data_load


class Command(BaseCommand):
    help = "Load agencies, elections, the SKB 2022 rule table, deadlines and holidays (idempotent)."

    def handle(self, *args, **options):
        try:
            summary = reference_data_load()
        except ConfigError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            for name, n in summary.counts.items():
                self.stdout.write(f"{name}: {n}")
