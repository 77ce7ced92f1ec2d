"""The ``netralitas`` console script: Django's manage.py for this project.

The detector's commands are dispatched before Django is set up: they need no
database and no settings, and start faster without them.
"""

from __future__ import annotations

import os
import sys

DETECTOR_COMMANDS = frozenset({"detect", "evaluate-detector", "train-detector"})
# Documented with hyphens; Django command modules cannot have them.
HYPHENATED = {
    "import-posts": "import_posts",
    "export-findings": "export_findings",
    "import-employees": "import_employees",
    "export-case": "export_case",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in DETECTOR_COMMANDS:
        from netralitas.detection.cli import main as detector_main

        sys.exit(detector_main(args))
    if args and args[0] in HYPHENATED:
        args[0] = HYPHENATED[args[0]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["netralitas", *args])


if __name__ == "__main__":
    main()
