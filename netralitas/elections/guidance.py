"""Pure loader and search for the public neutrality guide (``data/guidance.yaml``).

The guide lists what a civil servant (ASN) may and may not do in each election stage. Its
long texts are written in Bahasa Indonesia and English side by side in the data file
(``title: {id: ..., en: ...}``) because gettext catalogues suit short interface strings,
not paragraphs that editors revise with the regulations.

No Django import (stdlib and PyYAML only), like :mod:`netralitas.elections.config`, whose
checking helpers it shares: every problem of the file is collected and raised as one
:class:`ConfigError` naming the entry, e.g.
``items[3] (like-komentar-share): violation type 'KE-99' is not in the rule table``.

Search (:func:`search`) is case- and accent-insensitive, expands the synonym groups of the
data file (``medsos`` -> Facebook, Instagram, status WA...), and strips the common
Indonesian affixes, so that ``kampanye`` also finds ``mengampanyekan`` and ``suka`` finds
``menyukai``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from netralitas.elections.config import (
    DATA_DIR,
    STAGE_KINDS,
    Checker,
    ConfigError,
    labelled,
    read_yaml,
)
from netralitas.elections.reference_config import ROW_CONFIDENCES, load_violation_config

__all__ = [
    "ALL",
    "DEFAULT_GUIDANCE_PATH",
    "STAGE_KINDS",
    "VERDICTS",
    "ConfigError",
    "Guidance",
    "GuidanceItem",
    "Text",
    "default_guidance",
    "group_by_stage",
    "load_guidance",
    "normalise",
    "search",
]

DEFAULT_GUIDANCE_PATH = DATA_DIR / "guidance.yaml"
VERDICTS = ("allowed", "not_allowed")
LANGUAGES = ("id", "en")
ALL = "all"  # an item's ``stages: all``, and the key of the group of such items
MAX_QUERY_LENGTH = 100

# SKB 2022 splits the same act by the contest's candidate-setting date: ethics rows (KE-*)
# concern a prospective candidate before it, discipline rows (DS-*) a candidate from it on
# (domain.md §2). KPU sets the candidates during the nomination stage, so both sides apply
# there; every later stage lies after the date.
STAGE_TIMINGS: dict[str, frozenset[str]] = {
    "pre_nomination": frozenset({"before_candidates", "any"}),
    "nomination": frozenset({"before_candidates", "after_candidates", "any"}),
    "campaign": frozenset({"after_candidates", "any"}),
    "quiet": frozenset({"after_candidates", "any"}),
    "voting": frozenset({"after_candidates", "any"}),
    "recap": frozenset({"after_candidates", "any"}),
    "post": frozenset({"after_candidates", "any"}),
}

_ITEM_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A violation code typed in a query ("KE-04", "ds-06", "ke04") is matched exactly; not
# "ke 02", which is ordinary Indonesian ("to 02").
_QUERY_CODE = re.compile(r"\b(ke|ds)-?(\d{2})\b", re.IGNORECASE)
_ELONGATED = re.compile(r"(.)\1{2,}")  # "likeee" -> "like"
_NON_WORD = re.compile(r"[^0-9a-z]+")
_VOWELS = frozenset("aiueo")

# Words that carry no meaning for this search: question words, "may/not", pronouns, and
# "ASN" itself (every item is about civil servants). Informal and Bangka Malay forms too.
STOPWORDS = frozenset(
    """
    yang yg dan di ke dari untuk utk dengan dgn atau apakah apa apa2 boleh bolehkah
    tidak tak gak nggak ngga enggak ga dak ndak nak jangan jgn asn pns pegawai saya sy aku
    kita kite kami itu ini pada dalam oleh bisa jika kalau kalo klo jg juga sih kah lah dong
    ya ok oke mau ingin gimana bagaimana cara the a an to of may can i is it in on for and or
    not do does my me am be civil servant servants allowed
    """.split()
)

# Indonesian affixes, stripped to find a word's base. Nasal prefixes drop the base's first
# consonant (meng+kampanye -> mengampanye, meny+suka -> menyukai), so the candidates put it
# back. Overstripping is harmless: a form only matters if the query produces the same form.
_PARTICLES = ("nya", "lah", "kah", "pun", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("memper", ("",)),
    ("meng", ("", "k")),
    ("peng", ("", "k")),
    ("meny", ("s",)),
    ("peny", ("s",)),
    ("mem", ("", "p")),
    ("pem", ("", "p")),
    ("men", ("", "t")),
    ("pen", ("", "t")),
    ("ber", ("",)),
    ("ter", ("",)),
    ("per", ("",)),
    ("me", ("",)),
    ("pe", ("",)),
    ("be", ("",)),
    ("di", ("",)),
    ("ke", ("",)),
)
_MIN_BASE = 4  # shorter remainders (sebar -> bar, dinas -> nas) are not bases
_MIN_PREFIX_TERM = 5  # a query word this long also matches words it begins ("share" -> "shared")


# --------------------------------------------------------------------------- normalisation


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-free text: ``"Kampanyé, LIKE!!"`` -> ``"kampanye like"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _ELONGATED.sub(r"\1", plain)
    return " ".join(_NON_WORD.sub(" ", plain).split())


@lru_cache(maxsize=4096)
def word_forms(word: str) -> frozenset[str]:
    """The word and the bases it may derive from (``mengampanyekan`` -> ``kampanye``...)."""
    forms = {word}
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= _MIN_BASE:
            forms.add(word[: -len(particle)])
    for base in list(forms):
        for suffix in _SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= _MIN_BASE:
                forms.add(base[: -len(suffix)])
    for base in list(forms):
        for prefix, restorations in _PREFIXES:
            if not base.startswith(prefix):
                continue
            rest = base[len(prefix) :]
            for restored in restorations:
                # A dropped consonant only ever stood before a vowel (meng-ampanye).
                if restored and (not rest or rest[0] not in _VOWELS):
                    continue
                stem = restored + rest
                if len(stem) >= _MIN_BASE:
                    forms.add(stem)
                    forms.update(
                        stem[: -len(suffix)]
                        for suffix in _SUFFIXES
                        if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_BASE
                    )
            break  # the longest matching prefix decides (meng before me)
    return frozenset(forms)


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Text:
    """A text in Bahasa Indonesia and English."""

    id: str
    en: str

    def in_language(self, language: str | None) -> str:
        """English for ``en``/``en-gb``...; Bahasa Indonesia otherwise (the default)."""
        return self.en if (language or "").lower().startswith("en") else self.id


@dataclass(frozen=True)
class GuidanceItem:
    code: str
    verdict: str  # allowed | not_allowed
    stages: tuple[str, ...]  # stage kinds in chronological order; every kind when all_stages
    all_stages: bool
    title: Text
    explanation: Text
    examples: tuple[Text, ...]
    violation_types: tuple[str, ...]  # KE-xx / DS-xx codes of the rule table
    legal_basis: Text
    confidence: str  # how sure the verdict is: H, M, L (or H/M, M/L), as in domain.md
    keywords: tuple[str, ...] = ()
    note: str | None = None  # for editors: sources and doubts; not shown
    order: int = 0

    @property
    def allowed(self) -> bool:
        return self.verdict == "allowed"

    def applies_in(self, stage: str) -> bool:
        return stage in self.stages


@dataclass(frozen=True)
class _Index:
    """What search compares a query with, built once per item."""

    title_forms: frozenset[str]
    forms: frozenset[str]
    words: tuple[str, ...]
    title_text: str  # " normalised title and keywords ", for phrases
    text: str  # " every normalised word " (both languages), for phrases
    codes: frozenset[str]


@dataclass(frozen=True)
class Guidance:
    version: str
    items: tuple[GuidanceItem, ...]
    synonyms: tuple[tuple[str, ...], ...]  # groups of normalised, equivalent terms
    violation_timings: dict[str, str]  # code -> before_candidates | after_candidates | any
    path: str = ""
    _items: dict[str, GuidanceItem] = field(init=False, repr=False, compare=False)
    _index: dict[str, _Index] = field(init=False, repr=False, compare=False)
    _synonyms: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _longest_synonym: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen: build the lookup tables once, through object.__setattr__.
        object.__setattr__(self, "_items", {item.code: item for item in self.items})
        object.__setattr__(self, "_index", {item.code: _index_item(item) for item in self.items})
        lookup = {term: group for group in self.synonyms for term in group}
        object.__setattr__(self, "_synonyms", lookup)
        longest = max((len(term.split()) for term in lookup), default=1)
        object.__setattr__(self, "_longest_synonym", longest)

    def item(self, code: str) -> GuidanceItem:
        """The item with ``code``; raises KeyError if there is none."""
        return self._items[code]

    def violation_types_for(self, item: GuidanceItem, stage: str | None = None) -> tuple[str, ...]:
        """The item's violation codes that can apply in ``stage`` (all of them without one):
        in the campaign a like is DS-06, before nomination it is KE-04."""
        if stage is None:
            return item.violation_types
        timings = STAGE_TIMINGS[stage]
        return tuple(
            code
            for code in item.violation_types
            if self.violation_timings.get(code, "any") in timings
        )

    def query_terms(self, query: str) -> list[tuple[str, ...]]:
        """The query as terms, each a tuple of alternatives (itself and its synonyms).

        Violation codes become ``"KE-04"``-style terms; synonym phrases of several words
        (``media sosial``) are kept whole; stopwords are dropped.
        """
        query = query[:MAX_QUERY_LENGTH]
        terms: list[tuple[str, ...]] = []
        for match in _QUERY_CODE.finditer(query):
            terms.append((f"{match.group(1).upper()}-{match.group(2)}",))
        words = normalise(_QUERY_CODE.sub(" ", query)).split()
        i = 0
        while i < len(words):
            for size in range(min(self._longest_synonym, len(words) - i), 0, -1):
                phrase = " ".join(words[i : i + size])
                if size > 1 and phrase not in self._synonyms:
                    continue
                if size == 1 and phrase in STOPWORDS:
                    break
                terms.append(self._alternatives(phrase))
                i += size - 1
                break
            i += 1
        return terms

    def _alternatives(self, term: str) -> tuple[str, ...]:
        """The term's synonym group, also found through its base (``menyukai`` -> ``suka``)."""
        group = self._synonyms.get(term)
        if group is None and " " not in term:
            group = next(
                (self._synonyms[f] for f in sorted(word_forms(term)) if f in self._synonyms), None
            )
        if group is None:
            return (term,)
        return group if term in group else (term, *group)

    def score(
        self, item: GuidanceItem, terms: Sequence[tuple[str, ...]], *, any_term: bool = False
    ) -> int:
        """0 when a term is missing from the item (with ``any_term``: when every term is);
        else higher for more terms matched and for matches in the title."""
        index = self._index[item.code]
        total = 0
        for alternatives in terms:
            best = max(_match(index, alternative) for alternative in alternatives)
            if best == 0 and not any_term:
                return 0
            total += best
        return total


