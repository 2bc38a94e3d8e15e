"""Provisional due dates skip the statutory holidays of 《全国年节及纪念日放假办法》 (issue 17).

Years without an entered notice: the days the 放假办法 (2025 revision) fixes are off, the
lunar ones and 清明 from lunar-python; no 调休 or 补假 is guessed, and the result stays 暂定.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gongkai.workdays.calendar import WorkCalendar, statutory_holidays
from gongkai.workdays.deadlines import EventKind, TimelineEvent, compute_deadline

CAL = WorkCalendar(known_years=[2026])


def test_the_fixed_and_lunar_holidays_of_2027():
    days = statutory_holidays(2027)
    assert days == {
        date(2027, 1, 1),  # 元旦
        date(2027, 2, 5),  # 除夕 (农历腊月廿九: 2027 has no 三十)
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),  # 春节 正月初一至初三
        date(2027, 4, 5),  # 清明 (the solar term)
        date(2027, 5, 1),
        date(2027, 5, 2),  # 劳动节
        date(2027, 6, 9),  # 端午 五月初五
        date(2027, 9, 15),  # 中秋 八月十五
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),  # 国庆
    }


def test_before_2025_spring_festival_and_labour_day_were_shorter():
    days = statutory_holidays(2024)
    assert date(2024, 2, 9) not in days  # 除夕 was not a statutory day off then
    assert {date(2024, 2, 10), date(2024, 2, 11), date(2024, 2, 12)} <= days
    assert date(2024, 5, 1) in days and date(2024, 5, 2) not in days
    assert len(days) == 11


@pytest.mark.parametrize("year", [2027, 2030, 2035, 2040])
def test_thirteen_days_a_year_and_the_lunar_ones_where_they_belong(year):
    days = statutory_holidays(year)
    assert len(days) == 13
    assert all(d.year == year for d in days)
    spring = sorted(d for d in days if d.month in (1, 2) and d != date(year, 1, 1))
    assert len(spring) == 4 and spring[-1] - spring[0] == timedelta(days=3)
    assert any(d.month == 4 and d.day in (4, 5, 6) for d in days)  # 清明


def test_a_provisional_date_never_falls_on_a_statutory_holiday():
    for start in (date(2026, 12, 1) + timedelta(days=n) for n in range(400)):
        for n in (1, 7, 15, 20, 40):
            result = CAL.provisional_add(start, n)
            assert result.value not in statutory_holidays(result.value.year)
            assert result.value.weekday() < 5
            assert result.provisional == (result.value.year > 2026)


def test_no_make_up_working_day_is_guessed():
    # 2027-02-20 was a 调休 Saturday in the example notice; unknown, it stays a weekend day.
    assert not CAL.is_provisional_working_day(date(2027, 2, 20))
    assert not CAL.is_provisional_working_day(date(2027, 2, 5))  # 除夕, a Friday
    assert CAL.is_provisional_working_day(date(2027, 2, 9))  # 初四: no guessed block


def test_a_december_request_is_due_after_new_years_day_and_marked_provisional(time_machine):
    time_machine.move_to("2026-12-04 10:00 +0800", tick=False)
    result = compute_deadline(
        [TimelineEvent(EventKind.RECEIVED, date(2026, 12, 4))], CAL, today=date(2026, 12, 4)
    )
    # 20 working days after Friday 2026-12-04 would be Friday 2027-01-01 by weekends alone.
    assert result.due == date(2027, 1, 4)
    assert result.provisional and result.guessed_years == (2027,)
    assert result.lines[-1].startswith("暂定")


def test_known_years_keep_their_notice():
    # An entered year is never second-guessed by the statutory list.
    cal = WorkCalendar(known_years=[2026, 2027], make_up_days=[date(2027, 1, 1)])
    assert cal.is_working_day(date(2027, 1, 1))
    assert cal.provisional_add(date(2026, 12, 31), 1).value == date(2027, 1, 1)
