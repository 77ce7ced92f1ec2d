"""Period reports: everything the PDF and the XLSX of one period show, built once.

``period_report_build`` reads through the dashboard selectors only (``counts_by``,
``entity_total``, ``overdue_cases``, ``ppk_follow_up``), so a period report and the
dashboard for the same filters always agree. The result is a plain dataclass of
already-translated labels and typed values; ``pdf.py`` and ``xlsx.py`` only lay it out.

Labels are translated with the language active when the report is built (the command's
``--language``, the staff member's language on the web).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from netralitas.accounts.models import User
from netralitas.cases.models import Case
from netralitas.dashboards.selectors import (
    ENTITIES,
    NONE_KEY,
    SCOPED_ROLES,
    SPECS,
    AgencyTree,
    Bucket,
    DashboardFilters,
    FollowUpRow,
    counts_by,
    entity_listable,
    entity_total,
    entity_visible,
    holder_label,
    overdue_by_holder,
    overdue_cases,
    ppk_follow_up,
)
from netralitas.elections.models import Stage, ViolationType
from netralitas.registry.models import Agency

# A period report is read by people; five years covers two election cycles, and a longer
# range is almost certainly a typo in the year.
MAX_PERIOD_YEARS = 5
MAX_PERIOD_DAYS = MAX_PERIOD_YEARS * 366

# Which entities each dimension exists for (findings have no violation type, reports no
# platform); the selectors return None for the others.
DIMENSION_ENTITIES: dict[str, tuple[str, ...]] = {
    "agency": ENTITIES,
    "region": ENTITIES,
    "violation": ("reports", "cases"),
    "platform": ("findings", "cases"),
    "stage": ENTITIES,
    "month": ENTITIES,
}
# Dimensions where one row may be counted in several buckets, so a column's rows can add
# up to more than the entity's total: a report naming two violation types, a case whose
# findings come from two platforms.
MULTI_COUNT: dict[str, frozenset[str]] = {
    "violation": frozenset({"reports"}),
    "platform": frozenset({"cases"}),
}

ColumnKind = Literal["text", "int", "date", "month", "datetime"]


class PeriodReportError(ValueError):
    """Invalid report input. ``field`` names the argument (``date_from``, ``date_to``,
    ``agency_code``) so that a form or the command can point at what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str  # stable, language-independent (tests and renderers look columns up by it)
    label: str
    kind: ColumnKind = "text"
    # Relative width in the PDF; the XLSX sizes columns from their content.
    weight: float = 1.0
    # Wide tables keep every column in the XLSX but only the essential ones in the PDF.
    in_pdf: bool = True
    pdf_label: str = ""  # a shorter header where the PDF column is narrow


@dataclass
class Table:
    key: str
    title: str  # the PDF heading
    sheet: str  # the XLSX sheet name (at most 31 characters, an Excel limit)
    columns: list[Column]
    rows: list[list[Any]]
    # The totals row (same length as ``columns``), or None where a total is meaningless.
    # Counts in it are entity totals (each row counted once), not column sums.
    totals: list[Any] | None = None
    note: str = ""

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


@dataclass
class Figure:
    key: str
    label: str
    value: int


@dataclass
class PeriodReport:
    title: str
    office_name: str
    date_from: date
    date_to: date
    period_label: str  # "1 Januari 2024 – 31 Desember 2024"
    agency_code: str  # "" when not narrowed to one agency
    scope_label: str  # the agency, the user's own agency, or "all agencies"
    generated_at: datetime  # aware
    today: date  # the day overdue cases are counted on
    language: str
    entities: tuple[str, ...]  # those the reader may see, in ENTITIES order
    entity_labels: dict[str, str]
    totals: dict[str, int]
    figures: list[Figure]
    tables: dict[str, Table]  # in the order both formats show them
    overdue_holders: list[Bucket]
    follow_up_counts: dict[str, int]
    notes: list[str] = field(default_factory=list)
    lists_cases: bool = True  # False: case lists without the reported person's name
    short_labels: dict[str, str] = field(default_factory=dict)  # agency code → chart label

    def filename(self, extension: str) -> str:
        return f"laporan-netralitas-{self.date_from:%Y-%m-%d}-{self.date_to:%Y-%m-%d}.{extension}"

    def agency_top(self, limit: int = 10) -> list[tuple[str, dict[str, int]]]:
        """The agencies with the most reports, findings and cases (the bar chart)."""
        table = self.tables["agency"]
        keys = list(self.entities)
        rows = [r for r in table.rows if r[0]]  # not the "no agency recorded" row
        ranked = sorted(rows, key=lambda r: -sum(r[table.column(e)] for e in keys))
        return [
            (self.short_labels.get(r[0], r[1]), {e: r[table.column(e)] for e in keys})
            for r in ranked[:limit]
        ]

    def monthly(self) -> list[tuple[date, dict[str, int]]]:
        table = self.tables["month"]
        return [(r[0], {e: r[table.column(e)] for e in self.entities}) for r in table.rows]