def _index_item(item: GuidanceItem) -> _Index:
    titles = normalise(f"{item.title.id} {item.title.en} {' '.join(item.keywords)}").split()
    texts = [item.explanation, item.legal_basis, *item.examples]
    body = normalise(" ".join(f"{t.id} {t.en}" for t in texts)).split()
    words = tuple(titles + body)
    return _Index(
        title_forms=frozenset(form for word in titles for form in word_forms(word)),
        forms=frozenset(form for word in words for form in word_forms(word)),
        words=words,
        title_text=f" {' '.join(titles)} ",
        text=f" {' '.join(words)} ",
        codes=frozenset(item.violation_types),
    )


def _match(index: _Index, alternative: str) -> int:
    """3 for a match in the title or keywords, 1 elsewhere, 0 for none."""
    if re.fullmatch(r"(KE|DS)-\d{2}", alternative):
        return 3 if alternative in index.codes else 0
    if " " in alternative:
        if f" {alternative} " in index.title_text:
            return 3
        return 1 if f" {alternative} " in index.text else 0
    forms = word_forms(alternative)
    if forms & index.title_forms:
        return 3
    if forms & index.forms:
        return 1
    if len(alternative) >= _MIN_PREFIX_TERM and any(w.startswith(alternative) for w in index.words):
        return 1
    return 0


# --------------------------------------------------------------------------- search


def search(
    guidance: Guidance,
    *,
    query: str = "",
    stage: str | None = None,
    verdict: str | None = None,
    any_term: bool = False,
) -> list[GuidanceItem]:
    """The items matching every word of ``query`` (with ``any_term``: at least one) that
    apply in ``stage`` with ``verdict``.

    Best matches first when there is a query, otherwise in the file's order. Raises
    ValueError for an unknown stage or verdict (callers validate user input first).
    """
    if stage is not None and stage not in STAGE_KINDS:
        raise ValueError(f"unknown stage kind {stage!r}")
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    terms = guidance.query_terms(query)
    scored: list[tuple[int, GuidanceItem]] = []
    for item in guidance.items:
        if stage is not None and not item.applies_in(stage):
            continue
        if verdict is not None and item.verdict != verdict:
            continue
        score = guidance.score(item, terms, any_term=any_term) if terms else 1
        if score:
            scored.append((score, item))
    scored.sort(key=lambda pair: (-pair[0], pair[1].order))
    return [item for _score, item in scored]


def group_by_stage(
    items: Iterable[GuidanceItem], *, stage: str | None = None
) -> list[tuple[str, list[GuidanceItem]]]:
    """Items grouped for display: ``(key, items)`` with key ``all`` or a stage kind.

    Items for every stage form one ``all`` group, so that general rules are not repeated
    seven times; an item for some stages is listed under each of them. Without ``stage`` the
    ``all`` group comes first, then the stages in chronological order; with ``stage`` only
    that stage's group (first: it is what was asked for) and the ``all`` group remain.
    Empty groups are left out.
    """
    groups: dict[str, list[GuidanceItem]] = {key: [] for key in (ALL, *STAGE_KINDS)}
    for item in items:
        if item.all_stages:
            groups[ALL].append(item)
        else:
            for kind in item.stages:
                groups[kind].append(item)
    keys = [ALL, *STAGE_KINDS] if stage is None else [stage, ALL]
    return [(key, groups[key]) for key in keys if groups[key]]


