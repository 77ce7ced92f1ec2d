"""The dashboard and drill-down pages: roles, scopes, bad filters, links that keep filters."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from netralitas.dashboards.tests.conftest import BANGKA, BELITUNG, SIJUK
from netralitas.dashboards.tests.factories import make_report, wib
from netralitas.registry.models import Agency

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboards:dashboard")
LOGIN = "login"  # 302 to the login page


def drill(entity: str) -> str:
    return reverse("dashboards:drilldown", args=[entity])


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids whatever the Indonesian catalogue says.
    client.cookies["django_language"] = "en"


def hrefs(response, prefix: str = "/staf/dasbor/daftar/") -> list[str]:
    html = response.content.decode()
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html) if h.startswith(prefix)]


# --- the role matrix ----------------------------------------------------------------

PERSONAS = [
    "anonymous",
    "outsider",
    "verifier",
    "examiner",
    "ppk",
    "ppk_other",
    "bawaslu",
    "agency_head",
    "admin_user",
]
# Agency heads see counts only; findings are the monitoring team's; reports the verifier's.
# fmt: off
MATRIX: dict[str, tuple] = {
    #                    anon   outs verif exam  ppk  ppk_o baws ahead admin
    "dashboard":        (LOGIN, 403, 200, 200, 200, 200, 200, 200, 403),
    "drill_reports":    (LOGIN, 403, 200, 403, 403, 403, 403, 403, 403),
    "drill_findings":   (LOGIN, 403, 200, 200, 403, 403, 403, 403, 403),
    "drill_cases":      (LOGIN, 403, 200, 200, 200, 200, 200, 403, 403),
}
# fmt: on
URLS = {
    "dashboard": DASHBOARD,
    "drill_reports": drill("reports"),
    "drill_findings": drill("findings"),
    "drill_cases": drill("cases"),
}


@pytest.mark.parametrize("page", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_enforces_the_role_matrix(client, world, request, page, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(URLS[page])
    expected = MATRIX[page][PERSONAS.index(persona)]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, response.content[:300]
        # Staff pages are never cached.
        assert "no-store" in response.get("Cache-Control", "")


def test_it_returns_404_for_an_unknown_entity_or_bucket(client, world, verifier):
    client.force_login(verifier)
    for url in [
        drill("posts"),
        drill("reports") + "?dim=colour&key=red",
        drill("reports") + "?dim=violation&key=XX-99",
        drill("reports") + "?dim=platform&key=facebook",
        drill("findings") + "?dim=violation&key=KE-02",
        drill("cases") + "?dim=month&key=2024-13",
        drill("cases") + "?dim=agency",
        drill("cases") + "?dim=overdue&key=nobody",
        drill("reports") + "?platform=facebook",  # a filter reports have no field for
    ]:
        assert client.get(url).status_code == 404, url


# --- the dashboard ------------------------------------------------------------------


def test_it_shows_totals_charts_and_tables(client, world, verifier, django_assert_max_num_queries):
    client.force_login(verifier)
    with django_assert_max_num_queries(60):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    totals = {c["entity"]: c["total"] for c in response.context["totals"]}
    assert totals == {"reports": 6, "findings": 8, "cases": 6}
    assert response.context["overdue"]["total"] == 3
    # One trend chart, and a bar chart per entity and dimension it has.
    assert html.count('class="chart chart-columns"') == 1
    dimensions = {s["dimension"]: len(s["panels"]) for s in response.context["sections"]}
    assert dimensions == {
        "region": 3,
        "agency": 3,
        "violation": 2,
        "platform": 2,
        "stage": 3,
        "status": 3,
    }
    assert html.count('class="chart chart-bars"') == sum(dimensions.values())
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # no CDN
    assert "<script" not in html.replace(
        '<script src="/static/netralitas/app.js" defer></script>', ""
    )


def test_it_links_every_number_to_the_list_behind_it(client, world, verifier):
    client.force_login(verifier)
    html = client.get(DASHBOARD).content.decode()
    # Every number of a table or a total that links somewhere: the list behind it has as
    # many rows as the number says.
    numbers = re.findall(r'<a href="(/staf/dasbor/daftar/[^"]*)">([\d,]+)</a>', html)
    assert len(numbers) > 40
    for link, shown in set(numbers):
        listed = client.get(unescape(link))
        assert listed.status_code == 200, link
        assert listed.context["page"].paginator.count == int(shown.replace(",", "")), link
    # And every bar of every chart points to one of those lists.
    bars = re.findall(r'<a class="(?:bar|column)" href="([^"]*)"', html)
    assert bars and set(bars) <= {link for link, _shown in numbers}


def test_it_gives_the_agency_head_plain_numbers(client, world, agency_head):
    client.force_login(agency_head)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert hrefs(response) == []
    assert [c["total"] for c in response.context["totals"]] == [2, 3]
    # Counts by holder, never the cases themselves.
    assert response.context["overdue"]["total"] == 1
    assert "KASUS-" not in response.content.decode()


def test_it_links_a_ppk_to_cases_only(client, world, ppk_other):
    client.force_login(ppk_other)
    response = client.get(DASHBOARD)
    links = hrefs(response)
    assert links and all(link.startswith(drill("cases")) for link in links)
    assert [c["total"] for c in response.context["totals"]] == [2, 1]


def test_it_shows_a_ppk_no_other_agencys_cases(client, world, ppk_other):
    client.force_login(ppk_other)
    response = client.get(drill("cases"))
    numbers = [c.number for c in response.context["page"].object_list]
    assert numbers == [world.cases["forwarded"].number]
    # The bucket of an agency outside the scope is empty, not someone else's list.
    response = client.get(drill("cases") + f"?dim=region&key={BANGKA}")
    assert response.status_code == 200 and response.context["page"].paginator.count == 0
    # And an agency outside the scope is not a filter a PPK can choose.
    response = client.get(drill("cases") + f"?agency={BANGKA}")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2024-13-01", "from"),
        ("from=31-10-2024", "from"),
        ("from=2024-11-01&to=2024-10-01", "to"),
        ("agency=NOPE", "agency"),
        ("violation=XX-99", "violation"),
        ("platform=myspace", "platform"),
        ("stage=abc", "stage"),
        ("stage=999999", "stage"),
    ],
)
def test_it_answers_a_bad_filter_with_400_naming_the_field(client, world, verifier, query, field):
    client.force_login(verifier)
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}_errors"' in response.content.decode()
    response = client.get(f"{drill('cases')}?{query}")
    assert response.status_code == 400
    assert str(response.context["form"].fields[field].label) in response.content.decode()


def test_it_keeps_the_filters_in_every_link(client, world, verifier):
    client.force_login(verifier)
    query = f"from=2024-09-01&to=2024-10-31&agency={BELITUNG}&stage="
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    links = hrefs(response)
    assert links
    for link in links:
        kept = parse_qs(urlsplit(link).query)
        assert kept["from"] == ["2024-09-01"] and kept["to"] == ["2024-10-31"], link
        assert kept["agency"] == [BELITUNG]
        assert "stage" not in kept  # empty filters are left out
    period = response.context["period_report_url"]
    assert period.startswith("/staf/laporan-periode/?")
    assert parse_qs(urlsplit(period).query)["agency"] == [BELITUNG]
    assert 'value="2024-09-01"' in response.content.decode()  # the form shows them too

    listed = client.get(links[0])
    back = parse_qs(urlsplit(listed.context["back_url"]).query)
    assert back == {"from": ["2024-09-01"], "to": ["2024-10-31"], "agency": [BELITUNG]}


def test_it_lists_the_drilldown_rows_with_their_pages(client, world, verifier):
    client.force_login(verifier)
    response = client.get(drill("reports") + f"?agency={BELITUNG}&dim=agency&key={SIJUK}")
    assert response.status_code == 200
    assert [r.tracking_code for r in response.context["page"].object_list] == [
        world.reports["sijuk"].tracking_code
    ]
    assert reverse("staff:report_detail", args=[world.reports["sijuk"].tracking_code]) in (
        response.content.decode()
    )
    response = client.get(drill("findings") + "?dim=platform&key=whatsapp")
    finding = world.findings["wa_unit"]
    assert reverse("monitoring:finding_detail", args=[finding.pk]) in response.content.decode()
    response = client.get(drill("cases") + "?dim=overdue&key=all")
    assert response.context["page"].paginator.count == 3
    assert "days late" in response.content.decode()


def test_it_pages_a_long_list_keeping_the_query(client, db, verifier, disdik):
    for day in range(1, 56):
        make_report(at=wib(2024, 8, 1 + day % 28), agency=disdik)
    client.force_login(verifier)
    response = client.get(drill("reports") + "?dim=month&key=2024-08&from=2024-01-01")
    page = response.context["page"]
    assert page.paginator.count == 55 and len(page.object_list) == 50
    assert "?dim=month&amp;key=2024-08&amp;from=2024-01-01&amp;page=2" in response.content.decode()


def test_it_escapes_names_from_the_database(client, db, verifier, disdik):
    Agency.objects.filter(pk=disdik.pk).update(short_name='<img src=x onerror="alert(1)">')
    make_report(at=wib(2024, 10, 1), agency=disdik)
    client.force_login(verifier)
    html = client.get(DASHBOARD).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html
