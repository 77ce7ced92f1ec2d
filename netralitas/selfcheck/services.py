"""The self-check ("Cek sebelum posting"): may this draft breach neutrality?

The draft goes through the same detector as monitored posts. Nothing is stored unless the
writer opts in (then only the text and the verdict, never who asked). The rules quoted are
the joint decree's violation types for social media (SKB 2022, annex: posting, commenting,
sharing or liking, and campaigning online), chosen by whether the contest's candidates
were already set on the day (bakal calon, KE-*, before; calon, DS-*, after).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.detection import default_detector, target_dict
from netralitas.elections.models import ViolationType
from netralitas.selfcheck.models import SharedDraft

MAX_LENGTH = 5000
# Social-media violation types of the joint decree: before the candidates are set
# (bakal calon) and after (calon).
RULES_BEFORE = ("KE-04", "KE-02")
RULES_AFTER = ("DS-06", "DS-02")


class SelfCheckError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class SelfCheckResult:
    partisan: bool
    stance: str
    score: float
    targets: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    rules: list[dict[str, str]] = field(default_factory=list)
    advice: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "partisan": self.partisan,
            "stance": self.stance,
            "targets": self.targets,
            "evidence": self.evidence,
            "rules": self.rules,
            "advice": self.advice,
        }


def self_check(*, text: str, on: date | None = None, share: bool = False) -> SelfCheckResult:
    """Check a draft; ``share`` keeps the text and verdict (the writer's choice)."""
    text = (text or "").strip()
    if not text:
        raise SelfCheckError("text", _("Write the text you want to check."))
    if len(text) > MAX_LENGTH:
        raise SelfCheckError(
            "text", _("The text is too long (at most %(n)d characters).") % {"n": MAX_LENGTH}
        )
    day = on or timezone.localdate()
    detection = default_detector().detect(text, posted_at=day)
    targets = [target_dict(t) for t in detection.targets]
    result = SelfCheckResult(
        partisan=detection.partisan,
        stance=detection.stance,
        score=detection.score,
        targets=targets,
        evidence=[dict(e) for e in detection.evidence],
    )
    if detection.partisan:
        result.rules = _rules(targets, day)
        result.advice = _(
            "Do not post, share, comment on or like this. It reads as taking a side in the "
            "election, which civil servants may not do in public or in group chats, even "
            "with a like. Talk about the election only as neutral information (dates, "
            "polling stations, how to vote), without a contestant, number, slogan or gesture."
        )
    elif any(e.get("why") in _NAMING for e in result.evidence):
        result.advice = _(
            "No side-taking was found, but the text names a contestant. Keep it factual and "
            "avoid praise, mockery, numbers, gestures or slogans that could be read as support."
        )
    else:
        result.advice = _(
            "No side-taking was found. The check is automatic: when in doubt, ask your "
            "agency's neutrality contact before posting."
        )
    if share:
        SharedDraft.objects.create(
            text=text, partisan=result.partisan, stance=result.stance, score=result.score
        )
    return result


_NAMING = frozenset({"candidate name", "candidate nickname", "campaign hashtag", "party"})


def _rules(targets: list[dict[str, Any]], day: date) -> list[dict[str, str]]:
    """The decree's social-media rules for the draft: before the candidates of its contest
    were set, the rules on prospective candidates; after, those on candidates."""
    config = default_detector().config  # the configuration the detector linked with
    before = False
    for target in targets:
        try:
            contest = config.contest(target.get("contest") or "")
        except KeyError:
            continue
        if contest.candidates_set_on and day < contest.candidates_set_on:
            before = True
    codes = RULES_BEFORE if before else RULES_AFTER
    names = dict(ViolationType.objects.filter(code__in=codes).values_list("code", "name"))
    return [{"code": code, "title": names[code]} for code in codes if code in names]
