"""Normalisation of informal Indonesian, one token at a time, with offsets kept.

A text is split on whitespace into *chunks*, each looked up in a cache: chat text repeats
its words, so after warm-up normalising a text costs one lookup per chunk (in C, with
``_chunks.c``, when it is built). A new chunk is cut into raw tokens by one compiled regular
expression (URL, mention, hashtag, keycap digit, word, digit run, single symbol, newline),
and each raw token is normalised on its own, cached too, into zero or more *normal tokens*.
The offsets of normal tokens in the original text are computed only when an evidence span
needs them (:meth:`Normaliser.offsets`), since most tokens never become evidence.

Per raw token:

* words: NFKC + lower case; elongation squeezed (``bangeeet`` -> ``banget``, ``pilihhh`` ->
  ``pilih``) towards a known word; ``-lah``/``-nya`` split off a known stem; then the
  project's slang map (``data/slang.tsv``: chat abbreviations, Bangka Malay, code-mixed
  English). Config terms (candidate names, nicknames, party abbreviations...) are
  *protected*: the slang map never rewrites them (``Gemoy`` stays ``gemoy``).
* digits stay digits (``02`` keeps its leading zero: it is a ballot cue); keycaps
  (``2️⃣``) become digits; number *words* stay words, their value is read by the linker.
* hashtags: a configured hashtag becomes one token ``#body``; others are split on case and
  digit boundaries, then by dynamic programming over the known words (``#ayocoblos``).
* emoji through ``data/emoji.tsv`` (finger gestures -> ``jari_N``), skin tones and variation
  selectors dropped; clause punctuation becomes ``.``; ``!`` and ``?`` are kept.
* URLs -> ``@url``, mentions -> ``@mention`` (or the config term the handle spells).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Final

from .accel import DATA_DIR, native

_native: Final[Any] = native("_chunks")  # the C code, when built (accel.build)
# Final: mypyc keeps them in C statics, not looked up in the module per text.
_READ: Final[Any] = _native.read if _native is not None else None
_SIZE: Final[Any] = _native.size if _native is not None else None

# One pass over the text. No capture groups: findall returns the token strings themselves.
TOKEN_RE = re.compile(
    r"https?://\S+|www\.\S+"  # URL
    r"|[@#][^\W_]\w*"  # mention / hashtag
    r"|\d\ufe0f?\u20e3"  # keycap digit 2️⃣
    r"|[^\W\d_]+2(?:nya|an|in|lah)?(?![\w])"  # reduplication: "siapa2", "satu2nya"
    r"|[^\W\d_]+(?:['’][^\W\d_]+)*"  # word (letters, with an inner apostrophe: ka'bah)
    r"|\d+"  # digit run
    r"|\n"  # line break: a clause boundary in forwarded messages
    r"|[^\w\s]"  # any other single symbol or emoji
)
_ELONGATED = re.compile(r"(.)\1{2,}")
_DOUBLED = re.compile(r"(.)\1+")
_REDUPLICATION = re.compile(r"^([^\W\d_]+)2(nya|an|in|lah)?$")
_HASHTAG_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+")

CLAUSE = "."  # normal token for clause punctuation
_NEWLINE = "\x00"  # a line break, made a chunk of its own before splitting on spaces
_NEWLINE_PADDED = " \x00 "
URL = "@url"
LONG_NUMBER = "<num>"
MENTION = "@mention"
# Symbols that end a clause. A hyphen or slash does not ("Anies-Imin", "dan/atau").
_CLAUSE_SYMBOLS = frozenset('.,;:()[]{}"“”‘«»|\n…')
_DROPPED_MARKS = frozenset("\ufe0f\ufe0e\u200d\u20e3")


def read_tsv(name: str) -> list[list[str]]:
    """Rows of ``data/<name>``, skipping blank lines and ``#`` comments."""
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.rstrip("\n").split("\t"))
    return rows


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()


