"""Build WorkCalendar objects from the calendar table (the only ORM side of workdays)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Count, Max

from gongkai.orgs.models import Agency
from gongkai.workdays.calendar import DayOne, WorkCalendar
from gongkai.workdays.models import CalendarDay, HolidayYear, RegionalHoliday

# Built calendars, keyed by the data version and the agencies whose local holidays apply.
_cache: dict[tuple[object, ...], WorkCalendar] = {}


def day_one() -> DayOne:
    """The counting convention in force (settings.WORKDAY_DAY_ONE)."""
    return DayOne(settings.WORKDAY_DAY_ONE)


def _version() -> tuple[object, ...]:
    years = HolidayYear.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    local = RegionalHoliday.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (years["n"], years["t"], local["n"], local["t"])


def get_calendar(agency: Agency | None = None) -> WorkCalendar:
    """The national calendar, plus the local holidays of `agency`'s region when given.

    Local holidays entered at an agency apply to it and to every agency below it.
    """
    region_ids: tuple[int, ...] = ()
    if agency is not None:
        region_ids = tuple(int(p) for p in agency.path.strip("/").split("/") if p)
    key = (_version(), region_ids)
    calendar = _cache.get(key)
    if calendar is None:
        if len(_cache) > 64:
            _cache.clear()
        rows = CalendarDay.objects.values_list("date", "is_working_day")
        local = RegionalHoliday.objects.filter(agency_id__in=region_ids).values_list(
            "date", flat=True
        )
        calendar = WorkCalendar(
            known_years=HolidayYear.objects.values_list("year", flat=True),
            days_off=[d for d, working in rows if not working] + list(local),
            make_up_days=[d for d, working in rows if working],
        )
        _cache[key] = calendar
    return calendar


def missing_next_year(today: date) -> int | None:
    """Next year, when it is 1 October or later and next year's notice is not entered."""
    if (today.month, today.day) < (10, 1):
        return None
    upcoming = today.year + 1
    if HolidayYear.objects.filter(year=upcoming).exists():
        return None
    return upcoming
