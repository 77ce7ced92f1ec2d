"""Features of one analysed text, as a set of strings (shared by training and inference).

* ``u:`` / ``b:`` masked unigrams and bigrams (counts; scored straight from the token list) (targets replaced by CAND, PARTY, BALLOT_NUM,
  GESTURE, DESC, SLOGAN, SYMBOL, NUM), with ``<s>``/``</s>`` at the edges, so the weights
  learn "coblos BALLOT_NUM" rather than names and carry over to other contests;
* ``c:`` cue classes (CALL, IMPER, NEG, NEWS, RULE, TURNOUT, POSTRES, PRAISE, ATTACK...);
* ``t:`` the kinds of linked targets, ``n:`` how many;
* ``x:`` cue x target interactions anywhere in the text, ``w:`` the same within a window of
  three tokens (cue before/after target), ``r:`` a rule marker in the same clause as a
  gesture, number or call (a quoted rule, not a cheer), ``NEGCALL`` a negated call;
* ``s:`` shape (a bare number or gesture, a very short text), ``p:``/``a:`` platform and
  action (weak: the label does not depend on the action).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from .linker import (
    BALLOT_NUM,
    CAND,
    DESC,
    GESTURE,
    KOSONG,
    NUM,
    PARTY,
    SLOGAN,
    SYMBOL,
    Analysis,
)
from .normalise import CLAUSE

V = TypeVar("V")

# Cue classes that take part in interactions.
INTERACTING: tuple[str, ...] = ("CALL", "IMPER", "NEG", "NEWS", "RULE", "TURNOUT", "POSTRES")
INTERACTING += ("PRAISE",)
INTERACTING += ("ATTACK", "PROMISE", "CAMPAIGN", "WE", "NEGCALL", "SPORT")
TARGET_MASKS = frozenset({CAND, PARTY, BALLOT_NUM, GESTURE, DESC, SLOGAN, SYMBOL, KOSONG})
NAMING_MASKS = frozenset({CAND, PARTY, BALLOT_NUM, GESTURE, DESC, KOSONG})
_INTERACTING = frozenset(INTERACTING)
_CALL_WORDS = frozenset({"pilih", "coblos", "dukung", "menangkan"})
# Words allowed between a negation and the call: "jangan juga pilih", "jangan lagi pilih".
_FILLERS = frozenset({"usah", "juga", "sampai", "lagi", "lah", "pernah", "mau"})


def negated_calls(analysis: Analysis) -> list[tuple[int, int]]:
    """Spans of "jangan/tidak/dak + pilih/coblos/dukung/menangkan" (normal-token indices)."""
    norms = analysis.norms
    spans = []
    for start, end, cls in analysis.cues:
        if cls != "NEG":
            continue
        if end < len(norms) and norms[end] in _CALL_WORDS:
            spans.append((start, end + 1))
        elif end + 1 < len(norms) and norms[end] in _FILLERS and norms[end + 1] in _CALL_WORDS:
            spans.append((start, end + 2))
    return spans


def ngram_counts(masked: list[str]) -> dict[str, int]:
    """``u:``/``b:`` features with counts, as the model scores them (training side)."""
    counts: dict[str, int] = {}
    for token in masked:
        key = "u:" + token
        counts[key] = counts.get(key, 0) + 1
    if masked:
        for a, b in zip(["<s>", *masked], [*masked, "</s>"], strict=True):
            key = "b:" + a + " " + b
            counts[key] = counts.get(key, 0) + 1
    return counts


def split_ngrams(
    entries: Iterable[tuple[str, V]],
) -> tuple[dict[str, V], dict[str, dict[str, V]], dict[str, V]]:
    """(unigrams, bigrams, others): feature values keyed as the scorers look them up, a
    unigram by its token, a bigram by its first token and then its second, any other
    feature by its name. No string or tuple is built per n-gram at scoring time."""
    uni: dict[str, V] = {}
    bi: dict[str, dict[str, V]] = {}
    other: dict[str, V] = {}
    for name, value in entries:
        if name.startswith("u:"):
            uni[name[2:]] = value
        elif name.startswith("b:"):
            first, _, second = name[2:].partition(" ")
            bi.setdefault(first, {})[second] = value
        else:
            other[name] = value
    return uni, bi, other


def extract(analysis: Analysis, platform: str | None, action: str | None) -> set[str]:
    """The binary features; the n-grams of ``analysis.masked`` are scored separately."""
    classes = analysis.cue_classes
    negcalls = negated_calls(analysis) if "NEG" in classes else []
    if negcalls:
        classes = classes | {"NEGCALL"}
    feats = {"c:" + cls for cls in classes}

    all_mentions = analysis.mentions
    mentions = [m for m in all_mentions if m.mask != NUM]
    masks = {m.mask for m in mentions}
    naming = masks & NAMING_MASKS
    feats.update(["t:" + mask for mask in masks])
    if len(mentions) != len(all_mentions):
        feats.add("t:NUM")
    if naming:
        distinct = {(m.mask, m.number, m.refs) for m in mentions if m.mask in NAMING_MASKS}
        feats.add("n:1" if len(distinct) == 1 else "n:2+")
    else:
        feats.add("n:0")
        feats.add("t:none")

    interacting = classes & _INTERACTING
    if interacting and masks:
        feats.update([f"x:{cls}*{mask}" for cls in interacting for mask in masks])
        if naming:
            feats.update(["x:" + cls + "*T" for cls in interacting])
        # Windowed: a cue within three tokens before or after a target span. Positions are
        # in normal tokens; a masked span counts from its first and last token.
        spans = [(s, e, cls) for s, e, cls in analysis.cues if cls in _INTERACTING]
        spans += [(s, e, "NEGCALL") for s, e in negcalls]
        for mention in mentions:
            m_start = mention.start
            m_end = mention.end
            mask = mention.mask
            for s, e, cls in spans:
                if 0 <= m_start - e <= 3:
                    feats.add("w:" + cls + ">" + mask)
                elif 0 <= s - m_end <= 3:
                    feats.add("w:" + mask + ">" + cls)
    if "RULE" in classes:
        _rule_clauses(analysis, feats)

    if analysis.bare and naming:
        feats.add("s:bare")
    if len(analysis.norms) <= 3:
        feats.add("s:short")
    if platform:
        feats.add("p:" + platform)
    if action:
        feats.add("a:" + action)
        if naming:
            feats.add("a:" + action + "*T")
    return feats


def _rule_clauses(analysis: Analysis, feats: set[str]) -> None:
    """``r:RULE*X`` when a rule marker shares a clause with a gesture, number, name or call."""
    norms = analysis.norms
    bounds = [i for i, t in enumerate(norms) if t == CLAUSE]
    if not bounds:

        def clause(position: int) -> int:
            return 0

    else:

        def clause(position: int) -> int:
            count = 0
            for b in bounds:
                if b < position:
                    count += 1
                else:
                    break
            return count

    rule_clauses = {clause(s) for s, _e, cls in analysis.cues if cls == "RULE"}
    for mention in analysis.mentions:
        if mention.mask != NUM and clause(mention.start) in rule_clauses:
            feats.add("r:RULE*" + mention.mask)
    for s, _e, cls in analysis.cues:
        if cls in ("CALL", "IMPER") and clause(s) in rule_clauses:
            feats.add("r:RULE*" + cls)
