"""What every importer returns: parsed posts and numbered problems, no database.

An importer is a generator over :class:`ParsedPost` and :class:`LineError` items, in file
order. A problem with one line never stops the file; a file that cannot be read at all
raises :class:`ImportFormatError`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PLATFORMS = ("facebook", "instagram", "x", "tiktok", "youtube", "whatsapp", "telegram")
ACTIONS = ("post", "share", "comment", "like", "message")


class ImportFormatError(ValueError):
    """The file as a whole is not in the expected format (nothing from it is imported)."""


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    error: str


@dataclass(slots=True)
class ParsedPost:
    """One message or post as found in an export.

    ``external_id`` is the platform's own id where the export has one (Telegram, X); otherwise
    the post is identified by a content fingerprint (see :func:`fingerprint`).
    """

    source: str  # whatsapp | telegram | x | csv | jsonl
    platform: str
    text: str
    posted_at: datetime | None
    author_name: str = ""
    author_handle: str = ""
    author_phone: str = ""
    external_id: str = ""
    group: str = ""  # chat or group name, when the post was sent to one
    group_id: str = ""  # the platform's id of the chat, when known
    url: str = ""
    action: str = "post"
    forwarded: bool = False
    reply_to: str = ""
    media: str = ""  # the placeholder or file name of attached media
    line: int = 0  # where the post starts in the file (1-based), for messages
    extra: dict[str, Any] = field(default_factory=dict)


ParsedItem = ParsedPost | LineError

_SPACES = re.compile(r"\s+")


def normalise_phone(value: str) -> str:
    """Digits of a phone number in international form without "+": "0812-3456 789" and
    "+62 812 3456 789" both give "628123456789". Empty when there are too few digits."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8") and 9 <= len(digits) <= 12:
        digits = "62" + digits  # Indonesian mobile numbers written without 0
    return digits if len(digits) >= 8 else ""


def normalise_handle(value: str) -> str:
    """A social handle compared case-insensitively without "@" or a profile URL around it."""
    value = (value or "").strip()
    value = re.sub(r"^https?://(www\.|m\.)?[^/]+/", "", value)
    value = value.split("?")[0].strip("/").lstrip("@")
    return value.lower()


def normalise_name(value: str) -> str:
    """A person's name for matching: no titles' punctuation, no accents, single spaces."""
    value = unicodedata.normalize("NFKD", value or "")
    value = "".join(c for c in value if not unicodedata.combining(c))
    value = re.sub(r"[^\w\s]", " ", value.lower())
    return _SPACES.sub(" ", value).strip()


def fingerprint(post: ParsedPost, occurrence: int = 0) -> str:
    """The identity of a post without a platform id: source, chat, author, minute, text.

    ``occurrence`` tells apart identical messages sent in the same minute by the same
    person (the importer counts them in file order), so re-importing the file, or an
    export of the same chat that overlaps it, finds the same posts again.
    """
    minute = post.posted_at.strftime("%Y-%m-%dT%H:%M") if post.posted_at else ""
    author = (
        post.author_phone
        or normalise_handle(post.author_handle)
        or normalise_name(post.author_name)
    )
    text = _SPACES.sub(" ", post.text).strip()
    raw = "\x1f".join(
        [post.source, post.group_id or post.group, author, minute, text, str(occurrence)]
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def post_key(post: ParsedPost, occurrence: int = 0) -> str:
    """The unique key stored with a post: its source and external id, or its fingerprint."""
    if post.external_id:
        raw = f"{post.source}\x1f{post.group_id}\x1f{post.external_id}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return fingerprint(post, occurrence)
