"""A citizen on a phone files a report with a screenshot, gets a code and checks it.

Runs Debian's Chromium (/usr/bin/chromium) through Playwright; never a downloaded browser.
Screenshots go to test-artifacts/ for review.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from netralitas.tests_browser.conftest import ARTIFACTS

CODE_RE = re.compile(r"NTR-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")

pytestmark = [pytest.mark.browser]


def screenshot_png(path: Path) -> Path:
    img = Image.new("RGB", (360, 640), (245, 245, 245))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 360, 56), fill=(24, 119, 242))
    draw.text((12, 20), "facebook", fill=(255, 255, 255))
    draw.text((12, 90), "Ayo coblos nomor 2! #Babel2024", fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.django_db(transaction=True)
def test_it_lets_a_citizen_report_from_a_phone_and_track_it(
    browser, live_server, tmp_path, reference_data
):
    from netralitas.reports.models import Evidence, Report

    ARTIFACTS.mkdir(exist_ok=True)
    image = screenshot_png(tmp_path / "tangkapan-layar.png")

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="id-ID",
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("html").get_attribute("lang") == "id"
    # The form fits a phone: nothing scrolls sideways.
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(e.getBoundingClientRect().right))""")
    page.screenshot(path=str(ARTIFACTS / "public-report-form-top.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide

    page.fill("[name=reported_name]", "Rahmat Hidayat")
    page.fill("[name=reported_agency]", "Dinas Pendidikan")
    page.fill("[name=incident_date]", "2024-10-15")
    page.fill("[name=incident_place]", "Facebook")
    page.select_option("[name=violation_type]", "KE-02")
    page.fill(
        "[name=description]",
        "Mengunggah foto pasangan calon gubernur dengan ajakan 'coblos nomor 2' di akun Facebook pribadinya.",
    )
    page.fill("[name=evidence_links]", "https://www.facebook.com/share/p/abc123")
    page.set_input_files("[name=evidence]", str(image))
    page.screenshot(path=str(ARTIFACTS / "public-report-form.png"), full_page=True)
    page.click("button[type=submit]")

    page.wait_for_url(re.compile(r".*/lapor/terkirim/.*"))
    code = page.locator("#tracking-code").inner_text().strip()
    assert CODE_RE.fullmatch(code), code
    page.screenshot(path=str(ARTIFACTS / "public-report-done.png"), full_page=True)

    report = Report.objects.get(tracking_code=code)
    evidence = Evidence.objects.get(report=report, kind="file")
    assert evidence.content_type == "image/png" and evidence.size == image.stat().st_size

    page.click("text=" + page.locator("a.button[href*='lacak']").inner_text())
    page.wait_for_url(re.compile(r".*/lacak/\?kode=.*"))
    assert code in page.content()
    assert page.locator(".badge-status").inner_text().strip() != ""
    assert "Rahmat" not in page.locator(".timeline").inner_text()
    page.screenshot(path=str(ARTIFACTS / "public-report-status.png"), full_page=True)
    context.close()
