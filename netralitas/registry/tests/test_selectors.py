from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from netralitas.registry.models import Agency, IntegrityPact, PactMethod, SocialisationEvent
from netralitas.registry.selectors import (
    agencies_head_not_signed,
    agencies_head_unknown,
    agencies_visible_to,
    agency_access,
    employee_search,
    employees_with_pact_status,
    integrity_may_record,
    pact_progress_by_agency,
    pact_progress_summary,
    socialisation_events_visible_to,
    socialisation_totals_by_agency,
)

pytestmark = pytest.mark.django_db


def test_it_finds_employees_by_nip_as_people_write_it(employee):
    assert employee_search("19850714 201001") == [employee]
    assert employee_search("1985.0714") == [employee]


def test_it_finds_employees_by_part_of_the_name(employee):
    assert employee_search("hidayat") == [employee]


def test_it_needs_three_characters(employee):
    assert employee_search("19") == []
    assert employee_search("  ") == []


# --- integrity pacts and socialisation ---------------------------------------------------


def sign(employee, election, *, agency=None):
    return IntegrityPact.objects.create(
        employee=employee,
        agency=agency or employee.agency,
        election=election,
        method=PactMethod.ACKNOWLEDGEMENT,
        signed_at=timezone.now(),
    )


@pytest.fixture
def world(disdik, dinkes, sma_unit, kadis, guru, perawat, make_employee, pilkada, pemilu):
    """Disdik: the head and the teacher signed for Pilkada, one more teacher did not, one
    in a unit signed, one who left signed (not counted), one signed only for Pemilu.
    Dinkes: a head recorded who has not signed, and a nurse."""
    unit_staff = make_employee(sma_unit, "Staf Bidang SMA")
    left = make_employee(disdik, "Pensiunan", is_active=False)
    pemilu_only = make_employee(disdik, "Guru Pemilu")
    make_employee(disdik, "Guru Belum")
    for employee in (kadis, guru, unit_staff, left):
        sign(employee, pilkada)
    sign(pemilu_only, pemilu)
    dinkes_head = make_employee(dinkes, "dr. Kepala Dinkes", holds_leadership_post=True)
    dinkes.head = dinkes_head
    dinkes.save(update_fields=["head"])
    return {"unit_staff": unit_staff, "dinkes_head": dinkes_head}


def by_code(rows):
    return {row.code: row for row in rows}


def test_it_counts_progress_per_agency_over_its_subtree(world, disdik, dinkes, province, pilkada):
    rows = by_code(pact_progress_by_agency(root=province, election=pilkada))
    # The head, the teacher, the unit's staff, "Pemilu only" and "not yet"; not who left.
    assert rows[disdik.code].employees_active == 5
    assert rows[disdik.code].employees_signed == 3  # kadis, guru, unit staff
    assert rows[disdik.code].percent == pytest.approx(60.0)
    assert rows[disdik.code].head_signed is True
    assert rows[dinkes.code].employees_active == 2
    assert rows[dinkes.code].employees_signed == 0
    assert rows[dinkes.code].percent == 0
    assert rows[dinkes.code].head_signed is False
    # Units are not agencies (OPD) and an agency without employees has no percentage.
    assert "19.OPD.DISDIK.SMA" not in rows
    assert rows["19.OPD.DLH"].employees_active == 0 and rows["19.OPD.DLH"].percent is None


def test_it_counts_per_election(world, disdik, province, pemilu):
    rows = by_code(pact_progress_by_agency(root=province, election=pemilu))
    assert rows[disdik.code].employees_signed == 1
    assert rows[disdik.code].head_signed is False
    # election=None means the standing pacts, of which there are none.
    rows = by_code(pact_progress_by_agency(root=province, election=None))
    assert rows[disdik.code].employees_signed == 0


def test_it_stays_inside_the_root(world, disdik, pilkada, sma_unit):
    rows = list(pact_progress_by_agency(root=disdik, election=pilkada))
    assert [r.code for r in rows] == [disdik.code]
    units = by_code(pact_progress_by_agency(root=disdik, election=pilkada, kinds=("unit",)))
    assert units[sma_unit.code].employees_active == 1
    assert units[sma_unit.code].employees_signed == 1


def test_it_counts_employees_by_their_current_agency(
    world, disdik, dinkes, guru, pilkada, province
):
    guru.agency = dinkes
    guru.save(update_fields=["agency"])
    rows = by_code(pact_progress_by_agency(root=province, election=pilkada))
    assert rows[disdik.code].employees_signed == 2
    assert rows[dinkes.code].employees_signed == 1


