"""The only writers of case state. Each transition checks the table, the role and the
current state on a locked row, then writes the status, the due date and the timeline
event in one transaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.accounts.models import Role, User
from netralitas.cases.export import EXPORT_ACTION, FORMAT, VERSION
from netralitas.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseStatus,
    Clarification,
    DayKind,
    DeadlineRule,
    ForwardTarget,
)
from netralitas.cases.selectors import (
    ALL_CASES_ROLES,
    case_actions_for,
    cases_visible_to,
    holidays_between,
    receiving_body_on,
)
from netralitas.cases.transitions import TRANSITIONS, Transition
from netralitas.cases.workdays import add_days
from netralitas.core.timeutil import local_today
from netralitas.elections.models import SanctionKind
from netralitas.elections.selectors import (
    contest_for,
    sanction_suggestion,
    stage_on,
    violation_type_on,
)
from netralitas.registry.models import Employee
from netralitas.reports.models import Report, ReportStatus


class CaseError(Exception):
    """Base of what a case service refuses."""


class ActionNotAllowed(CaseError):
    """The actor's role may not take this action on this case (HTTP 403)."""


class WrongState(CaseError):
    """The case is not in a state this action starts from (HTTP 409)."""


class CaseInputError(CaseError):
    """Bad or missing input; ``errors`` maps field names to messages (HTTP 400)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def due_date_for(*, status: str, start: date) -> date | None:
    rule = DeadlineRule.objects.filter(step=status).first()
    if rule is None:
        return None
    working = rule.day_kind == DayKind.WORKING
    # Wide enough a holiday window for any configured length of working days.
    holidays = (
        holidays_between(start, start + timedelta(days=rule.days * 3 + 30)) if working else set()
    )
    return add_days(start, rule.days, working=working, holidays=holidays)


def _next_case_number(year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"KASUS-{year}-{counter.last:05d}"


def _event(
    case: Case,
    *,
    actor: User | None,
    action: str,
    from_status: str,
    note: str = "",
    public_message: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=actor,
        actor_role=actor.role if actor else "",
        action=action,
        from_status=from_status,
        to_status=case.status,
        note=note,
        # A message written for the reporter; the standard public text per action is
        # added when read (reports.selectors), in the reader's language.
        public_note=public_message,
        data=data or {},
    )


@transaction.atomic
def case_open_from_report(
    *, report: Report, actor: User, employee: Employee | None = None, at: datetime | None = None
) -> Case:
    """Open a case in verification from a new report (the verifier's inbox).

    ``at`` records a step that happened earlier (imports of past cases, demo data)."""
    open_transition_roles = TRANSITIONS["register"].roles
    if actor.role not in open_transition_roles:
        raise ActionNotAllowed(_("Your role may not open cases."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.NEW:
        raise WrongState(_("This report has already been handled."))
    reported = report.violation_types.order_by("order").first()
    if reported is None:
        raise CaseInputError({"violation_type": [_("The report has no violation type.")]})
    employee = employee or report.reported_employee
    agency = employee.agency if employee else report.agency
    contest = contest_for(day=report.incident_date, agency=agency)
    effective = violation_type_on(reported=reported, day=report.incident_date, contest=contest)
    suggestion = sanction_suggestion(
        violation_type=effective, employee_kind=employee.kind if employee else None
    )
    now = at or timezone.now()
    case = Case.objects.create(
        number=_next_case_number(timezone.localtime(now).year),
        status=CaseStatus.VERIFICATION,
        subject_name=employee.name if employee else report.reported_name,
        employee=employee,
        agency=agency,
        incident_date=report.incident_date,
        reported_violation_type=reported,
        violation_type=effective,
        contest=contest,
        stage=report.stage or stage_on(day=report.incident_date),
        suggested_sanction_category=suggestion.category,
        opened_at=now,
        status_changed_at=now,
        due_on=due_date_for(status=CaseStatus.VERIFICATION, start=timezone.localdate(now)),
    )
    report.case = case
    report.status = ReportStatus.IN_CASE
    report.save(update_fields=["case", "status"])
    data: dict[str, Any] = {"report": report.tracking_code}
    if effective != reported:
        data["violation_type_changed"] = {"reported": reported.code, "applies": effective.code}
    _event(case, actor=actor, action="open", from_status="", data=data, at=now)
    return case


@transaction.atomic
def case_attach_report(*, case: Case, report: Report, actor: User) -> None:
    """Join a further report about the same act to an existing case."""
    if actor.role not in TRANSITIONS["register"].roles:
        raise ActionNotAllowed(_("Your role may not attach reports."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.NEW:
        raise WrongState(_("This report has already been handled."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise WrongState(_("A closed case cannot take new reports."))
    report.case = case
    report.status = ReportStatus.IN_CASE
    report.save(update_fields=["case", "status"])
    _event(
        case,
        actor=actor,
        action="attach_report",
        from_status=case.status,
        data={"report": report.tracking_code},
    )


# A partisan post, comment, share or like: SKB 2022 rows KE-04 (prospective candidates)
# and DS-06 (candidates set); violation_type_on picks the one that applies on the day.
FINDING_VIOLATION_TYPE = "DS-06"


@transaction.atomic
def case_open_from_finding(*, finding: Any, post: Any, actor: User) -> Case:
    """Open a case in verification from a confirmed monitoring finding (the reviewer's
    decision). ``finding`` carries the post snapshot and its hash, recorded on the
    timeline as the evidence."""
    from netralitas.elections.models import ViolationType

    if actor.role not in TRANSITIONS["register"].roles:
        raise ActionNotAllowed(_("Your role may not open cases."))
    reported = ViolationType.objects.get(code=FINDING_VIOLATION_TYPE)
    employee = post.employee
    agency = employee.agency if employee else (post.group.agency if post.group else None)
    now = timezone.now()
    day = timezone.localtime(post.posted_at).date() if post.posted_at else timezone.localdate(now)
    contest = contest_for(day=day, agency=agency)
    effective = violation_type_on(reported=reported, day=day, contest=contest)
    suggestion = sanction_suggestion(
        violation_type=effective, employee_kind=employee.kind if employee else None
    )
    case = Case.objects.create(
        number=_next_case_number(timezone.localtime(now).year),
        status=CaseStatus.VERIFICATION,
        subject_name=(
            employee.name
            if employee
            else (post.author_name or post.author_handle or post.author_phone or "?")
        )[:200],
        employee=employee,
        agency=agency,
        incident_date=day,
        reported_violation_type=reported,
        violation_type=effective,
        contest=contest,
        stage=stage_on(day=day),
        suggested_sanction_category=suggestion.category,
        opened_at=now,
        status_changed_at=now,
        due_on=due_date_for(status=CaseStatus.VERIFICATION, start=timezone.localdate(now)),
    )
    _event(
        case,
        actor=actor,
        action="open_from_finding",
        from_status="",
        data=_finding_data(finding),
        at=now,
    )
    return case


def _finding_data(finding: Any) -> dict[str, Any]:
    return {
        "finding": finding.pk,
        "snapshot_sha256": finding.snapshot_sha256,
        "stance": finding.reviewed_stance or finding.stance,
        "score": finding.score,
    }


@transaction.atomic
def case_attach_finding(*, case: Case, finding: Any, actor: User) -> None:
    """Join a confirmed finding about the same act (or the same campaign) to a case."""
    if actor.role not in TRANSITIONS["register"].roles:
        raise ActionNotAllowed(_("Your role may not attach findings."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise WrongState(_("A closed case cannot take new findings."))
    _event(
        case,
        actor=actor,
        action="attach_finding",
        from_status=case.status,
        data=_finding_data(finding),
    )


@transaction.atomic
def case_export_record(*, case: Case, actor: User | None, via: str) -> CaseEvent:
    """Record on the timeline that the case file left the office (cases.export).

    An export is a read, not a step: the status and the due date stay as they are. It is
    recorded all the same because the file carries personal data of the reported person,
    and who took it out must be answerable. ``actor`` is None for an operator's command
    (``via="command"``), which runs with the server's own access."""
    if actor is not None and (
        actor.role not in ALL_CASES_ROLES | {Role.PPK}
        or not cases_visible_to(user=actor).filter(pk=case.pk).exists()
    ):
        raise ActionNotAllowed(_("Your role may not export this case."))
    # Locked so that the event's status is the one the case had, not a concurrent step's.
    case = Case.objects.select_for_update().get(pk=case.pk)
    return _event(
        case,
        actor=actor,
        action=EXPORT_ACTION,
        from_status=case.status,
        data={"format": FORMAT, "version": VERSION, "via": via},
    )


def _check_recommend(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    kind: SanctionKind | None = fields.get("sanction_kind")
    if kind is None:
        raise CaseInputError({"sanction_kind": [_("Choose a sanction.")]})
    expected_catalogue = case.employee.kind if case.employee else "PNS"
    if kind.employee_kind != expected_catalogue:
        raise CaseInputError(
            {"sanction_kind": [_("This sanction is not in the catalogue for this employee.")]}
        )
    reason = (fields.get("override_reason") or "").strip()
    if kind.category != case.suggested_sanction_category and not reason:
        raise CaseInputError(
            {
                "override_reason": [
                    _("The sanction differs from the rule table's category; give a reason.")
                ]
            }
        )
    case.recommended_sanction_kind = kind
    case.recommended_sanction_category = kind.category
    case.recommendation_override_reason = reason
    return {
        "sanction_kind": kind.code,
        "category": kind.category,
        "suggested": case.suggested_sanction_category,
        "override_reason": reason,
    }


def _check_decide(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    number = (fields.get("decision_number") or "").strip()
    day: date | None = fields.get("decision_date")
    kind: SanctionKind | None = fields.get("sanction_kind")
    if not number:
        errors["decision_number"] = [_("The decision number is required.")]
    if day is None:
        errors["decision_date"] = [_("The decision date is required.")]
    elif day > local_today():
        errors["decision_date"] = [_("The decision date cannot be in the future.")]
    if kind is None:
        errors["sanction_kind"] = [_("Choose the sanction decided.")]
    reason = (fields.get("override_reason") or "").strip()
    if kind is not None and kind != case.recommended_sanction_kind and not reason:
        errors["override_reason"] = [
            _("The decision differs from the recommendation; give a reason.")
        ]
    if errors:
        raise CaseInputError(errors)
    case.ppk_decision_number = number
    case.ppk_decision_date = day
    case.ppk_sanction_kind = kind
    case.ppk_override_reason = reason
    return {
        "decision_number": number,
        "decision_date": day.isoformat() if day else None,
        "sanction_kind": kind.code if kind else None,
        "override_reason": reason,
    }


def _check_forward(case: Case, fields: dict[str, Any], *, day: date) -> dict[str, Any]:
    target = fields.get("target") or ""
    if target not in ForwardTarget.values:
        raise CaseInputError({"target": [_("Choose where the case goes.")]})
    name = (fields.get("target_name") or "").strip()
    if target == ForwardTarget.RECEIVING_BODY:
        # KASN until 23 Aug 2024, BKN after: the body of the day the case is forwarded.
        body = receiving_body_on(day=day)
        if body is None:
            raise CaseInputError({"target": [_("No receiving body is configured for today.")]})
        name = body.name
    elif target == ForwardTarget.OTHER_AGENCY and not name:
        raise CaseInputError({"target_name": [_("Name the agency.")]})
    elif target == ForwardTarget.PPK and not name:
        name = str(ForwardTarget.PPK.label)
    case.forwarded_to = target
    case.forwarded_to_name = name
    return {"target": target, "target_name": name}


def _check_requirements(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    case.formal_complete = bool(fields.get("formal_complete"))
    case.material_complete = bool(fields.get("material_complete"))
    return {"formal_complete": case.formal_complete, "material_complete": case.material_complete}


def _check_register(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    # Perbawaslu 7/2022 Pasal 15(3)-(4): both requirement sets must be met.
    errors: dict[str, list[str]] = {}
    if not case.formal_complete:
        errors["formal_complete"] = [_("The formal requirements are not marked complete.")]
    if not case.material_complete:
        errors["material_complete"] = [_("The material requirements are not marked complete.")]
    if errors:
        raise CaseInputError(errors)
    return {}


def _check_clarification(
    case: Case, fields: dict[str, Any], actor: User, *, at: datetime
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for name in ("held_on", "person_heard", "capacity", "summary"):
        if not fields.get(name):
            errors[name] = [_("This field is required.")]
    held_on = fields.get("held_on")
    if held_on and held_on > local_today():
        errors["held_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise CaseInputError(errors)
    record = Clarification.objects.create(
        case=case,
        held_on=held_on,
        person_heard=fields["person_heard"],
        capacity=fields["capacity"],
        summary=fields["summary"],
        recorded_by=actor,
        recorded_at=at,
    )
    return {
        "clarification": record.pk,
        "person_heard": record.person_heard,
        "capacity": record.capacity,
        "held_on": held_on.isoformat(),
    }


def _check_conclude_proven(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    # PP 94/2021 Pasal 26: a sanction rests on an examination, so hear someone first.
    if not case.clarifications.exists():
        raise CaseInputError(
            {"clarification": [_("Record at least one clarification before concluding.")]}
        )
    case.conclusion = "proven"
    return {}


def case_action_check(*, case: Case, action: str, actor: User) -> Transition:
    """Whether ``actor`` may take ``action`` on ``case`` as it is now; raises if not.

    Interfaces call it before validating an action's input so that a refused step is
    answered as refused, not as incomplete; the service calls it again on the locked row."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise CaseInputError({"action": [_("Unknown action.")]})
    if actor.role not in transition.roles:
        raise ActionNotAllowed(_("Your role may not take this action."))
    if case.status not in transition.sources:
        raise WrongState(
            _("This action is not possible while the case is '%(status)s'.")
            % {"status": case.get_status_display()}
        )
    if transition not in case_actions_for(case=case, user=actor):
        raise ActionNotAllowed(_("This case is outside your authority."))
    return transition


@transaction.atomic
def case_transition(
    *,
    case: Case,
    action: str,
    actor: User,
    note: str = "",
    public_message: str = "",
    fields: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Case:
    """Apply one action of the transition table to a case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    transition = case_action_check(case=case, action=action, actor=actor)
    note = (note or "").strip()
    if transition.needs_note and not note:
        raise CaseInputError({"note": [_("Explain the reason for this step.")]})
    fields = fields or {}
    now = at or timezone.now()
    data: dict[str, Any] = {}
    if action == "recommend":
        data = _check_recommend(case, fields)
    elif action == "decide":
        data = _check_decide(case, fields)
    elif action == "forward":
        data = _check_forward(case, fields, day=timezone.localdate(now))
    elif action == "set_requirements":
        data = _check_requirements(case, fields)
    elif action == "register":
        data = _check_register(case, fields)
    elif action == "add_clarification":
        data = _check_clarification(case, fields, actor, at=now)
    elif action == "conclude_proven":
        data = _check_conclude_proven(case, fields)
    elif action == "conclude_not_proven":
        case.conclusion = "not_proven"

    from_status = case.status
    if transition.target is not None:
        case.status = transition.target
        case.status_changed_at = now
        case.due_on = due_date_for(status=case.status, start=timezone.localdate(now))
        if case.status == CaseStatus.CLOSED:
            case.closed_at = now
    case.save()
    _event(
        case,
        actor=actor,
        action=action,
        from_status=from_status,
        note=note,
        public_message=public_message.strip()[:500],
        data=data,
        at=now,
    )
    return case