# --- validation -------------------------------------------------------------------------


def _check_period(date_from: date | None, date_to: date | None) -> None:
    if date_from is None:
        raise PeriodReportError("date_from", _("Enter the first day of the period."))
    if date_to is None:
        raise PeriodReportError("date_to", _("Enter the last day of the period."))
    if date_from > date_to:
        raise PeriodReportError("date_to", _("The end of the period is before its start."))
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise PeriodReportError(
            "date_to",
            _("A period report covers at most %(years)d years.") % {"years": MAX_PERIOD_YEARS},
        )


def _scope_agency(*, agency_code: str, user: User | None) -> Agency | None:
    """The agency the report is narrowed to, checked against the reader's own scope."""
    code = agency_code.strip()
    if not code:
        return None
    agency = Agency.objects.filter(code__iexact=code).first()
    if agency is None:
        raise PeriodReportError(
            "agency_code", _("There is no agency with the code %(code)s.") % {"code": code}
        )
    if user is not None and user.role in SCOPED_ROLES:
        # A PPK or agency head reports on their own subtree only; a code outside it is
        # refused rather than answered with an empty report that looks like "no cases".
        own = user.agency
        if own is None or not agency.path.startswith(own.path):
            raise PeriodReportError(
                "agency_code", _("This agency is outside the agencies you supervise.")
            )
    return agency


# --- tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What every count table is built from."""

    entities: tuple[str, ...]  # visible to the reader
    labels: dict[str, str]  # entity → its translated name
    totals: dict[str, int]
    filters: DashboardFilters
    user: User | None
    tree: AgencyTree

    def present(self, dimension: str) -> tuple[str, ...]:
        """The visible entities that have this dimension."""
        return tuple(e for e in DIMENSION_ENTITIES[dimension] if e in self.entities)

    def count_columns(self, entities: tuple[str, ...]) -> list[Column]:
        return [Column(e, self.labels[e], "int", 0.6) for e in entities]

    def merged(
        self, dimension: str, entities: tuple[str, ...]
    ) -> tuple[dict[str, Bucket], dict[str, dict[str, int]]]:
        """The buckets of several entities on one dimension, merged by key: the first
        bucket seen per key (for its label), and the count per key and entity."""
        first: dict[str, Bucket] = {}
        counts: dict[str, dict[str, int]] = {}
        for entity in entities:
            buckets = counts_by(
                entity=entity,
                dimension=dimension,
                filters=self.filters,
                user=self.user,
                tree=self.tree,
            )
            for bucket in buckets or []:
                first.setdefault(bucket.key, bucket)
                counts.setdefault(bucket.key, {})[entity] = bucket.count
        return first, counts

    def totals_row(self, columns: list[Column], *, multi: bool = False) -> list[Any]:
        """The entity totals under their columns, labelled in the first text column."""
        label = _("Total (each counted once)") if multi else _("Total")
        row: list[Any] = [self.totals.get(c.key, 0) if c.kind == "int" else "" for c in columns]
        labelled = next(
            (i for i, c in enumerate(columns) if c.key in ("name", "month", "label")), 0
        )
        row[labelled] = label
        return row


def _by_agency_or_region(ctx: _Context, dimension: str) -> Table:
    first, counts = ctx.merged(dimension, ctx.entities)
    rows: list[list[Any]] = []
    for key, bucket in first.items():
        node = ctx.tree.by_code.get(key)
        name = node.name if node is not None else bucket.label
        code = key if key != NONE_KEY else ""
        rows.append([code, name, *(counts[key].get(e, 0) for e in ctx.entities)])
    # Most counted first; the "no agency" row (no code) last; ties by name.
    rows.sort(key=lambda r: (r[0] == "", -sum(r[2:]), r[1]))
    is_region = dimension == "region"
    columns = [
        # Codes are for spreadsheets and exchange; the PDF's reader wants names.
        Column("code", _("Code"), in_pdf=False),
        Column("name", _("Region") if is_region else _("Agency"), weight=3.2),
        *ctx.count_columns(ctx.entities),
    ]
    if is_region:
        title, sheet = _("Reports, findings and cases by region"), _("By region")
        note = _("The province's row counts the provincial agencies; each regency or city its own.")
    else:
        title, sheet = _("Reports, findings and cases by agency"), _("By agency")
        note = _("Units are counted under their agency (OPD).")
    return Table(dimension, title, sheet, columns, rows, ctx.totals_row(columns), note)


