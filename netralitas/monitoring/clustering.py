"""Content keys and near-duplicate tests for coordinated sharing (pure functions).

Forwarded messages change in small ways on the way: a "Diteruskan"/"Forwarded" marker, a
link or mention added, emoji, spacing, case. :func:`content_key` removes those, so exact
copies share a key; :func:`similar` compares word trigrams for the rest (a greeting added,
a sentence cut).
"""

from __future__ import annotations

import hashlib
import re

_LINK = re.compile(r"https?://\S+|www\.\S+|@\w+")
_MARKER = re.compile(r"^\s*[*_~]*(diteruskan|forwarded|fwd|pesan berantai)[*_~:]*\s*", re.I)
_NON_WORD = re.compile(r"[^\w]+")
MIN_WORDS = 4  # shorter texts ("coblos 02!") repeat by chance, not by coordination
SIMILARITY = 0.7


def content_words(text: str) -> list[str]:
    text = _MARKER.sub("", _LINK.sub(" ", text.lower()))
    return [w for w in _NON_WORD.split(text) if w]


def content_key(text: str) -> str:
    """sha256 of the text's words; empty when the text is too short to tell coordination."""
    words = content_words(text)
    if len(words) < MIN_WORDS:
        return ""
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = content_words(text)
    if len(words) < 3:
        return frozenset([tuple(words)])
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def similar(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> bool:
    """Jaccard similarity of word trigrams at least :data:`SIMILARITY`."""
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= SIMILARITY
