"""The dashboard's filter form: its choices, its errors, and the query string it makes."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from netralitas.dashboards.forms import DashboardFilterForm, filters_query
from netralitas.dashboards.selectors import DashboardFilters
from netralitas.elections.models import Stage

pytestmark = pytest.mark.django_db


def form(query: str, user=None) -> DashboardFilterForm:
    return DashboardFilterForm(QueryDict(query), user=user)


def codes(choices) -> list[str]:
    flat = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat += [code for code, _name in label]
        elif value:
            flat.append(value)
    return flat


def test_it_reads_every_filter(verifier, disdik):
    stage = Stage.objects.order_by("start").first()
    f = form(
        f"from=2024-09-01&to=2024-11-30&agency={disdik.code}&violation=KE-02"
        f"&platform=facebook&stage={stage.pk}",
        verifier,
    )
    assert f.is_valid(), f.errors
    assert f.filters() == DashboardFilters(
        date_from=date(2024, 9, 1),
        date_to=date(2024, 11, 30),
        agency=disdik.code,
        violation="KE-02",
        platform="facebook",
        stage=stage.pk,
    )


def test_it_reads_an_empty_form_as_no_filter(verifier):
    f = form("from=&to=&agency=&violation=&platform=&stage=", verifier)
    assert f.is_valid() and f.filters() == DashboardFilters()
    assert DashboardFilterForm(user=verifier).filters() == DashboardFilters()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2024-02-30", "from"),
        ("to=kemarin", "to"),
        ("from=2024-10-02&to=2024-10-01", "to"),
        ("agency=19.99", "agency"),
        ("violation=KE-99", "violation"),
        ("platform=friendster", "platform"),
        ("stage=0", "stage"),
    ],
)
def test_it_rejects_bad_input_on_its_field(verifier, query, field):
    f = form(query, verifier)
    assert not f.is_valid()
    assert list(f.errors) == [field]


def test_it_lists_regions_first_then_each_regions_agencies(verifier):
    choices = form("", verifier).fields["agency"].choices
    assert choices[0][0] == ""
    regions_label, regions = choices[1]
    assert [code for code, _name in regions][:2] == ["19", "19.01"]
    # The province, then its regencies and cities indented beneath it.
    assert not regions[0][1].startswith("\u2003") and regions[1][1].startswith("\u2003")
    groups = [label for label, _items in choices[2:]]
    assert len(groups) == len(regions)  # one group of agencies per region
    assert all("unit" not in code.lower() for code in codes(choices))
    assert "19.OPD.DISDIK.SMA" not in codes(choices)  # units count under their agency


def test_it_offers_a_scoped_user_their_subtree_only(ppk_other, agency_head, disdik):
    belitung = codes(form("", ppk_other).fields["agency"].choices)
    assert belitung[0] == "19.02" and all(c.startswith("19.02") for c in belitung)
    assert codes(form("", agency_head).fields["agency"].choices) == [disdik.code]
    assert not form(f"agency={disdik.code}", ppk_other).is_valid()


def test_it_writes_only_the_filters_that_are_set():
    filters = DashboardFilters(date_from=date(2024, 10, 1), agency="19.02", stage=7)
    assert filters_query(filters) == "from=2024-10-01&agency=19.02&stage=7"
    assert filters_query(DashboardFilters(), dim="status", key="new") == "dim=status&key=new"
    assert filters_query(DashboardFilters(agency="a&b=c")) == "agency=a%26b%3Dc"
