"""Target linking: which contestants a text refers to, from the election configuration.

Built once from :class:`~netralitas.elections.config.ElectionConfig` into dictionaries keyed
by the first normal token of every phrase, so linking a text costs one dict lookup per token.

What is linked:

* config terms: pair names, labels, nicknames, hashtags, slogans, symbols and colours; party
  names, abbreviations, nicknames, symbols and colours, plus ``partai`` + the head word of a
  party's symbol or its colour (``partai beringin``, ``partai merah``);
* numbers, *typed by context*: a number is a ballot reference after a ballot cue (no, nomor,
  urut, paslon, coblos, pilih, salam...), as ``0N``, as a finger count (``☝️``, ``2 jari``,
  ``salam tiga jari``), or as a bare cheer (a text that is nothing but the number), and never
  within two tokens of a word such as antrean, loket, juara, lantai, porsi, RT, jam
  (``data/numbers_anti.tsv``);
* described targets: a colour after a description word (``yg bajunya biru muda``).

Ambiguous single words (a nickname that is also a common word, such as *Abah* or *Gemoy*,
a party abbreviation such as *PAN* or *Garuda*, a symbol such as *matahari*) are *weak*:
linked only when the text has election vocabulary too.

Resolution against the date: when the post has a date, ballot numbers, gestures, colours,
slogans and symbols resolve only among the contests active that day
(``ElectionConfig.contests_active_on``); names resolve to their pair whatever the date
(a name is unambiguous), preferring an active contest when a name is shared. Without a date
every contest is in scope. When a number still fits several contests, office words
(*bupati*, *capres*...), region words (*Bangka Barat*, *Babel*) and the other targets named
in the text pick the contest; failing that, the target is reported with ``contest: null``
and only its ballot number, rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from netralitas.elections.config import Contest, ElectionConfig

from .normalise import CLAUSE, Normalised, Normaliser, lexicon, look_up

# Mask tokens that replace a linked span in the model's features.
CAND = "CAND"
PARTY = "PARTY"
BALLOT_NUM = "BALLOT_NUM"
NUM = "NUM"
GESTURE = "GESTURE"
SLOGAN = "SLOGAN"
DESC = "DESC"
SYMBOL = "SYMBOL"
# The empty column (kotak kosong) of a single-pair contest: backing it opposes the pair, so
# it gets its own mask ("coblos KOSONG" is oppose, "jangan pilih KOSONG" is support).
KOSONG = "KOSONG"
MASKS = frozenset({CAND, PARTY, BALLOT_NUM, NUM, GESTURE, SLOGAN, DESC, SYMBOL, KOSONG})

# Term kinds, strongest first (when one phrase is several kinds, the strongest is kept).
_KIND_RANK = {
    "hashtag": 0,
    "name": 1,
    "nickname": 2,
    "party": 3,
    "slogan": 4,
    "gesture": 5,
    "symbol": 6,
    "colour": 7,
}
_KIND_MASK = {
    "hashtag": CAND,
    "name": CAND,
    "nickname": CAND,
    "party": PARTY,
    "slogan": SLOGAN,
    "gesture": GESTURE,
    "symbol": SYMBOL,
    "colour": DESC,
}
_WHY = {
    "hashtag": "campaign hashtag",
    "name": "candidate name",
    "nickname": "candidate nickname",
    "party": "party",
    "slogan": "campaign slogan",
    "gesture": "finger gesture",
    "symbol": "campaign symbol",
    "colour": "described by colour",
}
# Kinds that identify a contestant on their own, whatever the date.
_NAMING_KINDS = frozenset({"hashtag", "name", "nickname", "party"})
_OFFICE_OF_CUE = {
    "OFFICE_PRESIDENT": "president",
    "OFFICE_GOVERNOR": "governor",
    "OFFICE_REGENT": "regent",
    "OFFICE_MAYOR": "mayor",
    "OFFICE_DPR": "dpr",
}
# Emoji tokens that carry no election meaning on their own (the rest, such as colour hearts,
# party animals and finger counts, keep a text off the detector's fast path).
_GENERIC_EMOJI = frozenset(
    "tertawa senyum mohon suka jempol kuat tepuk_tangan ragu bosan marah berdoa api hati "
    "pengumuman bendera ! ?".split()
)
# Words of symbol phrases too generic to stand for a party on their own.
_GENERIC_SYMBOL_WORDS = frozenset(
    "pohon kepala burung bola dunia moncong putih untaian kembar sabit bulan bintang".split()
)
# Cue classes recorded as present/absent only (see Linker.__init__).
_FLAG_CLASSES = frozenset(
    {"WE", "DESC", "POLITICAL", "BALLOT"}
    | {f"OFFICE_{o}" for o in ("PRESIDENT", "GOVERNOR")}
    | {"OFFICE_REGENT", "OFFICE_MAYOR", "OFFICE_DPR"}
)
_REGION_RE = re.compile(r"Wakil (?:Gubernur|Bupati|Wali Kota) (.+?) \d{4}$")


class Target:
    """A contestant a text refers to. Targets are cached and shared: they are read-only
    (Final attributes, enforced when compiled). Not a frozen dataclass: its generated
    __eq__ and __hash__ are Python, which mypyc leaves interpreted, and targets are
    compared for every text."""

    __slots__ = ("kind", "contest", "ballot_number", "name", "_key")

    def __init__(
        self, kind: str, contest: str | None, ballot_number: int | None, name: str
    ) -> None:
        self.kind: Final = kind  # "candidate" | "party"
        self.contest: Final = contest
        self.ballot_number: Final = ballot_number
        self.name: Final = name
        self._key: Final = (kind, contest, ballot_number, name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Target):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return (
            f"Target(kind={self.kind!r}, contest={self.contest!r}, "
            f"ballot_number={self.ballot_number!r}, name={self.name!r})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "contest": self.contest,
            "ballot_number": self.ballot_number,
            "name": self.name,
        }


# A reference is ("pair", contest_code, pair_index) or ("party", party_code).
Ref = tuple[Any, ...]
# Compiled index entry of a first token (see Linker.__init__).
_Entry = tuple[Any, Any, Any, Any, tuple[str, ...]]


@dataclass(slots=True)
class Term:
    kind: str
    refs: tuple[Ref, ...]
    weak: bool
    number: int | None = None  # finger count of a gesture symbol ("salam dua jari")
    mask: str = ""


# The records made for every text spell out their __init__ (init=False): the dataclass
# one is generated Python, which mypyc does not compile, and ran as interpreted code.
@dataclass(slots=True, init=False)
class Mention:
    start: int  # normal-token index
    end: int
    mask: str
    kind: str  # a term kind, "number" or "gesture"
    refs: tuple[Ref, ...]
    number: int | None

    def __init__(
        self,
        start: int,
        end: int,
        mask: str,
        kind: str,
        refs: tuple[Ref, ...] = (),
        number: int | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.mask = mask
        self.kind = kind
        self.refs = refs
        self.number = number


@dataclass(slots=True, init=False)
class Analysis:
    norms: list[str]
    mentions: list[Mention]
    cues: list[tuple[int, int, str]]  # (start, end, class), normal-token indices
    regions: list[tuple[int, str]]  # (phrase length, contest code)
    masked: list[str]  # the tokens with linked spans replaced by masks
    cue_classes: set[str]
    bare: bool  # nothing but numbers, gestures, hashtags, emoji and punctuation

    def __init__(
        self,
        norms: list[str],
        mentions: list[Mention],
        cues: list[tuple[int, int, str]],
        regions: list[tuple[int, str]],
        masked: list[str],
        cue_classes: set[str],
        bare: bool = False,
    ) -> None:
        self.norms = norms
        self.mentions = mentions
        self.cues = cues
        self.regions = regions
        self.masked = masked
        self.cue_classes = cue_classes
        self.bare = bare


class Linker:
    def __init__(self, config: ElectionConfig) -> None:
        self.config = config
        self.lex = lexicon()
        self.contests: dict[str, Contest] = {c.code: c for c in config.contests}
        self.office_of = {c.code: c.office for c in config.contests}
        self.election_of = {c.code: e for e in config.elections for c in e.contests}
        self.max_pair_number = max(
            (p.number or 0 for c in config.contests for p in c.pairs), default=0
        )
        self.party_by_number = {p.number: p for p in config.parties if p.number is not None}
        self.party_by_code = {p.code: p for p in config.parties}

        raw_terms = self._collect_terms(config)
        protected: set[str] = set()
        hashtags: set[str] = set()
        for kind, phrase, _ref, _number in raw_terms:
            if kind == "hashtag":
                hashtags.add(phrase.lower().lstrip("#"))
            else:
                protected.update(_plain_words(phrase))
        # A first normaliser (protecting the terms) turns each phrase into normal tokens.
        self.normaliser = Normaliser(protected=protected, hashtags=hashtags)
        terms: dict[tuple[str, ...], Term] = {}
        common = self.lex.known
        for kind, phrase, ref, number in raw_terms:
            tokens = (
                ("#" + phrase.lower().lstrip("#"),)
                if kind == "hashtag"
                else tuple(t for t in self.normaliser.words(phrase) if t != CLAUSE)
            )
            if not tokens:
                continue
            weak = kind in ("symbol", "colour", "slogan") or (
                len(tokens) == 1 and (tokens[0] in common or len(tokens[0]) <= 3)
            )
            if kind == "gesture":
                weak = False
            existing = terms.get(tokens)
            if existing is None:
                terms[tokens] = Term(kind, (ref,), weak, number)
            else:
                if ref not in existing.refs:
                    existing.refs = (*existing.refs, ref)
                if _KIND_RANK[kind] < _KIND_RANK[existing.kind]:
                    existing.kind = kind
                    existing.weak = weak
                if number is not None:
                    existing.number = number
        for term in terms.values():
            empty = all(
                ref[0] == "pair" and self.contests[ref[1]].pairs[ref[2]].empty_column
                for ref in term.refs
            )
            term.mask = KOSONG if empty else _KIND_MASK[term.kind]
        # Mention handles that spell a term without spaces (@aniesbaswedan).
        handles = {
            "".join(tokens): tokens
            for tokens, term in terms.items()
            if term.kind in ("name", "nickname") and not tokens[0].startswith("#")
        }
        self.normaliser.handles = handles

        # Region phrases of the contests ("bangka barat" -> pilbup-bangka-barat-2024).
        regions: dict[tuple[str, ...], list[str]] = {}
        for contest in config.contests:
            match = _REGION_RE.search(contest.name)
            if not match:
                continue
            words = tuple(self.normaliser.words(match.group(1)))
            variants = {words}
            if words and words[0] in ("kepulauan", "kota", "kabupaten") and len(words) > 1:
                variants.add(words[1:])
            for variant in variants:
                regions.setdefault(variant, []).append(contest.code)

        # One dictionary, keyed by a phrase's first token, for terms, cues and regions.
        # Values: list of (rest-of-phrase, length, what, payload), longest first.
        index: dict[str, list[tuple[list[str], int, str, Any]]] = {}

        def add(tokens: tuple[str, ...], what: str, payload: Any) -> None:
            index.setdefault(tokens[0], []).append((list(tokens[1:]), len(tokens), what, payload))

        for tokens, term in terms.items():
            add(tokens, "term", term)
        for word, value in self.lex.numbers.items():
            add((word,), "num", (value, "word"))
        # Digit tokens are at most two digits long (see normalise.LONG_NUMBER).
        for value in range(100):
            add((str(value),), "num", (value, "digit"))
            if value < 10:
                add((f"0{value}",), "num", (value, "zero" if value else "digit"))
        for token in self.lex.emoji.values():
            if token.startswith("jari_"):
                add((token,), "num", (int(token[5:]), "emoji"))
        # Flag classes only say that a word is present (context for features, ballot and
        # colour typing, contest choice): one-word ones are found with one set
        # intersection per text instead of a position each, which keeps the loop short.
        flag_words: dict[str, set[str]] = {}
        for cue_phrase, classes in self.lex.cues.items():
            flags = tuple(c for c in classes if c in _FLAG_CLASSES)
            others = tuple(c for c in classes if c not in _FLAG_CLASSES)
            if len(cue_phrase) == 1 and flags:
                flag_words.setdefault(cue_phrase[0], set()).update(flags)
                if others:
                    add(cue_phrase, "cue", others)
            else:
                add(cue_phrase, "cue", classes)
        self.flag_words = {word: frozenset(classes) for word, classes in flag_words.items()}
        self.ballot_words = frozenset(w for w, c in flag_words.items() if "BALLOT" in c)
        self.desc_words = frozenset(w for w, c in flag_words.items() if c & {"DESC", "BALLOT"})
        for region_phrase, codes in regions.items():
            add(region_phrase, "region", tuple(codes))
        # Compiled per first token: (phrases of two or more tokens keyed by their second
        # token, longest first; the one-token cue classes; term; number; regions), so that
        # a common first token ("partai", "yang") costs one more dict lookup, not a scan.
        compiled: dict[str, _Entry] = {}
        for first, entries in index.items():
            multi: dict[str, list[tuple[list[str], int, str, Any]]] = {}
            cue1: tuple[str, ...] | None = None
            term1: Term | None = None
            num1: tuple[int, str] | None = None
            regions1: tuple[str, ...] = ()
            for rest, length, what, payload in entries:
                if length > 1:
                    multi.setdefault(rest[0], []).append((rest[1:], length, what, payload))
                elif what == "cue":
                    cue1 = payload
                elif what == "term":
                    term1 = payload
                elif what == "num":
                    num1 = payload
                else:
                    regions1 = regions1 + tuple(payload)
            for candidates in multi.values():
                candidates.sort(key=lambda entry: -entry[1])
            compiled[first] = (multi or None, cue1, term1, num1, regions1)
        self.index = compiled
        self.numbers = self.lex.numbers
        self.anti = self.lex.number_anti
        self.emoji_tokens = frozenset(self.lex.emoji.values())
        # Tokens that may start anything the linker cares about: the detector's fast path
        # skips a text with none of them. Address words and description words ("kita",
        # "yang") alone are not election cues.
        # Cues that only make a text *more* neutral (news, rules, turnout, results, sport)
        # do not either: whatever could make such a text partisan is a word the model
        # weighs towards partisan, and those are triggers too (Model.triggers).
        quiet = {"WE", "DESC", "NEG", "NEWS", "RULE", "TURNOUT", "POSTRES", "SPORT"}
        cue_starts = {
            phrase[0] for phrase, classes in self.lex.cues.items() if not set(classes) <= quiet
        }
        self.trigger_tokens = (
            frozenset(t[0] for t in terms)
            | frozenset(t[0] for t in regions)
            | frozenset(cue_starts)
            | frozenset(self.numbers)
            | frozenset(t for t in self.emoji_tokens if t not in _GENERIC_EMOJI)
            | frozenset(str(v) for v in range(100))
            | frozenset(f"0{v}" for v in range(10))
        )
        self.normaliser.link(self.index, self.trigger_tokens, self.flag_words)
        self._scope_cache: dict[date | None, frozenset[str]] = {}
        self._number_refs: dict[tuple[frozenset[str], int], list[Ref]] = {}
        self._targets: dict[Any, Target] = {}

    # ------------------------------------------------------------------ config -> terms

    def _collect_terms(self, config: ElectionConfig) -> list[tuple[str, str, Ref, int | None]]:
        terms: list[tuple[str, str, Ref, int | None]] = []
        for contest in config.contests:
            for index, pair in enumerate(contest.pairs):
                ref: Ref = ("pair", contest.code, index)
                if pair.empty_column:
                    # The empty column has no names; its nicknames ("kotak kosong") name it.
                    for nickname in pair.nicknames:
                        terms.append(("nickname", nickname, ref, None))
                    continue
                for name in pair.names:
                    terms.append(("name", name, ref, None))
                    parts = _plain_words(name)
                    # A candidate's first or last name alone: weak (common Indonesian names).
                    if len(parts) > 1:
                        terms.append(("nickname", parts[0], ref, None))
                        terms.append(("nickname", parts[-1], ref, None))
                terms.append(("name", pair.label, ref, None))
                for nickname in pair.nicknames:
                    terms.append(("nickname", nickname, ref, None))
                for hashtag in pair.hashtags:
                    terms.append(("hashtag", hashtag, ref, None))
                for slogan in pair.slogans:
                    terms.append(("slogan", slogan, ref, None))
                for colour in pair.colours:
                    terms.append(("colour", colour, ref, None))
                for symbol in pair.symbols:
                    count = _finger_count(symbol, self.lex.numbers)
                    terms.append(("gesture" if count else "symbol", symbol, ref, count))
        for party in config.parties:
            ref = ("party", party.code)
            for text in (party.name, *party.abbreviations, *party.nicknames):
                terms.append(("party", text, ref, None))
            for hashtag in party.hashtags:
                terms.append(("hashtag", hashtag, ref, None))
            for symbol in party.symbols:
                terms.append(("symbol", symbol, ref, None))
                head = _plain_words(symbol)
                if head:
                    terms.append(("party", f"partai {head[0]}", ref, None))
                # The telling word of a symbol alone ("banteng", "beringin", "matahari"),
                # weak like the symbol itself.
                for word in head:
                    if (
                        len(word) >= 5
                        and word not in _GENERIC_SYMBOL_WORDS
                        and (word not in self.lex.numbers)
                    ):
                        terms.append(("symbol", word, ref, None))
            for colour in party.colours:
                terms.append(("party", f"partai {colour}", ref, None))
                terms.append(("colour", colour, ref, None))
        return terms

    # ------------------------------------------------------------------ analysis

    def analyse(self, norms: list[str], has_words: bool | None = None) -> Analysis:
        """Mentions, cues and masked tokens of a normalised text.

        ``has_words`` (does the original text contain a written word?) tells a bare cheer
        ("03!!!", "✌️✌️") apart; without it, the normal tokens are used (emoji tokens do not
        count as words).
        """
        at, entries, cue_classes = look_up(norms, self.index, self.flag_words)
        return self._analyse(norms, has_words, at, entries, cue_classes)

    def analyse_normalised(self, text: Normalised) -> Analysis:
        """:meth:`analyse` of a text from the linker's own normaliser, whose chunks have
        recorded the index entries and flag words of their tokens already."""
        has_words = len(text.norms) > 8 or text.has_word
        # The text's flag set becomes the analysis's cue classes (a Normalised is per call).
        return self._analyse(text.norms, has_words, text.at, text.entries, text.flags)

    def _analyse(
        self,
        norms: list[str],
        has_words: bool | None,
        at: list[int],
        entries: list[_Entry],
        cue_classes: set[str],
    ) -> Analysis:
        """``at``/``entries``: the positions of the tokens found in the index and their
        entries; ``cue_classes``: the classes of the flag words (added to in place)."""
        n = len(norms)
        mentions: list[Mention] = []
        cues: list[tuple[int, int, str]] = []
        regions: list[tuple[int, str]] = []
        numeric: list[tuple[int, int, int, str]] = []  # (start, end, value, form)
        weak = False
        skip = 0
        for k, i in enumerate(at):
            if i < skip:
                continue  # inside a term already matched
            multi, cue1, term1, num1, regions1 = entries[k]
            cue_done = False
            if multi is not None and i + 1 < n:
                candidates = multi.get(norms[i + 1])
                if candidates is not None:
                    for rest, length, what, payload in candidates:
                        if length > 2 and norms[i + 2 : i + length] != rest:
                            continue
                        if what == "cue":
                            if not cue_done:
                                cue_done = True
                                for cls in payload:
                                    cues.append((i, i + length, cls))
                                    cue_classes.add(cls)
                        elif what == "term":
                            if skip <= i:
                                skip = i + length
                                weak = self._add_term(mentions, payload, i, skip) or weak
                        else:
                            for code in payload:
                                regions.append((length, code))
            if cue1 is not None and not cue_done:
                for cls in cue1:
                    cues.append((i, i + 1, cls))
                    cue_classes.add(cls)
            if skip > i:
                continue
            if term1 is not None:
                skip = i + 1
                weak = self._add_term(mentions, term1, i, skip) or weak
                continue
            for code in regions1:
                regions.append((1, code))
            if num1 is not None:
                numeric.append((i, i + 1, num1[0], num1[1]))

        bare = False
        if n <= 8:
            if has_words is not None:
                bare = not has_words
            else:
                emoji = self.emoji_tokens
                bare = not any(t[0].isalpha() and t not in emoji for t in norms)
        if numeric:
            self._type_numbers(norms, numeric, mentions, cues, bare)
        if mentions:
            if weak:
                self._settle_weak(norms, mentions, cue_classes, cues)
            if numeric:
                mentions.sort(key=_start)
            masked = self._mask(norms, mentions)
        else:
            masked = norms
        return Analysis(norms, mentions, cues, regions, masked, cue_classes, bare)

    @staticmethod
    def _add_term(mentions: list[Mention], term: Term, start: int, end: int) -> bool:
        """Record a term mention; True if it is weak (to be settled by context)."""
        kind = "weak:" + term.kind if term.weak else term.kind
        mentions.append(Mention(start, end, term.mask, kind, term.refs, term.number))
        return term.weak

    def _type_numbers(
        self,
        norms: list[str],
        numeric: list[tuple[int, int, int, str]],
        mentions: list[Mention],
        cues: list[tuple[int, int, str]],
        bare: bool,
    ) -> None:
        n = len(norms)
        anti = self.anti
        ballot_words = self.ballot_words
        ballot_ends = {end for _s, end, cls in cues if cls == "BALLOT"}
        party_mentions = [
            m
            for m in mentions
            if m.mask == PARTY or (m.mask == SYMBOL and m.refs and m.refs[0][0] == "party")
        ]
        party_context = (
            bool(party_mentions)
            or "partai" in norms
            or any(cls == "OFFICE_DPR" for _s, _e, cls in cues)
        )
        party_edges = {m.end for m in party_mentions} | {m.start - 1 for m in party_mentions}
        skip_to = -1
        for position, (start, end, value, form) in enumerate(numeric):
            if start < skip_to:
                continue
            # "kosong dua" / "nol 2" -> 02
            if (
                value == 0
                and form == "word"  # "kosong dua", not a score "0-4"
                and position + 1 < len(numeric)
                and numeric[position + 1][0] == end
                and numeric[position + 1][2] > 0
            ):
                start2, end, value, _form = numeric[position + 1]
                form = "zero"
                skip_to = end
            gesture = form == "emoji"
            # "2 jari", "salam tiga jari"
            if end < n and norms[end] == "jari":
                end += 1
                gesture = True
            # Two tokens either side, not across a clause boundary.
            before = norms[max(0, start - 2) : start]
            if CLAUSE in before:
                before = before[before.index(CLAUSE) + 1 :]
            after = norms[end : end + 2]
            if CLAUSE in after:
                after = after[: after.index(CLAUSE)]
            if not anti.isdisjoint(before) or not anti.isdisjoint(after):
                mentions.append(Mention(start, end, NUM, "number", (), value))
                continue
            if gesture:
                mentions.append(Mention(start, end, GESTURE, "gesture", (), value))
                continue
            ballot = (
                form == "zero"
                or start in ballot_ends
                or (start - 1 in ballot_ends)
                or (start >= 1 and norms[start - 1] in ballot_words)
                or (start >= 2 and norms[start - 2] in ballot_words)
                or bare
                or (party_context and (start in party_edges or end - 1 in party_edges))
            )
            if ballot and 0 < value <= max(self.max_pair_number, 1):
                mentions.append(Mention(start, end, BALLOT_NUM, "number", (), value))
            elif ballot and value in self.party_by_number:
                # Above the highest pair number a ballot number can only be a party's.
                mentions.append(Mention(start, end, BALLOT_NUM, "number", (), value))
            elif form != "word":
                mentions.append(Mention(start, end, NUM, "number", (), value))

    def _settle_weak(
        self,
        norms: list[str],
        mentions: list[Mention],
        cue_classes: set[str],
        cues: list[tuple[int, int, str]],
    ) -> None:
        """Keep a weak mention only when the text has election context."""
        strong = any(not m.kind.startswith("weak:") and m.mask != NUM for m in mentions)
        # "menang", "gas", "lanjut" alone are not election context (a match is won too).
        political = strong or bool(cue_classes & {"POLITICAL", "BALLOT", "CAMPAIGN"})
        # A colour is a described target after "baju/warna/yang/partai" or a call
        # ("pilih merah", "menangkan kuning").
        desc_ends = {end for _s, end, cls in cues if cls in ("DESC", "BALLOT", "CALL", "NEG")}
        desc_words = self.desc_words
        # Two weak mentions of the same contestant back each other up ("banteng 🐂").
        seen_refs: dict[Ref, int] = {}
        for mention in mentions:
            if mention.kind.startswith("weak:") and mention.mask != NUM:
                for ref in set(mention.refs):
                    seen_refs[ref] = seen_refs.get(ref, 0) + 1
        kept = []
        for mention in mentions:
            if mention.kind.startswith("weak:"):
                kind = mention.kind[5:]
                backed = any(seen_refs.get(ref, 0) > 1 for ref in mention.refs)
                if kind == "colour":
                    # A colour names a target only when described: "yg bajunya biru muda".
                    s = mention.start
                    if not desc_ends & {s, s - 1, s - 2} and desc_words.isdisjoint(
                        norms[max(0, s - 3) : s]
                    ):
                        continue
                elif not (political or backed):
                    continue
                mention.kind = kind
            kept.append(mention)
        mentions[:] = kept

    @staticmethod
    def _mask(norms: list[str], mentions: list[Mention]) -> list[str]:
        if not mentions:
            return norms
        masked: list[str] = []
        position = 0
        for mention in mentions:
            if mention.start < position:
                continue
            masked.extend(norms[position : mention.start])
            masked.append(mention.mask)
            position = mention.end
        masked.extend(norms[position:])
        return masked

    # ------------------------------------------------------------------ resolution

    def scope(self, day: date | None) -> frozenset[str]:
        """Codes of the contests a number or gesture may refer to on ``day``."""
        cached = self._scope_cache.get(day)
        if cached is not None:
            return cached
        if day is None:
            codes = frozenset(self.contests)
        else:
            active = self.config.contests_active_on(day)
            codes = frozenset(c.code for c in active) if active else frozenset(self.contests)
        if len(self._scope_cache) > 4096:
            self._scope_cache.clear()
        self._scope_cache[day] = codes
        return codes

    def resolve(
        self, analysis: Analysis, day: date | None, *, slogans: bool = True
    ) -> list[Target]:
        """The targets of the analysed text, in order of first mention, without duplicates."""
        mentions = analysis.mentions
        if not mentions:
            return []
        scope = self.scope(day)
        ranking = _Ranking(self, analysis, scope)
        targets: list[Target] = []
        for mention in mentions:
            mask = mention.mask
            if mask == NUM or (mask == SLOGAN and not slogans):
                continue
            for target in self._resolve_mention(mention, scope, ranking):
                if target not in targets:
                    targets.append(target)
        return targets

    def _resolve_mention(
        self, mention: Mention, scope: frozenset[str], ranking: _Ranking
    ) -> list[Target]:
        refs = mention.refs
        if not refs:
            if mention.kind in ("number", "gesture"):
                return self._resolve_number(mention.number or 0, scope, ranking)
            return []
        if len(refs) == 1 and mention.kind in _NAMING_KINDS:
            return [self._ref_target(refs[0], scope)]
        pair_refs = [r for r in refs if r[0] == "pair"]
        party_refs = [r for r in refs if r[0] == "party"]
        if mention.kind not in _NAMING_KINDS:
            # Symbols, colours, slogans, gestures: only contests in scope.
            pair_refs = [r for r in pair_refs if r[1] in scope]
            if not pair_refs and not party_refs and mention.number:
                return self._resolve_number(mention.number, scope, ranking)
        if len(pair_refs) > 1:
            pair_refs = ranking.best(pair_refs)
        result = [self._ref_target(pair_refs[0], scope)] if len(pair_refs) == 1 else []
        if len(party_refs) == 1:
            result.append(self._ref_target(party_refs[0], scope))
        return result

    def _resolve_number(
        self, number: int, scope: frozenset[str], ranking: _Ranking
    ) -> list[Target]:
        if number <= 0:
            return []
        if ranking.party_context or number > self.max_pair_number:
            party = self.party_by_number.get(number)
            if party is not None:
                return [self._ref_target(("party", party.code), scope)]
            if number > self.max_pair_number:
                return []
        key = (scope, number)
        candidates = self._number_refs.get(key)
        if candidates is None:
            candidates = [
                ("pair", code, index)
                for code in sorted(scope)
                for index, pair in enumerate(self.contests[code].pairs)
                if pair.number == number
            ]
            self._number_refs[key] = candidates
        if len(candidates) > 1:
            candidates = ranking.best(candidates)
        if len(candidates) == 1:
            return [self._ref_target(candidates[0], scope)]
        return [Target("candidate", None, number, f"nomor urut {number}")]

    def _ref_target(self, ref: Ref, scope: frozenset[str]) -> Target:
        key = (ref, scope) if ref[0] == "party" else ref
        target = self._targets.get(key)
        if target is None:
            if ref[0] == "pair":
                contest = self.contests[ref[1]]
                pair = contest.pairs[ref[2]]
                target = Target("candidate", contest.code, pair.number, pair.label)
            else:
                code = ref[1]
                party = self.party_by_code[code]
                contest_code = next(
                    (c for c in sorted(scope) if code in self.contests[c].parties), None
                )
                if contest_code is None:
                    contest_code = next(
                        (c.code for c in self.config.contests if code in c.parties), None
                    )
                target = Target("party", contest_code, party.number, party.code)
            self._targets[key] = target
        return target

    def mention_why(self, mention: Mention) -> str:
        if mention.kind == "number":
            return f"ballot number {mention.number}" if mention.mask == BALLOT_NUM else "number"
        if mention.kind == "gesture" and mention.number:
            return f"finger gesture ({mention.number})"
        return _WHY.get(mention.kind, mention.kind)


class _Ranking:
    """Picks the contest of an ambiguous reference from the other cues of the text.

    Order: contests pinned by an unambiguous name in the text, then the longest region
    phrase ("bangka barat" beats "bangka"), then office words, then being in scope.
    """

    __slots__ = ("linker", "analysis", "scope", "_pinned", "_regions", "_offices", "_party")

    def __init__(self, linker: Linker, analysis: Analysis, scope: frozenset[str]) -> None:
        self.linker = linker
        self.analysis = analysis
        self.scope = scope
        self._pinned: dict[str, int] | None = None
        self._regions: dict[str, int] = {}
        self._offices: set[str] = set()
        self._party: bool | None = None

    @property
    def party_context(self) -> bool:
        if self._party is None:
            self._party = any(m.mask == PARTY for m in self.analysis.mentions) or (
                "partai" in self.analysis.norms
            )
        return self._party

    def _prepare(self) -> dict[str, int]:
        pinned: dict[str, int] = {}
        for mention in self.analysis.mentions:
            if mention.kind in _NAMING_KINDS:
                contests = {ref[1] for ref in mention.refs if ref[0] == "pair"}
                if len(contests) == 1:
                    code = next(iter(contests))
                    pinned[code] = pinned.get(code, 0) + 1
        for length, code in self.analysis.regions:
            self._regions[code] = max(self._regions.get(code, 0), length)
        self._offices = {
            _OFFICE_OF_CUE[cls] for cls in self.analysis.cue_classes if cls in _OFFICE_OF_CUE
        }
        self._pinned = pinned
        return pinned

    def key(self, code: str) -> tuple[int, int, int, int]:
        pinned = self._pinned if self._pinned is not None else self._prepare()
        return (
            pinned.get(code, 0),
            self._regions.get(code, 0),
            1 if self.linker.office_of[code] in self._offices else 0,
            1 if code in self.scope else 0,
        )

    def best(self, refs: list[Ref]) -> list[Ref]:
        keys = [self.key(ref[1]) for ref in refs]
        top = max(keys)
        return [ref for ref, key in zip(refs, keys, strict=True) if key == top]


def _start(mention: Mention) -> int:
    return mention.start


def _plain_words(phrase: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", phrase)]


def _finger_count(symbol: str, numbers: dict[str, int]) -> int | None:
    words = _plain_words(symbol) + re.findall(r"\d+", symbol)
    if "jari" not in words:
        return None
    for word in words:
        if word.isdigit():
            return int(word)
        if word in numbers:
            return numbers[word]
    return None