def _by_violation(ctx: _Context, *, language: str) -> Table:
    present = ctx.present("violation")
    first, counts = ctx.merged("violation", present)
    types = {
        v.code: v
        for v in ViolationType.objects.filter(code__in=[k for k in first if k != NONE_KEY])
    }
    rows = []
    for key, bucket in first.items():
        vt = types.get(key)
        if vt is None:
            name = bucket.extra.get("title") or bucket.label
        else:
            # The reference data carries both languages; the selectors give the Indonesian.
            name = vt.name_en if language == "en" and vt.name_en else vt.name
        code = key if key != NONE_KEY else ""
        rows.append([code, name, *(counts[key].get(e, 0) for e in present)])
    # The rule table's order (ethics KE-*, then discipline DS-*); no type last.
    order = {code: (vt.order, code) for code, vt in types.items()}
    rows.sort(key=lambda r: (r[0] == "", order.get(r[0], (10_000, r[0]))))
    columns = [
        Column("code", _("Code"), weight=0.7),
        Column("name", _("Violation type"), weight=3.8),
        *ctx.count_columns(present),
    ]
    note = ""
    if "reports" in present:
        note = _(
            "A report naming several violation types is counted under each; the total counts "
            "each report once. Cases are counted under the type that applies on the incident "
            "date."
        )
    return Table(
        "violation",
        _("Reports and cases by violation type"),
        _("By violation type"),
        columns,
        rows,
        ctx.totals_row(columns, multi=bool(MULTI_COUNT["violation"] & set(present))),
        note,
    )


def _by_label(
    ctx: _Context, dimension: str, *, title: str, sheet: str, label: str, note: str
) -> Table:
    """A table of one label column and counts (platform, election stage)."""
    present = ctx.present(dimension)
    first, counts = ctx.merged(dimension, present)
    keyed: list[tuple[str, list[Any]]] = [
        (k, [b.label, *(counts[k].get(e, 0) for e in present)]) for k, b in first.items()
    ]
    if dimension == "stage":
        # Stages in the order they happened; outside any stage last.
        ids = [int(k) for k, _row in keyed if k.isdigit()]
        starts = dict(Stage.objects.filter(pk__in=ids).values_list("pk", "start"))
        keyed.sort(key=lambda kr: _stage_sort(kr[0], starts))
    else:
        # Largest first; the "none" bucket (not from monitoring) last whatever its size.
        keyed.sort(key=lambda kr: (kr[0] == NONE_KEY, -sum(kr[1][1:]), kr[1][0]))
    columns = [Column("label", label, weight=3.5), *ctx.count_columns(present)]
    multi = bool(MULTI_COUNT.get(dimension, frozenset()) & set(present))
    rows = [row for _key, row in keyed]
    return Table(dimension, title, sheet, columns, rows, ctx.totals_row(columns, multi=multi), note)


def _stage_sort(key: str, starts: dict[int, date]) -> tuple[bool, date, str]:
    if not key.isdigit():
        return (True, date.max, key)
    return (False, starts.get(int(key), date.max), key)


def _months(date_from: date, date_to: date) -> list[date]:
    months = []
    month = date_from.replace(day=1)
    while month <= date_to:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def _by_month(ctx: _Context, date_from: date, date_to: date) -> Table:
    _first, counts = ctx.merged("month", ctx.entities)
    # Every month of the period, quiet ones included, so the trend has no gaps.
    rows = [
        [month, *(counts.get(f"{month:%Y-%m}", {}).get(e, 0) for e in ctx.entities)]
        for month in _months(date_from, date_to)
    ]
    columns = [Column("month", _("Month"), "month", 1.5), *ctx.count_columns(ctx.entities)]
    return Table(
        "month",
        _("Reports, findings and cases by month"),
        _("By month"),
        columns,
        rows,
        ctx.totals_row(columns),
    )


