"""The monitoring team on the demo data: the dashboard, a filter, the drill-down behind a
number, the same page on a phone, and the period report downloaded as XLSX and PDF, each
checked against the database."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from netralitas.tests_browser.conftest import ARTIFACTS, LAPTOP, PHONE, scrolls_sideways

pytestmark = [pytest.mark.browser]

REGION = "19.71"  # Kota Pangkalpinang


def _logged_in(browser, live_server, username: str, **context_options):
    """A browser context carrying the session of a demo account (no login form: the
    login page has its own test; axes would count the attempts)."""
    from django.conf import settings
    from django.test import Client

    from netralitas.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    context = browser.new_context(**context_options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _opened_between(day_from: date, day_to: date):
    from django.utils import timezone

    start = timezone.make_aware(datetime.combine(day_from, time.min))
    end = timezone.make_aware(datetime.combine(day_to + timedelta(days=1), time.min))
    return {"opened_at__gte": start, "opened_at__lt": end}


@pytest.mark.django_db(transaction=True)
def test_it_filters_drills_down_and_downloads_the_period_report(
    browser, live_server, reference_data, tmp_path
):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from netralitas.cases.models import Case
    from netralitas.core.demo import demo_seed
    from netralitas.registry.models import Agency

    demo_seed()
    ARTIFACTS.mkdir(exist_ok=True)
    region = Agency.objects.get(code=REGION)
    in_region = Case.objects.filter(agency__path__startswith=region.path)
    assert in_region.exists(), "the demo has cases in Pangkalpinang"

    context = _logged_in(browser, live_server, "verifikator", viewport=LAPTOP, locale="id-ID")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/staf/dasbor/")
    assert page.locator("html").get_attribute("lang") == "id"
    cases_card = page.locator(".dash-total.dash-cases .dash-total-number")
    assert _number(cases_card.inner_text()) == Case.objects.count()
    page.screenshot(path=str(ARTIFACTS / "dashboard-laptop.png"), full_page=True)

    # A filter: the region. It goes into the URL and the numbers follow it.
    page.select_option("select[name=agency]", REGION)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*agency=19\.71.*"))
    assert _number(cases_card.inner_text()) == in_region.count()
    page.screenshot(path=str(ARTIFACTS / "dashboard-filtered.png"), full_page=True)

    # Drill-down from a bar of the status chart: the list behind it, same filter.
    bar = page.locator("#dim-status svg a[href*='/daftar/cases/']").first
    bar_count = _number(bar.locator("text").last.text_content())
    bar.locator("rect").click()
    page.wait_for_url(re.compile(r".*/staf/dasbor/daftar/.*"))
    query = parse_qs(urlparse(page.url).query)
    assert query["agency"] == [REGION] and query["dim"] == ["status"]
    rows = page.locator("main table tbody tr")
    assert rows.count() == bar_count
    assert in_region.filter(status=query["key"][0]).count() == bar_count
    page.screenshot(path=str(ARTIFACTS / "dashboard-drilldown.png"), full_page=True)
    # ... and from a row to the record itself.
    first_link = rows.first.locator("a").first
    first_link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip()
    page.go_back()
    page.go_back()

    # The period report, from the dashboard's link: the filter comes along.
    page.locator("a[href*='/staf/laporan-periode/']").first.click()
    page.wait_for_url(re.compile(r".*/staf/laporan-periode/.*"))
    assert page.locator("select[name=agency]").input_value() == REGION
    period = (date(2024, 1, 1), date(2024, 12, 31))
    page.fill("input[name=from]", period[0].isoformat())
    page.fill("input[name=to]", period[1].isoformat())
    page.check("input[name=format][value=xlsx]")
    page.screenshot(path=str(ARTIFACTS / "period-report-form.png"), full_page=True)
    with page.expect_download() as download_info:
        page.locator("main form button[type=submit]").click()
    xlsx_path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(xlsx_path)
    assert xlsx_path.name == "laporan-netralitas-2024-01-01-2024-12-31.xlsx"

    workbook = load_workbook(xlsx_path)
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    expected_cases = in_region.filter(**_opened_between(*period)).count()
    assert summary["Kasus"] == expected_cases
    # One row per (data, status): the case rows add up to the cases of the period.
    by_status = list(workbook["Per status"].iter_rows(values_only=True))
    assert by_status[0] == ("Data", "Status", "Jumlah")
    assert sum(n for kind, _status, n in by_status[1:] if kind == "Kasus") == expected_cases

    page.check("input[name=format][value=pdf]")
    with page.expect_download() as download_info:
        page.locator("main form button[type=submit]").click()
    pdf_bytes = io.BytesIO()
    pdf_path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf_path)
    pdf_bytes.write(pdf_path.read_bytes())
    pdf = PdfReader(pdf_bytes)
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) >= 2
    assert "Laporan Periode" in text and "Kota Pangkalpinang" in text
    context.close()

    # The same dashboard on a phone: charts scale, nothing scrolls sideways.
    phone = _logged_in(
        browser,
        live_server,
        "verifikator",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="id-ID",
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/staf/dasbor/?agency={REGION}")
    assert scrolls_sideways(page) == []
    page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    phone.close()


@pytest.mark.django_db(transaction=True)
def test_it_shows_a_ppk_only_their_own_region(browser, live_server, reference_data):
    from netralitas.cases.models import Case
    from netralitas.core.demo import demo_seed
    from netralitas.registry.models import Agency

    demo_seed()
    region = Agency.objects.get(code=REGION)
    context = _logged_in(browser, live_server, "ppk.pangkalpinang", viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/staf/dasbor/")
    cases_card = page.locator(".dash-total.dash-cases .dash-total-number")
    assert _number(cases_card.inner_text()) == (
        Case.objects.filter(agency__path__startswith=region.path).count()
    )
    # Monitoring findings are the team's working material: not on a PPK's dashboard.
    assert page.locator(".dash-total.dash-findings").count() == 0
    page.screenshot(path=str(ARTIFACTS / "dashboard-ppk.png"), full_page=True)
    context.close()
