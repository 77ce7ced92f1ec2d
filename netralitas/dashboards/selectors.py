"""What the dashboards and period reports count: reports, findings and cases, by dimension.

Every number is one aggregate query in the database (GROUP BY on an indexed or small
column); the few hundred agencies are then rolled up in Python to their agency (OPD) or
region. Each number and the list behind it come from the same queryset
(``entity_queryset`` + ``bucket_filter``), so a drill-down always lists exactly what was
counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from netralitas.accounts.models import Role, User
from netralitas.cases.models import Case, CaseEvent, CaseStatus, ForwardTarget
from netralitas.cases.transitions import TRANSITIONS
from netralitas.core.timeutil import local_today
from netralitas.elections.models import Stage, ViolationType
from netralitas.monitoring.models import Finding, FindingStatus
from netralitas.registry.models import Agency, AgencyKind, Platform
from netralitas.reports.models import Report, ReportStatus

Entity = Literal["reports", "findings", "cases"]
ENTITIES: tuple[Entity, ...] = ("reports", "findings", "cases")
DIMENSIONS = ("month", "region", "agency", "violation", "platform", "stage", "status")
REGION_KINDS = frozenset({AgencyKind.PROVINCE, AgencyKind.REGENCY, AgencyKind.CITY})
NONE_KEY = "-"  # the bucket of rows without a value (no agency, no stage...)


@dataclass(frozen=True)
class EntitySpec:
    model: type[Any]
    label: str | Promise
    date_field: str
    violation_field: str | None
    platform_field: str | None
    status_choices: list[tuple[str, Any]]


SPECS: dict[str, EntitySpec] = {
    "reports": EntitySpec(
        Report,
        _("Reports"),
        "submitted_at",
        # A report may name several violation types: it counts once under each.
        "violation_types__code",
        None,
        ReportStatus.choices,
    ),
    "findings": EntitySpec(
        Finding,
        _("Findings"),
        "posted_at",
        None,
        "post__platform",
        FindingStatus.choices,
    ),
    "cases": EntitySpec(
        Case,
        _("Cases"),
        "opened_at",
        "violation_type__code",
        # A case opened from monitoring findings has their platform; others have none.
        "findings__post__platform",
        CaseStatus.choices,
    ),
}

# Who sees the counts of what. Findings are the monitoring team's working material.
COUNT_ROLES: dict[str, frozenset[str]] = {
    "reports": frozenset({Role.VERIFIER, Role.EXAMINER, Role.BAWASLU, Role.PPK, Role.AGENCY_HEAD}),
    "findings": frozenset({Role.VERIFIER, Role.EXAMINER}),
    "cases": frozenset({Role.VERIFIER, Role.EXAMINER, Role.BAWASLU, Role.PPK, Role.AGENCY_HEAD}),
}
# Who may open the list behind a number: the roles that may already read those rows
# elsewhere (the inbox, the review queue, the case list). Agency heads see counts only.
LIST_ROLES: dict[str, frozenset[str]] = {
    "reports": frozenset({Role.VERIFIER}),
    "findings": frozenset({Role.VERIFIER, Role.EXAMINER}),
    "cases": frozenset({Role.VERIFIER, Role.EXAMINER, Role.BAWASLU, Role.PPK}),
}
DASHBOARD_ROLES = frozenset().union(*COUNT_ROLES.values())
# Roles whose dashboard covers only their agency's subtree.
SCOPED_ROLES = frozenset({Role.PPK, Role.AGENCY_HEAD})


@dataclass(frozen=True)
class DashboardFilters:
    """The filters a dashboard URL carries. ``agency`` is an agency code (its subtree)."""

    date_from: date | None = None
    date_to: date | None = None
    agency: str = ""
    violation: str = ""
    platform: str = ""
    stage: int | None = None

    def applies_to(self, entity: str) -> bool:
        """False when a filter is set that this entity has no field for (a platform for
        reports, a violation type for findings): its count would be meaningless."""
        spec = SPECS[entity]
        if self.violation and spec.violation_field is None:
            return False
        return not (self.platform and spec.platform_field is None)

    def with_dates(self, date_from: date | None, date_to: date | None) -> DashboardFilters:
        return replace(self, date_from=date_from, date_to=date_to)


@dataclass
class Bucket:
    key: str
    label: str
    count: int
    extra: dict[str, Any] = field(default_factory=dict)


# --- querysets ----------------------------------------------------------------------


def entity_visible(*, entity: str, user: User | None) -> bool:
    return user is None or user.role in COUNT_ROLES[entity]


def entity_listable(*, entity: str, user: User | None) -> bool:
    return user is not None and user.role in LIST_ROLES[entity]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entity_queryset(
    *,
    entity: str,
    filters: DashboardFilters,
    user: User | None = None,
    tree: AgencyTree | None = None,
) -> QuerySet | None:
    """The rows of an entity under the filters and the user's scope (None: everything,
    for the command line). None when the entity is hidden from the user or a filter does
    not apply to it. ``tree``, when given, saves the agency filter's lookup query."""
    if not entity_visible(entity=entity, user=user) or not filters.applies_to(entity):
        return None
    spec = SPECS[entity]
    qs: QuerySet = spec.model.objects.all()
    if user is not None and user.role in SCOPED_ROLES:
        if user.agency_id is None:
            return qs.none()
        qs = qs.filter(agency__path__startswith=user.agency.path)
    # Datetime ranges rather than __date lookups, so the column's index can serve them.
    if filters.date_from:
        qs = qs.filter(**{f"{spec.date_field}__gte": _day_start(filters.date_from)})
    if filters.date_to:
        qs = qs.filter(**{f"{spec.date_field}__lt": _day_start(filters.date_to + timedelta(1))})
    if filters.agency:
        if tree is not None:
            agency = tree.by_code.get(filters.agency)
        else:
            agency = Agency.objects.filter(code=filters.agency).first()
        qs = qs.filter(agency__path__startswith=agency.path) if agency else qs.none()
    if filters.violation and spec.violation_field:
        qs = qs.filter(**{spec.violation_field: filters.violation})
    if filters.platform and entity == "cases":
        # A case may hold several findings: EXISTS, not a join that repeats the case.
        qs = qs.filter(
            Exists(Finding.objects.filter(case=OuterRef("pk"), post__platform=filters.platform))
        )
    elif filters.platform and spec.platform_field:
        qs = qs.filter(**{spec.platform_field: filters.platform})
    if filters.stage:
        qs = qs.filter(stage_id=filters.stage)
    # A report's violation filter joins on a unique code: at most one row per report.
    return qs