def _by_status(ctx: _Context) -> Table:
    rows: list[list[Any]] = []
    for entity in ctx.entities:
        buckets = counts_by(
            entity=entity, dimension="status", filters=ctx.filters, user=ctx.user, tree=ctx.tree
        )
        # In the workflow's order, not by size: easier to follow.
        order = [code for code, _label in SPECS[entity].status_choices]
        for bucket in sorted(buckets or [], key=lambda b: order.index(b.key)):
            rows.append([ctx.labels[entity], bucket.label, bucket.count])
    columns = [
        Column("entity", _("Data"), weight=1.2),
        Column("label", _("Status"), weight=3.3),
        Column("count", _("Count"), "int", 0.8),
    ]
    return Table(
        "status",
        _("Current status of the period's reports, findings and cases"),
        _("By status"),
        columns,
        rows,
        # Three entities in one column: a single total would add reports to cases.
        None,
        _("The status on the day the report was generated."),
    )


def _overdue_table(cases: list[Case], *, today: date, lists_cases: bool) -> Table:
    columns = [
        Column("number", _("Case number"), weight=2.0),
        Column("agency", _("Agency"), weight=2.4),
        Column("subject", _("Reported person"), weight=1.8),
        Column("status", _("Status"), weight=1.6),
        Column("due_on", _("Due on"), "date", 1.3),
        Column("days_late", _("Days late"), "int", 0.7),
        Column("holder", _("Waiting for"), weight=1.7),
    ]
    if not lists_cases:
        columns = [c for c in columns if c.key != "subject"]
    rows = []
    for case in cases:
        values = {
            "number": case.number,
            "agency": case.agency.name if case.agency else "",
            "subject": case.subject_name,
            "status": case.get_status_display(),
            "due_on": case.due_on,
            "days_late": (today - case.due_on).days if case.due_on else 0,
            "holder": holder_label(case),
        }
        rows.append([values[c.key] for c in columns])
    return Table(
        key="overdue",
        title=_("Overdue cases"),
        sheet=_("Overdue cases"),
        columns=columns,
        rows=rows,
        totals=None,
        note=_(
            "Open cases past the legal deadline of their current step on %(day)s, whenever "
            "they were opened. Days late are calendar days."
        )
        % {"day": _date_text(today)},
    )


def _follow_up_table(rows: list[FollowUpRow], *, lists_cases: bool) -> Table:
    columns = [
        # Weights chosen so that a case number (KASUS-2024-00001) fits on one line.
        Column("number", _("Case number"), weight=2.0),
        Column("agency", _("Agency"), weight=1.9),
        Column("subject", _("Reported person"), weight=1.5),
        Column("violation", _("Violation type"), weight=0.7, pdf_label=_("Type")),
        Column("recommended", _("Recommended sanction"), in_pdf=False),
        Column("forwarded_on", _("Forwarded on"), "date", 1.3),
        Column("due_on", _("Due on"), "date", 1.1, in_pdf=False),
        Column("decision_number", _("PPK decision no."), weight=1.9, pdf_label=_("Decision no.")),
        Column(
            "decision_date", _("Date of the PPK decision"), "date", 1.3, pdf_label=_("Decided on")
        ),
        Column("sanction", _("Sanction imposed"), in_pdf=False),
        Column("state", _("Follow-up"), weight=1.4),
    ]
    if not lists_cases:
        columns = [c for c in columns if c.key != "subject"]
    table_rows = []
    for row in rows:
        case = row.case
        values = {
            "number": case.number,
            "agency": case.agency.name if case.agency else "",
            "subject": case.subject_name,
            "violation": case.violation_type.code,
            "recommended": case.recommended_sanction_kind.name
            if case.recommended_sanction_kind
            else "",
            "forwarded_on": row.forwarded_on,
            "due_on": case.due_on if not case.ppk_decision_date else None,
            "decision_number": case.ppk_decision_number,
            "decision_date": case.ppk_decision_date,
            "sanction": case.ppk_sanction_kind.name if case.ppk_sanction_kind else "",
            "state": row.state_label,
        }
        table_rows.append([values[c.key] for c in columns])
    return Table(
        key="follow_up",
        title=_("Follow-up by the PPK"),
        sheet=_("PPK follow-up"),
        columns=columns,
        rows=table_rows,
        totals=None,
        note=_(
            "Cases forwarded to the staffing official (PPK) in the period and what the PPK "
            "has decided so far."
        ),
    )


def _date_text(day: date) -> str:
    return date_format(day, "j F Y")


# --- the report -------------------------------------------------------------------------


