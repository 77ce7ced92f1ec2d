import hashlib
import io

import pytest
from django.conf import settings

# gettext_lazy needs settings once a message is turned into str; under
# pytest-django the project settings are already configured.
if not settings.configured:
    settings.configure(USE_I18N=False)

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from netralitas.reports.uploads import (  # noqa: E402
    ALLOWED_TYPES,
    CHUNK_SIZE,
    SniffedFile,
    UploadRejected,
    inspect_upload,
)

MAX = 5 * 1024 * 1024


def image_bytes(pillow_format: str, size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    picture = Image.new("RGB", size, (200, 30, 30))
    # Some texture, so that truncating the data really loses pixels.
    for x in range(size[0]):
        picture.putpixel((x, x % size[1]), (x * 7 % 256, 90, 200))
    picture.save(out, format=pillow_format)
    return out.getvalue()


def bmff(major: bytes, *compatible: bytes) -> bytes:
    box = b"ftyp" + major + b"\x00\x00\x02\x00" + b"".join(compatible)
    ftyp = (len(box) + 4).to_bytes(4, "big") + box
    return ftyp + b"\x00\x00\x00\x10mdat" + b"\x00" * 8


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def inspect(data: bytes, name: str = "bukti.bin") -> SniffedFile:
    return inspect_upload(io.BytesIO(data), name=name, max_bytes=MAX)


def rejection(data: bytes, name: str = "bukti.jpg", max_bytes: int = MAX) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(io.BytesIO(data), name=name, max_bytes=max_bytes)
    return caught.value


class EndlessStream:
    """A file that never ends and counts what is taken from it."""

    def __init__(self, first: bytes = b"\x89PNG\r\n\x1a\n") -> None:
        self.first = first
        self.bytes_read = 0
        self.reads = 0

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "an unbounded read would never return"
        self.reads += 1
        start = self.first[self.bytes_read : self.bytes_read + size]
        self.bytes_read += size
        return start + b"\x00" * (size - len(start))

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0


@pytest.mark.parametrize(
    ("pillow_format", "content_type", "extension"),
    [
        ("PNG", "image/png", ".png"),
        ("JPEG", "image/jpeg", ".jpg"),
        ("GIF", "image/gif", ".gif"),
        ("WEBP", "image/webp", ".webp"),
    ],
)
def test_it_accepts_real_images(pillow_format: str, content_type: str, extension: str) -> None:
    data = image_bytes(pillow_format)
    # The name says nothing; the content decides.
    sniffed = inspect(data, name="foto.txt")
    assert sniffed == SniffedFile(
        content_type, extension, len(data), hashlib.sha256(data).hexdigest()
    )


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (MINIMAL_PDF, "application/pdf"),
        (bmff(b"mp42", b"mp42", b"isom"), "video/mp4"),
        (bmff(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "video/mp4"),
        (bmff(b"qt  ", b"qt  "), "video/quicktime"),
        (bmff(b"3gp4", b"isom", b"3gp4"), "video/3gpp"),
        (bmff(b"M4A ", b"M4A ", b"mp42", b"isom"), "audio/mp4"),
        # Unknown major brand, but a known compatible one.
        (bmff(b"xyz1", b"xyz1", b"isom"), "video/mp4"),
        (b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead", "audio/ogg"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 100, "audio/mpeg"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 100, "audio/mpeg"),
    ],
)
def test_it_accepts_documents_video_and_audio(data: bytes, content_type: str) -> None:
    sniffed = inspect(data)
    assert sniffed.content_type == content_type
    assert sniffed.extension == ALLOWED_TYPES[content_type]


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"  <html><body onload=alert(1)>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,  # Windows executable
        b"\x7fELF\x02\x01\x01" + b"\x00" * 200,  # Linux executable
        b"PK\x03\x04\x14\x00\x06\x00" + b"[Content_Types].xml" + b"\x00" * 50,  # docx
        b"#!/bin/sh\nrm -rf /\n",
        b"<?php system($_GET['c']); ?>",
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # RIFF but not WebP
        bmff(b"heic", b"mif1", b"heic"),  # HEIC photo: not verifiable here
        b"\xff\xf1\x50\x80" + b"\x00" * 100,  # AAC ADTS, not MP3
        b"just some text",
        bytes(range(256)),
    ],
)
def test_it_rejects_disallowed_types_whatever_the_name(data: bytes) -> None:
    error = rejection(data, name="foto.jpg")
    assert error.code == "type_not_allowed"
    assert "foto.jpg" in str(error)