# --------------------------------------------------------------------------- loader


def load_guidance(
    path: str | Path | None = None, *, violation_timings: dict[str, str] | None = None
) -> Guidance:
    """Load and validate ``path`` (default: the packaged guidance.yaml).

    ``violation_timings`` maps the rule table's codes to their timing; by default it is read
    from the packaged violation_types.yaml. Raises ConfigError listing every problem found.
    """
    path = Path(path) if path is not None else DEFAULT_GUIDANCE_PATH
    if violation_timings is None:
        rules = load_violation_config()
        violation_timings = {row.code: row.timing for row in rules.violation_types}
    data, duplicates = read_yaml(path)
    check = Checker(path, duplicates)
    root = check.fields(data, "top level", required=("version", "synonyms", "items"))
    if root is None:
        raise ConfigError(path, check.problems)
    version = check.text(root, "version", "top level")
    synonyms = _parse_synonyms(check, root)

    items: list[GuidanceItem] = []
    codes: dict[Any, str] = {}
    for index, raw in enumerate(check.items(root, "items", "top level")):
        item = _parse_item(check, raw, f"items[{index}]", violation_timings, index)
        if item is not None:
            check.unique(codes, item.code, labelled(f"items[{index}]", item.code), "item code")
            items.append(item)

    check.raise_if_any()
    return Guidance(
        version=str(version),
        items=tuple(items),
        synonyms=synonyms,
        violation_timings=dict(violation_timings),
        path=str(path),
    )


@lru_cache(maxsize=1)
def default_guidance() -> Guidance:
    """The packaged guide, loaded once per process."""
    return load_guidance()