def test_it_counts_in_one_query_whatever_the_number_of_employees(
    world, disdik, province, pilkada, make_employee
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = list(pact_progress_by_agency(root=province, election=pilkada))
            pact_progress_summary(rows=pact_progress_by_agency(root=province, election=pilkada))
        assert rows
        return len(captured)

    before = queries()
    for _ in range(25):
        sign(make_employee(disdik), pilkada)
    assert queries() == before == 2
    rows = by_code(pact_progress_by_agency(root=province, election=pilkada))
    assert rows[disdik.code].employees_signed == 28


def test_it_sums_the_listed_rows(world, disdik, dinkes, pilkada, province):
    rows = pact_progress_by_agency(root=province, election=pilkada)
    summary = pact_progress_summary(rows=rows.filter(code__in=[disdik.code, dinkes.code]))
    assert summary == {"agencies": 2, "active": 7, "signed": 3, "percent": pytest.approx(300 / 7)}
    empty = pact_progress_summary(rows=rows.none())
    assert empty["active"] == 0 and empty["percent"] is None


def test_it_lists_heads_who_have_not_signed(world, disdik, dinkes, province, pilkada, pemilu):
    assert list(agencies_head_not_signed(root=province, election=pilkada)) == [dinkes]
    assert set(agencies_head_not_signed(root=province, election=pemilu)) == {disdik, dinkes}
    assert list(agencies_head_not_signed(root=disdik, election=pilkada)) == []
    unknown = set(agencies_head_unknown(root=province))
    assert disdik not in unknown and dinkes not in unknown
    assert Agency.objects.get(code="19.OPD.DLH") in unknown


def test_it_lists_employees_with_their_pact(world, disdik, kadis, guru, pilkada):
    everyone = list(employees_with_pact_status(agency=disdik, election=pilkada))
    assert everyone[0] == kadis  # the head first
    assert len(everyone) == 5
    signed = employees_with_pact_status(agency=disdik, election=pilkada, status="signed")
    assert {e.name for e in signed} == {kadis.name, guru.name, "Staf Bidang SMA"}
    row = next(e for e in signed if e.pk == guru.pk)
    assert row.pact_method == PactMethod.ACKNOWLEDGEMENT and row.pact_signed_at
    unsigned = employees_with_pact_status(agency=disdik, election=pilkada, status="unsigned")
    assert {e.name for e in unsigned} == {"Guru Pemilu", "Guru Belum"}
    assert [e.pk for e in employees_with_pact_status(agency=disdik, query=guru.nip)] == [guru.pk]
    assert [e.name for e in employees_with_pact_status(agency=disdik, query="belum")] == [
        "Guru Belum"
    ]


def test_each_role_reads_its_scope(
    disdik, dinkes, verifier, examiner, bawaslu, admin_user, ppk, ppk_other, agency_head, outsider
):
    for user in (verifier, examiner, bawaslu, admin_user, ppk):
        assert agency_access(user=user, code=disdik.code) == disdik
    assert agency_access(user=ppk_other, code=disdik.code) is None
    assert agency_access(user=ppk_other, code="19.02.SETDA") is not None
    assert agency_access(user=agency_head, code=disdik.code) == disdik
    assert agency_access(user=agency_head, code=dinkes.code) is None
    assert not agencies_visible_to(user=outsider).exists()
    agency_head.agency = None
    assert not agencies_visible_to(user=agency_head).exists()


def test_recording_is_for_the_verifier_the_admin_and_the_agency_head_in_scope(
    disdik, dinkes, sma_unit, verifier, admin_user, agency_head, examiner, bawaslu, ppk
):
    assert integrity_may_record(user=verifier, agency=dinkes)
    assert integrity_may_record(user=admin_user, agency=dinkes)
    assert integrity_may_record(user=agency_head, agency=disdik)
    assert integrity_may_record(user=agency_head, agency=sma_unit)
    assert not integrity_may_record(user=agency_head, agency=dinkes)
    for user in (examiner, bawaslu, ppk):
        assert not integrity_may_record(user=user, agency=disdik)


def test_it_totals_socialisation_attendees_per_agency(
    world, disdik, dinkes, kadis, guru, perawat, verifier, ppk_other, agency_head
):
    first = SocialisationEvent.objects.create(
        agency=disdik, held_on=date(2024, 9, 24), title="Apel", unlisted_attendee_count=100
    )
    first.attendees.add(kadis, guru, world["unit_staff"])
    second = SocialisationEvent.objects.create(
        agency=disdik, held_on=date(2024, 10, 1), title="Kelas", unlisted_attendee_count=5
    )
    second.attendees.add(guru)
    other = SocialisationEvent.objects.create(agency=dinkes, held_on=date(2024, 10, 2), title="X")
    other.attendees.add(perawat)

    events = socialisation_events_visible_to(user=verifier)
    counted = {e.pk: (e.listed_count, e.total_attendees) for e in events}
    assert counted == {first.pk: (3, 103), second.pk: (1, 6), other.pk: (1, 1)}
    totals = {row["agency_code"]: row for row in socialisation_totals_by_agency(events=events)}
    assert totals[disdik.code] == {
        "agency_name": disdik.name,
        "agency_code": disdik.code,
        "events": 2,
        "listed": 4,
        "unlisted": 105,
        "total": 109,
    }
    assert totals[dinkes.code]["total"] == 1
    assert list(socialisation_events_visible_to(user=agency_head)) == [second, first]
    assert not socialisation_events_visible_to(user=ppk_other).exists()
    narrowed = socialisation_events_visible_to(user=verifier, agency=dinkes)
    assert list(narrowed) == [other]
