"""Deadline arithmetic in calendar days or working days.

Convention: the day of the event itself does not count. A deadline of
"N days since received" (sejak diterima) starts counting on the following
day, as in Indonesian administrative practice, so a report received on
Monday with a 1-working-day deadline is due on Tuesday.

Working days are Monday to Friday minus the given holidays. Holidays are
passed in rather than looked up so the arithmetic stays pure: national
holidays and cuti bersama change every year by joint ministerial decree
(SKB) and belong in data, not code.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday is 0


def is_working_day(day: date, *, holidays: Collection[date]) -> bool:
    return day.weekday() < _SATURDAY and day not in holidays


def add_days(start: date, days: int, *, working: bool, holidays: Collection[date]) -> date:
    """The date ``days`` calendar or working days after ``start``.

    Calendar days: simply ``start + days`` (may be negative; holidays are
    irrelevant). Working days: count forward from the day after ``start``,
    skipping weekends and holidays; the result is always a working day
    (unless ``days`` is 0, which returns ``start`` unchanged, even on a
    Sunday). Negative working days are refused: counting backwards over a
    weekend is ambiguous and no deadline rule needs it.
    """
    if not working:
        return start + timedelta(days=days)
    if days < 0:
        raise ValueError("Working days can only be counted forward.")
    # A set makes each membership test O(1) whatever collection was passed.
    off = frozenset(holidays)
    day = start
    remaining = days
    while remaining:
        day += _ONE_DAY
        if is_working_day(day, holidays=off):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, *, holidays: Collection[date]) -> int:
    """Working days after ``a`` up to and including ``b``.

    The inverse of ``add_days(..., working=True)``: if ``b`` is a working
    day, ``add_days(a, working_days_between(a, b, ...), ...) == b``. When
    ``b`` is before ``a`` the count is negative, e.g. how many working days
    a case is overdue: ``working_days_between(today, deadline)``.
    """
    if b < a:
        return -working_days_between(b, a, holidays=holidays)
    off = frozenset(holidays)
    span = (b - a).days
    return sum(
        is_working_day(a + timedelta(days=offset), holidays=off) for offset in range(1, span + 1)
    )
