"""Telegram Desktop exports (``result.json``, "Export chat history" or "Export data").

One chat is an object with ``messages``; a full export has ``chats.list[]`` (and maybe
``left_chats.list[]``), each a chat. A message's ``text`` is a string or a list of plain
strings and entity objects (``{"type": "bold", "text": ...}``); the instant is
``date_unixtime`` (``date`` is local time without a zone, used only when the former is
missing). Service messages (group created, member joined, pinned...) are not posts.

The file is one JSON document, so a problem is reported at the line where the message's
``"id"`` is written (Telegram Desktop writes one key per line).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from .base import ImportFormatError, LineError, ParsedItem, ParsedPost
from .whatsapp import DEFAULT_TZ

_ID_LINE = re.compile(r'^\s*"id": (-?\d+),?\s*$')


def load(path: Path) -> tuple[Any, list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        return json.loads(text), text.splitlines()
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from exc


def chats_of(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, dict) and isinstance(document.get("messages"), list):
        return [document]
    if isinstance(document, dict):
        chats: list[dict[str, Any]] = []
        for key in ("chats", "left_chats"):
            section = document.get(key)
            if isinstance(section, dict) and isinstance(section.get("list"), list):
                chats.extend(c for c in section["list"] if isinstance(c, dict))
        if chats or "chats" in document:
            return chats
    raise ImportFormatError("not a Telegram export: no 'messages' and no 'chats.list'")


def plain_text(value: Any) -> str | None:
    """The text of a message: a string, or the concatenation of a list of strings and
    entities; None if it is neither."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts: list[str] = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                return None
        return "".join(parts)
    return None


def _id_lines(lines: list[str]) -> list[tuple[int, int]]:
    """(message id, line number) in file order, for every line holding only an id."""
    found = []
    for number, line in enumerate(lines, 1):
        match = _ID_LINE.match(line)
        if match:
            found.append((int(match.group(1)), number))
    return found


def parse(document: Any, lines: list[str], *, tz: tzinfo = DEFAULT_TZ) -> Iterator[ParsedItem]:
    id_lines = _id_lines(lines)
    cursor = 0

    def line_of(message_id: Any) -> int:
        # Messages appear in file order, so search forward from the last one found.
        nonlocal cursor
        for index in range(cursor, len(id_lines)):
            if id_lines[index][0] == message_id:
                cursor = index + 1
                return id_lines[index][1]
        return 0

    for chat in chats_of(document):
        group = str(chat.get("name") or "")
        chat_type = str(chat.get("type") or "")
        group_id = str(chat.get("id") or "")
        line_of(chat.get("id"))  # the chat's own id line comes before its messages
        for index, message in enumerate(chat.get("messages") or []):
            if not isinstance(message, dict):
                yield LineError(0, f"chat {group!r}: message {index + 1} is not an object")
                continue
            number = line_of(message.get("id"))
            if message.get("type") == "service":
                continue
            yield _post(message, number, group, group_id, chat_type, tz)


def _post(
    message: dict[str, Any], number: int, group: str, group_id: str, chat_type: str, tz: tzinfo
) -> ParsedItem:
    message_id = message.get("id")
    if not isinstance(message_id, int):
        return LineError(number, "message without an integer 'id'")
    text = plain_text(message.get("text", ""))
    if text is None:
        return LineError(number, f"message {message_id}: 'text' is neither a string nor entities")
    posted_at: datetime | None = None
    unix = message.get("date_unixtime")
    try:
        if unix not in (None, ""):
            posted_at = datetime.fromtimestamp(int(unix), UTC).astimezone(tz)
        elif isinstance(message.get("date"), str):
            posted_at = datetime.fromisoformat(message["date"]).replace(tzinfo=tz)
    except (TypeError, ValueError, OverflowError):
        return LineError(number, f"message {message_id}: invalid date")
    if posted_at is None:
        return LineError(number, f"message {message_id}: no date")
    forwarded = message.get("forwarded_from")
    media = str(message.get("media_type") or ("photo" if message.get("photo") else "") or "")
    if not media and message.get("file"):
        media = "file"
    reply = message.get("reply_to_message_id")
    is_group = chat_type not in ("personal_chat", "saved_messages", "bot_chat")
    return ParsedPost(
        source="telegram",
        platform="telegram",
        text=text,
        posted_at=posted_at,
        author_name=str(message.get("from") or ""),
        author_handle=str(message.get("from_id") or ""),
        external_id=str(message_id),
        group=group if is_group else "",
        group_id=group_id,
        action="share" if forwarded else "message",
        forwarded=bool(forwarded),
        reply_to=str(reply) if reply is not None else "",
        media=media,
        line=number,
        extra={"forwarded_from": forwarded} if forwarded else {},
    )


def parse_file(path: Path, *, tz: tzinfo = DEFAULT_TZ) -> Iterator[ParsedItem]:
    document, lines = load(path)
    chats_of(document)  # raise now if it is not a Telegram export
    return parse(document, lines, tz=tz)
