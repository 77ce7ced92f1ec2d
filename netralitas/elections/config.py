"""Pure loader for the versioned election configuration (``data/elections.yaml``).

No Django import (stdlib and PyYAML only): the detector, which runs without Django, builds its
matchers from this module. The Django app seeds its tables from the same objects.

Every problem in a file is collected and reported at once, as a :class:`ConfigError` whose
``problems`` name the entry and the problem, e.g.
``elections[1] (pilkada-2024).contests[2] (pilbup-belitung-2024).pairs[0]: unknown party 'XYZ'``,
so that an editor fixes a file in one pass instead of one error per run.

The loaders for the other reference files (violation types, deadlines, agencies) live in
:mod:`netralitas.elections.reference_config` and share the helpers defined here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_ELECTIONS_PATH = DATA_DIR / "elections.yaml"

ELECTION_KINDS = ("pemilu", "pilkada")
# In chronological order: the stages of an election must follow it.
STAGE_KINDS = ("pre_nomination", "nomination", "campaign", "quiet", "voting", "recap", "post")
OFFICES = (
    "president",
    "dpr",
    "dpd",
    "dprd_province",
    "dprd_regency",
    "governor",
    "regent",
    "mayor",
)
# Offices contested by candidate pairs, and the level of area each one belongs to.
PAIR_OFFICE_AREAS = {
    "president": None,
    "governor": "province",
    "regent": "regency",
    "mayor": "regency",
}
# Offices contested by party lists (individual legislative candidates are not configured).
PARTY_LIST_OFFICES = frozenset({"dpr", "dprd_province", "dprd_regency"})
CONFIDENCES = ("H", "M", "L")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PARTY_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_PROVINCE_AREA = re.compile(r"^\d{2}$")
_REGENCY_AREA = re.compile(r"^\d{2}\.\d{2}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- errors and YAML


class ConfigError(ValueError):
    """A configuration file is unreadable or invalid; ``problems`` lists every problem found."""

    def __init__(self, path: str | Path, problems: Iterable[str]) -> None:
        self.path = str(path)
        self.problems: list[str] = list(problems)
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        super().__init__(
            f"{self.path}: {count} problem{'s' if count != 1 else ''} in the configuration:\n{listing}"
        )


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text and records duplicate mapping keys.

    Dates stay text because PyYAML raises a bare ValueError, without file or entry, on an
    impossible date such as 2024-02-30; we parse them ourselves and report them like any other
    problem. Duplicate keys are silently resolved to the last value by PyYAML, which would hide
    an editing mistake.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[str] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicate_keys.append(
                        f"line {key_node.start_mark.line + 1}: duplicate key {key_node.value!r}"
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> tuple[Any, list[str]]:
    """Parse ``path``; return the data and the duplicate-key problems found while parsing."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    loader = _Loader(text)
    try:
        return loader.get_single_data(), loader.duplicate_keys
    except yaml.YAMLError as exc:
        raise ConfigError(path, [f"not valid YAML: {exc}"]) from exc
    finally:
        loader.dispose()


def labelled(where: str, code: object) -> str:
    """``elections[1]`` -> ``elections[1] (pilkada-2024)`` once the entry's code is known."""
    return f"{where} ({code})" if isinstance(code, str) and code else where


def as_date(day: date) -> date:
    """Accept a datetime where a date is expected (a datetime never equals a date)."""
    return day.date() if isinstance(day, datetime) else day


