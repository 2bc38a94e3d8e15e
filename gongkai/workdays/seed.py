"""Load known years from the chinesecalendar library into the calendar table.

Years an administrator has entered are never overwritten: the database wins.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction

from gongkai.workdays.models import CalendarDay, HolidayYear, Origin

# chinesecalendar names its holidays in English; the notices use these names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def library_years() -> dict[int, list[tuple[date, bool, str]]]:
    """Every exceptional day the library knows, by year: (date, is_working_day, name)."""
    from chinese_calendar import constants

    years: dict[int, list[tuple[date, bool, str]]] = defaultdict(list)
    for day, name in constants.holidays.items():
        # Only weekday days off are exceptional; weekend days in a block are off anyway,
        # but keeping the whole block keeps the holiday's name on every day of it.
        years[day.year].append((day, False, HOLIDAY_NAMES.get(name, name)))
    for day, name in constants.workdays.items():
        years[day.year].append((day, True, HOLIDAY_NAMES.get(name, name)))
    return dict(years)


def library_version() -> str:
    from importlib.metadata import version

    return version("chinesecalendar")


@transaction.atomic
def seed_from_library() -> list[int]:
    """Create or refresh library years; return the years written."""
    title = f"chinesecalendar {library_version()}"
    admin_years = set(
        HolidayYear.objects.filter(origin=Origin.ADMIN).values_list("year", flat=True)
    )
    taken = set(
        CalendarDay.objects.filter(year__origin=Origin.ADMIN).values_list("date", flat=True)
    )
    written = []
    for year, days in sorted(library_years().items()):
        if year in admin_years:
            continue
        holiday_year, _ = HolidayYear.objects.update_or_create(
            year=year, defaults={"origin": Origin.LIBRARY, "notice_title": title}
        )
        holiday_year.days.all().delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(year=holiday_year, date=d, is_working_day=w, name=n)
            for d, w, n in days
            if d not in taken
        )
        written.append(year)
    return written
