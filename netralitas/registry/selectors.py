from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from netralitas.accounts.models import Role, User
from netralitas.core.timeutil import local_today
from netralitas.elections.models import Election
from netralitas.elections.selectors import election_for_date
from netralitas.registry.models import (
    Agency,
    AgencyKind,
    AgencyQuerySet,
    Employee,
    IntegrityPact,
    SocialisationEvent,
)
from netralitas.registry.nip import normalize_nip


def employee_search(text: str, *, limit: int = 20) -> list[Employee]:
    """Employees by NIP prefix (spaces and dots allowed, as people write it) or name."""
    text = text.strip()
    if len(text) < 3:
        return []
    digits = normalize_nip(text)
    by_nip = Q(nip__startswith=digits) if digits.isdigit() else Q(pk__in=[])
    return list(
        Employee.objects.select_related("agency")
        .filter(by_nip | Q(name__icontains=text), is_active=True)
        .order_by("name")[:limit]
    )


# --- Integrity pacts and socialisation ------------------------------------------------
#
# Who reads what: the monitoring team (verifier), examiners, Bawaslu and administrators
# read every agency; an agency head and a PPK read the subtree of the agency on their
# account. Recording (uploads, links, events, the head) is for the verifier and the
# administrator everywhere, and for an agency head inside their own subtree: the agency
# head is who gathers the pacts of their staff. PPK, examiners and Bawaslu only read.

PACT_READ_ALL_ROLES = frozenset({Role.VERIFIER, Role.EXAMINER, Role.ADMIN, Role.BAWASLU})
PACT_SCOPED_ROLES = frozenset({Role.AGENCY_HEAD, Role.PPK})
PACT_READ_ROLES = PACT_READ_ALL_ROLES | PACT_SCOPED_ROLES
PACT_RECORD_ROLES = frozenset({Role.VERIFIER, Role.ADMIN, Role.AGENCY_HEAD})


def integrity_root_for(*, user: User) -> Agency | None:
    """The agency whose subtree ``user`` reads, or None for every agency.

    Raises PermissionError for a role that reads nothing, or a scoped account that is
    not linked to an agency (which must not fall back to "everything")."""
    if user.role in PACT_READ_ALL_ROLES:
        return None
    if user.role in PACT_SCOPED_ROLES and user.agency_id:
        return user.agency
    raise PermissionError("no integrity-pact scope")


def agencies_visible_to(*, user: User) -> AgencyQuerySet:
    try:
        root = integrity_root_for(user=user)
    except PermissionError:
        return Agency.objects.none()
    agencies = Agency.objects.all()
    return agencies.subtree_of(root) if root is not None else agencies


def agency_access(*, user: User, code: str) -> Agency | None:
    """The agency with this code if ``user`` may read it, else None (shown as 404)."""
    return agencies_visible_to(user=user).select_related("head", "parent").filter(code=code).first()


def integrity_may_record(*, user: User, agency: Agency) -> bool:
    if user.role in {Role.VERIFIER, Role.ADMIN}:
        return True
    if user.role == Role.AGENCY_HEAD and user.agency_id:
        return agency.path.startswith(user.agency.path)
    return False


def election_default(*, today: date | None = None) -> Election | None:
    """The election the pact pages open on: the current or next one (within a year),
    else the most recent one."""
    today = today or local_today()
    return election_for_date(day=today) or Election.objects.order_by("-voting_date").first()


