from __future__ import annotations

from datetime import date

import pytest

from netralitas.elections.models import ViolationType
from netralitas.elections.selectors import (
    contest_for,
    election_for_date,
    sanction_suggestion,
    stage_on,
    violation_type_on,
)
from netralitas.registry.models import Agency

pytestmark = pytest.mark.django_db


def vt(code: str) -> ViolationType:
    return ViolationType.objects.get(code=code)


def test_it_finds_the_stage_of_a_date():
    assert stage_on(day=date(2024, 2, 14)).kind == "voting"
    assert stage_on(day=date(2024, 11, 25)).kind == "quiet"
    assert stage_on(day=date(2024, 10, 1)).kind == "campaign"


def test_it_ties_an_early_incident_to_the_coming_election():
    # June 2024: before Pilkada registration, prospective candidates already campaign.
    assert election_for_date(day=date(2024, 6, 10)).kind == "pilkada"


def test_it_picks_the_most_local_contest():
    belitung = Agency.objects.get(code="19.02")
    contest = contest_for(day=date(2024, 10, 1), agency=belitung)
    assert contest.area == belitung
    province = Agency.objects.get(code="19")
    assert contest_for(day=date(2024, 10, 1), agency=province).area == province
    assert contest_for(day=date(2024, 1, 5), agency=None).office == "president"


def test_it_makes_the_same_act_ethics_before_and_discipline_after_candidates_are_set():
    governor = contest_for(day=date(2024, 10, 1), agency=Agency.objects.get(code="19"))
    before = date(2024, 9, 1)  # pairs set on 22 Sep 2024
    after = date(2024, 10, 1)
    assert violation_type_on(reported=vt("KE-02"), day=before, contest=governor).code == "KE-02"
    assert violation_type_on(reported=vt("KE-02"), day=after, contest=governor).code == "DS-02"
    assert violation_type_on(reported=vt("DS-02"), day=before, contest=governor).code == "KE-02"
    assert violation_type_on(reported=vt("DS-09"), day=after, contest=governor).code == "DS-10"
    assert violation_type_on(reported=vt("DS-05"), day=before, contest=governor).code == "DS-05"
    assert violation_type_on(reported=vt("KE-02"), day=after, contest=None).code == "KE-02"


def test_it_selects_the_catalogue_by_employee_kind():
    heavy = vt("DS-02")
    pns = sanction_suggestion(violation_type=heavy, employee_kind="PNS")
    pppk = sanction_suggestion(violation_type=heavy, employee_kind="PPPK")
    contract = sanction_suggestion(violation_type=heavy, employee_kind="NON_ASN")
    assert pns.category == "berat"
    assert pns.kinds and all(k.employee_kind == "PNS" and k.category == "berat" for k in pns.kinds)
    assert pppk.kinds and all(k.employee_kind == "PPPK" for k in pppk.kinds)
    assert contract.kinds and all(k.employee_kind == "NON_ASN" for k in contract.kinds)
    assert {k.code for k in pns.kinds}.isdisjoint({k.code for k in contract.kinds})
    ethics = sanction_suggestion(violation_type=vt("KE-02"), employee_kind="PNS")
    assert ethics.category == "moral" and ethics.kinds


def test_it_loads_every_pair_including_unnumbered_ones():
    from netralitas.elections.models import CandidatePair, Contest

    pangkalpinang = Contest.objects.get(area__code="19.71")
    pairs = CandidatePair.objects.filter(contest=pangkalpinang)
    assert pairs.count() == 2
    assert pairs.filter(is_empty_column=True).count() == 1
    assert CandidatePair.objects.filter(contest__code__startswith="pilpres").count() == 3


def test_it_reloads_reference_data_without_duplicates():
    from netralitas.elections.models import CandidatePair, ViolationType
    from netralitas.elections.services import reference_data_load

    before = (CandidatePair.objects.count(), ViolationType.objects.count())
    reference_data_load()
    assert (CandidatePair.objects.count(), ViolationType.objects.count()) == before
    assert ViolationType.objects.get(code="KE-02").counterpart.code == "DS-02"


def test_it_tells_where_each_election_stands_on_a_day():
    from netralitas.elections.selectors import election_phases_on

    def phases(day):
        return {p.election.kind: p.kind for p in election_phases_on(day=day)}

    assert phases(date(2024, 10, 1)) == {"pilkada": "campaign", "pemilu": "post"}
    assert phases(date(2024, 2, 14)) == {"pilkada": "pre_nomination", "pemilu": "voting"}
    assert phases(date(2023, 1, 2)) == {"pilkada": "pre_nomination", "pemilu": "pre_nomination"}
    # Latest election first; the stage itself is given when the day is inside one.
    on_campaign = election_phases_on(day=date(2024, 10, 1))
    assert on_campaign[0].election.kind == "pilkada"
    assert on_campaign[0].stage.kind == "campaign" and on_campaign[1].stage is None


def test_it_reports_no_kind_between_two_stages(django_assert_max_num_queries):
    from netralitas.elections.models import Election
    from netralitas.elections.selectors import election_phases_on

    election = Election.objects.create(
        code="pilkades-uji", name="Uji", kind="pilkada", voting_date=date(2030, 3, 1)
    )
    election.stages.create(
        code="campaign",
        kind="campaign",
        name="Kampanye",
        start=date(2030, 1, 1),
        end=date(2030, 1, 31),
    )
    election.stages.create(
        code="voting",
        kind="voting",
        name="Pemungutan",
        start=date(2030, 3, 1),
        end=date(2030, 3, 1),
    )
    with django_assert_max_num_queries(2):
        phases = election_phases_on(day=date(2030, 2, 10))
    gap = next(p for p in phases if p.election == election)
    assert gap.kind is None and gap.stage is None
