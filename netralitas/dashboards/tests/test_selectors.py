"""What the dashboards count: per dimension, per scope, and the list behind each number."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netralitas.core.timeutil import local_today
from netralitas.dashboards.selectors import (
    DIMENSIONS,
    ENTITIES,
    NONE_KEY,
    OVERDUE,
    OVERDUE_ALL,
    AgencyTree,
    DashboardFilters,
    UnknownBucket,
    bucket_filter,
    counts_by,
    dashboard_summary,
    drilldown_rows,
    entity_queryset,
    entity_total,
    holder_key,
    holder_label,
    overdue_by_holder,
    overdue_cases,
    ppk_follow_up,
)
from netralitas.dashboards.tests.conftest import BANGKA, BELITUNG, PROVINCE, SIJUK
from netralitas.dashboards.tests.factories import forward_event, make_case, wib

pytestmark = pytest.mark.django_db

NO_FILTER = DashboardFilters()


def counts(entity: str, dimension: str, filters=NO_FILTER, user=None) -> dict[str, int] | None:
    buckets = counts_by(entity=entity, dimension=dimension, filters=filters, user=user)
    return None if buckets is None else {b.key: b.count for b in buckets}


# --- counts per dimension -------------------------------------------------------------


def test_it_counts_reports_by_every_dimension(world, disdik):
    assert counts("reports", "month") == {"2024-02": 1, "2024-09": 2, "2024-10": 2, "2024-11": 1}
    assert counts("reports", "region") == {BANGKA: 2, BELITUNG: 2, PROVINCE: 1, NONE_KEY: 1}
    assert counts("reports", "agency") == {
        disdik.code: 2,
        SIJUK: 1,
        BELITUNG: 1,
        PROVINCE: 1,
        NONE_KEY: 1,
    }
    # A report naming two violation types counts once under each.
    assert counts("reports", "violation") == {"KE-02": 3, "DS-05": 2, "KE-01": 1, NONE_KEY: 1}
    assert counts("reports", "status") == {"new": 4, "in_case": 1, "dismissed": 1}
    stages = counts("reports", "stage")
    assert stages[NONE_KEY] == 4 and sorted(stages.values()) == [1, 1, 4]
    assert counts("reports", "platform") is None  # reports have no platform


def test_it_counts_findings_by_every_dimension(world, disdik):
    assert counts("findings", "month") == {"2024-10": 6, "2024-11": 1, NONE_KEY: 1}
    assert counts("findings", "platform") == {"facebook": 6, "whatsapp": 1, "instagram": 1}
    assert counts("findings", "region") == {BANGKA: 5, BELITUNG: 2, NONE_KEY: 1}
    assert counts("findings", "agency") == {disdik.code: 5, SIJUK: 1, BELITUNG: 1, NONE_KEY: 1}
    assert counts("findings", "status") == {"new": 3, "confirmed": 4, "dismissed": 1}
    assert counts("findings", "violation") is None  # a finding has no violation type yet


def test_it_counts_cases_by_every_dimension(world, disdik):
    assert counts("cases", "month") == {"2024-09": 2, "2024-10": 3, "2024-11": 1}
    # A case with findings on two platforms counts under both; two findings on one
    # platform count once; a case not from monitoring has no platform.
    assert counts("cases", "platform") == {"facebook": 2, "whatsapp": 1, NONE_KEY: 4}
    assert counts("cases", "violation") == {"KE-02": 4, "DS-05": 2}
    assert counts("cases", "region") == {BANGKA: 3, PROVINCE: 1, BELITUNG: 1, NONE_KEY: 1}
    assert sum(counts("cases", "status").values()) == 6


def test_it_orders_buckets_largest_first_and_the_empty_bucket_last(world):
    buckets = counts_by(entity="reports", dimension="violation", filters=NO_FILTER)
    assert [b.key for b in buckets] == ["KE-02", "DS-05", "KE-01", NONE_KEY]
    months = counts_by(entity="findings", dimension="month", filters=NO_FILTER)
    assert [b.key for b in months] == ["2024-10", "2024-11", NONE_KEY]


def test_it_puts_the_provinces_own_agencies_alone_in_its_region_bucket(world):
    tree = AgencyTree()
    qs = entity_queryset(entity="reports", filters=NO_FILTER)
    province = bucket_filter(entity="reports", dimension="region", key=PROVINCE, qs=qs, tree=tree)
    # Not the five reports of the whole province: only the one recorded on the province's
    # own node; Bangka's and Belitung's are in their own buckets.
    assert list(province) == [world.reports["province_own"]]
    assert entity_total(entity="reports", filters=DashboardFilters(agency=PROVINCE)) == 5


def test_it_counts_a_report_at_2330_wib_on_31_october_in_october(world):
    october = DashboardFilters(date_from=date(2024, 10, 1), date_to=date(2024, 10, 31))
    assert entity_total(entity="reports", filters=october) == 2
    qs = entity_queryset(entity="reports", filters=NO_FILTER)
    in_october = bucket_filter(entity="reports", dimension="month", key="2024-10", qs=qs)
    assert world.reports["oct_last"] in in_october
    assert world.reports["nov_first"] not in in_october
    # 00:00 WIB on 1 October (30 September in UTC) is October too.
    qs = entity_queryset(entity="findings", filters=NO_FILTER)
    in_october = bucket_filter(entity="findings", dimension="month", key="2024-10", qs=qs)
    assert world.findings["oct_first"] in in_october


def test_it_applies_every_filter(world, disdik):
    assert entity_total(entity="reports", filters=DashboardFilters(violation="DS-05")) == 2
    assert entity_total(entity="cases", filters=DashboardFilters(platform="facebook")) == 2
    assert entity_total(entity="findings", filters=DashboardFilters(platform="whatsapp")) == 1
    # An agency filter takes its whole subtree (the unit's report is Disdik's).
    assert entity_total(entity="reports", filters=DashboardFilters(agency=disdik.code)) == 2
    assert entity_total(entity="reports", filters=DashboardFilters(agency=BELITUNG)) == 2
    stage = world.reports["oct_last"].stage_id
    assert entity_total(entity="reports", filters=DashboardFilters(stage=stage)) == 1
    assert entity_total(entity="reports", filters=DashboardFilters(agency="NOPE")) == 0


def test_it_returns_none_when_a_filter_does_not_apply(world):
    by_platform = DashboardFilters(platform="facebook")
    by_violation = DashboardFilters(violation="KE-02")
    assert counts("reports", "status", by_platform) is None
    assert entity_total(entity="reports", filters=by_platform) is None
    assert counts("findings", "status", by_violation) is None
    assert entity_queryset(entity="findings", filters=by_violation) is None
    # Cases have both, so both filters apply to them.
    assert counts("cases", "status", by_platform) is not None
    assert counts("cases", "status", by_violation) is not None


# --- the drill-down lists exactly what was counted ------------------------------------

FILTER_SETS = [
    NO_FILTER,
    DashboardFilters(date_from=date(2024, 10, 1), date_to=date(2024, 10, 31)),
    DashboardFilters(violation="KE-02"),
    DashboardFilters(platform="facebook"),
    DashboardFilters(agency=PROVINCE),
    DashboardFilters(agency=BELITUNG, date_from=date(2024, 9, 1)),
]


@pytest.mark.parametrize("filters", FILTER_SETS, ids=range(len(FILTER_SETS)))
def test_it_lists_exactly_the_rows_of_every_bucket(world, filters):
    tree = AgencyTree()
    checked = 0
    for entity in ENTITIES:
        qs = entity_queryset(entity=entity, filters=filters)
        for dimension in DIMENSIONS:
            buckets = counts_by(entity=entity, dimension=dimension, filters=filters, tree=tree)
            if buckets is None:
                continue
            for bucket in buckets:
                rows = bucket_filter(
                    entity=entity, dimension=dimension, key=bucket.key, qs=qs, tree=tree
                )
                assert rows.count() == bucket.count, (entity, dimension, bucket)
                checked += 1
    assert checked


@pytest.mark.parametrize("persona", ["ppk", "ppk_other", "agency_head", "verifier"])
def test_it_lists_exactly_the_rows_of_every_bucket_in_a_scope(world, request, persona):
    user = request.getfixturevalue(persona)
    for entity in ENTITIES:
        qs = entity_queryset(entity=entity, filters=NO_FILTER, user=user)
        for dimension in DIMENSIONS:
            buckets = counts_by(entity=entity, dimension=dimension, filters=NO_FILTER, user=user)
            for bucket in buckets or []:
                rows = bucket_filter(entity=entity, dimension=dimension, key=bucket.key, qs=qs)
                assert rows.count() == bucket.count, (persona, entity, dimension, bucket)


def test_it_refuses_buckets_it_never_counts(world, disdik):
    qs = entity_queryset(entity="reports", filters=NO_FILTER)
    unknown = [
        ("month", "2024-13"),
        ("month", "oktober"),
        ("agency", "NOPE"),
        ("agency", "19.OPD.DISDIK.SMA"),  # a unit counts under its agency
        ("region", disdik.code),  # an agency is not a region
        ("status", "burnt"),
        ("stage", "abc"),
        ("platform", "facebook"),  # reports have no platform
    ]
    for dimension, key in unknown:
        with pytest.raises(UnknownBucket):
            bucket_filter(entity="reports", dimension=dimension, key=key, qs=qs)
    with pytest.raises(UnknownBucket):
        bucket_filter(
            entity="findings",
            dimension="platform",
            key="myspace",
            qs=entity_queryset(entity="findings", filters=NO_FILTER),
        )


def test_it_drills_down_to_a_bucket_with_its_label(world):
    rows, label = drilldown_rows(
        entity="reports", filters=NO_FILTER, user=None, dimension="violation", key="DS-05"
    )
    assert set(rows) == {world.reports["nov_first"], world.reports["sijuk"]}
    assert label.startswith("DS-05 — ")
    rows, label = drilldown_rows(entity="cases", filters=NO_FILTER, user=None)
    assert rows.count() == 6 and label == ""
    for entity, dimension, key in [
        ("posts", "", ""),
        ("reports", "colour", "red"),
        ("reports", "violation", "XX-99"),
        ("findings", "violation", "KE-02"),
        ("reports", "stage", "999999"),
        ("reports", OVERDUE, OVERDUE_ALL),
        ("cases", OVERDUE, "nobody"),
    ]:
        with pytest.raises(UnknownBucket):
            drilldown_rows(
                entity=entity, filters=NO_FILTER, user=None, dimension=dimension, key=key
            )


# --- scopes ------------------------------------------------------------------------------


def test_it_scopes_a_ppk_and_an_agency_head_to_their_subtree(
    world, ppk, ppk_other, agency_head, verifier
):
    def total(entity, user):
        return entity_total(entity=entity, filters=NO_FILTER, user=user)

    assert total("reports", verifier) == 6
    assert total("reports", ppk) == 5  # the province: all but the report with no agency
    assert total("reports", ppk_other) == 2  # Kabupaten Belitung only
    assert total("reports", agency_head) == 2  # Dinas Pendidikan and its unit
    assert total("cases", ppk_other) == 1
    assert total("cases", agency_head) == 3
    assert set(entity_queryset(entity="cases", filters=NO_FILTER, user=ppk_other)) == {
        world.cases["forwarded"]
    }
    # Findings are the monitoring team's working material.
    assert total("findings", ppk) is None
    assert total("findings", agency_head) is None
    assert total("findings", verifier) == 8


def test_it_scopes_even_when_the_filter_names_another_agency(world, ppk_other, disdik):
    filters = DashboardFilters(agency=disdik.code)
    assert entity_total(entity="cases", filters=filters, user=ppk_other) == 0


def test_it_gives_a_scoped_user_without_an_agency_nothing(world, ppk):
    ppk.agency = None
    assert entity_total(entity="cases", filters=NO_FILTER, user=ppk) == 0


# --- overdue cases -----------------------------------------------------------------------


def test_it_lists_open_overdue_cases_oldest_deadline_first(world):
    overdue = list(overdue_cases(filters=NO_FILTER))
    c = world.cases
    assert set(overdue) == {c["two_platforms"], c["forwarded"], c["no_agency"]}
    assert c["closed"] not in overdue  # a closed case has no deadline left
    # The date filter does not hide an old overdue case.
    recent = DashboardFilters(date_from=date(2024, 11, 1))
    assert len(overdue_cases(filters=recent)) == 3


def test_it_counts_overdue_cases_by_who_must_act(world):
    c = world.cases
    assert holder_label(c["forwarded"]) == "Bupati Belitung"
    assert holder_key(c["forwarded"]) == "to:Bupati Belitung"
    assert holder_key(c["two_platforms"]) == "examiner"
    overdue = overdue_cases(filters=NO_FILTER)
    from_db = {b.key: b.count for b in overdue_by_holder(overdue)}
    in_python = {b.key: b.count for b in overdue_by_holder(list(overdue))}
    assert from_db == in_python == {"examiner": 2, "to:Bupati Belitung": 1}
    for key, count in from_db.items():
        rows, label = drilldown_rows(
            entity="cases", filters=NO_FILTER, user=None, dimension=OVERDUE, key=key
        )
        assert rows.count() == count and label


def test_it_scopes_overdue_cases(world, ppk_other, agency_head):
    assert list(overdue_cases(filters=NO_FILTER, user=ppk_other)) == [world.cases["forwarded"]]
    assert list(overdue_cases(filters=NO_FILTER, user=agency_head)) == [
        world.cases["two_platforms"]
    ]


# --- the PPK's follow-up -----------------------------------------------------------------


def test_it_follows_up_cases_forwarded_to_a_ppk(db, disdik):
    today = local_today()
    decided = make_case(
        at=wib(2024, 10, 1),
        agency=disdik,
        status="decided",
        forwarded_to="ppk",
        decided_on=date(2024, 11, 5),
    )
    late = make_case(
        at=wib(2024, 10, 2),
        agency=disdik,
        status="forwarded",
        forwarded_to="ppk",
        due_on=today - timedelta(days=3),
    )
    waiting = make_case(
        at=wib(2024, 10, 3),
        agency=disdik,
        status="forwarded",
        forwarded_to="ppk",
        due_on=today + timedelta(days=3),
    )
    elsewhere = make_case(
        at=wib(2024, 10, 4), agency=disdik, status="forwarded", forwarded_to="bawaslu"
    )
    for case, day in [(decided, 10), (late, 11), (waiting, 12), (elsewhere, 13)]:
        forward_event(case, wib(2024, 10, day))
    rows = {r.case: r for r in ppk_follow_up(filters=NO_FILTER)}
    assert {case: r.state for case, r in rows.items()} == {
        decided: "decided",
        late: "overdue",
        waiting: "waiting",
    }
    assert rows[late].forwarded_on == date(2024, 10, 11)
    # The period is when the case was forwarded.
    october_10 = DashboardFilters(date_from=date(2024, 10, 10), date_to=date(2024, 10, 10))
    assert [r.case for r in ppk_follow_up(filters=october_10)] == [decided]


# --- the dashboard in one call --------------------------------------------------------------


def test_it_summarises_every_visible_entity(
    world, verifier, ppk_other, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        summary = dashboard_summary(filters=NO_FILTER, user=verifier)
    assert [e.entity for e in summary.entities] == ["reports", "findings", "cases"]
    for e in summary.entities:
        assert e.total == entity_total(entity=e.entity, filters=NO_FILTER)
    assert summary.overdue_total == 3
    # Months filled between the first and the last, the undated last.
    assert summary.months[0] == "2024-02" and summary.months[-2:] == ["2024-11", NONE_KEY]
    assert len(summary.months) == 11
    scoped = dashboard_summary(filters=NO_FILTER, user=ppk_other)
    assert [e.entity for e in scoped.entities] == ["reports", "cases"]
    assert [e.total for e in scoped.entities] == [2, 1]


def test_it_marks_entities_a_filter_does_not_apply_to(world, verifier):
    summary = dashboard_summary(filters=DashboardFilters(platform="facebook"), user=verifier)
    applies = {e.entity: (e.applies, e.total) for e in summary.entities}
    assert applies == {"reports": (False, None), "findings": (True, 6), "cases": (True, 2)}


def test_it_fills_the_months_of_the_filter(world, verifier):
    filters = DashboardFilters(date_from=date(2024, 7, 1), date_to=date(2024, 12, 31))
    summary = dashboard_summary(filters=filters, user=verifier)
    assert summary.months == ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"]
