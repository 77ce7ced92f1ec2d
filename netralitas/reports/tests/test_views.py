"""The public pages: report form, done page and tracking page."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from netralitas.reports.models import Evidence, Report
from netralitas.reports.tracking import normalize_tracking_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids whatever the Indonesian catalogue says.
    client.cookies["django_language"] = "en"  # the language switch's cookie


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(**overrides) -> dict:
    data = {
        "reported_name": "Budi Santoso",
        "reported_agency": "Dinas Pendidikan",
        "incident_date": "2024-10-15",
        "incident_place": "Grup WhatsApp guru",
        "violation_type": "KE-02",
        "description": "Membagikan ajakan memilih pasangan calon nomor 1 di grup guru sekolah.",
        "evidence_links": "https://example.org/post/1",
        "reporter_name": "Siti Aminah",
        "reporter_phone": "081234567890",
        "reporter_email": "siti@example.org",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


URL = reverse("public:report_create")


def test_it_shows_the_form_with_a_fresh_idempotency_key(client):
    first = client.get(URL)
    second = client.get(URL)
    assert first.status_code == 200
    keys = [
        re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', r.content.decode()).group(1)
        for r in (first, second)
    ]
    assert keys[0] != keys[1]
    html = first.content.decode()
    assert 'type="file"' in html and 'name="evidence"' in html and "multiple" in html
    assert 'accept="image/*,application/pdf,video/mp4,audio/*"' in html
    assert "encrypted" in html  # identity protection is explained


def test_it_files_a_report_with_a_png_and_redirects_to_the_done_page(client):
    upload = SimpleUploadedFile("bukti.png", png_bytes(), content_type="image/png")
    response = client.post(URL, {**form_data(), "evidence": [upload]})

    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == reverse("public:report_done", args=[report.tracking_code])
    assert report.channel == "public_form"
    assert not report.is_anonymous
    files = Evidence.objects.filter(report=report, kind="file")
    assert [(e.content_type, e.extension) for e in files] == [("image/png", "png")]
    assert Evidence.objects.filter(report=report, kind="link").count() == 1

    done = client.get(response["Location"])
    assert done.status_code == 200
    assert report.tracking_code in done.content.decode()
    assert "Save this code" in done.content.decode()


def test_it_keeps_typed_values_when_the_form_is_invalid(client):
    data = form_data(description="terlalu pendek", reporter_phone="12345")
    response = client.post(URL, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Budi Santoso"' in html
    assert 'value="Grup WhatsApp guru"' in html
    assert re.search(r">\s*terlalu pendek</textarea>", html)
    assert "https://example.org/post/1" in html
    assert 'value="siti@example.org"' in html
    assert 'value="KE-02" selected' in html
    assert f'value="{data["idempotency_key"]}"' in html
    assert "Enter an Indonesian mobile number" in html
    assert Report.objects.count() == 0


def test_it_rejects_an_html_file_named_jpg_and_keeps_typed_values(client):
    fake = SimpleUploadedFile(
        "foto.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = client.post(URL, {**form_data(), "evidence": [fake]})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Budi Santoso"' in html
    assert "Membagikan ajakan memilih" in html
    assert 'id="id_evidence_errors"' in html
    assert "attach the file again" in html
    assert Report.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_it_files_one_report_for_a_double_submit(client):
    data = form_data()
    first = client.post(URL, data)
    second = client.post(URL, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


def test_it_refuses_a_malformed_code_on_the_done_page(client):
    assert client.get(reverse("public:report_done", args=["NTR-NOPE"])).status_code == 404


def test_it_shows_status_and_timeline_for_a_known_code(client, new_report):
    # Lower case and no hyphens: people type codes the way they read them.
    typed = new_report.tracking_code.replace("-", "").lower()
    response = client.get(reverse("public:track"), {"kode": typed})

    assert response.status_code == 200
    html = response.content.decode()
    assert new_report.tracking_code in html
    assert "Received" in html
    assert "Report received." in html
    # Nothing of the reporter or the evidence on the public page.
    assert "Siti Aminah" not in html and "081234567890" not in html


def test_it_shows_the_case_step_after_a_case_is_opened(client, case_factory):
    case = case_factory("registered")
    code = case.reports.get().tracking_code
    html = client.get(reverse("public:track"), {"kode": code}).content.decode()
    assert "Under examination" in html
    assert "The report was registered for examination." in html


def test_it_answers_404_for_an_unknown_code(client):
    unknown = normalize_tracking_code("NTR-0000-0000-0000")
    assert unknown is not None  # a well-formed code that no report has
    response = client.get(reverse("public:track"), {"kode": unknown})
    assert response.status_code == 404
    assert "could not find a report" in response.content.decode()
    assert client.get(reverse("public:track"), {"kode": "bukan kode"}).status_code == 404


def test_it_shows_the_empty_track_form(client):
    assert client.get(reverse("public:track")).status_code == 200


def test_it_rate_limits_report_posts(client, settings):
    settings.PUBLIC_REPORT_RATE_LIMIT_PER_HOUR = 2
    statuses = [
        client.post(
            URL, form_data(description=f"Laporan ke-{i}: ajakan memilih calon di grup.")
        ).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Report.objects.count() == 2
    # Reading the form is not limited.
    assert client.get(URL).status_code == 200


def test_it_rate_limits_tracking(client, settings, new_report):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 2
    statuses = [
        client.get(reverse("public:track"), {"kode": new_report.tracking_code}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_it_serves_the_home_page_with_a_tracking_box(client):
    html = client.get(reverse("public:home")).content.decode()
    assert reverse("public:report_create") in html
    assert f'action="{reverse("public:track")}"' in html and 'name="kode"' in html
    assert reverse("set_language") in html
