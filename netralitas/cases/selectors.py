from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from netralitas.accounts.models import Role, User
from netralitas.cases.models import Case, CaseStatus, Holiday, ReceivingBody
from netralitas.cases.transitions import Transition, transitions_for
from netralitas.core.timeutil import local_today
from netralitas.registry.models import Agency

# Roles that read every case; the PPK only reads the cases of their own agencies.
ALL_CASES_ROLES = {Role.VERIFIER, Role.EXAMINER, Role.BAWASLU}


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    qs = Case.objects.select_related("agency", "violation_type", "employee")
    if user.role in ALL_CASES_ROLES:
        return qs
    if user.role == Role.PPK and user.agency_id:
        return qs.filter(agency__path__startswith=user.agency.path)
    return qs.none()


def case_access(*, user: User, number: str) -> Case | None:
    """The case with this number if the user may read it, else None."""
    return cases_visible_to(user=user).filter(number=number).first()


def cases_filtered(
    *,
    user: User,
    status: str = "",
    agency_code: str = "",
    violation_code: str = "",
    overdue: bool = False,
    query: str = "",
) -> QuerySet[Case]:
    qs = cases_visible_to(user=user)
    if status:
        qs = qs.filter(status=status)
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        qs = qs.filter(agency__path__startswith=agency.path) if agency else qs.none()
    if violation_code:
        qs = qs.filter(violation_type__code=violation_code)
    if overdue:
        qs = cases_overdue(qs)
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(subject_name__icontains=query))
    return qs


def cases_overdue(qs: QuerySet[Case], *, today: date | None = None) -> QuerySet[Case]:
    return qs.filter(due_on__lt=today or local_today()).exclude(status=CaseStatus.CLOSED)


def case_actions_for(*, case: Case, user: User) -> list[Transition]:
    if not cases_visible_to(user=user).filter(pk=case.pk).exists():
        return []
    actions = transitions_for(case.status, user.role)
    if user.role == Role.PPK:
        # A PPK decides only what was forwarded to a PPK.
        actions = [a for a in actions if a.action != "decide" or case.forwarded_to == "ppk"]
    return actions


def agency_case_summary(*, agency: Agency) -> list[dict]:
    """Counts per status for an agency subtree: what an agency head may see."""
    rows = (
        Case.objects.filter(agency__path__startswith=agency.path)
        .values("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    labels = dict(CaseStatus.choices)
    return [{"status": r["status"], "label": labels[r["status"]], "count": r["n"]} for r in rows]


def agency_overdue_count(*, agency: Agency) -> int:
    return cases_overdue(Case.objects.filter(agency__path__startswith=agency.path)).count()


def holidays_between(start: date, end: date) -> set[date]:
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def receiving_body_on(*, day: date) -> ReceivingBody | None:
    """KASN until 23 Aug 2024, BKN from 24 Aug 2024 (Perpres 92/2024), as configured."""
    return (
        ReceivingBody.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )
