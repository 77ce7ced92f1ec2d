"""The case state machine as one table: every allowed move, who may make it.

Pure data (no database access) so it can be read, tested and drawn on its own.
Only ``cases.services.case_transition`` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from netralitas.accounts.models import Role
from netralitas.cases.models import CaseStatus as S

OPEN_STATUSES = frozenset(S) - {S.CLOSED}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[S]
    # None: the case stays where it is (an event on the timeline only).
    target: S | None
    roles: frozenset[Role]
    # What a reporter reads through the tracking code; empty keeps the step internal.
    public_note: str | Promise = ""
    needs_note: bool = False


def _t(action, label, sources, target, roles, public_note="", needs_note=False) -> Transition:
    return Transition(
        action, label, frozenset(sources), target, frozenset(roles), public_note, needs_note
    )


# Verification follows Perbawaslu 7/2022 Pasal 15: formal and material requirements,
# completion by the reporter, then registered or not registered.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(
            "request_info",
            _("Request more information"),
            {S.VERIFICATION},
            S.AWAITING_INFO,
            {Role.VERIFIER},
            _("More information is needed from the reporter."),
            needs_note=True,
        ),
        _t(
            "receive_info",
            _("Information received"),
            {S.AWAITING_INFO},
            S.VERIFICATION,
            {Role.VERIFIER},
            _("The additional information was received."),
        ),
        _t(
            "set_requirements",
            _("Record requirement check"),
            {S.VERIFICATION},
            None,
            {Role.VERIFIER},
        ),
        _t(
            "register",
            _("Register the case"),
            {S.VERIFICATION},
            S.REGISTERED,
            {Role.VERIFIER},
            _("The report was registered for examination."),
        ),
        _t(
            "reject",
            _("Do not register"),
            {S.VERIFICATION, S.AWAITING_INFO},
            S.NOT_REGISTERED,
            {Role.VERIFIER},
            _("The report does not meet the requirements and was not registered."),
            needs_note=True,
        ),
        _t(
            "start_examination",
            _("Start examination"),
            {S.REGISTERED},
            S.EXAMINATION,
            {Role.EXAMINER},
            _("The examination has started."),
        ),
        _t(
            "add_clarification",
            _("Add clarification record"),
            {S.EXAMINATION},
            None,
            {Role.EXAMINER},
        ),
        _t(
            "conclude_proven",
            _("Conclude: proven"),
            {S.EXAMINATION},
            S.PROVEN,
            {Role.EXAMINER},
            _("The examination is complete."),
            needs_note=True,
        ),
        _t(
            "conclude_not_proven",
            _("Conclude: not proven"),
            {S.EXAMINATION},
            S.NOT_PROVEN,
            {Role.EXAMINER},
            _("The examination is complete: no violation was proven."),
            needs_note=True,
        ),
        _t(
            "recommend",
            _("Recommend a sanction"),
            {S.PROVEN},
            S.RECOMMENDED,
            {Role.EXAMINER},
            _("A sanction recommendation was prepared."),
        ),
        _t(
            "forward",
            _("Forward"),
            {S.RECOMMENDED},
            S.FORWARDED,
            {Role.EXAMINER},
            _("The case was forwarded to the competent official."),
        ),
        _t(
            "decide",
            _("Record the PPK decision"),
            {S.FORWARDED},
            S.DECIDED,
            {Role.PPK},
            _("The competent official has decided."),
        ),
        _t(
            "close",
            _("Close the case"),
            {S.NOT_REGISTERED, S.NOT_PROVEN, S.DECIDED},
            S.CLOSED,
            {Role.VERIFIER},
            _("The case is closed."),
        ),
        _t(
            "comment",
            _("Add a note"),
            OPEN_STATUSES,
            None,
            {Role.VERIFIER, Role.EXAMINER, Role.PPK, Role.BAWASLU},
            needs_note=True,
        ),
    ]
}


def transitions_for(status: str, role: str) -> list[Transition]:
    """The moves a role may make from a status, in table order."""
    return [t for t in TRANSITIONS.values() if status in t.sources and role in t.roles]
