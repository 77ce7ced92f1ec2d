"""WhatsApp chat exports ("Export chat"): the .txt, or the .zip with media.

Layouts seen in real exports (Android and iOS, Indonesian and English phone settings)::

    14/01/24 19.32 - Budi: pesan            Android, Indonesian
    14/01/24, 19.32 - Budi: pesan           Android, some locales
    1/14/24, 7:32 PM - Budi: message        Android, English (US): month first, 12-hour
    [14/01/24 19.32.05] Budi: pesan         iOS, Indonesian
    [14/01/24, 19.32.05] Budi: pesan        iOS, English (UK)

A message runs until the next header line, so multi-line messages keep their lines.
System lines (encryption notice, group created, member added or left, subject changed)
have no author, or on iOS carry the chat's name and an invisible mark, and are not posts.
Deleted messages have no content and are skipped; media placeholders become the post's
``media`` with an empty text (or the caption that follows the file name).

Whether the date is day/month or month/day is inferred from the whole file (a first field
above 12 settles it); an ambiguous file follows ``day_first`` (default: day first, as
Indonesian phones write it).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from .base import ImportFormatError, LineError, ParsedItem, ParsedPost, normalise_phone

DEFAULT_TZ = ZoneInfo("Asia/Jakarta")
_INVISIBLE = "\u200e\u200f\u202a\u202c\ufeff"
_DATE = r"(?P<d1>\d{1,2})[./-](?P<d2>\d{1,2})[./-](?P<year>\d{2}|\d{4})"
_TIME = (
    r"(?P<hour>\d{1,2})[.:](?P<minute>\d{2})(?:[.:](?P<second>\d{2}))?"
    r"(?:[\s\u202f]?(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
)
ANDROID = re.compile(rf"^{_DATE},? {_TIME} - (?P<rest>.*)$")
IOS = re.compile(rf"^\[{_DATE},? {_TIME}\] (?P<rest>.*)$")
# "Name: text"; a name never contains ": " itself.
AUTHOR = re.compile(r"^(?P<author>[^:]{1,80}?): (?P<text>.*)$", re.S)

SYSTEM_PATTERNS = re.compile(
    r"end-to-end|terenkripsi|dienkripsi|created (the )?group|membuat grup|"
    r"\badded\b|menambahkan|\bremoved\b|mengeluarkan|\bleft$|\bkeluar$|joined using|"
    r"bergabung (menggunakan|lewat|via)|changed the (subject|group|settings)|"
    r"mengubah (subjek|nama grup|ikon|deskripsi|setelan)|changed this group's|"
    r"security code|kode keamanan|changed (their|to) |mengganti nomor|now an admin|"
    r"sekarang (adalah )?admin|disappearing messages|pesan sementara|"
    r"pinned a message|menyematkan pesan|deleted this group's icon",
    re.I,
)
DELETED = re.compile(
    r"^(this message was deleted|you deleted this message|pesan ini (telah )?dihapus|"
    r"anda menghapus pesan ini)\.?$",
    re.I,
)
EDITED = re.compile(r"\s*<(this message was edited|pesan ini diedit)>\s*$", re.I)
MEDIA = re.compile(
    r"^(<media omitted>|<media tidak disertakan>|(image|video|audio|sticker|gif|document)"
    r" omitted|(gambar|video|audio|stiker|gif|dokumen) (dihilangkan|tidak disertakan)|"
    r"<attached: [^>]+>|\S+\.(jpe?g|png|webp|mp4|opus|pdf|docx?|xlsx?) "
    r"\((file attached|file terlampir)\))",
    re.I,
)
CHAT_NAME = re.compile(
    r"^(?:WhatsApp Chat (?:with|-) |Chat WhatsApp dengan |Chat WhatsApp - )(?P<name>.+?)"
    r"(?: \(\d+\))?$",
    re.I,
)


@dataclass(slots=True)
class _Header:
    line: int
    d1: int
    d2: int
    year: int
    hour: int
    minute: int
    second: int
    ampm: str
    rest: str


def chat_name(filename: str) -> str:
    """The chat's name from the export's file name ("WhatsApp Chat with Guru SD 3.txt")."""
    stem = Path(filename).stem
    found = CHAT_NAME.match(stem)
    return found.group("name").strip() if found else ""


def read_export(path: Path) -> tuple[str, str]:
    """(text of the chat, the chat's name from the file names) of a .txt or .zip export."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            texts = [n for n in archive.namelist() if n.lower().endswith(".txt")]
            if not texts:
                raise ImportFormatError("the zip holds no .txt chat export")
            chosen = next((n for n in texts if Path(n).name == "_chat.txt"), texts[0])
            data = archive.read(chosen)
            name = chat_name(chosen) or chat_name(path.name)
    else:
        data = path.read_bytes()
        name = chat_name(path.name)
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text (byte {exc.start})") from exc


def _header(number: int, line: str) -> _Header | None:
    found = IOS.match(line) or ANDROID.match(line)
    if found is None:
        return None
    return _Header(
        number,
        int(found["d1"]),
        int(found["d2"]),
        int(found["year"]),
        int(found["hour"]),
        int(found["minute"]),
        int(found["second"] or 0),
        (found["ampm"] or "").replace(".", "").replace(" ", "").lower(),
        found["rest"],
    )


def infer_day_first(headers: list[_Header], default: bool = True) -> bool:
    """Day first unless the file shows otherwise (a first field above 12 means day first, a
    second field above 12 means month first)."""
    if any(h.d1 > 12 for h in headers):
        return True
    if any(h.d2 > 12 for h in headers):
        return False
    return default


def _instant(header: _Header, day_first: bool, tz: tzinfo) -> datetime:
    day, month = (header.d1, header.d2) if day_first else (header.d2, header.d1)
    year = header.year + 2000 if header.year < 100 else header.year
    hour = header.hour
    if header.ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} with {header.ampm.upper()}")
        hour = hour % 12 + (12 if header.ampm.startswith("p") else 0)
    return datetime(year, month, day, hour, header.minute, header.second, tzinfo=tz)


