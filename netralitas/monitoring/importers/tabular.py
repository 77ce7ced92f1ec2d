"""Generic CSV and JSON-lines posts, for sources without an importer of their own.

Columns (CSV header or JSON keys; only ``text`` is required)::

    platform      facebook|instagram|x|tiktok|youtube|whatsapp|telegram (default: the
                  --platform option, else "facebook")
    author        the author's display name
    author_handle the author's handle or profile URL
    author_phone  the author's phone number
    text          the content (for a like or share: the content liked or shared)
    posted_at     ISO 8601: "2024-01-14T19:32:05+07:00", "2024-01-14 19:32" (local time),
                  or "2024-01-14"
    url           a link to the post
    action        post|share|comment|like|message (default: post)
    external_id   the platform's id of the post, when known (otherwise a fingerprint is used)
    group         the group or page the post was made in

CSV files may be comma or semicolon separated (Excel in Indonesian locales writes ";").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from .base import ACTIONS, PLATFORMS, ImportFormatError, LineError, ParsedItem, ParsedPost
from .whatsapp import DEFAULT_TZ

COLUMNS = (
    "platform",
    "author",
    "author_handle",
    "author_phone",
    "text",
    "posted_at",
    "url",
    "action",
    "external_id",
    "group",
)


def parse_instant(value: Any, tz: tzinfo) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"posted_at must be text, got {type(value).__name__}")
    value = value.strip()
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"posted_at {value!r} is not ISO 8601 (2024-01-14T19:32)") from None
    if len(value) == 10:  # a date alone: noon local time, safely inside the day
        instant = datetime.combine(date.fromisoformat(value), time(12))
    return instant if instant.tzinfo else instant.replace(tzinfo=tz)


def row_to_post(
    row: Mapping[str, Any], number: int, source: str, platform: str, tz: tzinfo
) -> ParsedItem:
    unknown = [key for key in row if key not in COLUMNS and key is not None]
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return LineError(number, "'text' is missing or empty")
    post_platform = str(row.get("platform") or platform or "facebook").strip().lower()
    if post_platform == "twitter":
        post_platform = "x"
    if post_platform not in PLATFORMS:
        return LineError(number, f"unknown platform {post_platform!r} ({', '.join(PLATFORMS)})")
    action = str(row.get("action") or "post").strip().lower()
    if action not in ACTIONS:
        return LineError(number, f"unknown action {action!r} ({', '.join(ACTIONS)})")
    try:
        posted_at = parse_instant(row.get("posted_at"), tz)
    except ValueError as exc:
        return LineError(number, str(exc))
    return ParsedPost(
        source=source,
        platform=post_platform,
        text=text,
        posted_at=posted_at,
        author_name=str(row.get("author") or "").strip(),
        author_handle=str(row.get("author_handle") or "").strip(),
        author_phone=str(row.get("author_phone") or "").strip(),
        external_id=str(row.get("external_id") or "").strip(),
        group=str(row.get("group") or "").strip(),
        url=str(row.get("url") or "").strip(),
        action=action,
        forwarded=action == "share",
        line=number,
        extra={"ignored_columns": unknown} if unknown else {},
    )


def parse_csv(path: Path, *, platform: str = "", tz: tzinfo = DEFAULT_TZ) -> Iterator[ParsedItem]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text (byte {exc.start})") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "text" not in fields:
        raise ImportFormatError(f"line 1: the header has no 'text' column ({', '.join(COLUMNS)})")
    reader.fieldnames = fields
    start = 2
    for row in reader:
        number = start
        start = reader.line_num + 1  # a quoted field may span lines
        if None in row:
            yield LineError(number, "more fields than the header has")
            continue
        yield row_to_post(row, number, "csv", platform, tz)


def parse_jsonl(path: Path, *, platform: str = "", tz: tzinfo = DEFAULT_TZ) -> Iterator[ParsedItem]:
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield LineError(number, f"not valid JSON ({exc})")
                continue
            if not isinstance(row, dict):
                yield LineError(number, f"expected a JSON object, got {type(row).__name__}")
                continue
            yield row_to_post(row, number, "jsonl", platform, tz)