class AgencyTree:
    """All agencies in memory (a province has a few hundred): rolls agencies up to their
    agency (OPD) or region without a query per row."""

    def __init__(self) -> None:
        self.by_id: dict[int, Agency] = {a.pk: a for a in Agency.objects.all()}
        self.by_code: dict[str, Agency] = {a.code: a for a in self.by_id.values()}

    def ancestors(self, agency: Agency) -> list[Agency]:
        """The agency and everything above it, nearest first."""
        chain = []
        node: Agency | None = agency
        while node is not None:
            chain.append(node)
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return chain

    def region_of(self, agency: Agency) -> Agency:
        for node in self.ancestors(agency):
            if node.kind in REGION_KINDS:
                return node
        return agency

    def top_agency_of(self, agency: Agency) -> Agency:
        """The agency (OPD) a unit belongs to; a region's own node stays itself."""
        for node in reversed(self.ancestors(agency)):
            if node.kind == AgencyKind.AGENCY:
                return node
        return agency

    def child_regions(self, region: Agency) -> list[Agency]:
        return [
            a for a in self.by_id.values() if a.parent_id == region.pk and a.kind in REGION_KINDS
        ]

    def bucket_of(self, agency: Agency, dimension: str) -> Agency:
        return self.region_of(agency) if dimension == "region" else self.top_agency_of(agency)

    def members(self, node: Agency, dimension: str) -> list[int]:
        """The ids of the agencies whose rows ``counts_by`` puts in ``node``'s bucket: the
        drill-down lists them by the very rule that counted them. (A subtree prefix would
        not do: rows recorded on a region's own node count in its agency bucket alone.)"""
        return [a.pk for a in self.by_id.values() if self.bucket_of(a, dimension).pk == node.pk]