def period_report_build(
    *,
    date_from: date | None,
    date_to: date | None,
    agency_code: str = "",
    user: User | None = None,
    now: datetime | None = None,
) -> PeriodReport:
    """Everything a period report shows, for ``user`` (None: the command line, which
    sees everything). Raises PeriodReportError on a bad period or agency."""
    _check_period(date_from, date_to)
    assert date_from is not None and date_to is not None
    agency = _scope_agency(agency_code=agency_code, user=user)
    now = now or timezone.now()
    today = timezone.localdate(now)
    language = get_language() or settings.LANGUAGE_CODE
    filters = DashboardFilters(
        date_from=date_from, date_to=date_to, agency=agency.code if agency else ""
    )
    tree = AgencyTree()
    entities: tuple[str, ...] = tuple(e for e in ENTITIES if entity_visible(entity=e, user=user))
    labels: dict[str, str] = {e: str(SPECS[e].label) for e in ENTITIES}
    totals: dict[str, int] = {
        e: entity_total(entity=e, filters=filters, user=user) or 0 for e in entities
    }
    ctx = _Context(entities, labels, totals, filters, user, tree)
    lists_cases = user is None or entity_listable(entity="cases", user=user)

    tables: dict[str, Table] = {
        "agency": _by_agency_or_region(ctx, "agency"),
        "region": _by_agency_or_region(ctx, "region"),
    }
    if ctx.present("violation"):
        tables["violation"] = _by_violation(ctx, language=language)
    if ctx.present("platform"):
        tables["platform"] = _by_label(
            ctx,
            "platform",
            title=_("Findings and cases by platform"),
            sheet=_("By platform"),
            label=_("Platform"),
            note=_("A case with findings from several platforms is counted under each."),
        )
    tables["stage"] = _by_label(
        ctx,
        "stage",
        title=_("Reports, findings and cases by election stage"),
        sheet=_("By election stage"),
        label=_("Election stage"),
        note=_("The stage on the incident date (reports, cases) or the posting date (findings)."),
    )
    tables["status"] = _by_status(ctx)
    tables["month"] = _by_month(ctx, date_from, date_to)

    overdue_qs = overdue_cases(filters=filters, user=user, today=today)
    overdue = list(overdue_qs) if overdue_qs is not None else []
    tables["overdue"] = _overdue_table(overdue, today=today, lists_cases=lists_cases)
    follow_up = ppk_follow_up(filters=filters, user=user, today=today) or []
    tables["follow_up"] = _follow_up_table(follow_up, lists_cases=lists_cases)
    follow_up_counts = {"decided": 0, "waiting": 0, "overdue": 0}
    for row in follow_up:
        follow_up_counts[row.state] = follow_up_counts.get(row.state, 0) + 1

    figures = [Figure(e, labels[e], totals[e]) for e in entities]
    if "cases" in entities:
        figures += [
            Figure("overdue", _("Overdue cases (open, past the deadline)"), len(overdue)),
            Figure("forwarded", _("Cases forwarded to the PPK"), len(follow_up)),
            Figure("decided", _("of which decided by the PPK"), follow_up_counts["decided"]),
            Figure(
                "waiting",
                _("of which awaiting a decision"),
                follow_up_counts["waiting"] + follow_up_counts["overdue"],
            ),
        ]

    if agency is not None:
        scope = agency.name
    elif user is not None and user.role in SCOPED_ROLES and user.agency is not None:
        scope = user.agency.name
    else:
        scope = _("All agencies")
    notes = [
        _(
            "Reports are counted by the date they were received, findings by the date of the "
            "post, cases by the date they were opened."
        )
    ]
    if "findings" not in entities:
        notes.append(_("Monitoring findings are not shown for your role."))
    if not lists_cases:
        notes.append(_("Names of reported persons are not shown for your role."))

    return PeriodReport(
        title=_("Period report on ASN neutrality supervision"),
        office_name=settings.OFFICE_NAME,
        date_from=date_from,
        date_to=date_to,
        period_label=f"{_date_text(date_from)} – {_date_text(date_to)}",
        agency_code=agency.code if agency else "",
        scope_label=scope,
        generated_at=now,
        today=today,
        language=language,
        entities=entities,
        entity_labels={e: labels[e] for e in entities},
        totals=totals,
        figures=figures,
        tables=tables,
        overdue_holders=overdue_by_holder(overdue),
        follow_up_counts=follow_up_counts,
        notes=notes,
        lists_cases=lists_cases,
        short_labels={
            row[0]: tree.by_code[row[0]].short_name or tree.by_code[row[0]].name
            for row in tables["agency"].rows
            if row[0] in tree.by_code
        },
    )
