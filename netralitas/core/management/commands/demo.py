"""``netralitas demo``: a ready-to-click local instance, with no configuration.

Migrates the database, loads the reference data, seeds the demo (once), prints the
accounts and addresses, then serves on 127.0.0.1 with Django's development server.
A second run finds everything in place and goes straight to serving.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from netralitas.core.demo import DemoError, DemoSummary, demo_seed


def summary_write(out: TextIO, summary: DemoSummary, *, port: int | None = None) -> None:
    """The accounts table (and, with a port, the addresses) for the person at the terminal."""
    if summary.created:
        out.write(_("Demo data created.") + "\n")
    else:
        out.write(_("Demo data already present; nothing changed.") + "\n")
    rows = [(a.role_label, a.username, a.full_name, a.agency) for a in summary.accounts]
    header = (_("Role"), _("Username"), _("Name"), _("Agency"))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(3)]
    out.write("\n")
    for row in [header, *rows]:
        out.write(
            "  "
            + "  ".join(str(c).ljust(w) for c, w in zip(row[:3], widths, strict=True))
            + f"  {row[3]}\n"
        )
    out.write(
        "\n  "
        + _("Password for every demo account: %(password)s") % {"password": summary.password}
        + "\n"
    )
    counts = ", ".join(f"{status} {n}" for status, n in summary.case_counts.items())
    out.write(
        "  "
        + _("Cases: %(total)d (%(counts)s); overdue: %(overdue)d")
        % {"total": summary.cases, "counts": counts, "overdue": summary.overdue}
        + "\n"
    )
    out.write(
        "  "
        + _(
            "Reports: %(total)d, of which new: %(new)d, dismissed: %(dismissed)d; employees: %(employees)d"
        )
        % {
            "total": summary.reports,
            "new": summary.reports_new,
            "dismissed": summary.reports_dismissed,
            "employees": summary.employees,
        }
        + "\n"
    )
    if port is not None:
        base = f"http://127.0.0.1:{port}"
        out.write("\n")
        for label, url in [
            (_("Public report form"), f"{base}/"),
            (_("Staff"), f"{base}/staf/"),
            (_("Admin"), f"{base}/admin/"),
            (_("API (OpenAPI)"), f"{base}/api/v1/openapi.json"),
        ]:
            out.write(f"  {label:<20} {url}\n")
        out.write("\n")


@contextmanager
def quiet_intake(verbosity: int) -> Iterator[None]:
    """Hide the one-line-per-report intake log while seeding, unless asked for detail."""
    logger = logging.getLogger("netralitas.reports.services")
    level = logger.level
    if verbosity < 2:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = "Run a local demo: migrate, load reference data, seed demo data once, and serve."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--port", type=int, default=8000, help="Port on 127.0.0.1 (default 8000)."
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Prepare the database and print the accounts, but do not serve.",
        )

    def handle(self, *args, port: int, no_serve: bool, **options) -> None:
        if settings.PRODUCTION:
            # The demo accounts share a published password.
            raise CommandError(_("The demo cannot run with NETRALITAS_ENV=production."))
        if not 0 < port < 65536:
            raise CommandError(_("Port must be between 1 and 65535."))
        verbosity = options.get("verbosity", 1)
        self.stdout.write(_("Database: %(name)s") % {"name": settings.DATABASES["default"]["NAME"]})
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference_data", verbosity=0, stdout=_Discard())
        try:
            with quiet_intake(verbosity):
                summary = demo_seed(stdout=self.stdout if verbosity > 1 else None)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        summary_write(self.stdout, summary, port=port)
        if no_serve:
            return
        # No autoreloader: it would re-run this whole command in a child process.
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)


class _Discard:
    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass
