"""The detector: normalise, link targets, score stance, apply precision rules, explain.

Library use (no Django, no database)::

    from netralitas.detection import Detector
    detector = Detector.load()                     # packaged config and model
    result = detector.detect("coblos 02 ya!", platform="whatsapp", posted_at="2024-01-20")
    result.partisan, result.stance, result.score, result.targets, result.evidence
    for result in detector.detect_many(posts):    # dicts with id/text/platform/action/posted_at
        ...

``score`` is the calibrated p(partisan) in [0, 1]; ``partisan`` is ``score >= threshold``
(the threshold is the model's, chosen on cross-validated training data, unless given).
``targets`` are the contestants a *partisan* text takes a side on (empty for a neutral text,
as in the corpus); :meth:`Linker.resolve` links the contestants of any text. ``evidence`` are
character spans of the original text with the reason each counts (a name, a ballot number, a
call to vote for a partisan text; a news marker, a rule quote, turnout for a neutral one).

Fast path: a text with no election cue at all (no name, number, gesture, colour or symbol
emoji, cue word, nor a word the model weighs towards partisan) is neutral at once, with the
score of an empty text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from netralitas.elections.config import ElectionConfig, load_election_config

from .features import NAMING_MASKS, extract, negated_calls
from .linker import BALLOT_NUM, CAND, GESTURE, KOSONG, NUM, Analysis, Linker, Target
from .model import Model, load_model
from .normalise import CLAUSE, Normalised

STANCES = ("none", "support", "oppose")

_PARTISAN_WHY = {
    "CALL": "call to vote",
    "IMPER": "imperative",
    "PRAISE": "praise",
    "ATTACK": "attack",
    "PROMISE": "promise tied to a win",
    "CAMPAIGN": "campaign event or material",
}
_NEUTRAL_WHY = {
    "NEWS": "news marker",
    "RULE": "rule quote",
    "TURNOUT": "turnout / election administration",
    "POSTRES": "post-result",
    "SPORT": "sport context",
}
MAX_EVIDENCE = 6


# An evidence span: {"start": int, "end": int, "text": str, "why": str}; start/end are
# character offsets into the original text (text == original[start:end]).
Evidence = dict[str, Any]


# Made for every text: the __init__ is spelt out (init=False) so that mypyc compiles it;
# the dataclass one is generated Python and ran interpreted.
@dataclass(slots=True, init=False)
class Detection:
    partisan: bool
    stance: str
    score: float
    targets: tuple[Target, ...]
    evidence: tuple[Evidence, ...]
    rule: str | None  # the precision rule that decided, if any
    id: Any

    def __init__(
        self,
        partisan: bool,
        stance: str,
        score: float,
        targets: tuple[Target, ...] = (),
        evidence: tuple[Evidence, ...] = (),
        rule: str | None = None,
        id: Any = None,
    ) -> None:
        self.partisan = partisan
        self.stance = stance
        self.score = score
        self.targets = targets
        self.evidence = evidence
        self.rule = rule
        self.id = id

    def as_dict(self) -> dict[str, Any]:
        """The ``detect`` output record (targets and evidence as plain dicts)."""
        return {
            "id": self.id,
            "partisan": self.partisan,
            "stance": self.stance,
            "score": self.score,
            "targets": [target_dict(t) for t in self.targets],
            "evidence": list(self.evidence),
        }


_TARGET_DICTS: dict[Target, dict[str, Any]] = {}


def target_dict(target: Target) -> dict[str, Any]:
    """``target.as_dict()``, cached: targets repeat, and the dict is treated as read-only."""
    found = _TARGET_DICTS.get(target)
    if found is None:
        found = target.as_dict()
        if len(_TARGET_DICTS) < 10_000:
            _TARGET_DICTS[target] = found
    return found


class _Decision:
    __slots__ = ("partisan", "stance", "score", "rule", "spans")

    def __init__(
        self,
        partisan: bool,
        stance: str,
        score: float,
        rule: str | None = None,
        spans: list[tuple[int, int, str]] | None = None,
    ) -> None:
        self.partisan = partisan
        self.stance = stance
        self.score = score
        self.rule = rule
        self.spans: list[tuple[int, int, str]] = spans if spans is not None else []


def parse_day(value: Any) -> date | None:
    """A post date from a date, datetime or ISO string (only the date part is used)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


