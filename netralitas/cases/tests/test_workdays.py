from datetime import date, timedelta

import pytest

from netralitas.cases.workdays import add_days, is_working_day, working_days_between

NO_HOLIDAYS: frozenset[date] = frozenset()
# Idul Fitri 1445 H: holidays and cuti bersama on working days, 8-15 April 2024.
LEBARAN_2024 = [date(2024, 4, d) for d in (8, 9, 10, 11, 12, 15)]


def test_it_skips_weekends() -> None:
    friday = date(2024, 3, 1)
    assert add_days(friday, 1, working=True, holidays=NO_HOLIDAYS) == date(2024, 3, 4)
    assert add_days(friday, 5, working=True, holidays=NO_HOLIDAYS) == date(2024, 3, 8)


def test_it_does_not_count_the_day_of_the_event() -> None:
    monday = date(2024, 3, 4)
    assert add_days(monday, 1, working=True, holidays=NO_HOLIDAYS) == date(2024, 3, 5)
    assert add_days(monday, 1, working=False, holidays=NO_HOLIDAYS) == date(2024, 3, 5)


def test_it_starts_counting_on_monday_for_weekend_events() -> None:
    saturday = date(2024, 3, 2)
    assert add_days(saturday, 1, working=True, holidays=NO_HOLIDAYS) == date(2024, 3, 4)


def test_it_skips_holidays() -> None:
    # Nyepi, Monday 11 March 2024.
    nyepi = [date(2024, 3, 11)]
    friday = date(2024, 3, 8)
    assert add_days(friday, 1, working=True, holidays=nyepi) == date(2024, 3, 12)


def test_it_ignores_holidays_that_fall_on_weekends() -> None:
    saturday_holiday = [date(2024, 3, 9)]
    friday = date(2024, 3, 8)
    assert add_days(friday, 1, working=True, holidays=saturday_holiday) == date(2024, 3, 11)


def test_it_counts_calendar_days_straight_through() -> None:
    start = date(2024, 4, 1)
    assert add_days(start, 10, working=False, holidays=LEBARAN_2024) == date(2024, 4, 11)
    assert add_days(start, 30, working=False, holidays=NO_HOLIDAYS) == date(2024, 5, 1)
    assert add_days(start, -1, working=False, holidays=NO_HOLIDAYS) == date(2024, 3, 31)


def test_it_returns_the_start_for_zero_days() -> None:
    sunday = date(2024, 3, 3)
    assert add_days(sunday, 0, working=True, holidays=NO_HOLIDAYS) == sunday
    assert add_days(sunday, 0, working=False, holidays=NO_HOLIDAYS) == sunday


def test_it_refuses_negative_working_days() -> None:
    with pytest.raises(ValueError):
        add_days(date(2024, 3, 4), -1, working=True, holidays=NO_HOLIDAYS)


def test_it_handles_the_2024_lebaran_break() -> None:
    # Counted by hand from Monday 1 April: Tue 2, Wed 3, Thu 4, Fri 5 (4 days);
    # 6-7 weekend; 8-12 holidays; 13-14 weekend; 15 holiday; Tue 16, Wed 17,
    # Thu 18, Fri 19 (8 days); 20-21 weekend; Mon 22 (9), Tue 23 (10).
    start = date(2024, 4, 1)
    assert add_days(start, 10, working=True, holidays=LEBARAN_2024) == date(2024, 4, 23)
    assert working_days_between(start, date(2024, 4, 23), holidays=LEBARAN_2024) == 10


def test_it_accepts_any_collection_of_holidays() -> None:
    start = date(2024, 4, 1)
    expected = date(2024, 4, 23)
    for holidays in (LEBARAN_2024, set(LEBARAN_2024), tuple(LEBARAN_2024)):
        assert add_days(start, 10, working=True, holidays=holidays) == expected


def test_it_counts_working_days_between_dates() -> None:
    monday = date(2024, 3, 4)
    assert working_days_between(monday, monday, holidays=NO_HOLIDAYS) == 0
    assert working_days_between(monday, date(2024, 3, 11), holidays=NO_HOLIDAYS) == 5
    assert working_days_between(date(2024, 3, 8), date(2024, 3, 10), holidays=NO_HOLIDAYS) == 0


def test_it_counts_overdue_days_as_negative() -> None:
    deadline = date(2024, 3, 8)  # Friday
    today = date(2024, 3, 12)  # Tuesday: Monday and Tuesday are overdue
    assert working_days_between(today, deadline, holidays=NO_HOLIDAYS) == -2
    assert working_days_between(deadline, today, holidays=NO_HOLIDAYS) == 2


def test_it_inverts_add_days_on_working_days() -> None:
    start = date(2024, 3, 28)
    holidays = LEBARAN_2024 + [date(2024, 3, 29)]  # Good Friday
    for offset in range(60):
        end = start + timedelta(days=offset)
        if not is_working_day(end, holidays=holidays):
            continue
        n = working_days_between(start, end, holidays=holidays)
        assert add_days(start, n, working=True, holidays=holidays) == end


def test_it_knows_working_days() -> None:
    assert is_working_day(date(2024, 3, 4), holidays=NO_HOLIDAYS)
    assert not is_working_day(date(2024, 3, 2), holidays=NO_HOLIDAYS)
    assert not is_working_day(date(2024, 3, 11), holidays=[date(2024, 3, 11)])