def _stage_labels(ids: Iterable[int]) -> dict[int, str]:
    stages = Stage.objects.filter(pk__in=[i for i in ids if i]).select_related("election")
    return {s.pk: f"{s.election.name}: {s.name}" for s in stages}


def _month_label(day: date) -> str:
    return f"{day:%Y-%m}"


def counts_by(
    *,
    entity: str,
    dimension: str,
    filters: DashboardFilters,
    user: User | None = None,
    tree: AgencyTree | None = None,
) -> list[Bucket] | None:
    """Counts of an entity per value of a dimension, largest first (months in order).
    None when the user may not see the entity, a filter does not apply to it, or the
    entity has no such dimension (findings have no violation type, reports no platform)."""
    qs = entity_queryset(entity=entity, filters=filters, user=user, tree=tree)
    if qs is None or dimension not in DIMENSIONS:
        return None
    spec = SPECS[entity]
    if dimension == "month":
        rows = (
            qs.annotate(m=TruncMonth(spec.date_field, tzinfo=timezone.get_current_timezone()))
            .values("m")
            .annotate(n=Count("pk"))
            .order_by("m")
        )
        buckets = []
        for r in rows:
            if r["m"] is None:
                buckets.append(Bucket(NONE_KEY, str(_("No date")), r["n"]))
                continue
            day = r["m"].date() if isinstance(r["m"], datetime) else r["m"]
            buckets.append(Bucket(_month_label(day), _month_label(day), r["n"]))
        # Undated rows last on every database (SQLite sorts NULL first, PostgreSQL last).
        return sorted(buckets, key=lambda b: b.key == NONE_KEY)
    if dimension in ("agency", "region"):
        return _agency_buckets(_agency_counts(qs), dimension, tree or AgencyTree())
    if dimension == "status":
        labels = dict(spec.status_choices)
        rows = qs.values("status").annotate(n=Count("pk")).order_by()
        return _sorted(
            Bucket(r["status"], str(labels.get(r["status"], r["status"])), r["n"]) for r in rows
        )
    if dimension == "stage":
        rows = list(qs.values("stage_id").annotate(n=Count("pk")).order_by())
        labels_by_id = _stage_labels(r["stage_id"] for r in rows)
        return _sorted(
            Bucket(
                str(r["stage_id"]) if r["stage_id"] else NONE_KEY,
                labels_by_id.get(r["stage_id"], str(_("Outside any election stage"))),
                r["n"],
            )
            for r in rows
        )
    if dimension == "violation":
        if spec.violation_field is None:
            return None
        rows = qs.values(spec.violation_field).annotate(n=Count("pk")).order_by()
        names = dict(ViolationType.objects.values_list("code", "name"))
        return _sorted(
            Bucket(
                r[spec.violation_field] or NONE_KEY,
                r[spec.violation_field] or str(_("No violation type")),
                r["n"],
                {"title": names.get(r[spec.violation_field], "")},
            )
            for r in rows
        )
    if dimension == "platform":
        if spec.platform_field is None:
            return None
        # Distinct: a case with two findings on one platform counts once there.
        rows = (
            qs.values(spec.platform_field)
            .annotate(n=Count("pk", distinct=entity == "cases"))
            .order_by()
        )
        labels = dict(Platform.choices)
        return _sorted(
            Bucket(
                r[spec.platform_field] or NONE_KEY,
                str(labels.get(r[spec.platform_field], r[spec.platform_field]))
                if r[spec.platform_field]
                else str(_("Not from monitoring")),
                r["n"],
            )
            for r in rows
        )
    return None


def _agency_counts(qs: QuerySet) -> list[tuple[int | None, int]]:
    return [
        (r["agency_id"], r["n"]) for r in qs.values("agency_id").annotate(n=Count("pk")).order_by()
    ]


