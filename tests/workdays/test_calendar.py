"""Working-day arithmetic, pinned to real State Council notices and checked by property."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays.calendar import CalendarUnavailable, DayOne, WorkCalendar
from gongkai.workdays.seed import library_years


def library_calendar() -> WorkCalendar:
    years = library_years()
    days = [d for rows in years.values() for d in rows]
    return WorkCalendar(
        known_years=years,
        days_off=[d for d, working, _ in days if not working],
        make_up_days=[d for d, working, _ in days if working],
    )


CAL = library_calendar()
KNOWN_DATES = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 10, 31))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 2025 National Day and Mid-Autumn: 10-01..10-08 off; Sun 09-28 and Sat 10-11 worked.
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 10, 9), 2, date(2025, 10, 11)),
        (date(2025, 9, 26), 20, date(2025, 10, 30)),
        (date(2025, 10, 30), 20, date(2025, 11, 27)),
        # 2026 Spring Festival: 02-15..02-23 off; Sat 02-14 and Sat 02-28 worked.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 27), 1, date(2026, 2, 28)),
        (date(2026, 2, 28), 1, date(2026, 3, 2)),
        (date(2026, 2, 10), 20, date(2026, 3, 16)),
        # 2026 National Day: 10-01..10-07 off; Sun 09-20 and Sat 10-10 worked.
        (date(2026, 9, 18), 20, date(2026, 10, 22)),
        (date(2026, 1, 3), 1, date(2026, 1, 4)),  # Sunday 01-04 is a make-up working day
    ],
)
def test_adding_working_days_follows_the_notices(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


def test_day_one_can_be_the_event_day():
    # 2026-03-02 is a Monday: counted as day 1 under the alternative convention.
    assert CAL.add_working_days(date(2026, 3, 2), 1, DayOne.EVENT_DAY) == date(2026, 3, 2)
    assert CAL.add_working_days(date(2026, 3, 2), 1, DayOne.AFTER_EVENT) == date(2026, 3, 3)
    # On a day off, day 1 is the next working day either way.
    assert CAL.add_working_days(date(2026, 2, 16), 1, DayOne.EVENT_DAY) == date(2026, 2, 24)
    assert CAL.count_working_days(date(2026, 3, 2), date(2026, 3, 2), DayOne.EVENT_DAY) == 1
    assert CAL.count_working_days(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_make_up_weekend_days_are_working_days_and_holidays_are_not():
    assert CAL.is_working_day(date(2026, 2, 14))  # Saturday, 调休上班
    assert CAL.is_working_day(date(2025, 9, 28))  # Sunday, 调休上班
    assert not CAL.is_working_day(date(2026, 2, 16))  # Monday, Spring Festival
    assert not CAL.is_working_day(date(2026, 3, 7))  # an ordinary Saturday


def test_strict_arithmetic_refuses_a_year_without_data():
    with pytest.raises(CalendarUnavailable) as excinfo:
        CAL.add_working_days(date(2026, 12, 20), 20)
    assert excinfo.value.years == (2027,)
    with pytest.raises(CalendarUnavailable):
        CAL.is_working_day(date(2027, 1, 4))
    with pytest.raises(CalendarUnavailable):
        CAL.count_working_days(date(2026, 12, 1), date(2027, 1, 10))


def test_provisional_arithmetic_skips_weekends_and_statutory_holidays_and_says_so():
    result = CAL.provisional_add(date(2026, 12, 20), 20)
    assert result.provisional and result.guessed_years == (2027,)
    # 2026-12-31 is a Thursday; 2027 is not entered, but 元旦 is fixed by the 放假办法.
    assert result.value == date(2027, 1, 18)
    inside = CAL.provisional_add(date(2026, 11, 2), 10)
    assert not inside.provisional


def test_the_calendar_reaches_far_outside_its_prepared_range():
    assert CAL.provisional_add(date(2040, 1, 1), 5).value == date(2040, 1, 6)  # 01-01 is a Sunday
    assert CAL.provisional_add(date(1999, 12, 31), 1).guessed_years == (2000,)


@given(start=KNOWN_DATES, n=st.integers(min_value=1, max_value=40))
def test_adding_then_counting_round_trips(start, n):
    end = CAL.add_working_days(start, n)
    assert CAL.count_working_days(start, end) == n
    assert CAL.is_working_day(end)
    assert CAL.count_working_days(start, end - timedelta(days=1)) == n - 1


@given(start=KNOWN_DATES, n=st.integers(min_value=1, max_value=40))
def test_event_day_convention_round_trips_too(start, n):
    end = CAL.add_working_days(start, n, DayOne.EVENT_DAY)
    assert CAL.count_working_days(start, end, DayOne.EVENT_DAY) == n
    assert CAL.is_working_day(end)


@settings(max_examples=200)
@given(day=st.dates(min_value=date(2006, 1, 1), max_value=date(2026, 12, 31)))
def test_it_agrees_with_the_holidays_package_on_every_known_day(day):
    # holidays.China is an independent data set; the one known disagreement is
    # 2005-12-31, outside this range (stack-evaluation §2).
    china = holidays.China(years=day.year)
    assert CAL.is_working_day(day) == china.is_working_day(day)


def test_dates_far_outside_the_supported_range_are_refused():
    with pytest.raises(ValueError):
        CAL.provisional_add(date(9000, 1, 1), 20)
