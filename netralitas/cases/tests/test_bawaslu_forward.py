"""Bawaslu liaisons record reports they forward (UU 7/2017 Pasal 455)."""

import pytest
from django.urls import reverse

from netralitas.reports.models import Channel, Report

pytestmark = pytest.mark.django_db
URL = reverse("staff:bawaslu_report_create")


def form_data(**overrides):
    data = {
        "reported_name": "Hendra Saputra",
        "reported_agency": "",
        "incident_date": "2024-11-02",
        "incident_place": "Grup WhatsApp Kecamatan",
        "violation_type": "DS-06",
        "description": "Temuan Panwascam: membagikan ajakan memilih paslon bupati di grup WA kantor.",
        "idempotency_key": "bawaslu-1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("verifier", 403),
        ("examiner", 403),
        ("ppk", 403),
        ("agency_head", 403),
        ("admin_user", 403),
        ("outsider", 403),
        ("bawaslu", 200),
    ],
)
def test_it_lets_only_the_bawaslu_liaison_record_forwarded_reports(
    client, request, persona, expected
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == expected
    response = client.post(URL, form_data())
    assert response.status_code == (302 if expected == 200 else expected)
    assert Report.objects.count() == (1 if expected == 200 else 0)


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_records_the_channel_and_who_entered_it(client, bawaslu):
    client.force_login(bawaslu)
    response = client.post(URL, form_data())
    report = Report.objects.get()
    assert response["Location"] == reverse("public:report_done", args=[report.tracking_code])
    assert report.channel == Channel.BAWASLU and report.submitted_by == bawaslu


def test_it_keeps_what_was_typed_on_error(client, bawaslu):
    client.force_login(bawaslu)
    client.cookies["django_language"] = "en"
    response = client.post(URL, form_data(description="terlalu pendek"))
    assert response.status_code == 400
    assert "Hendra Saputra" in response.content.decode()
    assert Report.objects.count() == 0