def _agency_buckets(
    rows: list[tuple[int | None, int]], dimension: str, tree: AgencyTree
) -> list[Bucket]:
    """Counts per agency rolled up to the agency (OPD) or region bucket they belong to."""
    counter: Counter[str] = Counter()
    for agency_id, n in rows:
        agency = tree.by_id.get(agency_id) if agency_id else None
        counter[NONE_KEY if agency is None else tree.bucket_of(agency, dimension).code] += n
    return _sorted(
        Bucket(
            code,
            str(_("No agency recorded"))
            if code == NONE_KEY
            else (tree.by_code[code].short_name or tree.by_code[code].name),
            n,
        )
        for code, n in counter.items()
    )


def _sorted(buckets: Iterable[Bucket]) -> list[Bucket]:
    # Largest first; the "no value" bucket last whatever its size; ties by label.
    return sorted(buckets, key=lambda b: (b.key == NONE_KEY, -b.count, b.label))


def entity_total(*, entity: str, filters: DashboardFilters, user: User | None = None) -> int | None:
    qs = entity_queryset(entity=entity, filters=filters, user=user)
    return None if qs is None else qs.count()


# --- drill-down ---------------------------------------------------------------------


class UnknownBucket(ValueError):
    pass


def bucket_filter(
    *, entity: str, dimension: str, key: str, qs: QuerySet, tree: AgencyTree | None = None
) -> QuerySet:
    """Narrow ``qs`` to the rows counted in one bucket of ``counts_by``."""
    spec = SPECS[entity]
    none = key == NONE_KEY
    if dimension == "month":
        if none:
            return qs.filter(**{f"{spec.date_field}__isnull": True})
        try:
            first = datetime.strptime(key, "%Y-%m").date()
        except ValueError as exc:
            raise UnknownBucket(key) from exc
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return qs.filter(
            **{
                f"{spec.date_field}__gte": _day_start(first),
                f"{spec.date_field}__lt": _day_start(following),
            }
        )
    if dimension in ("agency", "region"):
        if none:
            return qs.filter(agency__isnull=True)
        tree = tree or AgencyTree()
        node = tree.by_code.get(key)
        if node is None or tree.bucket_of(node, dimension).pk != node.pk:
            raise UnknownBucket(key)
        # A region's bucket holds its own agencies, not those of the regions below it (the
        # province's bucket is the provincial agencies); an agency's holds its units.
        return qs.filter(agency_id__in=tree.members(node, dimension))
    if dimension == "status":
        if key not in dict(spec.status_choices):
            raise UnknownBucket(key)
        return qs.filter(status=key)
    if dimension == "stage":
        if none:
            return qs.filter(stage__isnull=True)
        if not key.isdigit():
            raise UnknownBucket(key)
        return qs.filter(stage_id=int(key))
    if dimension == "violation" and spec.violation_field:
        if none:
            return qs.filter(**{f"{spec.violation_field}__isnull": True})
        return qs.filter(**{spec.violation_field: key})
    if dimension == "platform" and spec.platform_field and not none:
        if key not in Platform.values:
            raise UnknownBucket(key)
    if dimension == "platform" and entity == "cases":
        from_platform = Finding.objects.filter(case=OuterRef("pk"))
        if none:
            return qs.filter(~Exists(from_platform))
        return qs.filter(Exists(from_platform.filter(post__platform=key)))
    if dimension == "platform" and spec.platform_field:
        if none:
            return qs.filter(**{f"{spec.platform_field}__isnull": True})
        return qs.filter(**{spec.platform_field: key})
    raise UnknownBucket(dimension)


# --- overdue cases and PPK follow-up ------------------------------------------------


def holder_roles(status: str) -> list[Role]:
    """Who must act for a case in ``status`` to move on: the roles of the transitions that
    leave it (from the one table)."""
    roles: set[Role] = set()
    for t in TRANSITIONS.values():
        if status in t.sources and t.target is not None:
            roles |= t.roles
    return sorted(roles, key=lambda r: list(Role).index(r))


# The key of a holder bucket: stable across languages (it travels in drill-down URLs),
# where the label is translated. A case forwarded to a named body is held by that body.
FORWARDED_KEY_PREFIX = "to:"


def _holder(status: str, forwarded_to_name: str) -> tuple[str, str]:
    if status == CaseStatus.FORWARDED and forwarded_to_name:
        return FORWARDED_KEY_PREFIX + forwarded_to_name, forwarded_to_name
    roles = holder_roles(status)
    return "+".join(roles) or NONE_KEY, ", ".join(str(r.label) for r in roles)


