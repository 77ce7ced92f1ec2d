"""Checks on evidence files uploaded with public reports.

The file *name* and the content type sent by the browser are chosen by the
uploader, so neither is trusted: the type is decided from the leading bytes
("magic numbers") against an allow-list, and the stored extension comes from
that decision. Anything not recognised is rejected - this is what keeps out
HTML and SVG (which can carry scripts), executables (MZ, ELF), ZIP-based
Office documents, scripts and unknown formats, whatever they are named.

Sniffing does not make a file harmless: a valid GIF or PDF can still hide
other content. Serve evidence with the content type found here,
``X-Content-Type-Options: nosniff`` and ``Content-Disposition: attachment``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Union, cast

from django.utils.translation import gettext_lazy as _
from PIL import Image

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

Upload = Union[IO[bytes], "UploadedFile"]

CHUNK_SIZE = 64 * 1024
# Enough to read an ISO BMFF "ftyp" box with its list of compatible brands.
HEAD_SIZE = 512
# Images up to this many pixels are fully decoded to catch truncation; larger
# ones (after JPEG's cheap 1/8 scaling) are only structurally verified, so an
# upload cannot make a worker allocate gigabytes.
MAX_DECODE_PIXELS = 40_000_000
# Keep rejection messages readable even for absurd file names.
MAX_NAME_IN_MESSAGE = 80

# content type -> extension (with the dot) to store the file under.
ALLOWED_TYPES: dict[str, str] = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/3gpp": ".3gp",
    # Voice notes are common evidence: WhatsApp records Ogg/Opus, iPhones
    # record M4A, older recorders MP3.
    "audio/mp4": ".m4a",
    "audio/mpeg": ".mp3",
    "audio/ogg": ".ogg",
}

_PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}

# ISO base media file format brands (the "ftyp" box) we accept. HEIC/AVIF
# photos share the container but are deliberately absent: they cannot be
# verified with Pillow here.
_BMFF_BRANDS = {
    **dict.fromkeys(
        [
            b"isom",
            b"iso2",
            b"iso4",
            b"iso5",
            b"iso6",
            b"mp41",
            b"mp42",
            b"avc1",
            b"dash",
            b"MSNV",
            b"M4V ",
        ],
        "video/mp4",
    ),
    b"qt  ": "video/quicktime",
    **dict.fromkeys([b"3gp4", b"3gp5", b"3gp6", b"3gg6"], "video/3gpp"),
    b"M4A ": "audio/mp4",
}

_MESSAGES = {
    "too_large": _("“%(name)s” is larger than the maximum of %(limit)s."),
    "empty": _("“%(name)s” is empty."),
    "type_not_allowed": _(
        "“%(name)s” is not an accepted file type. Upload a photo (JPEG, PNG, "
        "GIF, WebP), a PDF document, a video (MP4, MOV, 3GP) or an audio "
        "recording (MP3, M4A, OGG)."
    ),
    "corrupt": _("“%(name)s” is damaged and cannot be opened as an image."),
}


class UploadRejected(ValueError):
    """An upload failed a check. ``message`` and ``params`` are shaped for
    ``ValidationError(err.message, code=err.code, params=err.params)``."""

    def __init__(self, code: str, name: str, *, limit: int | None = None) -> None:
        super().__init__(code, name)
        self.code = code
        self.message = _MESSAGES[code]
        self.params: dict[str, str] = {"name": _display_name(name)}
        if limit is not None:
            self.params["limit"] = _format_size(limit)

    def __str__(self) -> str:
        return str(self.message) % self.params


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    extension: str  # with the leading dot, e.g. ".jpg"
    size: int
    sha256: str  # hex digest


def inspect_upload(fileobj: Upload, *, name: str, max_bytes: int) -> SniffedFile:
    """Identify an upload by content and enforce the size cap.

    ``name`` is used only in error messages. Raises UploadRejected; always
    leaves the file rewound to the start.
    """
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    _reject_declared_size(fileobj, name, max_bytes)
    fileobj.seek(0)
    try:
        size, digest, head = _read_within_cap(fileobj, name, max_bytes)
        content_type = _classify(head, size, name)
        if content_type in _PILLOW_FORMATS:
            fileobj.seek(0)
            _verify_image(fileobj, _PILLOW_FORMATS[content_type], name)
    finally:
        fileobj.seek(0)
    return SniffedFile(content_type, ALLOWED_TYPES[content_type], size, digest)


def sniff_content_type(head: bytes) -> str | None:
    """Content type from a file's first bytes, or None if not allowed."""
    for matches, content_type in _SIGNATURES:
        if matches(head):
            return content_type
    return _bmff_type(head)