class Detector:
    def __init__(
        self, config: ElectionConfig, model: Model, *, threshold: float | None = None
    ) -> None:
        self.config = config
        self.model = model
        self.threshold = model.threshold if threshold is None else threshold
        self.linker = Linker(config)
        self.normaliser = self.linker.normaliser
        self.triggers = self.linker.trigger_tokens | model.triggers
        # The chunks record the detector's triggers (the model's words too).
        self.normaliser.link(self.linker.index, self.triggers, self.linker.flag_words)
        self._days: dict[Any, date | None] = {}
        # The score of a text with no election cue at all (the fast path): bias only.
        self._quiet_scores: dict[tuple[str | None, str | None], float] = {}

    @classmethod
    def load(
        cls,
        *,
        config_path: str | Path | None = None,
        model_path: str | Path | None = None,
        threshold: float | None = None,
    ) -> Detector:
        return cls(load_election_config(config_path), load_model(model_path), threshold=threshold)

    # ------------------------------------------------------------------ public API

    def detect(
        self,
        text: str,
        platform: str | None = None,
        action: str | None = None,
        posted_at: Any = None,
        *,
        id: Any = None,
    ) -> Detection:
        normalised = self.normaliser.normalise(text)
        if not normalised.trigger:
            return self._quiet(platform, action, id)
        analysis = self.linker.analyse_normalised(normalised)
        feats = extract(analysis, platform, action)
        decision = self._decide(analysis, feats)
        # Targets are what a partisan text takes a side on (as in the corpus, where a neutral
        # text has none); Linker.resolve links any text for callers that want more.
        if decision.partisan:
            day = self._day(posted_at) if posted_at is not None else None
            targets = self.linker.resolve(analysis, day)
        else:
            targets = []
        evidence = self._evidence(text, normalised, analysis, decision)
        score = round(decision.score, 4)
        if (score >= self.threshold) != decision.partisan:
            score = decision.score  # rounding would cross the threshold: keep it exact
        return Detection(
            decision.partisan,
            decision.stance,
            score,
            tuple(targets),
            evidence,
            decision.rule,
            id,
        )

    def detect_many(self, posts: Iterable[Mapping[str, Any] | str]) -> Iterator[Detection]:
        """Stream detections; each post is a text or a mapping with ``text`` and optional
        ``id``, ``platform``, ``action``, ``posted_at``."""
        detect = self.detect
        for post in posts:
            if isinstance(post, str):
                yield detect(post)
            else:
                yield detect(
                    post["text"],
                    post.get("platform"),
                    post.get("action"),
                    post.get("posted_at"),
                    id=post.get("id"),
                )

    def analyse(
        self, text: str, platform: str | None = None, action: str | None = None
    ) -> tuple[bool, Analysis, set[str]]:
        """(quiet, analysis, features) of a text; ``quiet`` is the fast path (no election
        cue at all). Used by training, which must see exactly what detection sees."""
        normalised = self.normaliser.normalise(text)
        analysis = self.linker.analyse_normalised(normalised)
        return not normalised.trigger, analysis, extract(analysis, platform, action)

    # ------------------------------------------------------------------ internals

    def _day(self, posted_at: Any) -> date | None:
        if posted_at is None:
            return None
        try:
            return self._days[posted_at]
        except (KeyError, TypeError):
            day = parse_day(posted_at)
            try:
                if len(self._days) > 10_000:
                    self._days.clear()
                self._days[posted_at] = day
            except TypeError:
                pass
            return day

    def _quiet(self, platform: str | None, action: str | None, id: Any) -> Detection:
        key = (platform, action)
        score = self._quiet_scores.get(key)
        if score is None:
            feats = {"t:none", "n:0", "p:" + str(platform), "a:" + str(action)}
            score = round(self.model.score([], feats)[0], 4)
            self._quiet_scores[key] = score
        return Detection(False, "none", score, (), (), None, id)

    def _decide(self, analysis: Analysis, feats: set[str]) -> _Decision:
        score, p_support, p_oppose = self.model.score(analysis.masked, feats)
        return decide(score, p_support, p_oppose, apply_rules(analysis, feats), self.threshold)

    def _evidence(
        self,
        text: str,
        normalised: Normalised,
        analysis: Analysis,
        decision: _Decision,
    ) -> tuple[Evidence, ...]:
        # (start, end, order, why) in normal tokens: a rule's span sorts before a linker or
        # cue span of the same tokens, so that the rule is the one kept. A partisan decision
        # is explained by its calls, praise or attacks; a neutral one by what neutralises.
        spans: list[tuple[int, int, int, str]] = [(s, e, 0, w) for s, e, w in decision.spans]
        why_of = self.linker.mention_why
        for mention in analysis.mentions:
            if mention.mask != NUM:
                spans.append((mention.start, mention.end, 1, why_of(mention)))
        cue_why = _PARTISAN_WHY if decision.partisan else _NEUTRAL_WHY
        for start, end, cls in analysis.cues:
            if cls in cue_why:
                spans.append((start, end, 2, cue_why[cls]))
        if not spans:
            return ()
        spans.sort()
        wanted = sorted({s for s, _e, _o, _w in spans} | {e - 1 for _s, e, _o, _w in spans})
        where = self.normaliser.offsets(text, normalised, wanted)
        evidence: list[Evidence] = []
        seen: set[tuple[int, int]] = set()
        for start, end, _order, why in spans:
            first = where[start][0]
            last = where[end - 1][1]
            if (first, last) in seen:
                continue
            seen.add((first, last))
            evidence.append({"start": first, "end": last, "text": text[first:last], "why": why})
            if len(evidence) >= MAX_EVIDENCE:
                break
        return tuple(evidence)