def holder_label(case: Case) -> str:
    return _holder(case.status, case.forwarded_to_name)[1]


def holder_key(case: Case) -> str:
    return _holder(case.status, case.forwarded_to_name)[0]


def overdue_holder_filter(*, qs: QuerySet[Case], key: str) -> QuerySet[Case]:
    """Narrow overdue cases to one bucket of ``overdue_by_holder``."""
    if key.startswith(FORWARDED_KEY_PREFIX):
        name = key.removeprefix(FORWARDED_KEY_PREFIX)
        if not name:
            raise UnknownBucket(key)
        return qs.filter(status=CaseStatus.FORWARDED, forwarded_to_name=name)
    statuses = [s for s in CaseStatus if _holder(s, "")[0] == key]
    if not statuses:
        raise UnknownBucket(key)
    q = Q(status__in=[s for s in statuses if s != CaseStatus.FORWARDED])
    if CaseStatus.FORWARDED in statuses:
        q |= Q(status=CaseStatus.FORWARDED, forwarded_to_name="")
    return qs.filter(q)


def holder_bucket_label(key: str) -> str:
    if key.startswith(FORWARDED_KEY_PREFIX):
        return key.removeprefix(FORWARDED_KEY_PREFIX)
    for status in CaseStatus:
        if _holder(status, "")[0] == key:
            return _holder(status, "")[1]
    raise UnknownBucket(key)


def overdue_cases(
    *, filters: DashboardFilters, user: User | None = None, today: date | None = None
) -> QuerySet[Case] | None:
    """Open cases past their legal deadline, oldest deadline first. The date filters do
    not apply: a case opened long ago and still overdue matters most."""
    qs = entity_queryset(entity="cases", filters=filters.with_dates(None, None), user=user)
    if qs is None:
        return None
    return (
        qs.filter(due_on__lt=today or local_today())
        .exclude(status=CaseStatus.CLOSED)
        .select_related("agency", "violation_type", "assigned_to")
        .order_by("due_on", "number")
    )


def overdue_by_holder(cases: Iterable[Case]) -> list[Bucket]:
    """Overdue cases counted by who must act next (key: ``holder_key``). Given a queryset,
    one GROUP BY in the database instead of loading every case."""
    counter: Counter[str] = Counter()
    labels: dict[str, str] = {}
    if isinstance(cases, QuerySet):
        rows = cases.values("status", "forwarded_to_name").annotate(n=Count("pk")).order_by()
        pairs = [((r["status"], r["forwarded_to_name"]), r["n"]) for r in rows]
    else:
        pairs = [((c.status, c.forwarded_to_name), 1) for c in cases]
    for (status, name), n in pairs:
        key, label = _holder(status, name)
        counter[key] += n
        labels[key] = label
    return _sorted(Bucket(key, labels[key], n) for key, n in counter.items())


@dataclass
class FollowUpRow:
    case: Case
    forwarded_on: date | None
    state: str
    state_label: str


def ppk_follow_up(
    *, filters: DashboardFilters, user: User | None = None, today: date | None = None
) -> list[FollowUpRow] | None:
    """Cases forwarded to a PPK in the period and what the PPK has done with them
    (domain.md §7: the PPK decides and reports back)."""
    qs = entity_queryset(entity="cases", filters=filters.with_dates(None, None), user=user)
    if qs is None:
        return None
    forwards = CaseEvent.objects.filter(
        action="forward", case__in=qs.filter(forwarded_to=ForwardTarget.PPK)
    )
    if filters.date_from:
        forwards = forwards.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        forwards = forwards.filter(at__lt=_day_start(filters.date_to + timedelta(1)))
    forwarded_on: dict[int, date] = {}
    for case_id, at in forwards.order_by("at").values_list("case_id", "at"):
        forwarded_on.setdefault(case_id, timezone.localtime(at).date())
    today = today or local_today()
    rows = []
    cases = (
        Case.objects.filter(pk__in=forwarded_on)
        .select_related(
            "agency", "violation_type", "ppk_sanction_kind", "recommended_sanction_kind"
        )
        .order_by("number")
    )
    for case in cases:
        if case.ppk_decision_date:
            state, label = "decided", _("Decided")
        elif case.is_overdue(today):
            state, label = "overdue", _("Awaiting decision, overdue")
        else:
            state, label = "waiting", _("Awaiting decision")
        rows.append(FollowUpRow(case, forwarded_on.get(case.pk), state, str(label)))
    return rows