def _reject_declared_size(fileobj: Upload, name: str, max_bytes: int) -> None:
    # Django's UploadedFile.size is counted by the server while receiving, so
    # it can reject a huge upload without reading it again. It is never
    # trusted to *accept* a file: the streamed count below decides that.
    declared = getattr(fileobj, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise UploadRejected("too_large", name, limit=max_bytes)


def _read_within_cap(fileobj: Upload, name: str, max_bytes: int) -> tuple[int, str, bytes]:
    """Stream the file once: size, SHA-256 and the leading bytes.

    Never asks for more than max_bytes + 1 bytes in total, so an oversized
    (or endless) stream is cut off as soon as it crosses the cap.
    """
    hasher = hashlib.sha256()
    head = bytearray()
    size = 0
    while chunk := fileobj.read(min(CHUNK_SIZE, max_bytes + 1 - size)):
        size += len(chunk)
        if size > max_bytes:
            raise UploadRejected("too_large", name, limit=max_bytes)
        hasher.update(chunk)
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
    return size, hasher.hexdigest(), bytes(head)


def _classify(head: bytes, size: int, name: str) -> str:
    if size == 0:
        raise UploadRejected("empty", name)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise UploadRejected("type_not_allowed", name)
    return content_type


def _verify_image(fileobj: Upload, pillow_format: str, name: str) -> None:
    fp = cast(IO[bytes], fileobj)
    try:
        # verify() checks structure (e.g. every PNG chunk CRC) but does next
        # to nothing for JPEG/GIF/WebP, so also decode to catch truncation.
        with Image.open(fp, formats=[pillow_format]) as image:
            image.verify()
        fp.seek(0)
        with Image.open(fp, formats=[pillow_format]) as image:
            _decode_bounded(image)
    # Pillow's parsers raise many exception types on hostile input (OSError,
    # SyntaxError, struct.error, IndexError, DecompressionBombError, ...);
    # any failure to parse means the file is not a usable image.
    except Exception as error:
        raise UploadRejected("corrupt", name) from error


def _decode_bounded(image: Image.Image) -> None:
    if image.format == "JPEG":
        # Decoding at 1/8 scale still reads the whole compressed stream.
        image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
    if image.width * image.height <= MAX_DECODE_PIXELS:
        image.load()


def _is_mp3(head: bytes) -> bool:
    if head[:3] == b"ID3":
        return len(head) > 3 and head[3] in (2, 3, 4)
    if len(head) < 3 or head[0] != 0xFF:
        return False
    # MPEG audio frame header: 11 sync bits, version not "reserved", layer
    # III, bitrate index not free/bad, sample rate not reserved. Being strict
    # keeps arbitrary 0xFF-prefixed bytes from passing as audio.
    b1, b2 = head[1], head[2]
    return (
        b1 & 0xE0 == 0xE0
        and (b1 >> 3) & 0b11 != 0b01
        and (b1 >> 1) & 0b11 == 0b01
        and (b2 >> 4) not in (0b0000, 0b1111)
        and (b2 >> 2) & 0b11 != 0b11
    )


def _bmff_type(head: bytes) -> str | None:
    """MP4/MOV/3GP/M4A: an ``ftyp`` box first, judged by its brands."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    box_size = min(int.from_bytes(head[0:4], "big"), len(head))
    # Major brand first, then the compatible brands after the minor version.
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, box_size - 3, 4)]
    for brand in brands:
        if brand in _BMFF_BRANDS:
            return _BMFF_BRANDS[brand]
    return None


_SIGNATURES: list[tuple[Callable[[bytes], bool], str]] = [
    (lambda h: h[:3] == b"\xff\xd8\xff", "image/jpeg"),
    (lambda h: h[:8] == b"\x89PNG\r\n\x1a\n", "image/png"),
    (lambda h: h[:6] in (b"GIF87a", b"GIF89a"), "image/gif"),
    (lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP", "image/webp"),
    (lambda h: h[:5] == b"%PDF-", "application/pdf"),
    # Ogg container, version 0: WhatsApp voice notes (Opus).
    (lambda h: h[:5] == b"OggS\x00", "audio/ogg"),
    (_is_mp3, "audio/mpeg"),
]


def _display_name(name: str) -> str:
    # Browsers on Windows may send a full path; only the last part matters.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(c for c in base if c.isprintable())
    if len(printable) > MAX_NAME_IN_MESSAGE:
        return printable[: MAX_NAME_IN_MESSAGE - 1] + "…"
    return printable


def _format_size(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"
