"""registry.pacts.pact_file_check: a signed sheet is a PDF or a photo, judged by content."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation
from PIL import Image

from netralitas.registry.pacts import PactInputError, pact_file_check
from netralitas.registry.tests.conftest import PDF, png_bytes

MAX = 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def check(data: bytes, name: str = "pakta.pdf", max_bytes: int = MAX):
    return pact_file_check(io.BytesIO(data), name=name, max_bytes=max_bytes)


def refusal(data: bytes, name: str = "pakta.pdf", max_bytes: int = MAX) -> str:
    with pytest.raises(PactInputError) as caught:
        check(data, name, max_bytes)
    assert list(caught.value.errors) == ["file"]
    return " ".join(caught.value.errors["file"])


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 200, 200)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PDF, "application/pdf"),
        (png_bytes(), "image/png"),
        (image("JPEG"), "image/jpeg"),
        (image("WEBP"), "image/webp"),
    ],
)
def test_it_accepts_pdf_and_photos(data, content_type):
    sniffed = check(data, name="whatever.bin")
    assert sniffed.content_type == content_type
    assert sniffed.size == len(data)


def test_it_leaves_the_file_rewound():
    fh = io.BytesIO(PDF)
    pact_file_check(fh, name="pakta.pdf", max_bytes=MAX)
    assert fh.tell() == 0


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "pakta.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "p.svg"),
        (zip_bytes(), "pakta.docx"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "pakta.exe"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "pakta.pdf"),
        # Accepted as report evidence, but a sheet is no video, sound or animation.
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32, "pakta.mp4"),
        (b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "pakta.mp3"),
        (image("GIF"), "pakta.gif"),
        # "%PDF" must open the file, not appear later in it.
        (b"  " + PDF, "pakta.pdf"),
    ],
)
def test_it_refuses_everything_else(data, name):
    assert "is not a PDF or a photo" in refusal(data, name)


def test_it_refuses_a_truncated_pdf():
    assert "incomplete or damaged" in refusal(PDF[: len(PDF) // 2])


def test_it_accepts_trailing_bytes_after_the_end_marker():
    # Some scanners append a newline block after %%EOF; readers accept 1 KB of it.
    assert check(PDF + b"\n" * 500).content_type == "application/pdf"
    assert "incomplete" in refusal(PDF + b"\n" * 2000)


@pytest.mark.parametrize("marker", [b"/JavaScript", b"/Launch", b"/EmbeddedFile"])
def test_it_refuses_a_pdf_with_active_content(marker):
    active = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S" + marker + b">>")
    assert "contains scripts or embedded files" in refusal(active)


def test_it_finds_a_marker_across_read_chunks():
    # The marker straddles the 64 KB boundary of the streamed scan.
    start = 64 * 1024 - 5  # where the marker begins
    padding = b"%" + b"x" * (start - 9 - 2) + b"\n"
    active = PDF[:9] + padding + b"/JavaScript" + PDF[9:]
    assert active.find(b"/JavaScript") < 64 * 1024 < active.find(b"/JavaScript") + 11
    assert "contains scripts" in refusal(active, max_bytes=2 * MAX)


def test_it_refuses_a_damaged_photo():
    data = png_bytes()
    assert "damaged" in refusal(data[: len(data) - 20], name="foto.png")


def test_it_refuses_an_empty_or_oversized_file():
    assert "is empty" in refusal(b"")
    assert "larger than the maximum" in refusal(PDF, max_bytes=len(PDF) - 1)


def test_it_shows_only_the_last_part_of_a_windows_path():
    message = refusal(b"<html></html>", name="C:\\Users\\staf\\Desktop\\pakta.html")
    assert "“pakta.html”" in message and "Desktop" not in message