class Lexicon:
    """The project's data files, loaded once."""

    def __init__(self) -> None:
        self.slang: dict[str, tuple[str, ...]] = {
            row[0]: tuple(row[1].split()) for row in read_tsv("slang.tsv")
        }
        self.numbers: dict[str, int] = {row[0]: int(row[1]) for row in read_tsv("numbers.tsv")}
        self.emoji: dict[str, str] = {row[0]: row[1] for row in read_tsv("emoji.tsv")}
        self.number_anti: frozenset[str] = frozenset(row[0] for row in read_tsv("numbers_anti.tsv"))
        cues: dict[tuple[str, ...], list[str]] = {}
        for phrase, cls in read_tsv("cues.tsv"):
            cues.setdefault(tuple(phrase.split()), []).append(cls)
        self.cues: dict[tuple[str, ...], tuple[str, ...]] = {k: tuple(v) for k, v in cues.items()}
        known = {row[0] for row in read_tsv("words.tsv")}
        known.update(self.slang)
        for value in self.slang.values():
            known.update(value)
        known.update(self.numbers)
        known.update(self.number_anti)
        for cue_phrase in self.cues:
            known.update(cue_phrase)
        self.known: frozenset[str] = frozenset(known)


def tokenize(text: str) -> list[str]:
    """Raw tokens of ``text`` (substrings, in order)."""
    return TOKEN_RE.findall(text)


def look_up(
    tokens: Iterable[str], index: dict[str, Any], flag_words: dict[str, frozenset[str]]
) -> tuple[list[int], list[Any], set[str]]:
    """(positions, entries, classes): where the tokens found in ``index`` are and their
    entries, and the cue classes their flag words set. A chunk's records, or a whole
    text's when the linker analyses bare tokens."""
    at: list[int] = []
    entries: list[Any] = []
    classes: set[str] = set()
    for position, token in enumerate(tokens):
        entry = index.get(token)
        if entry is not None:
            at.append(position)
            entries.append(entry)
        flagged = flag_words.get(token)
        if flagged is not None:
            classes.update(flagged)
    return at, entries, classes


class Chunk:
    """A whitespace-separated piece of a text and what normalising it gives (cached).

    Besides its normal tokens, a chunk records what the linker and the detector's fast path
    would otherwise look up token by token in every text: the linker's index entries of its
    tokens, whether a token is a trigger, and the cue classes its words flag.
    """

    __slots__ = ("text", "norms", "spans", "has_word", "at", "entries", "trigger", "flags")

    def __init__(
        self,
        text: str,
        norms: tuple[str, ...],
        spans: tuple[tuple[int, int], ...],
        has_word: bool,
        at: tuple[int, ...] = (),
        entries: tuple[Any, ...] = (),
        trigger: bool = False,
        flags: frozenset[str] = frozenset(),
    ) -> None:
        self.text = text
        self.norms = norms
        self.spans = spans  # (start, end) in ``text`` of each normal token
        self.has_word = has_word  # a written word, not only numbers, emoji, hashtags
        self.at = at  # positions in ``norms`` of the tokens found in the linker's index
        self.entries = entries  # their index entries, in the same order
        self.trigger = trigger  # a token may make the text partisan (no fast path)
        self.flags = flags  # cue classes flagged by its words


class Normalised:
    """A normalised text: its chunks and normal tokens, and what the chunks record, joined."""

    __slots__ = ("chunks", "norms", "at", "entries", "trigger", "flags", "has_word", "starts")

    def __init__(
        self,
        chunks: list[Chunk],
        norms: list[str],
        at: list[int],
        entries: list[Any],
        trigger: bool,
        flags: set[str],
        has_word: bool,
        starts: bytes | None = None,
    ) -> None:
        self.chunks = chunks
        self.norms = norms
        self.at = at  # positions in ``norms`` of the tokens found in the linker's index
        self.entries = entries  # their index entries
        self.trigger = trigger  # any token is a trigger
        self.flags = flags  # cue classes flagged by the words
        self.has_word = has_word  # any chunk has a written word
        # Each chunk's offset in the text (native int32), when the C reader split it.
        self.starts = starts


