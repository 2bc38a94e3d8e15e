"""Chinese working-day arithmetic: pure functions over a calendar, no ORM inside.

A working day is a Monday–Friday that is not a day off under the State Council's yearly
holiday notice, or a weekend day the notice makes a working day (调休上班). Only years
whose notice has been entered are "known". Strict arithmetic that touches an unknown
year raises CalendarUnavailable; the provisional variants count weekends and the
statutory holidays of 《全国年节及纪念日放假办法》 there (`statutory_holidays`: the
days themselves, no guessed 调休 or 补假) and say which years were guessed, so that
callers can mark the result 暂定.

Arithmetic uses a sorted array of working-day ordinals and bisect, so adding or counting
costs O(log n) regardless of the distance (see bench/workdays.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import cache
from typing import NamedTuple


class DayOne(StrEnum):
    """Which day is day 1 of a period that starts with an event.

    The Regulations say "自收到申请之日起20个工作日内" without saying whether the day of
    receipt counts. Commentary on 第三十条 and explainers count from the day after, as
    the civil rule for periods does (民法典第二百零一条: 开始的当日不计入); gongkai
    does the same by default (settings.WORKDAY_DAY_ONE).
    """

    AFTER_EVENT = "after_event"
    EVENT_DAY = "event_day"


class CalendarUnavailable(Exception):
    """The holiday arrangement of one or more years has not been entered."""

    def __init__(self, years: Iterable[int]) -> None:
        self.years = tuple(sorted(set(years)))
        super().__init__(", ".join(str(y) for y in self.years))


class Provisional(NamedTuple):
    """A date that may rest on years without calendar data.

    (A NamedTuple rather than a dataclass: bulk recomputation makes millions of them.)
    """

    value: date
    guessed_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.guessed_years)


@cache
def statutory_holidays(year: int) -> frozenset[date]:
    """The days off that 《全国年节及纪念日放假办法》 itself fixes in `year`.

    As revised in November 2024 (国务院令第795号, from 2025): 元旦 1 January; 春节 four
    days, 农历除夕 to 正月初三; 清明节 the day of the solar term; 劳动节 1 and 2 May;
    端午节 五月初五; 中秋节 八月十五; 国庆节 1 to 3 October. Before 2025: 春节 three days
    from 正月初一 and 劳动节 1 May only. The lunar dates and the solar term come from
    lunar-python. The yearly notice moves days around these (调休) and adds 补假 when a
    holiday falls on a weekend; neither can be known before it is published, so neither
    is guessed here.
    """
    from lunar_python import Lunar

    def solar(lunar_month: int, lunar_day: int) -> date:
        s = Lunar.fromYmd(year, lunar_month, lunar_day).getSolar()
        return date(s.getYear(), s.getMonth(), s.getDay())

    new_year = solar(1, 1)
    spring = [date.fromordinal(new_year.toordinal() + n) for n in range(3)]
    labour = [date(year, 5, 1)]
    if year >= 2025:
        spring.insert(0, date.fromordinal(new_year.toordinal() - 1))  # 除夕
        labour.append(date(year, 5, 2))
    qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    return frozenset(
        [
            date(year, 1, 1),
            *spring,
            date(qingming.getYear(), qingming.getMonth(), qingming.getDay()),
            *labour,
            solar(5, 5),
            solar(8, 15),
            date(year, 10, 1),
            date(year, 10, 2),
            date(year, 10, 3),
        ]
    )


# Years outside the known ones are filled by the weekend rule for provisional answers;
# this many years beyond the last known year are prepared up front.
_HORIZON_YEARS = 3
# Dates further out are refused rather than prepared (a typo like 9026 must not make
# every worker build centuries of days).
_EARLIEST = date(1950, 1, 1).toordinal()
_LATEST = date(2150, 12, 31).toordinal()


class WorkCalendar:
    """Working days for a set of known years, plus the weekend rule elsewhere."""

    def __init__(
        self,
        known_years: Iterable[int],
        days_off: Iterable[date] = (),
        make_up_days: Iterable[date] = (),
    ) -> None:
        self.known_years = frozenset(known_years)
        self._off = frozenset(days_off)
        self._on = frozenset(make_up_days)
        anchors = [*self.known_years] or [2000]
        self._build(min(anchors), max(anchors) + _HORIZON_YEARS)

    # -- construction -------------------------------------------------------------------
    def _build(self, first_year: int, last_year: int) -> None:
        first = date(first_year, 1, 1).toordinal()
        last = date(last_year, 12, 31).toordinal()
        # Unknown years: the weekend rule less the statutory holidays.
        guessed_off = {
            day
            for year in range(first_year, last_year + 1)
            if year not in self.known_years
            for day in statutory_holidays(year)
        }
        rule = self._rule
        days = [
            n
            for n in range(first, last + 1)
            if rule(day := date.fromordinal(n)) and day not in guessed_off
        ]
        # One assignment: a thread reading meanwhile sees the old or the new range whole.
        self._first, self._last, self._days = first, last, days

    def _cover(self, *ordinals: int) -> None:
        """Widen the prepared range so that it holds these days with room around them."""
        low, high = min(ordinals), max(ordinals)
        if low - 400 < self._first or high + 400 > self._last:  # rare: far from known years
            first = date.fromordinal(max(low - 400, _EARLIEST)).year
            last = date.fromordinal(min(high + 400, _LATEST)).year
            if low < _EARLIEST or high > _LATEST:
                raise ValueError("date outside the supported range 1950–2150")
            self._build(
                min(first, date.fromordinal(self._first).year),
                max(last, date.fromordinal(self._last).year),
            )

    def _rule(self, day: date) -> bool:
        if day in self._on:
            return True
        if day in self._off:
            return False
        return day.weekday() < 5

    def _guessed_years(self, first_year: int, last_year: int) -> tuple[int, ...]:
        return tuple(y for y in range(first_year, last_year + 1) if y not in self.known_years)

    # -- queries ----------------------------------------------------------------------
    def is_known(self, year: int) -> bool:
        return year in self.known_years

    def is_working_day(self, day: date) -> bool:
        """Strict: raises CalendarUnavailable for a day in an unknown year."""
        if day.year not in self.known_years:
            raise CalendarUnavailable([day.year])
        return self._rule(day)

    def is_provisional_working_day(self, day: date) -> bool:
        """The provisional answer: in an unknown year, weekends and statutory holidays off."""
        if day.year in self.known_years:
            return self._rule(day)
        return self._rule(day) and day not in statutory_holidays(day.year)

    def provisional_add(
        self, start: date, n: int, day_one: DayOne = DayOne.AFTER_EVENT
    ) -> Provisional:
        """The day on which a period of `n` working days starting with `start` ends."""
        if n <= 0:
            if n < 0:
                raise ValueError("n must not be negative")
            return Provisional(start)
        origin = start.toordinal()
        # Enough room for n working days: at most n + 4 days off per 5 working days,
        # plus the longest holiday block.
        if origin - 400 < self._first or origin + n * 3 + 430 > self._last:
            self._cover(origin, origin + n * 3 + 30)
        if day_one is DayOne.EVENT_DAY:
            index, first_year = bisect_left(self._days, origin), start.year
        else:
            index = bisect_right(self._days, origin)
            # The first counted day is the next one: 31 December counts from next year.
            first_year = start.year + (start.month == 12 and start.day == 31)
        end = date.fromordinal(self._days[index + n - 1])
        if first_year == end.year and first_year in self.known_years:
            return Provisional(end)
        return Provisional(end, self._guessed_years(first_year, end.year))

    def add_working_days(self, start: date, n: int, day_one: DayOne = DayOne.AFTER_EVENT) -> date:
        """Strict version of provisional_add."""
        result = self.provisional_add(start, n, day_one)
        if result.guessed_years:
            raise CalendarUnavailable(result.guessed_years)
        return result.value

    def provisional_count(
        self, start: date, end: date, day_one: DayOne = DayOne.AFTER_EVENT
    ) -> tuple[int, tuple[int, ...]]:
        """Working days of the period that starts with `start`, up to and including `end`.

        Returns the count and the years that were guessed. The count is 0 when `end`
        is before the first day of the period.
        """
        first = start.toordinal() + (0 if day_one == DayOne.EVENT_DAY else 1)
        last = end.toordinal()
        if last < first:
            return 0, ()
        if first - 400 < self._first or last + 400 > self._last:
            self._cover(first, last)
        count = bisect_right(self._days, last) - bisect_left(self._days, first)
        first_year = date.fromordinal(first).year
        if first_year == end.year and first_year in self.known_years:
            return count, ()
        return count, self._guessed_years(first_year, end.year)

    def count_working_days(
        self, start: date, end: date, day_one: DayOne = DayOne.AFTER_EVENT
    ) -> int:
        """Strict version of provisional_count."""
        count, guessed = self.provisional_count(start, end, day_one)
        if guessed:
            raise CalendarUnavailable(guessed)
        return count