def _parse_synonyms(check: Checker, root: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    groups: list[tuple[str, ...]] = []
    seen: dict[Any, str] = {}
    for index, raw in enumerate(check.items(root, "synonyms", "top level", allow_empty=True)):
        where = f"synonyms[{index}]"
        if not isinstance(raw, list) or len(raw) < 2:
            check.add(where, f"must be a list of at least two terms, got {raw!r}")
            continue
        group: list[str] = []
        for position, term in enumerate(raw):
            if not isinstance(term, str) or not normalise(term):
                check.add(where, f"term {position} must be a non-empty string, got {term!r}")
                continue
            folded = normalise(term)
            if folded != term:
                check.add(where, f"term {term!r} must be written as it is searched: {folded!r}")
            check.unique(seen, folded, f"{where} term {term!r}", "synonym")
            group.append(folded)
        groups.append(tuple(group))
    return tuple(groups)


def _parse_item(
    check: Checker, raw: Any, where: str, violation_timings: dict[str, str], order: int
) -> GuidanceItem | None:
    data = check.fields(
        raw,
        where,
        required=(
            "code",
            "verdict",
            "stages",
            "title",
            "explanation",
            "examples",
            "violation_types",
            "legal_basis",
            "confidence",
        ),
        optional=("keywords", "note"),
    )
    if data is None:
        return None
    code = check.text(data, "code", where, pattern=_ITEM_CODE, max_length=60)
    where = labelled(where, code)
    verdict = check.text(data, "verdict", where, choices=VERDICTS)
    stages, all_stages = _parse_stages(check, data.get("stages"), where)
    examples_raw = check.items(data, "examples", where, allow_empty=verdict == "allowed")
    examples = tuple(
        text
        for position, raw_example in enumerate(examples_raw)
        if (text := _parse_text(check, raw_example, f"{where}.examples[{position}]")) is not None
    )
    violations = _parse_violation_codes(check, data, where, violation_timings)
    if verdict == "not_allowed" and not violations and "violation_types" in data:
        check.add(
            where,
            "a not-allowed item names at least one violation type "
            "(DS-13 when the Satgas decides the form)",
        )
    # Each listed stage needs a row that can apply in it: a DS-only item in the
    # pre-nomination stage would send readers to a rule that does not cover them yet.
    for stage in stages if violations else ():
        usable = STAGE_TIMINGS[stage]
        if not any(violation_timings.get(v, "any") in usable for v in violations):
            check.add(
                where,
                f"none of {', '.join(violations)} applies in stage {stage!r} "
                "(check the rows' timing: ethics rows before candidates are set, "
                "discipline rows after)",
            )
    title = _parse_text(check, data.get("title"), f"{where}.title", max_length=160)
    explanation = _parse_text(check, data.get("explanation"), f"{where}.explanation")
    legal_basis = _parse_text(check, data.get("legal_basis"), f"{where}.legal_basis")
    confidence = check.text(data, "confidence", where, choices=ROW_CONFIDENCES)
    keywords = check.texts(data, "keywords", where)
    note = check.text(data, "note", where, nullable=True)
    if None in (code, verdict, title, explanation, legal_basis, confidence) or not stages:
        return None
    assert code and verdict and title and explanation and legal_basis and confidence
    return GuidanceItem(
        code=code,
        verdict=verdict,
        stages=stages,
        all_stages=all_stages,
        title=title,
        explanation=explanation,
        examples=examples,
        violation_types=violations,
        legal_basis=legal_basis,
        confidence=confidence,
        keywords=keywords,
        note=note,
        order=order,
    )


def _parse_stages(check: Checker, value: Any, where: str) -> tuple[tuple[str, ...], bool]:
    """``all`` or a non-empty list of stage kinds, returned in chronological order."""
    if value is None:
        return (), False  # a missing key is reported by fields()
    if value == ALL:
        return STAGE_KINDS, True
    if not isinstance(value, list) or not value:
        check.add(where, f"'stages' must be {ALL!r} or a list of stage kinds, got {value!r}")
        return (), False
    kinds: list[str] = []
    for position, kind in enumerate(value):
        if kind not in STAGE_KINDS:
            check.add(
                where,
                f"stages[{position}] {kind!r} is not a stage kind "
                f"(expected {ALL!r} or some of: {', '.join(STAGE_KINDS)})",
            )
        elif kind in kinds:
            check.add(where, f"stages[{position}] {kind!r} is listed twice")
        else:
            kinds.append(kind)
    if len(kinds) == len(STAGE_KINDS):
        check.add(where, f"'stages' lists every stage kind; write {ALL!r}")
    return tuple(k for k in STAGE_KINDS if k in kinds), False


def _parse_text(
    check: Checker, value: Any, where: str, *, max_length: int | None = None
) -> Text | None:
    """A ``{id: ..., en: ...}`` mapping with both languages filled in."""
    if value is None:
        return None  # a missing key is reported by fields()
    if not isinstance(value, dict):
        check.add(where, f"expected a mapping with keys id and en, got {value!r}")
        return None
    for key in value:
        if key not in LANGUAGES:
            check.add(where, f"unknown language {key!r} (allowed: {', '.join(LANGUAGES)})")
    texts: dict[str, str] = {}
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            check.add(where, f"missing the {language!r} text")
        elif max_length is not None and len(text) > max_length:
            check.add(where, f"the {language!r} text is longer than {max_length} characters")
        else:
            texts[language] = " ".join(text.split())
    if len(texts) != len(LANGUAGES):
        return None
    return Text(id=texts["id"], en=texts["en"])


def _parse_violation_codes(
    check: Checker, data: dict[str, Any], where: str, violation_timings: dict[str, str]
) -> tuple[str, ...]:
    value = data.get("violation_types")
    if value is None:
        return ()
    if not isinstance(value, list):
        check.add(where, f"'violation_types' must be a list of codes, got {value!r}")
        return ()
    codes: list[str] = []
    for position, code in enumerate(value):
        if not isinstance(code, str) or code not in violation_timings:
            check.add(
                where,
                f"violation_types[{position}] {code!r} is not in the rule table "
                "(violation_types.yaml)",
            )
        elif code in codes:
            check.add(where, f"violation_types[{position}] {code!r} is listed twice")
        else:
            codes.append(code)
    return tuple(codes)
