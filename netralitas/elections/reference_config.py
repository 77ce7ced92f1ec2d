"""Pure loaders for the other reference files: violation types, deadlines, agencies.

Like :mod:`netralitas.elections.config` (whose checking helpers they share), these import no
Django, collect every problem of a file and raise one :class:`ConfigError`.

- ``elections/data/violation_types.yaml``: the SKB 2022 rule table and the sanction catalogue
  of each employee kind (PNS, PPPK, non-ASN).
- ``cases/data/deadlines.yaml``: the clock of each case status, the body that receives
  neutrality recommendations over time (KASN, then BKN), and the public holidays.
- ``registry/data/agencies.yaml``: the province -> regency/city -> agency -> unit tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from netralitas.elections.config import (
    DATA_DIR,
    Checker,
    ConfigError,
    as_date,
    labelled,
    read_yaml,
)

__all__ = [
    "ConfigError",
    "DEFAULT_VIOLATIONS_PATH",
    "DEFAULT_DEADLINES_PATH",
    "DEFAULT_AGENCIES_PATH",
    "ViolationTypeSpec",
    "SanctionKindSpec",
    "ViolationConfig",
    "load_violation_config",
    "DeadlineSpec",
    "ReceivingBodySpec",
    "HolidaySpec",
    "DeadlineConfig",
    "load_deadline_config",
    "AgencySpec",
    "AgencyConfig",
    "load_agency_config",
]

_PACKAGE_DIR = DATA_DIR.parent.parent  # netralitas/
DEFAULT_VIOLATIONS_PATH = DATA_DIR / "violation_types.yaml"
DEFAULT_DEADLINES_PATH = _PACKAGE_DIR / "cases" / "data" / "deadlines.yaml"
DEFAULT_AGENCIES_PATH = _PACKAGE_DIR / "registry" / "data" / "agencies.yaml"

VIOLATION_CATEGORIES = ("ethics", "discipline")
SANCTION_CATEGORIES = ("moral", "ringan", "sedang", "berat", "ptdh", "satgas")
TIMINGS = ("before_candidates", "after_candidates", "any")
# domain.md marks some rows "H/M" (the act H, the article M) or "M/L".
ROW_CONFIDENCES = ("H", "M", "L", "H/M", "M/L")
CONFIDENCES = ("H", "M", "L")
EMPLOYEE_KINDS = ("PNS", "PPPK", "NON_ASN")
DAY_KINDS = ("calendar", "working")
HOLIDAY_KINDS = ("national", "cuti_bersama")
AGENCY_KINDS = ("province", "regency", "city", "agency", "unit")
# Which kinds may sit under which: province -> regency/city/agency -> agency -> unit.
_CHILD_KINDS = {
    "province": ("regency", "city", "agency"),
    "regency": ("agency",),
    "city": ("agency",),
    "agency": ("unit",),
    "unit": ("unit",),
}

_VIOLATION_CODE = re.compile(r"^[A-Z]{2}-\d{2}$")
_SANCTION_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*$")
_STEP = re.compile(r"^[a-z][a-z0-9_]*$")
_BODY_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_AGENCY_CODE = re.compile(r"^\d{2}(?:\.[A-Z0-9]+)*$")
_REGION_CODE = {
    "province": re.compile(r"^\d{2}$"),
    "regency": re.compile(r"^\d{2}\.\d{2}$"),
    "city": re.compile(r"^\d{2}\.\d{2}$"),
}


# =========================================================================== violation types


@dataclass(frozen=True)
class ViolationTypeSpec:
    code: str
    category: str  # ethics | discipline
    name: str
    name_en: str
    description: str
    legal_basis: str
    sanction_category: str  # moral | ringan | sedang | berat | ptdh | satgas
    timing: str  # before_candidates | after_candidates | any
    counterpart: str | None
    confidence: str
    order: int
    note: str | None = None

    def applies_on(self, day: date, candidates_set_on: date) -> bool:
        """Whether this row covers an act on ``day`` in a contest whose candidates were set
        on ``candidates_set_on`` (SKB 2022: ethics before that date, discipline from it)."""
        if self.timing == "any":
            return True
        before = as_date(day) < candidates_set_on
        return before if self.timing == "before_candidates" else not before


@dataclass(frozen=True)
class SanctionKindSpec:
    code: str
    employee_kind: str  # PNS | PPPK | NON_ASN
    category: str
    name: str
    name_en: str
    legal_basis: str
    confidence: str
    order: int  # position within its catalogue
    note: str | None = None


@dataclass(frozen=True)
class ViolationConfig:
    version: str
    violation_types: tuple[ViolationTypeSpec, ...]
    sanction_kinds: tuple[SanctionKindSpec, ...]  # all catalogues, in file order
    path: str = ""
    _types: dict[str, ViolationTypeSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_types", {t.code: t for t in self.violation_types})

    def violation_type(self, code: str) -> ViolationTypeSpec:
        """The row with ``code``; raises KeyError if there is none."""
        return self._types[code]

    @property
    def sanction_catalogues(self) -> dict[str, tuple[SanctionKindSpec, ...]]:
        """The catalogues keyed by employee kind (PNS, PPPK, NON_ASN), each in file order."""
        return {kind: self.catalogue(kind) for kind in EMPLOYEE_KINDS}

    def catalogue(self, employee_kind: str) -> tuple[SanctionKindSpec, ...]:
        return tuple(k for k in self.sanction_kinds if k.employee_kind == employee_kind)

    def sanctions_for(self, employee_kind: str, category: str) -> tuple[SanctionKindSpec, ...]:
        """The kinds a PPK may choose from; empty for ``satgas`` (the Satgas decides)."""
        return tuple(k for k in self.catalogue(employee_kind) if k.category == category)

    def resolve(
        self, code: str, *, incident_on: date, candidates_set_on: date | None
    ) -> ViolationTypeSpec | None:
        """The row that applies to the act of row ``code`` on ``incident_on``.

        Switches to the counterpart when the incident falls on the other side of the
        candidate-setting date (e.g. KE-01 after the date becomes DS-01). Returns the row
        itself when the date is unknown, and None when neither the row nor its counterpart
        applies (e.g. DS-09 after candidates are set with no counterpart configured).
        """
        row = self._types[code]
        if candidates_set_on is None or row.applies_on(incident_on, candidates_set_on):
            return row
        other = self._types.get(row.counterpart) if row.counterpart else None
        if other is not None and other.applies_on(incident_on, candidates_set_on):
            return other
        return None


def load_violation_config(path: str | Path | None = None) -> ViolationConfig:
    """Load and validate violation_types.yaml (default: the packaged file)."""
    path = Path(path) if path is not None else DEFAULT_VIOLATIONS_PATH
    data, duplicates = read_yaml(path)
    check = Checker(path, duplicates)
    root = check.fields(
        data, "top level", required=("version", "violation_types", "sanction_catalogues")
    )
    if root is None:
        raise ConfigError(path, check.problems)
    version = check.text(root, "version", "top level")

    types: list[ViolationTypeSpec] = []
    codes: dict[Any, str] = {}
    orders: dict[Any, str] = {}
    for index, raw in enumerate(check.items(root, "violation_types", "top level")):
        row = _parse_violation_type(check, raw, f"violation_types[{index}]")
        if row is not None:
            where = labelled(f"violation_types[{index}]", row.code)
            check.unique(codes, row.code, where, "violation type code")
            check.unique(orders, row.order, where, "order")
            types.append(row)
    _check_counterparts(check, types)

    kinds: list[SanctionKindSpec] = []
    catalogues = root.get("sanction_catalogues")
    if "sanction_catalogues" in root and not isinstance(catalogues, dict):
        check.add("top level", "'sanction_catalogues' must be a mapping keyed by employee kind")
    elif isinstance(catalogues, dict):
        kinds = _parse_catalogues(check, catalogues, types)

    check.raise_if_any()
    return ViolationConfig(
        version=str(version),
        violation_types=tuple(sorted(types, key=lambda t: t.order)),
        sanction_kinds=tuple(kinds),
        path=str(path),
    )


def _parse_violation_type(check: Checker, raw: Any, where: str) -> ViolationTypeSpec | None:
    data = check.fields(
        raw,
        where,
        required=(
            "code",
            "category",
            "name",
            "name_en",
            "description",
            "legal_basis",
            "sanction_category",
            "timing",
            "counterpart",
            "confidence",
            "order",
        ),
        optional=("note",),
    )
    if data is None:
        return None
    code = check.text(data, "code", where, pattern=_VIOLATION_CODE, max_length=10)
    where = labelled(where, code)
    category = check.text(data, "category", where, choices=VIOLATION_CATEGORIES)
    sanction = check.text(data, "sanction_category", where, choices=SANCTION_CATEGORIES)
    # An ethics breach carries a moral sanction (PP 42/2004 Pasal 15); discipline never does.
    if category == "ethics" and sanction not in (None, "moral"):
        check.add(where, f"an ethics row carries a 'moral' sanction, not {sanction!r}")
    if category == "discipline" and sanction == "moral":
        check.add(where, "a discipline row cannot carry a 'moral' sanction")
    counterpart = check.text(data, "counterpart", where, nullable=True)
    if counterpart is not None and counterpart == code:
        check.add(where, "a row cannot be its own counterpart")
    return ViolationTypeSpec(
        code=code or "",
        category=category or "",
        name=check.text(data, "name", where, max_length=300) or "",
        name_en=check.text(data, "name_en", where, max_length=300) or "",
        description=check.text(data, "description", where) or "",
        legal_basis=check.text(data, "legal_basis", where, max_length=300) or "",
        sanction_category=sanction or "",
        timing=check.text(data, "timing", where, choices=TIMINGS) or "",
        counterpart=counterpart,
        confidence=check.text(data, "confidence", where, choices=ROW_CONFIDENCES) or "",
        order=check.integer(data, "order", where, minimum=0) or 0,
        note=check.text(data, "note", where, nullable=True),
    )


def _check_counterparts(check: Checker, types: list[ViolationTypeSpec]) -> None:
    """A counterpart exists, sits on the other side of the candidate-setting date, and
    points back, unless the link is one-way into an existing pair (KE-06 -> DS-04 <-> KE-03)."""
    by_code = {t.code: t for t in types}
    opposite = {"before_candidates": "after_candidates", "after_candidates": "before_candidates"}
    for index, row in enumerate(types):
        if row.counterpart is None or row.counterpart == row.code:
            continue
        where = labelled(f"violation_types[{index}]", row.code)
        other = by_code.get(row.counterpart)
        if other is None:
            check.add(where, f"counterpart {row.counterpart!r} is not a configured violation type")
            continue
        if opposite.get(row.timing) != other.timing:
            check.add(
                where,
                f"counterpart {other.code} has timing {other.timing!r}; a "
                f"{row.timing!r} row needs one on the other side of the date",
            )
        back = by_code.get(other.counterpart) if other.counterpart else None
        if other.counterpart != row.code and (back is None or back.counterpart != other.code):
            check.add(
                where,
                f"counterpart {other.code} does not point back (its counterpart is "
                f"{other.counterpart!r}) and is not part of a symmetric pair",
            )


def _parse_catalogues(
    check: Checker, catalogues: dict[str, Any], types: list[ViolationTypeSpec]
) -> list[SanctionKindSpec]:
    kinds: list[SanctionKindSpec] = []
    codes: dict[Any, str] = {}
    needed = {t.sanction_category for t in types if t.sanction_category not in ("", "satgas")}
    for employee_kind in catalogues:
        if employee_kind not in EMPLOYEE_KINDS:
            check.add(
                "sanction_catalogues",
                f"unknown employee kind {employee_kind!r} (allowed: {', '.join(EMPLOYEE_KINDS)})",
            )
    for employee_kind in EMPLOYEE_KINDS:
        where = f"sanction_catalogues.{employee_kind}"
        if employee_kind not in catalogues:
            check.add("sanction_catalogues", f"missing catalogue {employee_kind!r}")
            continue
        entries = check.items(catalogues, employee_kind, "sanction_catalogues")
        found: set[str] = set()
        for index, raw in enumerate(entries):
            kind = _parse_sanction_kind(check, raw, f"{where}[{index}]", employee_kind, index)
            if kind is not None:
                check.unique(
                    codes, kind.code, labelled(f"{where}[{index}]", kind.code), "sanction kind code"
                )
                found.add(kind.category)
                kinds.append(kind)
        for category in sorted(needed - found):
            check.add(
                where, f"no sanction kind for category {category!r}, which a violation type uses"
            )
    return kinds


def _parse_sanction_kind(
    check: Checker, raw: Any, where: str, employee_kind: str, order: int
) -> SanctionKindSpec | None:
    data = check.fields(
        raw,
        where,
        required=("code", "category", "name", "name_en", "legal_basis", "confidence"),
        optional=("note",),
    )
    if data is None:
        return None
    code = check.text(data, "code", where, pattern=_SANCTION_CODE, max_length=40)
    where = labelled(where, code)
    category = check.text(data, "category", where, choices=SANCTION_CATEGORIES)
    if category == "satgas":
        check.add(where, "the 'satgas' category has no sanction kinds: the Satgas decides")
    return SanctionKindSpec(
        code=code or "",
        employee_kind=employee_kind,
        category=category or "",
        name=check.text(data, "name", where, max_length=300) or "",
        name_en=check.text(data, "name_en", where, max_length=300) or "",
        legal_basis=check.text(data, "legal_basis", where, max_length=300) or "",
        confidence=check.text(data, "confidence", where, choices=CONFIDENCES) or "",
        order=order,
        note=check.text(data, "note", where, nullable=True),
    )


# =========================================================================== deadlines


@dataclass(frozen=True)
class DeadlineSpec:
    step: str  # the case status while the clock runs
    name: str
    days: int
    day_kind: str  # calendar | working
    legal_basis: str
    confirmed: bool
    confidence: str = "H"
    note: str | None = None


@dataclass(frozen=True)
class ReceivingBodySpec:
    code: str
    name: str
    name_en: str
    legal_basis: str
    valid_from: date | None  # None: since before any configured date
    valid_until: date | None  # None: still valid; both bounds inclusive
    note: str | None = None

    def valid_on(self, day: date) -> bool:
        day = as_date(day)
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class HolidaySpec:
    date: date
    name: str
    kind: str  # national | cuti_bersama
    confidence: str = "H"


@dataclass(frozen=True)
class DeadlineConfig:
    version: str
    deadlines: tuple[DeadlineSpec, ...]
    receiving_bodies: tuple[ReceivingBodySpec, ...]
    holidays: tuple[HolidaySpec, ...]  # sorted by date
    holiday_years: tuple[int, ...]
    path: str = ""
    _deadlines: dict[str, DeadlineSpec] = field(init=False, repr=False, compare=False)
    _holiday_dates: frozenset[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_deadlines", {d.step: d for d in self.deadlines})
        object.__setattr__(self, "_holiday_dates", frozenset(h.date for h in self.holidays))

    def deadline(self, step: str) -> DeadlineSpec:
        """The clock of case status ``step``; raises KeyError if the status has none."""
        return self._deadlines[step]

    def receiving_body_on(self, day: date) -> ReceivingBodySpec | None:
        return next((body for body in self.receiving_bodies if body.valid_on(day)), None)

    def covers(self, day: date) -> bool:
        """Whether the holidays of ``day``'s year are configured."""
        return as_date(day).year in self.holiday_years

    def is_holiday(self, day: date) -> bool:
        return as_date(day) in self._holiday_dates

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and neither a national holiday nor cuti bersama. Outside
        ``holiday_years`` only weekends are known: check :meth:`covers` first."""
        day = as_date(day)
        return day.weekday() < 5 and day not in self._holiday_dates

    def add_days(self, start: date, days: int, day_kind: str) -> date:
        """The day ``days`` calendar or working days after ``start`` (``start`` not counted)."""
        start = as_date(start)
        if day_kind == "calendar":
            return start + timedelta(days=days)
        if day_kind != "working":
            raise ValueError(f"unknown day kind {day_kind!r}")
        day, remaining = start, days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def due_date(self, step: str, start: date) -> date:
        """When the clock of ``step``, started on ``start``, runs out."""
        spec = self.deadline(step)
        return self.add_days(start, spec.days, spec.day_kind)


def load_deadline_config(path: str | Path | None = None) -> DeadlineConfig:
    """Load and validate deadlines.yaml (default: the packaged file)."""
    path = Path(path) if path is not None else DEFAULT_DEADLINES_PATH
    data, duplicates = read_yaml(path)
    check = Checker(path, duplicates)
    root = check.fields(
        data,
        "top level",
        required=("version", "deadlines", "receiving_bodies", "holiday_years", "holidays"),
    )
    if root is None:
        raise ConfigError(path, check.problems)
    version = check.text(root, "version", "top level")

    deadlines: list[DeadlineSpec] = []
    steps: dict[Any, str] = {}
    for index, raw in enumerate(check.items(root, "deadlines", "top level")):
        where = f"deadlines[{index}]"
        data = check.fields(
            raw,
            where,
            required=("step", "name", "days", "day_kind", "legal_basis", "confirmed"),
            optional=("confidence", "note"),
        )
        if data is None:
            continue
        step = check.text(data, "step", where, pattern=_STEP, max_length=20)
        where = labelled(where, step)
        check.unique(steps, step, where, "step")
        deadlines.append(
            DeadlineSpec(
                step=step or "",
                name=check.text(data, "name", where, max_length=200) or "",
                days=check.integer(data, "days", where) or 0,
                day_kind=check.text(data, "day_kind", where, choices=DAY_KINDS) or "",
                legal_basis=check.text(data, "legal_basis", where, max_length=300) or "",
                confirmed=check.boolean(data, "confirmed", where),
                confidence=check.text(data, "confidence", where, choices=CONFIDENCES) or "H",
                note=check.text(data, "note", where, nullable=True),
            )
        )

    bodies = _parse_receiving_bodies(check, check.items(root, "receiving_bodies", "top level"))
    years = _parse_holiday_years(check, root)
    holidays = _parse_holidays(check, check.items(root, "holidays", "top level"), years)

    check.raise_if_any()
    return DeadlineConfig(
        version=str(version),
        deadlines=tuple(deadlines),
        receiving_bodies=tuple(bodies),
        holidays=tuple(sorted(holidays, key=lambda h: h.date)),
        holiday_years=years,
        path=str(path),
    )


def _parse_receiving_bodies(check: Checker, entries: list[Any]) -> list[ReceivingBodySpec]:
    bodies: list[ReceivingBodySpec] = []
    codes: dict[Any, str] = {}
    for index, raw in enumerate(entries):
        where = f"receiving_bodies[{index}]"
        data = check.fields(
            raw,
            where,
            required=("code", "name", "name_en", "legal_basis", "valid_from", "valid_until"),
            optional=("note",),
        )
        if data is None:
            continue
        code = check.text(data, "code", where, pattern=_BODY_CODE, max_length=20)
        where = labelled(where, code)
        check.unique(codes, code, where, "receiving body code")
        start = check.day(data, "valid_from", where, nullable=True)
        end = check.day(data, "valid_until", where, nullable=True)
        if start is not None and end is not None and end < start:
            check.add(where, f"valid_until {end} is before valid_from {start}")
        bodies.append(
            ReceivingBodySpec(
                code=code or "",
                name=check.text(data, "name", where) or "",
                name_en=check.text(data, "name_en", where) or "",
                legal_basis=check.text(data, "legal_basis", where) or "",
                valid_from=start,
                valid_until=end,
                note=check.text(data, "note", where, nullable=True),
            )
        )
    # At most one body may be competent on any day.
    ordered = sorted(bodies, key=lambda b: b.valid_from or date.min)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.valid_until is None or (after.valid_from or date.min) <= before.valid_until:
            check.add(
                "receiving_bodies",
                f"{after.code} (from {after.valid_from}) overlaps "
                f"{before.code} (until {before.valid_until})",
            )
    return bodies


def _parse_holiday_years(check: Checker, root: dict[str, Any]) -> tuple[int, ...]:
    value = root.get("holiday_years")
    if "holiday_years" in root and (
        not isinstance(value, list)
        or not value
        or not all(
            isinstance(y, int) and not isinstance(y, bool) and 1900 < y < 2200 for y in value
        )
    ):
        check.add("top level", f"'holiday_years' must be a non-empty list of years, got {value!r}")
        return ()
    return tuple(sorted(set(value or ())))


def _parse_holidays(
    check: Checker, entries: list[Any], years: tuple[int, ...]
) -> list[HolidaySpec]:
    holidays: list[HolidaySpec] = []
    dates: dict[Any, str] = {}
    for index, raw in enumerate(entries):
        where = f"holidays[{index}]"
        data = check.fields(raw, where, required=("date", "name", "kind"), optional=("confidence",))
        if data is None:
            continue
        day = check.day(data, "date", where)
        where = labelled(where, day.isoformat() if day else None)
        check.unique(dates, day, where, "holiday date")
        if day is not None and years and day.year not in years:
            check.add(where, f"{day} is outside holiday_years {list(years)}")
        holidays.append(
            HolidaySpec(
                date=day or date.min,
                name=check.text(data, "name", where) or "",
                kind=check.text(data, "kind", where, choices=HOLIDAY_KINDS) or "",
                confidence=check.text(data, "confidence", where, choices=CONFIDENCES) or "H",
            )
        )
    covered = {h.date.year for h in holidays}
    for year in years:
        if year not in covered:
            check.add("holidays", f"holiday_years lists {year} but no holiday of {year} is listed")
    return holidays


# =========================================================================== agencies


@dataclass(frozen=True)
class AgencySpec:
    code: str
    kind: str  # province | regency | city | agency | unit
    name: str
    short_name: str | None
    parent_code: str | None
    path: str  # materialised chain of codes, as registry.Agency.path: "19/19.71/19.71.DISDIK/"
    depth: int  # 0 for a root


@dataclass(frozen=True)
class AgencyConfig:
    version: str
    agencies: tuple[AgencySpec, ...]  # tree order: every parent before its children
    path: str = ""
    _by_code: dict[str, AgencySpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {a.code: a for a in self.agencies})

    def agency(self, code: str) -> AgencySpec:
        """The node with ``code``; raises KeyError if there is none."""
        return self._by_code[code]

    def children_of(self, code: str) -> tuple[AgencySpec, ...]:
        return tuple(a for a in self.agencies if a.parent_code == code)

    def regions(self) -> tuple[AgencySpec, ...]:
        """Province, regency and city nodes: the areas contests refer to."""
        return tuple(a for a in self.agencies if a.kind in ("province", "regency", "city"))


def load_agency_config(path: str | Path | None = None) -> AgencyConfig:
    """Load and validate agencies.yaml (default: the packaged file), flattened in tree order."""
    path = Path(path) if path is not None else DEFAULT_AGENCIES_PATH
    data, duplicates = read_yaml(path)
    check = Checker(path, duplicates)
    root = check.fields(data, "top level", required=("version", "agencies"))
    if root is None:
        raise ConfigError(path, check.problems)
    version = check.text(root, "version", "top level")
    flat: list[AgencySpec] = []
    codes: dict[Any, str] = {}
    for index, raw in enumerate(check.items(root, "agencies", "top level")):
        _parse_agency(check, raw, f"agencies[{index}]", None, flat, codes)
    check.raise_if_any()
    return AgencyConfig(version=str(version), agencies=tuple(flat), path=str(path))


def _parse_agency(
    check: Checker,
    raw: Any,
    where: str,
    parent: AgencySpec | None,
    flat: list[AgencySpec],
    codes: dict[Any, str],
) -> None:
    data = check.fields(
        raw, where, required=("code", "kind", "name"), optional=("short_name", "children")
    )
    if data is None:
        return
    code = check.text(data, "code", where, pattern=_AGENCY_CODE, max_length=40)
    where = labelled(where, code)
    check.unique(codes, code, where, "agency code")
    kind = check.text(data, "kind", where, choices=AGENCY_KINDS)
    if parent is None and kind not in (None, "province"):
        check.add(where, f"a top-level node must be a province, not {kind!r}")
    if parent is not None and kind is not None and kind not in _CHILD_KINDS[parent.kind]:
        check.add(where, f"a {kind} cannot sit under a {parent.kind} ({parent.code})")
    if code and kind in _REGION_CODE and not _REGION_CODE[kind].match(code):
        check.add(where, f"a {kind} needs a BPS code like {_REGION_CODE[kind].pattern}")
    if code and parent is not None and not code.startswith(parent.code + "."):
        check.add(where, f"code {code!r} must start with its parent's code {parent.code + '.'!r}")
    node = AgencySpec(
        code=code or "",
        kind=kind or "",
        name=check.text(data, "name", where, max_length=200) or "",
        short_name=check.text(data, "short_name", where, nullable=True, max_length=60),
        parent_code=parent.code if parent else None,
        path=(parent.path if parent else "") + (code or "?") + "/",
        depth=parent.depth + 1 if parent else 0,
    )
    flat.append(node)
    if kind is None:
        return  # children of an unknown kind cannot be checked meaningfully
    for index, child in enumerate(check.items(data, "children", where, allow_empty=True)):
        _parse_agency(check, child, f"{where}.children[{index}]", node, flat, codes)