def parse(
    text: str,
    *,
    group: str = "",
    day_first: bool | None = None,
    tz: tzinfo = DEFAULT_TZ,
) -> Iterator[ParsedItem]:
    """Posts and line problems of one chat export's text, in file order."""
    lines = text.splitlines()
    headers: dict[int, _Header] = {}
    for number, raw in enumerate(lines, 1):
        header = _header(number, raw.lstrip(_INVISIBLE))
        if header is not None:
            headers[number] = header
    if not headers:
        raise ImportFormatError("no WhatsApp message header found (e.g. '14/01/24 19.32 - ')")
    if day_first is None:
        day_first = infer_day_first(list(headers.values()))

    current: tuple[_Header, list[str]] | None = None
    for number, raw in enumerate(lines, 1):
        header = headers.get(number)
        if header is None:
            if current is None:
                if raw.strip():
                    yield LineError(number, "text before the first message header")
                continue
            current[1].append(raw)
            continue
        if current is not None:
            yield from _message(*current, group=group, day_first=day_first, tz=tz)
        current = (header, [header.rest])
    if current is not None:
        yield from _message(*current, group=group, day_first=day_first, tz=tz)


def _message(
    header: _Header, parts: list[str], *, group: str, day_first: bool, tz: tzinfo
) -> Iterator[ParsedItem]:
    try:
        posted_at = _instant(header, day_first, tz)
    except ValueError as exc:
        yield LineError(header.line, f"invalid date or time ({exc})")
        return
    body = "\n".join(parts)
    found = AUTHOR.match(body)
    if found is None:
        return  # a system line: "Budi menambahkan Ani", "Pesan dan panggilan terenkripsi..."
    author = found["author"].strip().lstrip("~").strip(" \u202f" + _INVISIBLE)
    if SYSTEM_PATTERNS.search(author):
        return  # 'Budi changed the subject from "Rapat: x"': the colon is the subject's
    content = found["text"]
    if content[:1] in _INVISIBLE and SYSTEM_PATTERNS.search(content):
        return  # iOS writes system lines under the chat's name, marked invisibly
    content = EDITED.sub("", content.strip(_INVISIBLE + " ")).strip()
    if DELETED.match(content):
        return
    media = ""
    first, _, caption = content.partition("\n")
    media_match = MEDIA.match(first.strip(_INVISIBLE + " "))
    if media_match:
        media = media_match.group(0)
        content = caption.strip()
    phone = normalise_phone(author) if re.fullmatch(r"[+\d\s().-]{8,}", author) else ""
    yield ParsedPost(
        source="whatsapp",
        platform="whatsapp",
        text=content,
        posted_at=posted_at,
        author_name="" if phone else author,
        author_phone=phone,
        group=group,
        action="message",
        media=media,
        line=header.line,
    )


def parse_file(
    path: Path, *, group: str = "", day_first: bool | None = None, tz: tzinfo = DEFAULT_TZ
) -> Iterator[ParsedItem]:
    text, name = read_export(path)
    return parse(text, group=group or name or path.stem, day_first=day_first, tz=tz)


def looks_like(head: str) -> bool:
    """True if the first lines of a text file have WhatsApp message headers."""
    lines = [line.lstrip(_INVISIBLE) for line in head.splitlines()[:20]]
    return any(IOS.match(line) or ANDROID.match(line) for line in lines)
