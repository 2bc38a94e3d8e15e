"""Changes of the working-day calendar: an administrator enters a year's holiday notice.

The only writer of the calendar table outside its seed (`load_holiday_calendar`). What a
change means for other records (due dates of applications, the publish-by dates of
catalog items) is worked out by gongkai.office.calendar, above the apps that own them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.errors import ActionError
from gongkai.orgs.models import User
from gongkai.workdays.forms import expand
from gongkai.workdays.loading import get_calendar
from gongkai.workdays.models import CalendarDay, HolidayYear, Origin

# Years an administrator may enter: from the first year the library covers to two ahead.
FIRST_EDITABLE_YEAR = 2004
Day = tuple[date, bool, str]  # date, is a working day, holiday name


class ConcurrentChange(ActionError):
    """Another administrator saved the same year meanwhile."""


@dataclass(frozen=True)
class CalendarChange:
    year: int
    was_known: bool  # False: the year was provisional (weekend rule) before
    changed_days: list[date]  # days whose working status changed, when the year was known


def require_calendar_admin(actor: User) -> None:
    if not actor.is_superuser:
        raise PermissionDenied(
            _("Only the system administrator of the installation may change the calendar.")
        )


def is_editable(year: int) -> bool:
    return FIRST_EDITABLE_YEAR <= year <= timezone.localdate().year + 2


def cross_check(
    year: int, ranges: list[dict[str, Any]], make_up: list[dict[str, Any]]
) -> tuple[list[Day], list[str]]:
    """All days of an entry (holiday blocks and make-up days), or the problems that stop
    saving them."""
    problems: list[str] = []
    days: dict[date, tuple[bool, str]] = {}
    for row in ranges:
        for day in expand(row["first"], row["last"]):
            if day in days:
                problems.append(_("%(date)s is in two holiday blocks.") % {"date": day.isoformat()})
            days[day] = (False, row["name"])
    for row in make_up:
        day = row["date"]
        if day in days:
            problems.append(
                _("%(date)s cannot be both a day off and a make-up working day.")
                % {"date": day.isoformat()}
            )
        days[day] = (True, row.get("name") or "")
    for day in days:
        # A block may reach into the last days of December before or January after.
        if not (
            day.year == year
            or (day.year == year - 1 and day.month == 12)
            or (day.year == year + 1 and day.month == 1)
        ):
            problems.append(
                _("%(date)s does not belong to the %(year)d arrangement.")
                % {"date": day.isoformat(), "year": year}
            )
    clashes = (
        CalendarDay.objects.filter(date__in=list(days))
        .exclude(year__year=year)
        .select_related("year")
    )
    for clash in clashes:
        problems.append(
            _("%(date)s is already set by the %(year)d arrangement.")
            % {"date": clash.date.isoformat(), "year": clash.year.year}
        )
    if not ranges:
        problems.append(_("Enter at least one holiday block."))
    return sorted((d, w, n) for d, (w, n) in days.items()), problems


def save_holiday_year(
    notice: HolidayYear,
    *,
    year: int,
    ranges: list[dict[str, Any]],
    make_up: list[dict[str, Any]],
    actor: User,
    request: HttpRequest | None = None,
) -> CalendarChange:
    """Replace the year's days with an administrator's entry of the State Council's notice.

    `notice` is the (unsaved) HolidayYear with the notice's title, number and date. Raises
    ActionError with every problem of the entry, ConcurrentChange when another
    administrator saved the same year meanwhile. Commits before it returns.
    """
    require_calendar_admin(actor)
    if not is_editable(year):
        raise PermissionDenied(_("This year cannot be entered."))
    days, problems = cross_check(year, ranges, make_up)
    if problems:
        raise ActionError(problems)
    before = get_calendar()
    try:
        with transaction.atomic():
            _store(notice, year, days, actor, request)
    except IntegrityError:
        raise ConcurrentChange(
            _("The %(year)d arrangement was changed meanwhile; please check it and save again.")
            % {"year": year}
        ) from None
    after = get_calendar()
    was_known = before.is_known(year)
    changed = [
        d
        for d in expand(date(year, 1, 1), date(year, 12, 31))
        if was_known and before.is_working_day(d) != after.is_working_day(d)
    ]
    return CalendarChange(year=year, was_known=was_known, changed_days=changed)


def _store(
    notice: HolidayYear, year: int, days: list[Day], actor: User, request: HttpRequest | None
) -> None:
    notice.year = year
    notice.origin = Origin.ADMIN
    notice.updated_by = actor
    notice.save()
    notice.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(year=notice, date=d, is_working_day=w, name=n) for d, w, n in days
    )
    record(
        Action.CALENDAR_CHANGED,
        actor=actor,
        obj=notice,
        request=request,
        detail={"notice": notice.notice_no, "days": [[d.isoformat(), w, n] for d, w, n in days]},
    )
