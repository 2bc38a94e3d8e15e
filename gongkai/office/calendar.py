"""The consequences of a calendar edit, across the apps that count working days.

A saved holiday year changes which days are working days, so every open application's
due date (第三十三条) and every catalog item's publish-by date (第二十六条) is recomputed
from its own timeline or clock once the calendar change has committed — in the background
(`office.tasks.follow_calendar`): a city's tens of thousands of open cases do not hold the
administrator's request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from gongkai.foi.actions import DueDateChange, recompute_open_cases
from gongkai.orgs.models import User
from gongkai.publishing.actions import PublishDueChange, recompute_publication_due
from gongkai.workdays import actions as calendar_actions
from gongkai.workdays.actions import CalendarChange
from gongkai.workdays.models import HolidayYear


@dataclass(frozen=True)
class Consequences:
    applications: list[DueDateChange]
    items: list[PublishDueChange]


def follow_calendar() -> Consequences:
    """Recompute every date counted in working days; call after a calendar change commits.

    Each app recomputes in its own statements (bench/workdays.py measures the bulk mode
    of the deadline engine on 100,000 cases)."""
    return Consequences(applications=recompute_open_cases(), items=recompute_publication_due())


def save_holiday_year(
    notice: HolidayYear,
    *,
    year: int,
    ranges: list[dict[str, Any]],
    make_up: list[dict[str, Any]],
    actor: User,
    request: HttpRequest | None = None,
) -> CalendarChange:
    """Save a year's holiday notice; the caller then queues `office.tasks.follow_calendar`,
    which brings every working-day date in line with it."""
    return calendar_actions.save_holiday_year(
        notice, year=year, ranges=ranges, make_up=make_up, actor=actor, request=request
    )
