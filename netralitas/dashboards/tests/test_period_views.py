"""/staf/laporan-periode/: the form, the download, roles and scope."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from netralitas.dashboards.tests.test_period_build import PeriodWorld, period_world

pytestmark = pytest.mark.django_db

URL = "/staf/laporan-periode/"
PERIOD = {"from": "2024-01-01", "to": "2024-12-31"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids whatever the Indonesian catalogue says.
    client.cookies["django_language"] = "en"


@pytest.fixture
def world(verifier, examiner, ppk, employee) -> PeriodWorld:
    return period_world(verifier=verifier, examiner=examiner, ppk=ppk, employee=employee)


def download(client, **params):
    return client.get(URL, {**PERIOD, "format": "xlsx", **params, "download": "1"})


def summary(response) -> dict:
    wb = load_workbook(io.BytesIO(response.content))
    return dict(wb.worksheets[0].iter_rows(min_row=2, values_only=True))


def test_the_url_is_named():
    assert reverse("period_reports:form") == URL


# --- roles ------------------------------------------------------------------------------

ROLES = [
    ("anonymous", 302),
    ("outsider", 403),
    ("admin_user", 403),
    ("verifier", 200),
    ("examiner", 200),
    ("bawaslu", 200),
    ("ppk", 200),
    ("ppk_other", 200),
    ("agency_head", 200),
]


@pytest.mark.parametrize(("persona", "status"), ROLES)
def test_the_form_is_for_the_dashboard_roles(client, request, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(URL)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("persona", "status"), ROLES)
def test_the_download_is_for_the_dashboard_roles(client, request, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = download(client)

    assert response.status_code == status
    if status != 302:
        assert "no-store" in response["Cache-Control"]  # a file of personal data
    if status == 200:
        assert response["Content-Type"] == XLSX


# --- the form ---------------------------------------------------------------------------


def test_the_form_is_filled_from_the_dashboard_link(client, verifier, disdik):
    client.force_login(verifier)

    response = client.get(URL, {**PERIOD, "agency": disdik.code})

    html = response.content.decode()
    assert 'name="from" value="2024-01-01"' in html
    assert 'name="to" value="2024-12-31"' in html
    assert f'<option value="{disdik.code}" selected>' in html
    assert 'name="download" value="1"' in html


def test_a_ppk_chooses_only_within_their_agency(client, ppk_other, disdik):
    client.force_login(ppk_other)

    html = client.get(URL).content.decode()

    assert 'value="19.02"' in html
    assert f'value="{disdik.code}"' not in html


# --- the download -----------------------------------------------------------------------


def test_it_downloads_a_pdf_attachment(client, world, verifier):
    client.force_login(verifier)

    response = download(client, format="pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="laporan-netralitas-2024-01-01-2024-12-31.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    reader = PdfReader(io.BytesIO(response.content))
    assert "Page 1 of" in reader.pages[0].extract_text()  # the reader's language
    assert world.belitung.number in " ".join(p.extract_text() for p in reader.pages)


def test_it_downloads_an_xlsx_attachment_with_the_totals(client, world, verifier):
    client.force_login(verifier)

    response = download(client)

    assert response["Content-Disposition"].endswith(
        'filename="laporan-netralitas-2024-01-01-2024-12-31.xlsx"'
    )
    values = summary(response)
    assert (values["Reports"], values["Findings"], values["Cases"]) == (6, 2, 4)


def test_bad_dates_show_the_form_again_with_what_was_typed(client, verifier):
    client.force_login(verifier)

    response = download(client, **{"from": "2024-02-30", "to": "31-12-2024"})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2024-02-30"' in html and 'value="31-12-2024"' in html
    assert 'id="id_from_errors"' in html and 'id="id_to_errors"' in html
    assert "no-store" in response["Cache-Control"]


def test_an_end_before_the_start_is_an_error_on_the_end(client, verifier):
    client.force_login(verifier)

    response = download(client, **{"from": "2024-12-31", "to": "2024-01-01"})

    assert response.status_code == 400
    assert 'id="id_to_errors"' in response.content.decode()
    assert "The end of the period is before its start." in response.content.decode()


def test_an_unknown_format_is_refused(client, verifier):
    client.force_login(verifier)

    assert download(client, format="docx").status_code == 400


# --- scope ------------------------------------------------------------------------------


def test_an_agency_narrows_the_numbers(client, world, verifier):
    client.force_login(verifier)

    values = summary(download(client, agency="19.02"))

    assert (values["Reports"], values["Findings"], values["Cases"]) == (2, 1, 1)


def test_a_ppk_gets_their_own_subtree(client, world, ppk_other):
    client.force_login(ppk_other)

    values = summary(download(client))

    assert (values["Reports"], values["Cases"]) == (2, 1)
    assert "Findings" not in values
    assert values["Agencies covered"] == "Kabupaten Belitung"


def test_a_ppk_asking_for_another_agency_gets_a_400(client, world, ppk_other, disdik):
    client.force_login(ppk_other)

    response = download(client, agency=disdik.code)

    assert response.status_code == 400
    assert 'id="id_agency_errors"' in response.content.decode()


def test_an_agency_head_gets_counts_without_names(client, world, agency_head):
    client.force_login(agency_head)

    response = download(client)

    wb = load_workbook(io.BytesIO(response.content))
    assert summary(response)["Reports"] == 3
    assert "Reported person" not in [c.value for c in wb["Overdue cases"][1]]