class Checker:
    """Reads typed values out of parsed YAML, recording each problem instead of raising."""

    def __init__(self, path: Path, problems: Iterable[str] = ()) -> None:
        self.path = path
        self.problems: list[str] = list(problems)

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.problems:
            raise ConfigError(self.path, self.problems)

    def fields(
        self, value: Any, where: str, *, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Any] | None:
        """Check that ``value`` is a mapping with exactly the allowed keys."""
        if not isinstance(value, dict):
            self.add(where, f"expected a mapping, got {_type_name(value)}")
            return None
        where = labelled(where, value.get("code"))
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.add(where, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in value:
                self.add(where, f"missing required key {key!r}")
        return value

    def text(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        *,
        nullable: bool = False,
        pattern: re.Pattern[str] | None = None,
        choices: Iterable[str] | None = None,
        max_length: int | None = None,
    ) -> str | None:
        if key not in data:
            return None  # reported by fields() when required
        value = data[key]
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not value.strip():
            hint = " (quote it)" if isinstance(value, int | float | bool) else ""
            self.add(where, f"{key!r} must be a non-empty string, got {value!r}{hint}")
            return None
        if choices is not None and value not in tuple(choices):
            self.add(where, f"{key!r} is {value!r}; expected one of {', '.join(choices)}")
            return None
        if pattern is not None and not pattern.match(value):
            self.add(where, f"{key!r} value {value!r} does not match {pattern.pattern}")
        if max_length is not None and len(value) > max_length:
            self.add(where, f"{key!r} is longer than {max_length} characters")
        return value

    def integer(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        *,
        nullable: bool = False,
        minimum: int = 1,
    ) -> int | None:
        if key not in data or (data[key] is None and nullable):
            return None
        value = data[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.add(where, f"{key!r} must be an integer >= {minimum}, got {value!r}")
            return None
        return value

    def boolean(self, data: dict[str, Any], key: str, where: str, *, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.add(where, f"{key!r} must be true or false, got {value!r}")
            return default
        return value

    def day(
        self, data: dict[str, Any], key: str, where: str, *, nullable: bool = False
    ) -> date | None:
        if key not in data or (data[key] is None and nullable):
            return None
        value = data[key]
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            self.add(where, f"{key!r} must be a date written YYYY-MM-DD, got {value!r}")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            self.add(where, f"{key!r} value {value!r} is not a valid date ({exc})")
            return None

    def texts(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        """An optional list of non-empty strings, as a tuple; duplicates are reported."""
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add(where, f"{key!r} must be a list of strings, got {_type_name(value)}")
            return ()
        result: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add(where, f"{key}[{index}] must be a non-empty string, got {item!r}")
            elif item in result:
                self.add(where, f"{key}[{index}] {item!r} is listed twice")
            else:
                result.append(item)
        return tuple(result)

    def items(
        self, data: dict[str, Any], key: str, where: str, *, allow_empty: bool = False
    ) -> list[Any]:
        if key not in data:
            return []
        value = data[key]
        if not isinstance(value, list):
            self.add(where, f"{key!r} must be a list, got {_type_name(value)}")
            return []
        if not value and not allow_empty:
            self.add(where, f"{key!r} must not be empty")
        return value

    def unique(self, seen: dict[Any, str], key: Any, where: str, what: str) -> None:
        """Report ``key`` if an earlier entry (recorded in ``seen``) already used it."""
        if key is None:
            return
        if key in seen:
            self.add(where, f"duplicate {what} {key!r} (already used by {seen[key]})")
        else:
            seen[key] = where


def _type_name(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class Party:
    code: str
    number: int | None
    name: str
    abbreviations: tuple[str, ...] = ()
    nicknames: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pair:
    number: int | None
    names: tuple[str, ...]
    label: str
    nicknames: tuple[str, ...] = ()
    slogans: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()  # party codes
    empty_column: bool = False
    confidence: str = "H"


@dataclass(frozen=True)
class Stage:
    code: str
    kind: str
    name: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= as_date(day) <= self.end


@dataclass(frozen=True)
class Contest:
    code: str
    name: str
    office: str
    area: str | None  # agency code from agencies.yaml, None for a national contest
    candidates_set_on: date
    election_code: str
    pairs: tuple[Pair, ...] = ()
    parties: tuple[str, ...] = ()  # contest-level party codes (legislative contests)
    sources: tuple[str, ...] = ()
    note: str | None = None

    def candidates_set_by(self, day: date) -> bool:
        """True once KPU has set the candidates: SKB 2022 discipline rows apply from then on."""
        return as_date(day) >= self.candidates_set_on

    def pair(self, number: int) -> Pair | None:
        return next((pair for pair in self.pairs if pair.number == number), None)


@dataclass(frozen=True)
class Election:
    code: str
    name: str
    name_en: str
    kind: str
    voting_date: date
    stages: tuple[Stage, ...]  # sorted by start
    contests: tuple[Contest, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def start(self) -> date:
        return self.stages[0].start

    @property
    def end(self) -> date:
        return self.stages[-1].end

    def is_active_on(self, day: date) -> bool:
        return self.start <= as_date(day) <= self.end

    def stage_on(self, day: date) -> Stage | None:
        return next((stage for stage in self.stages if stage.contains(day)), None)


@dataclass(frozen=True)
class ElectionConfig:
    version: str
    parties: tuple[Party, ...]
    elections: tuple[Election, ...]
    path: str = ""
    _parties: dict[str, Party] = field(init=False, repr=False, compare=False)
    _contests: dict[str, Contest] = field(init=False, repr=False, compare=False)
    _elections: dict[str, Election] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen: build the lookup indexes once, through object.__setattr__.
        object.__setattr__(self, "_parties", {party.code: party for party in self.parties})
        object.__setattr__(self, "_elections", {e.code: e for e in self.elections})
        object.__setattr__(
            self, "_contests", {c.code: c for e in self.elections for c in e.contests}
        )

    def stages_on(self, day: date) -> list[tuple[Election, Stage]]:
        """The (election, stage) pairs whose stage contains ``day``, in configuration order."""
        return [(e, s) for e in self.elections for s in e.stages if s.contains(day)]

    def contests_active_on(self, day: date) -> list[Contest]:
        """Contests of the elections whose first stage start <= ``day`` <= last stage end."""
        return [c for e in self.elections if e.is_active_on(day) for c in e.contests]

    def contest(self, code: str) -> Contest:
        """The contest with ``code``; raises KeyError if there is none."""
        return self._contests[code]

    def party(self, code: str) -> Party:
        """The party with ``code``; raises KeyError if there is none."""
        return self._parties[code]

    def election(self, code: str) -> Election:
        """The election with ``code``; raises KeyError if there is none."""
        return self._elections[code]

    @property
    def contests(self) -> tuple[Contest, ...]:
        return tuple(self._contests.values())


# --------------------------------------------------------------------------- loader


def load_election_config(path: str | Path | None = None) -> ElectionConfig:
    """Load and validate ``path`` (default: the packaged elections.yaml).

    Raises ConfigError listing every problem found.
    """
    path = Path(path) if path is not None else DEFAULT_ELECTIONS_PATH
    data, duplicates = read_yaml(path)
    check = Checker(path, duplicates)
    root = check.fields(data, "top level", required=("version", "parties", "elections"))
    if root is None:
        raise ConfigError(path, check.problems)
    version = check.text(root, "version", "top level")

    parties: list[Party] = []
    codes: dict[Any, str] = {}
    numbers: dict[Any, str] = {}
    for index, raw in enumerate(check.items(root, "parties", "top level")):
        party = _parse_party(check, raw, f"parties[{index}]")
        if party is not None:
            where = labelled(f"parties[{index}]", party.code)
            check.unique(codes, party.code, where, "party code")
            check.unique(numbers, party.number, where, "party number")
            parties.append(party)
    party_codes = frozenset(p.code for p in parties if p.code)

    elections: list[Election] = []
    election_codes: dict[Any, str] = {}
    contest_codes: dict[Any, str] = {}
    for index, raw in enumerate(check.items(root, "elections", "top level")):
        election = _parse_election(check, raw, f"elections[{index}]", party_codes, contest_codes)
        if election is not None:
            check.unique(
                election_codes,
                election.code,
                labelled(f"elections[{index}]", election.code),
                "election code",
            )
            elections.append(election)

    check.raise_if_any()
    return ElectionConfig(
        version=str(version), parties=tuple(parties), elections=tuple(elections), path=str(path)
    )


def _parse_party(check: Checker, raw: Any, where: str) -> Party | None:
    data = check.fields(
        raw,
        where,
        required=("code", "number", "name"),
        optional=("abbreviations", "nicknames", "colours", "symbols", "hashtags"),
    )
    if data is None:
        return None
    code = check.text(data, "code", where, pattern=_PARTY_CODE, max_length=20)
    where = labelled(where, code)
    return Party(
        code=code or "",
        number=check.integer(data, "number", where, nullable=True),
        name=check.text(data, "name", where, max_length=200) or "",
        abbreviations=check.texts(data, "abbreviations", where),
        nicknames=check.texts(data, "nicknames", where),
        colours=check.texts(data, "colours", where),
        symbols=check.texts(data, "symbols", where),
        hashtags=check.texts(data, "hashtags", where),
    )


def _parse_election(
    check: Checker, raw: Any, where: str, party_codes: frozenset[str], contest_codes: dict[Any, str]
) -> Election | None:
    data = check.fields(
        raw,
        where,
        required=("code", "name", "name_en", "kind", "voting_date", "stages", "contests"),
        optional=("sources",),
    )
    if data is None:
        return None
    code = check.text(data, "code", where, pattern=_SLUG, max_length=40)
    where = labelled(where, code)
    voting_date = check.day(data, "voting_date", where)

    stages: list[Stage] = []
    stage_codes: dict[Any, str] = {}
    for index, raw_stage in enumerate(check.items(data, "stages", where)):
        stage_where = f"{where}.stages[{index}]"
        stage = _parse_stage(check, raw_stage, stage_where)
        if stage is not None:
            check.unique(stage_codes, stage.code, labelled(stage_where, stage.code), "stage code")
            stages.append(stage)
    stages = _check_timeline(check, stages, voting_date, where)

    contests: list[Contest] = []
    for index, raw_contest in enumerate(check.items(data, "contests", where, allow_empty=True)):
        contest_where = f"{where}.contests[{index}]"
        contest = _parse_contest(
            check, raw_contest, contest_where, code or "", party_codes, stages, voting_date
        )
        if contest is not None:
            check.unique(
                contest_codes, contest.code, labelled(contest_where, contest.code), "contest code"
            )
            contests.append(contest)

    return Election(
        code=code or "",
        name=check.text(data, "name", where, max_length=200) or "",
        name_en=check.text(data, "name_en", where, max_length=200) or "",
        kind=check.text(data, "kind", where, choices=ELECTION_KINDS) or "",
        voting_date=voting_date or date.min,
        stages=tuple(stages),
        contests=tuple(contests),
        sources=check.texts(data, "sources", where),
    )


def _parse_stage(check: Checker, raw: Any, where: str) -> Stage | None:
    data = check.fields(raw, where, required=("code", "kind", "name", "start", "end"))
    if data is None:
        return None
    code = check.text(data, "code", where, pattern=_SLUG, max_length=40)
    where = labelled(where, code)
    kind = check.text(data, "kind", where, choices=STAGE_KINDS)
    name = check.text(data, "name", where, max_length=200)
    start = check.day(data, "start", where)
    end = check.day(data, "end", where)
    if start is not None and end is not None and end < start:
        check.add(where, f"end {end} is before start {start}")
    if None in (code, kind, name, start, end):
        return None
    return Stage(code=code, kind=kind, name=name, start=start, end=end)  # type: ignore[arg-type]


def _check_timeline(
    check: Checker, stages: list[Stage], voting_date: date | None, where: str
) -> list[Stage]:
    """Sort the stages; report overlaps, kinds out of order and a misplaced voting date."""
    ordered = sorted(stages, key=lambda stage: (stage.start, stage.end))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start <= before.end:
            check.add(
                where,
                f"stage {after.code!r} ({after.start}..{after.end}) overlaps stage "
                f"{before.code!r} ({before.start}..{before.end})",
            )
        if STAGE_KINDS.index(after.kind) < STAGE_KINDS.index(before.kind):
            check.add(
                where,
                f"stage {after.code!r} ({after.kind}) comes after {before.code!r} "
                f"({before.kind}); kinds must follow {', '.join(STAGE_KINDS)}",
            )
    voting = [stage for stage in ordered if stage.kind == "voting"]
    if voting_date is not None and voting and not any(s.contains(voting_date) for s in voting):
        check.add(where, f"voting_date {voting_date} is not inside a stage of kind 'voting'")
    if (
        voting_date is not None
        and ordered
        and not ordered[0].start <= voting_date <= ordered[-1].end
    ):
        check.add(
            where,
            f"voting_date {voting_date} is outside the stages "
            f"({ordered[0].start}..{ordered[-1].end})",
        )
    return ordered


def _parse_contest(
    check: Checker,
    raw: Any,
    where: str,
    election_code: str,
    party_codes: frozenset[str],
    stages: list[Stage],
    voting_date: date | None,
) -> Contest | None:
    data = check.fields(
        raw,
        where,
        required=("code", "name", "office", "area", "candidates_set_on"),
        optional=("pairs", "parties", "sources", "note"),
    )
    if data is None:
        return None
    code = check.text(data, "code", where, pattern=_SLUG, max_length=60)
    where = labelled(where, code)
    office = check.text(data, "office", where, choices=OFFICES)
    area = check.text(data, "area", where, nullable=True, max_length=40)
    _check_area(check, office, area, where)

    set_on = check.day(data, "candidates_set_on", where)
    if set_on is not None and voting_date is not None and stages:
        inside = stages[0].start <= set_on <= stages[-1].end
        if not inside and set_on >= voting_date:
            check.add(
                where,
                f"candidates_set_on {set_on} is neither inside the election's "
                f"timeline ({stages[0].start}..{stages[-1].end}) nor before its "
                f"voting date {voting_date}",
            )

    parties = check.texts(data, "parties", where)
    for party in parties:
        if party not in party_codes:
            check.add(where, f"unknown party {party!r} in 'parties'")
    pairs: list[Pair] = []
    pair_numbers: dict[Any, str] = {}
    for index, raw_pair in enumerate(check.items(data, "pairs", where, allow_empty=True)):
        pair_where = f"{where}.pairs[{index}]"
        pair = _parse_pair(check, raw_pair, pair_where, party_codes)
        if pair is not None:
            check.unique(pair_numbers, pair.number, pair_where, "pair number")
            pairs.append(pair)
    _check_contestants(check, office, pairs, parties, "pairs" in data, where)

    return Contest(
        code=code or "",
        name=check.text(data, "name", where, max_length=200) or "",
        office=office or "",
        area=area,
        candidates_set_on=set_on or date.min,
        election_code=election_code,
        pairs=tuple(pairs),
        parties=parties,
        sources=check.texts(data, "sources", where),
        note=check.text(data, "note", where, nullable=True),
    )


def _check_area(check: Checker, office: str | None, area: str | None, where: str) -> None:
    if office not in PAIR_OFFICE_AREAS:
        return
    level = PAIR_OFFICE_AREAS[office]
    if level is None and area is not None:
        check.add(where, f"a {office} contest is national: 'area' must be null")
    elif level == "province" and not (area and _PROVINCE_AREA.match(area)):
        check.add(
            where, f'a {office} contest needs a province area code such as "19", got {area!r}'
        )
    elif level == "regency" and not (area and _REGENCY_AREA.match(area)):
        check.add(
            where,
            f'a {office} contest needs a regency/city area code such as "19.71", got {area!r}',
        )


def _check_contestants(
    check: Checker,
    office: str | None,
    pairs: list[Pair],
    parties: tuple[str, ...],
    has_pairs_key: bool,
    where: str,
) -> None:
    if office in PAIR_OFFICE_AREAS:
        if not pairs:
            check.add(where, f"a {office} contest needs 'pairs'")
        if parties:
            check.add(where, f"a {office} contest lists parties on its pairs, not at contest level")
    elif office in PARTY_LIST_OFFICES:
        if not parties:
            check.add(where, f"a {office} contest needs 'parties' (the contesting parties)")
        if has_pairs_key:
            check.add(where, f"a {office} contest has no 'pairs'; list its parties instead")
    empty = [pair for pair in pairs if pair.empty_column]
    real = [pair for pair in pairs if not pair.empty_column]
    if len(empty) > 1:
        check.add(where, "more than one empty column (kotak kosong)")
    if empty and len(real) != 1:
        check.add(where, "an empty column (kotak kosong) only exists in a single-pair contest")
    if office in PAIR_OFFICE_AREAS and len(real) == 1 and not empty:
        check.add(where, "a single-pair contest must list the empty column (empty_column: true)")


def _parse_pair(check: Checker, raw: Any, where: str, party_codes: frozenset[str]) -> Pair | None:
    data = check.fields(
        raw,
        where,
        required=("number", "names", "label"),
        optional=(
            "nicknames",
            "slogans",
            "hashtags",
            "colours",
            "symbols",
            "parties",
            "empty_column",
            "confidence",
        ),
    )
    if data is None:
        return None
    empty_column = check.boolean(data, "empty_column", where)
    names = check.texts(data, "names", where)
    if isinstance(data.get("names"), list) and not names and not empty_column:
        check.add(where, "'names' must list the candidates (only an empty column has none)")
    parties = check.texts(data, "parties", where)
    for party in parties:
        if party not in party_codes:
            check.add(where, f"unknown party {party!r} in 'parties'")
    if empty_column and (names or parties):
        check.add(where, "an empty column (kotak kosong) has no candidate names or parties")
    return Pair(
        number=check.integer(data, "number", where, nullable=True),
        names=names,
        label=check.text(data, "label", where, max_length=200) or "",
        nicknames=check.texts(data, "nicknames", where),
        slogans=check.texts(data, "slogans", where),
        hashtags=check.texts(data, "hashtags", where),
        colours=check.texts(data, "colours", where),
        symbols=check.texts(data, "symbols", where),
        parties=parties,
        empty_column=empty_column,
        confidence=check.text(data, "confidence", where, choices=CONFIDENCES) or "H",
    )


# --------------------------------------------------------------------------- re-exports

_REFERENCE_NAMES = frozenset(
    {
        "load_violation_config",
        "ViolationTypeSpec",
        "SanctionKindSpec",
        "ViolationConfig",
        "load_deadline_config",
        "DeadlineSpec",
        "ReceivingBodySpec",
        "HolidaySpec",
        "DeadlineConfig",
        "load_agency_config",
        "AgencySpec",
        "AgencyConfig",
    }
)


def __getattr__(name: str) -> Any:
    """Offer the other loaders here too (``config.load_agency_config``).

    Resolved lazily (PEP 562) because reference_config imports this module's helpers.
    """
    if name in _REFERENCE_NAMES:
        from netralitas.elections import reference_config

        return getattr(reference_config, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
