from __future__ import annotations

from datetime import date

from django.utils import timezone


def local_today() -> date:
    """Today in the configured zone (WIB by default), never the server's UTC date."""
    return timezone.localdate()