# --- the dashboard page and its drill-down ---------------------------------------------

# The dimensions shown as bar charts; months are the trend chart.
BREAKDOWNS = ("region", "agency", "violation", "platform", "stage", "status")
# The drill-down's extra dimension: the overdue cases ("all") or those of one holder.
OVERDUE = "overdue"
OVERDUE_ALL = "all"
# Months filled with zeros between the first and the last one shown, up to this many: a
# filter from 1990 must not draw four hundred empty months.
MAX_FILLED_MONTHS = 60

LIST_ORDER = {
    "reports": (F("submitted_at").desc(), F("id").desc()),
    "findings": (F("posted_at").desc(nulls_last=True), F("id").desc()),
    "cases": (F("opened_at").desc(), F("id").desc()),
}


@dataclass
class EntityCounts:
    entity: str
    label: str
    # False when a filter is set that means nothing for this entity (a platform for
    # reports): no numbers rather than misleading ones.
    applies: bool
    listable: bool
    total: int | None
    by: dict[str, list[Bucket]]  # the entity's own dimensions only


@dataclass
class DashboardSummary:
    filters: DashboardFilters
    entities: list[EntityCounts]
    months: list[str]  # "YYYY-MM" in order, gaps filled; NONE_KEY last when present
    overdue_total: int | None  # None: the user does not see cases
    overdue: list[Case]  # the first few, oldest deadline first
    overdue_holders: list[Bucket]
    overdue_listable: bool


def _month_start(key: str) -> date:
    return datetime.strptime(key, "%Y-%m").date()


def _months_between(first: date, last: date) -> list[str]:
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(_month_label(day))
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def _trend_months(seen: set[str], filters: DashboardFilters) -> list[str]:
    dated = sorted(k for k in seen if k != NONE_KEY)
    bounds = [_month_start(k) for k in dated]
    bounds += [d.replace(day=1) for d in (filters.date_from, filters.date_to) if d]
    months = dated
    if bounds:
        filled = _months_between(min(bounds), max(bounds))
        if len(filled) > MAX_FILLED_MONTHS and dated:
            filled = _months_between(_month_start(dated[0]), _month_start(dated[-1]))
        if len(filled) <= MAX_FILLED_MONTHS:
            months = filled
    return months + ([NONE_KEY] if NONE_KEY in seen else [])


def dashboard_summary(
    *,
    filters: DashboardFilters,
    user: User | None,
    today: date | None = None,
    overdue_limit: int = 20,
) -> DashboardSummary:
    """Everything the dashboard shows, one aggregate query per entity and dimension."""
    tree = AgencyTree()
    entities = []
    seen_months: set[str] = set()
    for entity in ENTITIES:
        if not entity_visible(entity=entity, user=user):
            continue
        by: dict[str, list[Bucket]] = {}
        applies = filters.applies_to(entity)
        if applies:
            for dimension in DIMENSIONS:
                if dimension in ("agency", "region"):
                    continue  # one GROUP BY agency serves both (below)
                buckets = counts_by(
                    entity=entity, dimension=dimension, filters=filters, user=user, tree=tree
                )
                if buckets is not None:
                    by[dimension] = buckets
            qs = entity_queryset(entity=entity, filters=filters, user=user, tree=tree)
            rows = _agency_counts(qs)
            by["agency"] = _agency_buckets(rows, "agency", tree)
            by["region"] = _agency_buckets(rows, "region", tree)
            seen_months |= {b.key for b in by["month"]}
        entities.append(
            EntityCounts(
                entity=entity,
                label=str(SPECS[entity].label),
                applies=applies,
                listable=entity_listable(entity=entity, user=user),
                # Every row has exactly one status: the status counts add up to the total,
                # without another COUNT over the table.
                total=sum(b.count for b in by["status"]) if applies else None,
                by=by,
            )
        )
    overdue_qs = overdue_cases(filters=filters, user=user, today=today)
    return DashboardSummary(
        filters=filters,
        entities=entities,
        months=_trend_months(seen_months, filters),
        overdue_total=None if overdue_qs is None else overdue_qs.count(),
        overdue=[] if overdue_qs is None else list(overdue_qs[:overdue_limit]),
        overdue_holders=[] if overdue_qs is None else overdue_by_holder(overdue_qs),
        overdue_listable=entity_listable(entity="cases", user=user),
    )


