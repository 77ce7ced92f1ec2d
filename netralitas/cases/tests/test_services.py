"""Every allowed and every refused case transition, through the real service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from netralitas.cases.models import AppendOnlyError, CaseEvent, CaseStatus, DeadlineRule
from netralitas.cases.services import (
    ActionNotAllowed,
    CaseInputError,
    WrongState,
    case_open_from_report,
    case_transition,
    due_date_for,
)
from netralitas.cases.transitions import TRANSITIONS
from netralitas.core.timeutil import local_today
from netralitas.elections.models import SanctionKind

S = CaseStatus
OPEN = [s for s in S if s != S.CLOSED]

# The specification, written out independently of cases/transitions.py:
# (action, from status) -> personas allowed, and the status it leads to (None = stays).
EXPECTED = {
    ("request_info", S.VERIFICATION): ({"verifier"}, S.AWAITING_INFO),
    ("receive_info", S.AWAITING_INFO): ({"verifier"}, S.VERIFICATION),
    ("set_requirements", S.VERIFICATION): ({"verifier"}, None),
    ("register", S.VERIFICATION): ({"verifier"}, S.REGISTERED),
    ("reject", S.VERIFICATION): ({"verifier"}, S.NOT_REGISTERED),
    ("reject", S.AWAITING_INFO): ({"verifier"}, S.NOT_REGISTERED),
    ("start_examination", S.REGISTERED): ({"examiner"}, S.EXAMINATION),
    ("add_clarification", S.EXAMINATION): ({"examiner"}, None),
    ("conclude_proven", S.EXAMINATION): ({"examiner"}, S.PROVEN),
    ("conclude_not_proven", S.EXAMINATION): ({"examiner"}, S.NOT_PROVEN),
    ("recommend", S.PROVEN): ({"examiner"}, S.RECOMMENDED),
    ("forward", S.RECOMMENDED): ({"examiner"}, S.FORWARDED),
    ("decide", S.FORWARDED): ({"ppk"}, S.DECIDED),
    ("close", S.NOT_REGISTERED): ({"verifier"}, S.CLOSED),
    ("close", S.NOT_PROVEN): ({"verifier"}, S.CLOSED),
    ("close", S.DECIDED): ({"verifier"}, S.CLOSED),
    **{("comment", s): ({"verifier", "examiner", "ppk", "bawaslu"}, None) for s in OPEN},
}
PERSONAS = ["verifier", "examiner", "ppk", "bawaslu", "agency_head", "admin_user"]
# Roles of the personas, for "is this role ever allowed this action".
ROLE_OF = {
    "verifier": "verifier",
    "examiner": "examiner",
    "ppk": "ppk",
    "bawaslu": "bawaslu",
    "agency_head": "agency_head",
    "admin_user": "admin",
}


def valid_fields(action, case):
    if action == "set_requirements":
        return {"formal_complete": True, "material_complete": True}
    if action == "add_clarification":
        return {
            "held_on": local_today() - timedelta(days=2),
            "person_heard": "Budi Santoso",
            "capacity": "witness",
            "summary": "Melihat unggahan tersebut di grup WhatsApp.",
        }
    if action == "recommend":
        return {
            "sanction_kind": SanctionKind.objects.filter(
                employee_kind="PNS", category=case.suggested_sanction_category
            ).first()
        }
    if action == "forward":
        return {"target": "ppk"}
    if action == "decide":
        return {
            "decision_number": "800/77/2024",
            "decision_date": local_today(),
            "sanction_kind": case.recommended_sanction_kind,
        }
    return {}


def test_it_matches_the_written_specification():
    table = {
        (a, s): ({ROLE_OF[p] for p in roles}, target)
        for (a, s), (roles, target) in EXPECTED.items()
    }
    actual = {
        (t.action, s): ({str(r) for r in t.roles}, t.target)
        for t in TRANSITIONS.values()
        for s in t.sources
    }
    assert actual == table


@pytest.mark.parametrize("status", list(S))
@pytest.mark.django_db
def test_it_allows_and_refuses_every_action_from(status, request, case_factory):
    personas = {p: request.getfixturevalue(p) for p in PERSONAS}
    refused_case = case_factory(status)
    for action in TRANSITIONS:
        allowed, target = EXPECTED.get((action, status), (set(), None))
        for persona, user in personas.items():
            if persona in allowed:
                case = case_factory(status)
                if action == "register":
                    case_transition(
                        case=case,
                        action="set_requirements",
                        actor=user,
                        fields=valid_fields("set_requirements", case),
                    )
                if action == "conclude_proven":
                    case_transition(
                        case=case,
                        action="add_clarification",
                        actor=user,
                        fields=valid_fields("add_clarification", case),
                    )
                before = case.events.count()
                case = case_transition(
                    case=case,
                    action=action,
                    actor=user,
                    note="alasan uji",
                    fields=valid_fields(action, case),
                )
                assert case.status == (target or status), (action, persona)
                last = case.events.order_by("-id").first()
                assert case.events.count() == before + 1
                assert (last.action, last.actor, last.from_status, last.to_status) == (
                    action,
                    user,
                    status,
                    case.status,
                )
            else:
                role_ever_allowed = any(
                    persona in roles for (a, _), (roles, _) in EXPECTED.items() if a == action
                )
                expected_error = WrongState if role_ever_allowed else ActionNotAllowed
                with pytest.raises(expected_error):
                    case_transition(
                        case=refused_case,
                        action=action,
                        actor=user,
                        note="x",
                        fields=valid_fields(action, refused_case),
                    )
    refused_case.refresh_from_db()
    assert refused_case.status == status


@pytest.mark.django_db
def test_it_refuses_register_before_requirements_are_met(case_factory, verifier):
    case = case_factory(S.VERIFICATION)
    with pytest.raises(CaseInputError) as exc:
        case_transition(case=case, action="register", actor=verifier)
    assert set(exc.value.errors) == {"formal_complete", "material_complete"}
    case_transition(
        case=case,
        action="set_requirements",
        actor=verifier,
        fields={"formal_complete": True, "material_complete": False},
    )
    with pytest.raises(CaseInputError) as exc:
        case_transition(case=case, action="register", actor=verifier)
    assert set(exc.value.errors) == {"material_complete"}


@pytest.mark.django_db
def test_it_refuses_a_proven_conclusion_without_a_clarification(case_factory, examiner):
    case = case_factory(S.EXAMINATION)
    with pytest.raises(CaseInputError) as exc:
        case_transition(case=case, action="conclude_proven", actor=examiner, note="terbukti")
    assert "clarification" in exc.value.errors


@pytest.mark.django_db
def test_it_requires_a_note_for_reasoned_steps(case_factory, verifier):
    case = case_factory(S.VERIFICATION)
    with pytest.raises(CaseInputError) as exc:
        case_transition(case=case, action="reject", actor=verifier, note="  ")
    assert "note" in exc.value.errors


@pytest.mark.django_db
def test_it_requires_a_reason_to_override_the_rule_table(case_factory, examiner):
    case = case_factory(S.PROVEN)
    other = (
        SanctionKind.objects.filter(employee_kind="PNS")
        .exclude(category=case.suggested_sanction_category)
        .first()
    )
    with pytest.raises(CaseInputError) as exc:
        case_transition(
            case=case, action="recommend", actor=examiner, fields={"sanction_kind": other}
        )
    assert "override_reason" in exc.value.errors
    case = case_transition(
        case=case,
        action="recommend",
        actor=examiner,
        fields={"sanction_kind": other, "override_reason": "Pelaku mengulangi pelanggaran."},
    )
    assert case.recommended_sanction_kind == other
    assert case.recommendation_override_reason


@pytest.mark.django_db
def test_it_refuses_a_sanction_from_another_catalogue(case_factory, examiner):
    case = case_factory(S.PROVEN)
    pppk_kind = SanctionKind.objects.filter(employee_kind="PPPK").first()
    with pytest.raises(CaseInputError) as exc:
        case_transition(
            case=case,
            action="recommend",
            actor=examiner,
            fields={"sanction_kind": pppk_kind, "override_reason": "x"},
        )
    assert "sanction_kind" in exc.value.errors


@pytest.mark.django_db
def test_it_keeps_the_ppk_to_their_own_agencies(case_factory, ppk_other):
    case = case_factory(S.FORWARDED)
    with pytest.raises(ActionNotAllowed):
        case_transition(
            case=case,
            action="decide",
            actor=ppk_other,
            fields={
                "decision_number": "1",
                "decision_date": local_today(),
                "sanction_kind": case.recommended_sanction_kind,
            },
        )


@pytest.mark.django_db
def test_it_refuses_a_decision_dated_in_the_future(case_factory, ppk):
    case = case_factory(S.FORWARDED)
    with pytest.raises(CaseInputError) as exc:
        case_transition(
            case=case,
            action="decide",
            actor=ppk,
            fields={
                "decision_number": "800/1",
                "decision_date": local_today() + timedelta(days=1),
                "sanction_kind": case.recommended_sanction_kind,
            },
        )
    assert "decision_date" in exc.value.errors


@pytest.mark.django_db
def test_it_forwards_to_the_receiving_body_of_the_day(case_factory, examiner):
    case = case_factory(S.RECOMMENDED)
    case = case_transition(
        case=case, action="forward", actor=examiner, fields={"target": "receiving_body"}
    )
    # Today is after 23 Aug 2024, so BKN, not KASN, receives forwarded cases.
    from netralitas.cases.models import ReceivingBody

    assert case.forwarded_to_name == ReceivingBody.objects.get(code="BKN").name


@pytest.mark.django_db
def test_it_sets_the_legal_deadline_on_each_step(case_factory, verifier):
    case = case_factory(S.VERIFICATION)
    rule = DeadlineRule.objects.get(step=S.VERIFICATION)
    assert case.due_on == due_date_for(status=S.VERIFICATION, start=local_today())
    assert (case.due_on - local_today()).days >= rule.days
    case = case_transition(
        case=case, action="request_info", actor=verifier, note="Mohon bukti tautan."
    )
    assert case.due_on == due_date_for(status=S.AWAITING_INFO, start=local_today())
    closed = case_factory(S.CLOSED)
    assert closed.due_on is None and closed.closed_at is not None


@pytest.mark.django_db
def test_it_counts_working_days_for_working_day_rules():
    rule = DeadlineRule.objects.get(step=S.FORWARDED)
    rule.days, rule.day_kind = 10, "working"
    rule.save()
    # Mon 1 Apr 2024 + 10 working days over the Idul Fitri 2024 holidays.
    due = due_date_for(status=S.FORWARDED, start=local_today().replace(year=2024, month=4, day=1))
    assert due.isoformat() > "2024-04-15"
    assert due.weekday() < 5


@pytest.mark.django_db
def test_it_keeps_the_timeline_append_only(case_factory):
    case = case_factory(S.REGISTERED)
    event = case.events.first()
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).note != "rewritten"


@pytest.mark.django_db(transaction=True)
def test_it_refuses_timeline_rewrites_in_postgresql_too(case_factory):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL only")
    case = case_factory(S.VERIFICATION)
    with pytest.raises(DatabaseError):
        CaseEvent.objects.filter(case=case).update(note="rewritten")


@pytest.mark.django_db
def test_it_opens_a_report_only_once(new_report, verifier):
    case_open_from_report(report=new_report, actor=verifier)
    with pytest.raises(WrongState):
        case_open_from_report(report=new_report, actor=verifier)


@pytest.mark.django_db
def test_it_lets_only_verifiers_open_cases(new_report, examiner, bawaslu):
    for user in (examiner, bawaslu):
        with pytest.raises(ActionNotAllowed):
            case_open_from_report(report=new_report, actor=user)


@pytest.mark.django_db
def test_it_numbers_cases_per_year_without_gaps(case_factory):
    numbers = [case_factory(S.VERIFICATION).number for _ in range(3)]
    year = local_today().year
    seq = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert all(n.startswith(f"KASUS-{year}-") for n in numbers)
    assert seq == list(range(seq[0], seq[0] + 3))


@pytest.mark.django_db
def test_it_forwards_to_kasn_on_a_date_before_bkn_took_over(case_factory, examiner):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    case = case_factory(S.RECOMMENDED)
    at = datetime(2024, 8, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    case = case_transition(
        case=case, action="forward", actor=examiner, fields={"target": "receiving_body"}, at=at
    )
    from netralitas.cases.models import ReceivingBody

    assert case.forwarded_to_name == ReceivingBody.objects.get(code="KASN").name
