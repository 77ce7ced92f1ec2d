"""Content keys and near-duplicate tests for coordinated sharing (pure functions).

Forwarded messages change in small ways on the way: a "Diteruskan"/"Forwarded" marker, a
link or mention added, emoji, spacing, case. :func:`content_key` removes those, so exact
copies share a key; :func:`similar` compares word trigrams for the rest (a greeting added,
a sentence cut).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Generic, TypeVar

T = TypeVar("T")

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


@lru_cache(maxsize=50_000)
def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """Word trigrams of a text; cached, as a scan compares the same first posts of clusters
    with every batch."""
    words = content_words(text)
    if len(words) < 3:
        return frozenset([tuple(words)])
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def similar(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> bool:
    """Jaccard similarity of word trigrams at least :data:`SIMILARITY`."""
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= SIMILARITY


class TrigramIndex(Generic[T]):
    """Items by the word trigrams of their text: :meth:`candidates` yields only the items
    sharing enough trigrams to possibly reach :data:`SIMILARITY`, most shared first."""

    def __init__(self, items: Iterable[T], key: Callable[[T], frozenset[tuple[str, ...]]]):
        self.key = key
        self.items: list[T] = []
        self.postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for item in items:
            self.add(item)

    def add(self, item: T) -> None:
        position = len(self.items)
        self.items.append(item)
        for gram in self.key(item):
            self.postings[gram].append(position)

    def candidates(self, grams: frozenset[tuple[str, ...]]) -> list[T]:
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self.postings.get(gram, ()))
        # Jaccard >= s needs at least s * |mine| shared trigrams.
        need = SIMILARITY * len(grams)
        return [self.items[p] for p, n in shared.most_common() if n >= need]
