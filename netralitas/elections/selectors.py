from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from netralitas.elections.models import (
    Contest,
    Election,
    SanctionKind,
    Stage,
    StageKind,
    ViolationTiming,
    ViolationType,
)
from netralitas.registry.models import Agency

# How far ahead an incident may be tied to an upcoming election: prospective
# candidates campaign months before registration (the ethics rows of SKB 2022).
LOOKAHEAD = timedelta(days=365)


def election_for_date(*, day: date) -> Election | None:
    """The election whose timeline contains ``day``, else the next one within a year."""
    current = (
        Election.objects.filter(stages__start__lte=day, stages__end__gte=day)
        .order_by("voting_date")
        .first()
    )
    if current:
        return current
    return (
        Election.objects.filter(voting_date__gte=day, voting_date__lte=day + LOOKAHEAD)
        .order_by("voting_date")
        .first()
    )


def stage_on(*, day: date, election: Election | None = None) -> Stage | None:
    qs = Stage.objects.filter(start__lte=day, end__gte=day).select_related("election")
    if election is not None:
        qs = qs.filter(election=election)
    return qs.order_by("election__voting_date").first()


def contest_for(*, day: date, agency: Agency | None) -> Contest | None:
    """The contest an incident most likely concerns: the most local one in the
    agency's region for the election of that day (regent before governor before
    national)."""
    election = election_for_date(day=day)
    if election is None:
        return None
    contests = list(election.contests.select_related("area"))
    if not contests:
        return None
    if agency is not None:
        ancestors = [p for p in agency.path.split("/") if p]
        local = [c for c in contests if c.area and c.area.code in ancestors]
        if local:
            return max(local, key=lambda c: len(c.area.path))
    national = [c for c in contests if c.area is None]
    pool = national or contests
    # Presidential before legislative: pairs are what ASN are most often reported for.
    return sorted(pool, key=lambda c: (c.office != "president", c.code))[0]


def violation_type_on(
    *, reported: ViolationType, day: date, contest: Contest | None
) -> ViolationType:
    """SKB 2022: the same act is an ethics matter while the contestants are only
    prospective candidates, and a discipline matter once the KPU has set them."""
    if contest is None or reported.counterpart_id is None:
        return reported
    candidates_set = day >= contest.candidates_set_on
    counterpart = reported.counterpart
    assert counterpart is not None
    if reported.timing == ViolationTiming.BEFORE_CANDIDATES and candidates_set:
        return counterpart
    if reported.timing == ViolationTiming.AFTER_CANDIDATES and not candidates_set:
        if counterpart.timing == ViolationTiming.BEFORE_CANDIDATES:
            return counterpart
    return reported


@dataclass(frozen=True)
class SanctionSuggestion:
    category: str
    kinds: list[SanctionKind]


def sanction_suggestion(
    *, violation_type: ViolationType, employee_kind: str | None
) -> SanctionSuggestion:
    """The rule table's category and the matching sanctions of the employee's catalogue
    (PNS: PP 94/2021 + PP 42/2004; PPPK: PP 49/2018; non-ASN: contract)."""
    kind = employee_kind or "PNS"
    kinds = list(
        SanctionKind.objects.filter(employee_kind=kind, category=violation_type.sanction_category)
    )
    return SanctionSuggestion(category=violation_type.sanction_category, kinds=kinds)


def sanction_kinds_for(*, employee_kind: str | None) -> list[SanctionKind]:
    return list(SanctionKind.objects.filter(employee_kind=employee_kind or "PNS"))


def active_violation_types():
    return ViolationType.objects.filter(is_active=True).order_by("order", "code")


@dataclass(frozen=True)
class ElectionPhase:
    """Where an election stands on a day: inside a configured stage, before its first stage
    (``pre_nomination``), after its last (``post``), or between two stages (kind None)."""

    election: Election
    kind: str | None
    stage: Stage | None = None


def election_phases_on(*, day: date) -> list[ElectionPhase]:
    """Each configured election's phase on ``day``, the latest election first (two queries)."""
    phases: list[ElectionPhase] = []
    for election in Election.objects.prefetch_related("stages").order_by("-voting_date"):
        stages = sorted(election.stages.all(), key=lambda s: s.start)
        if not stages:
            continue
        current = next((s for s in stages if s.start <= day <= s.end), None)
        if current is not None:
            phases.append(ElectionPhase(election=election, kind=current.kind, stage=current))
        elif day < stages[0].start:
            phases.append(ElectionPhase(election=election, kind=StageKind.PRE_NOMINATION))
        elif day > stages[-1].end:
            phases.append(ElectionPhase(election=election, kind=StageKind.POST))
        else:
            phases.append(ElectionPhase(election=election, kind=None))
    return phases
