"""The monthly catalog schedule: when its reminders are due (sent: tests/office)."""

from __future__ import annotations

from datetime import date

from gongkai.publishing.reminders import next_day


def test_the_window_runs_across_the_end_of_a_month():
    assert next_day(date(2026, 1, 29), 2, 5) == date(2026, 2, 2)
    assert next_day(date(2026, 12, 30), 1, 3) == date(2027, 1, 1)
    assert next_day(date(2026, 1, 20), 2, 5) is None
    assert next_day(date(2026, 1, 15), 15, 0) == date(2026, 1, 15)