class Normaliser:
    """Raw token -> normal tokens, cached; built from the lexicon and the protected terms."""

    CACHE_LIMIT = 200_000

    def __init__(
        self,
        *,
        protected: Iterable[str] = (),
        hashtags: Iterable[str] = (),
        handles: dict[str, tuple[str, ...]] | None = None,
        extra_known: Iterable[str] = (),
    ) -> None:
        self.lex = lexicon()
        # Config terms: never rewritten by the slang map.
        self.protected = frozenset(protected)
        # Configured hashtags, lower case without '#': kept as one '#body' token.
        self.hashtags = frozenset(hashtags)
        # Mention handles that spell a config term ("aniesbaswedan" -> ("anies", "baswedan")).
        self.handles = handles or {}
        self.known = self.lex.known | self.protected | frozenset(extra_known)
        # raw token -> normal tokens; chunk text -> Chunk
        self.cache: dict[str, tuple[str, ...]] = {}
        self.chunks: dict[str, Chunk] = {}  # the Python loop's; the C reader has its own
        self.cache_limit = self.CACHE_LIMIT  # entries per cache (an attribute for tests)
        # The chunk cache in C (``_chunks.c``), when built: the same loop without a string
        # or a dict probe per chunk. It learns a new chunk through _learn_chunk.
        self.table: Any = _native.table() if _native is not None else None
        self._learn = self._learn_chunk
        self.ballot_words = frozenset(
            phrase[-1] for phrase, classes in self.lex.cues.items() if "BALLOT" in classes
        )
        # What each chunk records for the linker and the fast path (see :meth:`link`).
        self.index: dict[str, Any] = {}
        self.triggers: frozenset[str] = frozenset()
        self.flag_words: dict[str, frozenset[str]] = {}

    def link(
        self,
        index: dict[str, Any],
        triggers: frozenset[str],
        flag_words: dict[str, frozenset[str]],
    ) -> None:
        """Set the token lookups every chunk records: the linker's index (token -> entry),
        the trigger tokens of the fast path and the flag words (token -> cue classes).
        Chunks cached before are dropped: they recorded the old lookups."""
        self.index = index
        self.triggers = triggers
        self.flag_words = flag_words
        self.clear_chunks()

    def clear_chunks(self) -> None:
        self.chunks.clear()
        if self.table is not None:
            _native.clear(self.table)

    def cached_chunks(self) -> int:
        """How many chunks the cache holds."""
        return _SIZE(self.table) if self.table is not None else len(self.chunks)

    # -- public

    def normalise(self, text: str) -> Normalised:
        """The chunks and normal tokens of ``text``, and what its chunks record.

        The text is split on whitespace into *chunks*, and each chunk is looked up in a cache
        of its normal tokens; a cache miss runs the tokenizer on the chunk. Line breaks are
        clause boundaries, so they become a chunk of their own. The chunks carry what the
        linker, the fast path and :meth:`offsets` need, so those look nothing up again
        token by token. ``_chunks.read`` does all this in C when built; the loop below is
        the same in Python.
        """
        if self.table is not None:
            if _SIZE(self.table) >= self.cache_limit:
                _native.clear(self.table)
            chunks_, norms_, at_, entries_, trigger_, flags_, has_word_, starts = _READ(
                self.table, text, self._learn
            )
            return Normalised(chunks_, norms_, at_, entries_, trigger_, flags_, has_word_, starts)
        if "\x00" in text:  # the line-break sentinel below must come from line breaks only
            text = text.replace("\x00", " ")
        pieces = (text.replace("\n", _NEWLINE_PADDED) if "\n" in text else text).split()
        cache = self.chunks
        if len(cache) >= self.cache_limit:
            cache.clear()
        chunks: list[Chunk] = []
        norms: list[str] = []
        at: list[int] = []
        entries: list[Any] = []
        flags: set[str] = set()
        trigger = False
        has_word = False
        for piece in pieces:
            chunk = cache.get(piece)
            if chunk is None:
                chunk = cache[piece] = self._learn_chunk(piece)
            chunks.append(chunk)
            if chunk.entries:
                base = len(norms)
                for position in chunk.at:
                    at.append(base + position)
                entries.extend(chunk.entries)
            if chunk.flags:
                flags.update(chunk.flags)
            if chunk.trigger:
                trigger = True
            if chunk.has_word:
                has_word = True
            norms.extend(chunk.norms)
        return Normalised(chunks, norms, at, entries, trigger, flags, has_word)

    def spans(self, text: str, normalised: Normalised, upto: int) -> list[tuple[int, int]]:
        """(start, end) in ``text`` of the first ``upto`` normal tokens (tests, tools)."""
        found = self.offsets(text, normalised, list(range(upto)))
        return [found[index] for index in range(upto)]

    def offsets(
        self, text: str, normalised: Normalised, wanted: list[int]
    ) -> dict[int, tuple[int, int]]:
        """Normal-token index -> its (start, end) in ``text``, for the sorted ``wanted``.

        One forward walk over the chunks that stops at the last index wanted. The C reader
        gives each chunk's offset; otherwise it is found on the way: a chunk is a maximal
        run of non-space characters, so the first match of a chunk after the previous one
        is the chunk itself.
        """
        found: dict[int, tuple[int, int]] = {}
        if not wanted:
            return found
        starts = normalised.starts
        known = memoryview(starts).cast("i") if starts is not None else None
        last = len(wanted)
        k = 0
        target = wanted[0]
        base = 0  # index of the chunk's first normal token
        position = 0
        begin = 0
        for index, chunk in enumerate(normalised.chunks):
            count = len(chunk.norms)
            if known is not None:
                if target >= base + count:
                    base += count
                    continue
                begin = known[index]
            elif chunk.text == _NEWLINE:
                begin = text.find("\n", position)
                position = begin + 1
            else:
                begin = text.find(chunk.text, position)
                position = begin + len(chunk.text)
            spans = chunk.spans  # a line break's chunk spans its one character
            while target < base + count:
                a, b = spans[target - base]
                found[target] = (begin + a, begin + b)
                k += 1
                if k == last:
                    return found
                target = wanted[k]
            base += count
        return found

    def _learn_chunk(self, piece: str) -> Chunk:
        if piece == _NEWLINE:
            return self._make_chunk(piece, (CLAUSE,), ((0, 1),), False)
        cache = self.cache
        items: list[str] = []
        local: list[tuple[int, int]] = []
        has_word = False
        for match in TOKEN_RE.finditer(piece):
            token = match.group()
            result = cache.get(token)
            if result is None:
                if len(cache) >= self.cache_limit:
                    cache.clear()
                result = cache[token] = self._normalise_token(token)
            if token[0].isalpha():
                has_word = True
            items.extend(result)
            local.extend([match.span()] * len(result))
        return self._make_chunk(piece, tuple(items), tuple(local), has_word)

    def _make_chunk(
        self,
        piece: str,
        norms: tuple[str, ...],
        spans: tuple[tuple[int, int], ...],
        has_word: bool,
    ) -> Chunk:
        at, entries, flags = look_up(norms, self.index, self.flag_words)
        trigger = not self.triggers.isdisjoint(norms)
        return Chunk(
            piece, norms, spans, has_word, tuple(at), tuple(entries), trigger, frozenset(flags)
        )

    def words(self, text: str) -> list[str]:
        """Normal tokens only (used for config terms and tests)."""
        return self.normalise(text).norms

    # -- one raw token

    def _normalise_token(self, token: str) -> tuple[str, ...]:
        first = token[0]
        if token.startswith(("http://", "https://", "www.")):
            return (URL,)
        if first == "#" and len(token) > 1:
            return self._hashtag(token[1:])
        if first == "@" and len(token) > 1:
            handle = unicodedata.normalize("NFKC", token[1:]).lower()
            return self.handles.get(handle, (MENTION,))
        if len(token) >= 2 and token[-1] == "\u20e3":
            # A keycap digit is written like "02": a number shown off, a ballot cue.
            return (token[0] if token[0] == "0" else "0" + token[0],)
        if token.isdigit():
            digits = unicodedata.normalize("NFKC", token)
            if not digits.isascii():
                digits = str(int(digits))
            # Two digits at most can be a ballot number; longer runs (years, amounts, phone
            # numbers) share one token, so the linker only ever sees "0".."99".
            return (digits if len(digits) <= 2 else LONG_NUMBER,)
        redup = _REDUPLICATION.match(token)
        if redup is not None:
            # "siapa2", "kawan2", "satu2nya": informal reduplication, the 2 is not a number.
            # After a ballot word ("no2", "paslon2") it is.
            stem = self._word(unicodedata.normalize("NFKC", redup.group(1)).lower())
            suffix = redup.group(2)
            if stem and stem[-1] in self.ballot_words and not suffix:
                return (*stem, "2")
            if suffix and stem:
                return (*stem, stem[-1] + suffix.lower())  # satu2nya -> satu satunya
            return stem
        if token[0].isalpha():
            return self._word(unicodedata.normalize("NFKC", token).lower())
        return self._symbol(token)

    def _symbol(self, char: str) -> tuple[str, ...]:
        if char in _DROPPED_MARKS or "\U0001f3fb" <= char <= "\U0001f3ff":
            return ()
        if char in _CLAUSE_SYMBOLS:
            return (CLAUSE,)
        mapped = self.lex.emoji.get(char)
        if mapped is not None:
            return tuple(mapped.split())
        folded = unicodedata.normalize("NFKC", char)
        if folded != char and folded:
            mapped = self.lex.emoji.get(folded)
            if mapped is not None:
                return tuple(mapped.split())
            if folded in _CLAUSE_SYMBOLS:
                return (CLAUSE,)
        return ()

    def _word(self, word: str) -> tuple[str, ...]:
        word = word.replace("’", "'")
        if word in self.protected:
            return (word,)
        word = self._squeeze(word)
        if word in self.protected:
            return (word,)
        mapped = self.lex.slang.get(word)
        if mapped is not None:
            return mapped
        if word in self.known:
            return (word,)
        # Bangka Malay ends in -e where standard Indonesian ends in -a: siape, lupe, lame.
        if word.endswith("e") and len(word) >= 3:
            standard = word[:-1] + "a"
            mapped = self.lex.slang.get(standard)
            if mapped is not None:
                return mapped
            if standard in self.known:
                return (standard,)
        if len(word) <= 4:
            return (word,)
        # Clitics on a known stem: pilihlah -> pilih lah, bajunya -> baju nya (Bangka: -nye).
        for suffix, clitic in (("lah", "lah"), ("nya", "nya"), ("nye", "nya"), ("kah", "kah")):
            if word.endswith(suffix):
                stem = word[: -len(suffix)]
                if stem in self.protected:
                    return (stem, clitic)
                stem_mapped = self.lex.slang.get(stem)
                if stem_mapped is not None:
                    return (*stem_mapped, clitic)
                if stem in self.known:
                    return (stem, clitic)
        return (word,)

    def _squeeze(self, word: str) -> str:
        """Undo elongation: a run of 3+ letters becomes 2, or 1 when that makes a known word."""
        if not _ELONGATED.search(word):
            return word
        two = _ELONGATED.sub(r"\1\1", word)
        if two in self.known or two in self.lex.slang:
            return two
        one = _DOUBLED.sub(r"\1", word)
        if one in self.known or one in self.lex.slang:
            return one
        # Only the elongated runs reduced to one letter ("pilihhh" -> "pilih" even if
        # unknown), keeping ordinary double letters ("maaf").
        return _ELONGATED.sub(r"\1", word)

    def _hashtag(self, body: str) -> tuple[str, ...]:
        folded = unicodedata.normalize("NFKC", body)
        lower = folded.lower()
        if lower in self.hashtags:
            return ("#" + lower,)
        squeezed = self._squeeze(lower)
        if squeezed in self.hashtags:
            return ("#" + squeezed,)
        # Whole body first: "#CobloSPKS" is "coblos pks" whatever its capitals say.
        whole = self._segment(squeezed)
        if len(whole) <= 4 and all(piece in self.known for piece in whole):
            return tuple(item for piece in whole for item in self._word(piece))
        result: list[str] = []
        for part in _HASHTAG_PARTS.findall(folded):
            if part.isdigit():
                result.append(part if len(part) <= 2 else LONG_NUMBER)
                continue
            part = part.lower()
            pieces = [part] if part in self.known else self._segment(part)
            for piece in pieces:
                result.extend(self._word(piece))
        return tuple(result)

    def _segment(self, text: str) -> list[str]:
        """Split an unspaced lower-case string into known words, fewest pieces first.

        Unknown stretches are kept as single pieces (cost 3 per piece) so that a hashtag
        with a name we do not know still splits around the words we do.
        """
        n = len(text)
        if n > 40:
            return [text]
        best: list[tuple[float, int] | None] = [None] * (n + 1)
        best[0] = (0.0, 0)
        for end in range(1, n + 1):
            for start in range(max(0, end - 20), end):
                previous = best[start]
                if previous is None:
                    continue
                piece = text[start:end]
                cost = 1.0 if piece in self.known and len(piece) > 1 else 3.0 + 0.01 * len(piece)
                total = previous[0] + cost
                current = best[end]
                if current is None or total < current[0]:
                    best[end] = (total, start)
        pieces = []
        end = n
        while end > 0:
            entry = best[end]
            assert entry is not None
            start = entry[1]
            pieces.append(text[start:end])
            end = start
        pieces.reverse()
        # Merge adjacent unknown pieces back together.
        merged: list[str] = []
        for piece in pieces:
            if merged and piece not in self.known and merged[-1] not in self.known:
                merged[-1] += piece
            else:
                merged.append(piece)
        return merged
