"""The staff pages of integrity pacts and socialisation: the role matrix, what each page
shows, the recording forms (and that a failed form keeps what was typed)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from netralitas.registry.models import IntegrityPact, PactMethod, SocialisationEvent
from netralitas.registry.pacts import pact_acknowledge
from netralitas.registry.tests.conftest import PDF

pytestmark = pytest.mark.django_db

READ_ALL = ["verifier", "examiner", "admin_user", "bawaslu", "ppk"]
RECORDERS = ["verifier", "admin_user", "agency_head"]
READ_ONLY = ["examiner", "bawaslu", "ppk"]


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids whatever the Indonesian catalogue says.
    client.cookies["django_language"] = "en"


@pytest.fixture
def as_user(client, request):
    def login(persona: str):
        client.force_login(request.getfixturevalue(persona))
        return client

    return login


@pytest.fixture
def event(disdik, guru, verifier):
    recorded = SocialisationEvent.objects.create(
        agency=disdik,
        held_on=date(2024, 9, 24),
        title="Apel Netralitas ASN",
        unlisted_attendee_count=40,
        recorded_by=verifier,
    )
    recorded.attendees.add(guru)
    return recorded


def read_urls(disdik, guru, event) -> list[str]:
    return [
        reverse("integrity:progress"),
        reverse("integrity:agency", args=[disdik.code]),
        reverse("integrity:employee", args=[guru.pk]),
        reverse("integrity:events"),
        reverse("integrity:event", args=[event.pk]),
    ]


# --- the role matrix -------------------------------------------------------------------


@pytest.mark.parametrize("persona", READ_ALL + ["agency_head"])
def test_reading_roles_see_every_page_of_their_scope(persona, as_user, disdik, guru, event):
    client = as_user(persona)
    for url in read_urls(disdik, guru, event):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_a_ppk_of_another_region_gets_not_found(as_user, disdik, guru, event):
    client = as_user("ppk_other")
    assert client.get(reverse("integrity:progress")).status_code == 200
    for url in read_urls(disdik, guru, event)[1:]:
        if url == reverse("integrity:events"):
            continue
        assert client.get(url).status_code == 404, url


def test_an_agency_head_gets_not_found_outside_their_agency(as_user, dinkes, perawat):
    client = as_user("agency_head")
    assert client.get(reverse("integrity:agency", args=[dinkes.code])).status_code == 404
    assert client.get(reverse("integrity:employee", args=[perawat.pk])).status_code == 404
    response = client.post(
        reverse("integrity:pact_link", args=[perawat.pk]), {"pemilu": "pilkada-2024"}
    )
    assert response.status_code == 404


def test_an_account_without_a_role_is_refused(as_user, disdik, guru, event):
    client = as_user("outsider")
    for url in read_urls(disdik, guru, event):
        assert client.get(url).status_code == 403, url


def test_a_scoped_account_without_an_agency_is_refused(as_user, agency_head):
    agency_head.agency = None
    agency_head.save(update_fields=["agency"])
    response = as_user("agency_head").get(reverse("integrity:progress"))
    assert response.status_code == 403
    assert "not linked to an agency" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, disdik, guru, event):
    for url in read_urls(disdik, guru, event):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def upload_post(client, employee, *, data: bytes = PDF, name: str = "pakta.pdf", day="2024-08-20"):
    return client.post(
        reverse("integrity:pact_upload", args=[employee.pk]),
        {
            "pemilu": "pilkada-2024",
            "signed_on": day,
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
    )


@pytest.mark.parametrize("persona", RECORDERS)
def test_recorders_upload_and_make_links(persona, as_user, guru, pilkada):
    client = as_user(persona)
    response = upload_post(client, guru)
    assert response.status_code == 302
    assert IntegrityPact.objects.get(employee=guru, election=pilkada).method == PactMethod.UPLOAD
    other = guru.__class__.objects.create(name="Lain", kind="NON_ASN", agency=guru.agency)
    response = client.post(
        reverse("integrity:pact_link", args=[other.pk]), {"pemilu": "pilkada-2024"}
    )
    assert response.status_code == 200
    assert "/pakta-integritas/" in response.content.decode()


@pytest.mark.parametrize("persona", READ_ONLY + ["outsider"])
def test_read_only_roles_cannot_record_anything(persona, as_user, disdik, guru):
    client = as_user(persona)
    assert upload_post(client, guru).status_code == 403
    link = client.post(reverse("integrity:pact_link", args=[guru.pk]), {"pemilu": "pilkada-2024"})
    assert link.status_code == 403
    head = client.post(reverse("integrity:agency_head", args=[disdik.code]), {"head": guru.pk})
    assert head.status_code == 403
    csv_links = client.post(reverse("integrity:agency_links", args=[disdik.code]))
    assert csv_links.status_code == 403
    create = client.get(reverse("integrity:event_create"), {"instansi": disdik.code})
    assert create.status_code == 403
    assert not IntegrityPact.objects.exists()
    disdik.refresh_from_db()
    assert disdik.head is None


def test_pages_show_recording_forms_only_to_recorders(as_user, disdik, guru):
    url = reverse("integrity:employee", args=[guru.pk])
    assert 'name="file"' in as_user("agency_head").get(url).content.decode()
    assert 'name="file"' not in as_user("examiner").get(url).content.decode()
    agency_url = reverse("integrity:agency", args=[disdik.code])
    assert "Save the agency head" not in as_user("ppk").get(agency_url).content.decode()


# --- what the pages show ---------------------------------------------------------------


def test_the_progress_page_highlights_and_lists_heads_not_signed(
    as_user, disdik, dinkes, kadis, perawat, pilkada
):
    dinkes.head = perawat
    dinkes.save(update_fields=["head"])
    pact_acknowledge(employee=kadis, election=pilkada)
    html = as_user("verifier").get(reverse("integrity:progress")).content.decode()
    listed = re.search(r'<ul id="head-not-signed">(.*?)</ul>', html, re.S).group(1)
    assert dinkes.name in listed and disdik.name not in listed
    assert re.search(rf'<tr data-code="{re.escape(dinkes.code)}" class="is-unsigned">', html)
    assert re.search(rf'<tr data-code="{re.escape(disdik.code)}">', html)


def test_the_progress_page_filters_by_url(as_user, disdik, dinkes, perawat, pilkada):
    dinkes.head = perawat
    dinkes.save(update_fields=["head"])
    client = as_user("verifier")
    html = client.get(reverse("integrity:progress"), {"belum": "on"}).content.decode()
    rows = re.findall(r'<tr data-code="([^"]+)"', html)
    assert rows == [dinkes.code]
    # Agencies of Kabupaten Bangka only (disdik hangs there).
    html = client.get(
        reverse("integrity:progress"), {"wilayah": disdik.parent.code}
    ).content.decode()
    rows = re.findall(r'<tr data-code="([^"]+)"', html)
    assert disdik.code in rows and dinkes.code not in rows
    # Another election: the selection is kept in the form.
    html = client.get(reverse("integrity:progress"), {"pemilu": "pemilu-2024"}).content.decode()
    assert '<option value="pemilu-2024" selected>' in html


def test_an_agency_head_sees_only_their_agency_on_the_progress_page(as_user, disdik):
    html = as_user("agency_head").get(reverse("integrity:progress")).content.decode()
    assert re.findall(r'<tr data-code="([^"]+)"', html) == [disdik.code]


def test_the_agency_page_shows_each_employees_status(as_user, disdik, kadis, guru, pilkada):
    pact_acknowledge(employee=guru, election=pilkada)
    html = as_user("ppk").get(reverse("integrity:agency", args=[disdik.code])).content.decode()
    assert re.search(r'id="agency-active">2<', html) and re.search(r'id="agency-signed">1<', html)
    row = re.search(rf'<tr data-employee="{guru.pk}">(.*?)</tr>', html, re.S).group(1)
    assert "signed" in row and "in the app" in row
    row = re.search(rf'<tr data-employee="{kadis.pk}">(.*?)</tr>', html, re.S).group(1)
    assert "not signed yet" in row
    filtered = as_user("ppk").get(
        reverse("integrity:agency", args=[disdik.code]), {"status": "unsigned"}
    )
    assert f'data-employee="{guru.pk}"' not in filtered.content.decode()


def test_an_agency_head_records_their_head(as_user, disdik, kadis):
    client = as_user("agency_head")
    response = client.post(
        reverse("integrity:agency_head", args=[disdik.code]), {"head": kadis.pk, "pemilu": ""}
    )
    assert response.status_code == 302
    disdik.refresh_from_db()
    assert disdik.head == kadis


def test_it_refuses_a_head_from_outside_the_list(as_user, disdik, perawat):
    response = as_user("verifier").post(
        reverse("integrity:agency_head", args=[disdik.code]), {"head": perawat.pk}
    )
    assert response.status_code == 400
    disdik.refresh_from_db()
    assert disdik.head is None


def test_the_links_spreadsheet_has_one_working_link_per_unsigned_employee(
    as_user, client, disdik, kadis, guru, pilkada
):
    pact_acknowledge(employee=kadis, election=pilkada)
    guru.name = '=HYPERLINK("http://x")'
    guru.save(update_fields=["name"])
    response = as_user("agency_head").post(
        reverse("integrity:agency_links", args=[disdik.code]), {"pemilu": "pilkada-2024"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2  # the header and the teacher; the head has signed
    assert rows[1][0].startswith("'=")  # no formula in anyone's spreadsheet
    client.logout()
    path = rows[1][4].removeprefix("http://testserver")
    assert client.get(path).status_code == 200


def test_the_sheet_download_is_an_attachment_within_scope(as_user, guru, perawat, pilkada):
    upload_post(as_user("verifier"), guru)
    pact = IntegrityPact.objects.get(employee=guru)
    response = as_user("bawaslu").get(reverse("integrity:pact_file", args=[pact.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert (
        as_user("ppk_other").get(reverse("integrity:pact_file", args=[pact.pk])).status_code == 404
    )


# --- a failed form keeps what was typed ------------------------------------------------


def test_a_refused_sheet_keeps_the_date_and_asks_for_the_file_again(as_user, guru):
    response = upload_post(
        as_user("verifier"),
        guru,
        data=b"<html>not a pdf</html>",
        name="pakta.pdf",
        day="2024-08-21",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2024-08-21"' in html
    assert "is not a PDF or a photo" in html
    assert "attach the file again" in html
    assert not IntegrityPact.objects.exists()


def test_a_second_upload_is_refused_with_the_first_date(as_user, guru, pilkada):
    client = as_user("verifier")
    upload_post(client, guru)
    response = upload_post(client, guru, day="2024-09-01")
    assert response.status_code == 400
    assert "already has a pact" in response.content.decode()
    assert IntegrityPact.objects.filter(employee=guru).count() == 1


def event_post(client, disdik, **overrides):
    data = {
        "instansi": disdik.code,
        "held_on": "2024-10-08",
        "title": "Sosialisasi Etika Bermedia Sosial",
        "place": "Aula Dinas",
        "organiser": "Bawaslu Provinsi",
        "pemilu": "",
        "attendee_nips": "",
        "unlisted_attendee_count": "12",
        "notes": "",
    }
    data.update(overrides)
    return client.post(reverse("integrity:event_create"), data)


def test_an_agency_head_records_an_event(as_user, disdik, guru, kadis):
    client = as_user("agency_head")
    form = client.get(reverse("integrity:event_create"), {"instansi": disdik.code})
    assert form.status_code == 200 and f'value="{guru.pk}"' in form.content.decode()
    response = event_post(client, disdik, attendees=[guru.pk], attendee_nips=kadis.nip)
    assert response.status_code == 302
    recorded = SocialisationEvent.objects.get()
    assert response["Location"] == reverse("integrity:event", args=[recorded.pk])
    assert set(recorded.attendees.all()) == {guru, kadis}
    assert recorded.election.code == "pilkada-2024"
    page = client.get(response["Location"]).content.decode()
    assert "14 (2 from the registry, 12 others)" in page


def test_a_refused_event_keeps_what_was_typed(as_user, disdik, guru):
    response = event_post(
        as_user("verifier"),
        disdik,
        attendees=[guru.pk],
        attendee_nips="199901012020121001",
        notes="Catatan panjang",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "No active employee has these NIPs: 199901012020121001" in html
    assert 'value="Sosialisasi Etika Bermedia Sosial"' in html
    assert 'value="12"' in html and "Catatan panjang" in html
    assert re.search(rf'value="{guru.pk}"[^>]*checked', html)
    assert not SocialisationEvent.objects.exists()


def test_an_agency_head_cannot_record_for_another_agency(as_user, dinkes):
    response = event_post(as_user("agency_head"), dinkes)
    assert response.status_code == 400  # not among their agencies: the picker refuses it
    assert not SocialisationEvent.objects.exists()


def test_the_events_page_totals_attendees(as_user, event, disdik):
    html = as_user("examiner").get(reverse("integrity:events")).content.decode()
    row = re.search(rf'<tr data-code="{re.escape(disdik.code)}">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "1", "40", "41"]


def test_a_region_page_lists_what_is_below_it(as_user, province, disdik, guru):
    html = (
        as_user("verifier").get(reverse("integrity:agency", args=[province.code])).content.decode()
    )
    assert disdik.parent.name in html  # Kabupaten Bangka, a direct child of the province
    assert "Dinas Kesehatan" in html  # a provincial agency
    assert disdik.name not in html.split("<h2>Employees</h2>")[0]  # a grandchild is not listed


def test_an_inactive_agency_still_has_its_page(as_user, disdik, guru):
    disdik.is_active = False
    disdik.save(update_fields=["is_active"])
    response = as_user("verifier").get(reverse("integrity:agency", args=[disdik.code]))
    assert response.status_code == 200
    assert 'id="agency-active">1<' in response.content.decode()
