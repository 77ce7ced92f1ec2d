"""Load the packaged reference data (YAML) into the database, idempotently.

The YAML files are the versioned source; the database copy is what administrators
may then adjust in the admin. A re-run updates rows by code and never deletes rows
that cases point at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from netralitas.cases.models import DeadlineRule, Holiday, ReceivingBody
from netralitas.elections import config as cfg
from netralitas.elections.models import (
    CandidatePair,
    Contest,
    Election,
    Party,
    SanctionKind,
    Stage,
    ViolationType,
)
from netralitas.registry.models import Agency


@dataclass
class LoadSummary:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def agencies_load(spec) -> int:
    by_code: dict[str, Agency] = {a.code: a for a in Agency.objects.all()}
    for item in spec.agencies:
        parent = by_code.get(item.parent_code) if item.parent_code else None
        agency = by_code.get(item.code) or Agency(code=item.code)
        agency.name = item.name
        agency.short_name = getattr(item, "short_name", "") or ""
        agency.kind = item.kind
        agency.parent = parent
        agency.save()
        by_code[item.code] = agency
    return len(spec.agencies)


def elections_load(spec) -> int:
    parties: dict[str, Party] = {}
    for p in spec.parties:
        party, _ = Party.objects.update_or_create(
            code=p.code,
            defaults={"number": p.number, "name": p.name, "abbreviations": list(p.abbreviations)},
        )
        parties[p.code] = party
    areas = {a.code: a for a in Agency.objects.all()}
    for e in spec.elections:
        election, _ = Election.objects.update_or_create(
            code=e.code,
            defaults={
                "name": e.name,
                "kind": e.kind,
                "voting_date": e.voting_date,
                "config_version": str(spec.version),
            },
        )
        for s in e.stages:
            Stage.objects.update_or_create(
                election=election,
                code=s.code,
                defaults={"kind": s.kind, "name": s.name, "start": s.start, "end": s.end},
            )
        for c in e.contests:
            contest, _ = Contest.objects.update_or_create(
                code=c.code,
                defaults={
                    "election": election,
                    "name": c.name,
                    "office": c.office,
                    "area": areas.get(c.area) if c.area else None,
                    "candidates_set_on": c.candidates_set_on,
                },
            )
            contest.parties.set([parties[code] for code in getattr(c, "parties", ()) or ()])
            for pair_spec in c.pairs:
                label = pair_spec.label or " – ".join(pair_spec.names)
                # Pairs without a sourced ballot number (Pangkalpinang) are told apart by label.
                key = (
                    {"number": pair_spec.number}
                    if pair_spec.number is not None
                    else {"number": None, "label": label}
                )
                pair, _ = CandidatePair.objects.update_or_create(
                    contest=contest,
                    **key,
                    defaults={
                        "label": label,
                        "names": list(pair_spec.names),
                        "is_empty_column": pair_spec.empty_column,
                    },
                )
                pair.parties.set([parties[code] for code in pair_spec.parties])
    return len(spec.elections)


def violation_types_load(spec) -> int:
    rows: dict[str, ViolationType] = {}
    for v in spec.violation_types:
        rows[v.code], _ = ViolationType.objects.update_or_create(
            code=v.code,
            defaults={
                "category": v.category,
                "name": v.name,
                "name_en": v.name_en or "",
                "description": v.description or "",
                "legal_basis": v.legal_basis,
                "sanction_category": v.sanction_category,
                "timing": v.timing,
                "confidence": v.confidence or "",
                "order": v.order,
            },
        )
    for v in spec.violation_types:
        counterpart = rows.get(v.counterpart) if v.counterpart else None
        ViolationType.objects.filter(pk=rows[v.code].pk).update(counterpart=counterpart)
    n = 0
    for employee_kind, kinds in spec.sanction_catalogues.items():
        for order, k in enumerate(kinds):
            SanctionKind.objects.update_or_create(
                code=k.code,
                defaults={
                    "employee_kind": employee_kind,
                    "category": k.category,
                    "name": k.name,
                    "name_en": k.name_en or "",
                    "legal_basis": k.legal_basis,
                    "confidence": k.confidence or "",
                    "order": order,
                },
            )
            n += 1
    return len(spec.violation_types) + n


def deadlines_load(spec) -> int:
    for d in spec.deadlines:
        DeadlineRule.objects.update_or_create(
            step=d.step,
            defaults={
                "name": d.name,
                "days": d.days,
                "day_kind": d.day_kind,
                "legal_basis": d.legal_basis or "",
                "confirmed": d.confirmed,
                "note": d.note or "",
            },
        )
    for b in spec.receiving_bodies:
        ReceivingBody.objects.update_or_create(
            code=b.code,
            defaults={
                "name": b.name,
                "valid_from": b.valid_from,
                "valid_until": b.valid_until,
                "legal_basis": getattr(b, "legal_basis", "") or getattr(b, "basis", "") or "",
            },
        )
    for h in spec.holidays:
        Holiday.objects.update_or_create(date=h.date, defaults={"name": h.name, "kind": h.kind})
    return len(spec.deadlines) + len(spec.receiving_bodies) + len(spec.holidays)


@transaction.atomic
def reference_data_load() -> LoadSummary:
    """Agencies, elections, the rule table, sanction catalogues, deadlines, holidays."""
    summary = LoadSummary()
    summary.add("agencies", agencies_load(cfg.load_agency_config()))
    summary.add("elections", elections_load(cfg.load_election_config()))
    summary.add("violation types and sanctions", violation_types_load(cfg.load_violation_config()))
    summary.add("deadlines, bodies and holidays", deadlines_load(cfg.load_deadline_config()))
    return summary