def test_it_rejects_a_truncated_png_as_corrupt() -> None:
    data = image_bytes("PNG")
    assert rejection(data[: len(data) // 2]).code == "corrupt"


def test_it_rejects_a_png_with_a_bad_checksum_as_corrupt() -> None:
    data = bytearray(image_bytes("PNG"))
    data[40] ^= 0xFF  # inside the first chunk after IHDR
    assert rejection(bytes(data)).code == "corrupt"


def test_it_rejects_a_truncated_jpeg_as_corrupt() -> None:
    data = image_bytes("JPEG", (64, 64))
    assert rejection(data[: len(data) // 2]).code == "corrupt"


def test_it_rejects_an_image_header_with_garbage_as_corrupt() -> None:
    assert rejection(b"\xff\xd8\xff\xe0" + b"garbage" * 10).code == "corrupt"
    assert rejection(b"GIF89a" + b"<script>alert(1)</script>").code == "corrupt"


def test_it_rejects_an_empty_file() -> None:
    error = rejection(b"", name="kosong.pdf")
    assert error.code == "empty"
    assert "kosong.pdf" in str(error)


def test_it_accepts_a_file_exactly_at_the_cap() -> None:
    assert inspect_upload(io.BytesIO(MINIMAL_PDF), name="a.pdf", max_bytes=len(MINIMAL_PDF))


def test_it_rejects_a_file_one_byte_over_the_cap() -> None:
    error = rejection(MINIMAL_PDF, name="a.pdf", max_bytes=len(MINIMAL_PDF) - 1)
    assert error.code == "too_large"


def test_it_stops_reading_as_soon_as_the_cap_is_crossed() -> None:
    stream = EndlessStream()
    max_bytes = 3 * CHUNK_SIZE + 10
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(stream, name="besar.mp4", max_bytes=max_bytes)
    assert caught.value.code == "too_large"
    assert stream.bytes_read == max_bytes + 1
    assert stream.reads == 4  # three full chunks, then just the 11 bytes


def test_it_names_the_limit_in_the_message() -> None:
    from django.utils import translation

    error = rejection(b"x" * 2000, name="video.mp4", max_bytes=1024)
    with translation.override("en"):  # the message is translated when it is shown
        assert str(error) == "“video.mp4” is larger than the maximum of 1 KB."
    error = rejection(b"x" * 20, name="video.mp4", max_bytes=10)
    assert error.params["limit"] == "10 B"


def test_it_shows_only_a_tidy_file_name() -> None:
    error = rejection(b"<html>", name="C:\\Users\\budi\\evil\x00.jpg")
    assert error.params["name"] == "evil.jpg"
    error = rejection(b"<html>", name="a" * 500 + ".jpg")
    assert len(error.params["name"]) == 80


def test_it_computes_sha256_of_the_whole_file() -> None:
    data = MINIMAL_PDF + b"x" * (3 * CHUNK_SIZE + 123)
    assert inspect(data).sha256 == hashlib.sha256(data).hexdigest()
    assert inspect(data).size == len(data)


def test_it_rewinds_the_file_after_inspecting() -> None:
    accepted = io.BytesIO(image_bytes("PNG"))
    accepted.seek(10)  # a half-read file is still inspected from the start
    inspect_upload(accepted, name="a.png", max_bytes=MAX)
    assert accepted.tell() == 0
    rejected = io.BytesIO(b"<html>")
    with pytest.raises(UploadRejected):
        inspect_upload(rejected, name="a.png", max_bytes=MAX)
    assert rejected.tell() == 0


def test_it_works_with_django_uploaded_files() -> None:
    good = SimpleUploadedFile("bukti.png", image_bytes("PNG"), "image/png")
    assert inspect_upload(good, name=good.name, max_bytes=MAX).content_type == "image/png"
    # The browser's claimed content type is ignored.
    liar = SimpleUploadedFile("bukti.jpg", b"<html><script>", "image/jpeg")
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(liar, name=liar.name, max_bytes=MAX)
    assert caught.value.code == "type_not_allowed"


def test_it_rejects_an_uploaded_file_by_its_server_counted_size() -> None:
    upload = SimpleUploadedFile("besar.mp4", b"\x00" * 100, "video/mp4")
    upload.file = EndlessStream()
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload, name=upload.name, max_bytes=50)
    assert caught.value.code == "too_large"
    assert upload.file.reads == 0


def test_it_refuses_a_nonsensical_cap() -> None:
    with pytest.raises(ValueError):
        inspect_upload(io.BytesIO(b"x"), name="a", max_bytes=0)


def test_it_is_a_value_error_with_a_code() -> None:
    error = rejection(b"")
    assert isinstance(error, ValueError)
    assert error.code == "empty"
    assert error.params == {"name": "bukti.jpg"}
