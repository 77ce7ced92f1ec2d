"""Who wrote a post: authors of imported posts matched to registered employees.

Exact first: a phone number or a handle registered as the employee's account, then a
name equal (after normalisation) to exactly one employee's name. Then fuzzy: the most
similar employee name (token-sort ratio), preferring members of the post's group, with its
score as the confidence the reviewer sees and can correct. Below :data:`FUZZY_MIN`, no
match: a wrong name on a finding costs more than a missing one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from netralitas.monitoring.importers.base import (
    normalise_handle,
    normalise_name,
    normalise_phone,
)
from netralitas.monitoring.models import MatchMethod
from netralitas.registry.models import Employee, SocialAccount

FUZZY_MIN = 88.0  # rapidfuzz scores are 0..100
# Titles and honorifics that chat names carry and the register does not.
_HONORIFICS = frozenset(
    "pak bapak bu ibu bpk ibuk bang abang kak mas mbak dr drs dra ir h hj st se sh mm mpd spd "
    "skm amd apt ns s pd kom".split()
)


@dataclass(frozen=True, slots=True)
class Match:
    employee_id: int | None
    method: str
    confidence: float | None


NO_MATCH = Match(None, MatchMethod.NONE, None)


def _plain(name: str) -> str:
    """A name without its titles: what a chat contact shows. Academic degrees follow a comma
    in the personnel register ("Agus Salim, S.Sos.", "Rizal Effendi, S.STP., M.Si."), so
    what follows the first comma is dropped; titles before the name are honorific words."""
    name = name.split(",", 1)[0]
    return " ".join(w for w in normalise_name(name).split() if w not in _HONORIFICS)


class AuthorMatcher:
    """Loads the register once per import; caches each distinct author's match."""

    def __init__(self) -> None:
        self.by_phone: dict[str, int] = {}
        self.by_handle: dict[tuple[str, str], int] = {}
        for platform, handle, phone, employee_id in SocialAccount.objects.filter(
            employee__is_active=True
        ).values_list("platform", "handle", "phone", "employee_id"):
            # Registered as the personnel office wrote them ("0812-...", "+62 812 ..."):
            # compared in the same normal form as the authors of the exports.
            if normalise_phone(phone):
                self.by_phone[normalise_phone(phone)] = employee_id
            if normalise_handle(handle):
                self.by_handle[(platform, normalise_handle(handle))] = employee_id
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for employee_id, name in Employee.objects.filter(is_active=True).values_list("id", "name"):
            self.by_name[_plain(name)].append(employee_id)
        self.names = [name for name in self.by_name if name]
        self._cache: dict[tuple[str, str, str, str, frozenset[int]], Match] = {}

    def match(
        self,
        *,
        platform: str,
        name: str = "",
        handle: str = "",
        phone: str = "",
        members: frozenset[int] = frozenset(),
    ) -> Match:
        # The group's members decide between namesakes, so they are part of the key.
        key = (platform, name, handle, phone, members)
        found = self._cache.get(key)
        if found is None:
            found = self._match(platform, name, handle, phone, members)
            if len(self._cache) < 100_000:
                self._cache[key] = found
        return found

    def _match(
        self, platform: str, name: str, handle: str, phone: str, members: frozenset[int]
    ) -> Match:
        phone = normalise_phone(phone)
        if phone and phone in self.by_phone:
            return Match(self.by_phone[phone], MatchMethod.PHONE, 1.0)
        handle = normalise_handle(handle)
        if handle and (platform, handle) in self.by_handle:
            return Match(self.by_handle[(platform, handle)], MatchMethod.HANDLE, 1.0)
        plain = _plain(name)
        if not plain:
            return NO_MATCH
        exact = self.by_name.get(plain, [])
        if len(exact) == 1:
            return Match(exact[0], MatchMethod.NAME, 1.0)
        if len(exact) > 1:
            in_group = [e for e in exact if e in members]
            if len(in_group) == 1:
                return Match(in_group[0], MatchMethod.NAME, 0.95)
            return NO_MATCH  # namesakes: the reviewer decides
        if len(plain) < 4 or not self.names:
            return NO_MATCH
        best = process.extract(plain, self.names, scorer=fuzz.token_sort_ratio, limit=3)
        candidates = [(n, s) for n, s, _i in best if s >= FUZZY_MIN]
        if not candidates:
            return NO_MATCH
        top_name, top_score = candidates[0]
        ids = self.by_name[top_name]
        if len(ids) > 1 or (len(candidates) > 1 and candidates[1][1] == top_score):
            preferred = [e for n, _s in candidates for e in self.by_name[n] if e in members]
            if len(preferred) != 1:
                return NO_MATCH  # two equally close names: not a match to show as one
            return Match(preferred[0], MatchMethod.FUZZY, round(top_score / 100, 2))
        return Match(ids[0], MatchMethod.FUZZY, round(top_score / 100, 2))