def _count(qs: QuerySet) -> Coalesce:
    """COUNT(*) of a correlated queryset as a scalar subquery (0 when it matches nothing).

    A subquery rather than a join: counting employees and pacts through joins from
    Agency would multiply rows, and one grouped join cannot reach a whole subtree."""
    counted = qs.order_by().values(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _pacts_for(election: Election | None) -> QuerySet[IntegrityPact]:
    # election=None selects the standing pacts (not tied to an election), not "any".
    if election is None:
        return IntegrityPact.objects.filter(election__isnull=True)
    return IntegrityPact.objects.filter(election=election)


def pact_progress_by_agency(
    *,
    root: Agency | None,
    election: Election | None = None,
    kinds: tuple[str, ...] | None = None,
) -> AgencyQuerySet:
    """Agencies of ``kinds`` (OPD by default) under ``root`` with their pact progress, in
    one query.

    Each row carries ``employees_active`` and ``employees_signed`` (active employees of
    the agency's whole subtree, by their current agency, and how many of them have a pact
    for ``election``), ``percent`` (None without employees) and ``head_signed`` (whether
    the recorded head has; False too when no head is recorded: read ``head_id``).

    Everything is counted by the database with correlated subqueries: each reads the
    agency tree (a few hundred rows) by path prefix and then employees and pacts through
    their indexes, so the cost follows the agencies listed, not the size of the registry.
    """
    agencies = Agency.objects.filter(is_active=True, kind__in=kinds or [AgencyKind.AGENCY])
    if root is not None:
        agencies = agencies.subtree_of(root)
    return _with_progress(agencies, election).order_by("path")


def pact_progress_for_agency(*, agency: Agency, election: Election | None = None) -> Agency:
    """One agency (active or not) with the annotations of :func:`pact_progress_by_agency`."""
    return _with_progress(Agency.objects.filter(pk=agency.pk), election).get()


def _with_progress(agencies: AgencyQuerySet, election: Election | None) -> AgencyQuerySet:
    employees = Employee.objects.filter(agency__path__startswith=OuterRef("path"), is_active=True)
    signed = _pacts_for(election).filter(
        employee__agency__path__startswith=OuterRef("path"), employee__is_active=True
    )
    head_signed = _pacts_for(election).filter(employee_id=OuterRef("head_id"))
    return (
        agencies.select_related("head", "parent")
        .annotate(
            employees_active=_count(employees),
            employees_signed=_count(signed),
            head_signed=Exists(head_signed),
        )
        .annotate(
            percent=Case(
                When(employees_active=0, then=Value(None)),
                default=ExpressionWrapper(
                    F("employees_signed") * 100.0 / F("employees_active"),
                    output_field=FloatField(),
                ),
                output_field=FloatField(),
            )
        )
    )


def agencies_head_not_signed(
    *, root: Agency | None, election: Election | None = None
) -> AgencyQuerySet:
    """Agencies whose recorded head has no pact for ``election``. Agencies with no head
    recorded are not here (that is not known): see :func:`agencies_head_unknown`."""
    return pact_progress_by_agency(root=root, election=election).filter(
        head__isnull=False, head_signed=False
    )


def agencies_head_unknown(*, root: Agency | None) -> AgencyQuerySet:
    agencies = Agency.objects.filter(is_active=True, kind=AgencyKind.AGENCY, head__isnull=True)
    return agencies.subtree_of(root) if root is not None else agencies


def pact_progress_summary(*, rows: AgencyQuerySet) -> dict[str, Any]:
    """Totals over the rows of :func:`pact_progress_by_agency` (as filtered for a page),
    summed by the database."""
    totals = rows.order_by().aggregate(
        agencies=Count("pk"),
        active=Coalesce(Sum("employees_active"), 0),
        signed=Coalesce(Sum("employees_signed"), 0),
    )
    active, signed = totals["active"], totals["signed"]
    totals["percent"] = signed * 100.0 / active if active else None
    return totals


def employees_with_pact_status(
    *, agency: Agency, election: Election | None = None, status: str = "", query: str = ""
) -> QuerySet[Employee]:
    """Active employees of an agency's subtree with their pact for ``election``, if any:
    ``pact_id``, ``pact_signed_at``, ``pact_method`` (None when not signed).

    ``status`` "signed" or "unsigned" filters; ``query`` matches name or NIP prefix."""
    pact = _pacts_for(election).filter(employee=OuterRef("pk"))
    employees = (
        Employee.objects.filter(is_active=True, agency__path__startswith=agency.path)
        .select_related("agency")
        .annotate(
            pact_id=Subquery(pact.values("pk")[:1]),
            pact_signed_at=Subquery(pact.values("signed_at")[:1]),
            pact_method=Subquery(pact.values("method")[:1]),
        )
    )
    if status == "signed":
        employees = employees.filter(pact_id__isnull=False)
    elif status == "unsigned":
        employees = employees.filter(pact_id__isnull=True)
    query = query.strip()
    if query:
        digits = normalize_nip(query)
        by_nip = Q(nip__startswith=digits) if digits.isdigit() else Q(pk__in=[])
        employees = employees.filter(by_nip | Q(name__icontains=query))
    # The head first, then leaders, then by name: who the agency head chases first.
    order: list[Any] = ["-holds_leadership_post", "name", "pk"]
    if agency.head_id:
        order.insert(0, Case(When(pk=agency.head_id, then=0), default=1))
    return employees.order_by(*order)


def employee_access(*, user: User, pk: int) -> Employee | None:
    """An employee of an agency ``user`` reads, else None (shown as 404)."""
    return (
        Employee.objects.select_related("agency")
        .filter(pk=pk, agency__in=agencies_visible_to(user=user))
        .first()
    )


def employee_pacts(*, employee: Employee) -> QuerySet[IntegrityPact]:
    return employee.integrity_pacts.select_related("election", "agency", "recorded_by").order_by(
        "-signed_at"
    )


def pact_visible(*, user: User, pk: int) -> IntegrityPact | None:
    """A pact of an employee ``user`` may read (by the agency it was signed in or the
    employee's current one)."""
    pact = IntegrityPact.objects.select_related("employee__agency", "agency").filter(pk=pk).first()
    if pact is None:
        return None
    try:
        root = integrity_root_for(user=user)
    except PermissionError:
        return None
    if root is None:
        return pact
    paths = (pact.agency.path, pact.employee.agency.path)
    return pact if any(p.startswith(root.path) for p in paths) else None


def socialisation_events_visible_to(
    *,
    user: User,
    agency: Agency | None = None,
    election: Election | None = None,
) -> QuerySet[SocialisationEvent]:
    """Events of the agencies ``user`` reads (narrowed to ``agency``'s subtree and to an
    election when given), each with ``listed_count`` and ``total_attendees``."""
    events = SocialisationEvent.objects.filter(
        agency__in=agencies_visible_to(user=user)
    ).select_related("agency", "election")
    if agency is not None:
        events = events.filter(agency__path__startswith=agency.path)
    if election is not None:
        events = events.filter(election=election)
    listed = SocialisationEvent.attendees.through.objects.filter(
        socialisationevent_id=OuterRef("pk")
    )
    return events.annotate(listed_count=_count(listed)).annotate(
        total_attendees=F("listed_count") + F("unlisted_attendee_count")
    )


def socialisation_totals_by_agency(*, events: QuerySet[SocialisationEvent]) -> list[dict]:
    """Per agency: number of events and attendees (listed + unlisted), grouped by the
    database. ``events`` comes from :func:`socialisation_events_visible_to`."""
    rows = (
        events.order_by()
        .values("agency_id", "agency__name", "agency__code")
        .annotate(
            events=Count("pk"),
            listed=Sum("listed_count"),
            unlisted=Sum("unlisted_attendee_count"),
        )
        .order_by("agency__path")
    )
    return [
        {
            "agency_name": row["agency__name"],
            "agency_code": row["agency__code"],
            "events": row["events"],
            "listed": row["listed"] or 0,
            "unlisted": row["unlisted"] or 0,
            "total": (row["listed"] or 0) + (row["unlisted"] or 0),
        }
        for row in rows
    ]
