"""Importers of the export formats the monitoring team receives: text in, records out.

No database here (as the detector): :func:`parse_file` yields :class:`ParsedPost` and
:class:`LineError` items; :mod:`netralitas.monitoring.services` stores them.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path

from . import tabular, telegram, whatsapp, xapi
from .base import ImportFormatError, LineError, ParsedItem, ParsedPost, post_key

FORMATS = ("whatsapp", "telegram", "x", "csv", "jsonl")

__all__ = [
    "FORMATS",
    "ImportFormatError",
    "LineError",
    "ParsedItem",
    "ParsedPost",
    "detect_format",
    "parse_file",
    "post_key",
]


def detect_format(path: Path) -> str:
    """The format of an export, from its name and first bytes."""
    suffix = path.suffix.lower()
    if suffix == ".zip" or zipfile.is_zipfile(path):
        return "whatsapp"
    if suffix == ".csv":
        return "csv"
    with path.open("rb") as stream:
        head = stream.read(64 * 1024).decode("utf-8-sig", errors="replace")
    if suffix == ".txt" or whatsapp.looks_like(head):
        if whatsapp.looks_like(head):
            return "whatsapp"
        raise ImportFormatError("a .txt file without WhatsApp message headers")
    stripped = head.lstrip()
    first_line = stripped.split("\n", 1)[0]
    try:
        first = json.loads(first_line)
    except json.JSONDecodeError:
        first = None
    if isinstance(first, dict):  # JSON lines (or a one-line JSON document)
        return "x" if "data" in first and ("includes" in first or "meta" in first) else "jsonl"
    if stripped.startswith(("{", "[")):
        window = head[:20000]
        if '"messages"' in window or '"chats"' in window:
            return "telegram"
        if '"data"' in window:
            return "x"
    raise ImportFormatError("format not recognised; give --format (" + ", ".join(FORMATS) + ")")


def parse_file(
    path: Path,
    fmt: str = "auto",
    *,
    group: str = "",
    day_first: bool | None = None,
    platform: str = "",
    tz: tzinfo = whatsapp.DEFAULT_TZ,
) -> tuple[str, Iterator[ParsedItem]]:
    """(the format used, its items). Raises :class:`ImportFormatError` for a file that is
    not in the format at all, before anything is yielded."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "whatsapp":
        return fmt, whatsapp.parse_file(path, group=group, day_first=day_first, tz=tz)
    if fmt == "telegram":
        return fmt, telegram.parse_file(path, tz=tz)
    if fmt == "x":
        return fmt, xapi.parse_file(path)
    if fmt == "csv":
        return fmt, tabular.parse_csv(path, platform=platform, tz=tz)
    if fmt == "jsonl":
        return fmt, tabular.parse_jsonl(path, platform=platform, tz=tz)
    raise ImportFormatError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")