def bucket_label(*, entity: str, dimension: str, key: str, tree: AgencyTree | None = None) -> str:
    """The label ``counts_by`` gives a bucket; UnknownBucket for a key it never makes."""
    spec = SPECS[entity]
    if dimension == "violation" and spec.violation_field is None:
        raise UnknownBucket(dimension)
    if dimension == "platform" and spec.platform_field is None:
        raise UnknownBucket(dimension)
    none_labels = {
        "month": _("No date"),
        "region": _("No agency recorded"),
        "agency": _("No agency recorded"),
        "stage": _("Outside any election stage"),
        "violation": _("No violation type"),
        "platform": _("Not from monitoring"),
    }
    if key == NONE_KEY and dimension in none_labels:
        return str(none_labels[dimension])
    if dimension == "month":
        try:
            return _month_label(_month_start(key))
        except ValueError as exc:
            raise UnknownBucket(key) from exc
    if dimension in ("region", "agency"):
        tree = tree or AgencyTree()
        node = tree.by_code.get(key)
        if node is None:
            raise UnknownBucket(key)
        return node.short_name or node.name
    if dimension == "status":
        labels = dict(spec.status_choices)
        if key not in labels:
            raise UnknownBucket(key)
        return str(labels[key])
    if dimension == "stage":
        label = _stage_labels([int(key)]).get(int(key)) if key.isdigit() else None
        if label is None:
            raise UnknownBucket(key)
        return label
    if dimension == "violation":
        name = ViolationType.objects.filter(code=key).values_list("name", flat=True).first()
        if name is None:
            raise UnknownBucket(key)
        return f"{key} — {name}"
    if dimension == "platform":
        labels = dict(Platform.choices)
        if key not in labels:
            raise UnknownBucket(key)
        return str(labels[key])
    raise UnknownBucket(dimension)


def drilldown_rows(
    *,
    entity: str,
    filters: DashboardFilters,
    user: User | None,
    dimension: str = "",
    key: str = "",
    today: date | None = None,
) -> tuple[QuerySet, str]:
    """The rows behind one number of the dashboard and that number's label: the entity's
    total (no dimension), one bucket of a dimension, or the overdue cases (of a holder).
    UnknownBucket for anything the dashboard does not count; the caller checks the role."""
    if entity not in SPECS:
        raise UnknownBucket(entity)
    tree = AgencyTree()
    if dimension == OVERDUE:
        overdue = (
            overdue_cases(filters=filters, user=user, today=today) if entity == "cases" else None
        )
        if overdue is None:
            raise UnknownBucket(dimension)
        if key == OVERDUE_ALL:
            return overdue, ""
        label = holder_bucket_label(key)
        return overdue_holder_filter(qs=overdue, key=key), label
    qs = entity_queryset(entity=entity, filters=filters, user=user, tree=tree)
    if qs is None or (dimension and dimension not in DIMENSIONS):
        raise UnknownBucket(dimension or entity)
    label = ""
    if dimension:
        label = bucket_label(entity=entity, dimension=dimension, key=key, tree=tree)
        qs = bucket_filter(entity=entity, dimension=dimension, key=key, qs=qs, tree=tree)
    related = {
        "reports": ("agency", "stage"),
        "findings": ("post", "agency", "stage"),
        "cases": ("agency", "violation_type"),
    }[entity]
    qs = qs.select_related(*related).order_by(*LIST_ORDER[entity])
    if entity == "reports":
        qs = qs.prefetch_related("violation_types")
    return qs, label