# ---------------------------------------------------------------------- precision rules
#
# Each rule is narrow and has its own test in tests/test_rules.py. A rule's verdict does not
# depend on the threshold (training evaluates the rules once per text); a rule that makes a
# text partisan raises the score to at least the threshold, so that ``partisan`` stays
# ``score >= threshold`` for every output.

RuleVerdict = tuple[str, str, tuple[int, int, str]]  # (stance, rule name, evidence span)
_CHEER_MASKS = frozenset({BALLOT_NUM, GESTURE, CAND, KOSONG})
_NEGATIVE_EMOJI = frozenset(
    "silang jempol_bawah muntah badut kotoran marah kesal sindir bosan kapak dadah".split()
)


def decide(
    score: float,
    p_support: float,
    p_oppose: float,
    verdict: RuleVerdict | None,
    threshold: float,
) -> _Decision:
    if verdict is not None:
        stance, name, span = verdict
        return _Decision(True, stance, max(score, threshold), name, [span])
    partisan = score >= threshold
    stance = ("support" if p_support >= p_oppose else "oppose") if partisan else "none"
    return _Decision(partisan, stance, score)


def apply_rules(analysis: Analysis, feats: set[str]) -> RuleVerdict | None:
    return rule_negated_call(analysis) or rule_bare_cheer(analysis, feats)


def rule_negated_call(analysis: Analysis) -> RuleVerdict | None:
    """ "jangan pilih/coblos/dukung + a target within three tokens" => oppose
    (support when the target is the empty column).

    Not when the clause quotes a rule or reports news ("ASN dilarang ... jangan pilih").
    """
    calls = negated_calls(analysis)
    if not calls:
        return None
    norms = analysis.norms
    for start, end in calls:
        if norms[start] != "jangan":
            continue
        target = next(
            (m for m in analysis.mentions if m.mask in NAMING_MASKS and 0 <= m.start - end <= 2),
            None,
        )
        if target is None:
            continue
        clause_start = start
        while clause_start > 0 and norms[clause_start - 1] != CLAUSE:
            clause_start -= 1
        clause_end = target.end
        while clause_end < len(norms) and norms[clause_end] != CLAUSE:
            clause_end += 1
        quoted = any(
            cls in ("RULE", "NEWS") and clause_start <= s < clause_end
            for s, _e, cls in analysis.cues
        )
        if not quoted:
            span = (start, target.end, "rule: negated call to vote for a target")
            # "jangan pilih kotak kosong" backs the single pair.
            return ("support" if target.mask == KOSONG else "oppose", "negated-call", span)
    return None


def rule_bare_cheer(analysis: Analysis, feats: set[str]) -> RuleVerdict | None:
    """A text that is nothing but a ballot number, gesture or candidate hashtag => support
    (oppose when it is the empty column)."""
    if "s:bare" not in feats or not _NEGATIVE_EMOJI.isdisjoint(analysis.norms):
        return None  # "02 ❌❌" is not a cheer
    # Not a party name alone: "Garuda 🇮🇩🔥" is the national football team.
    mention = next((m for m in analysis.mentions if m.mask in _CHEER_MASKS), None)
    if mention is None:
        return None
    span = (mention.start, mention.end, "rule: bare ballot number or gesture")
    # A bare "#kotakkosong" backs the empty column, against the single pair.
    return ("oppose" if mention.mask == KOSONG else "support", "bare-cheer", span)
