"""Ship the years the chinesecalendar library knows (2004 onwards)."""

from importlib.metadata import version

from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.workdays.seed import library_years

    HolidayYear = apps.get_model("workdays", "HolidayYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    title = f"chinesecalendar {version('chinesecalendar')}"
    for year, days in sorted(library_years().items()):
        if HolidayYear.objects.filter(year=year).exists():
            continue
        holiday_year = HolidayYear.objects.create(year=year, origin="library", notice_title=title)
        CalendarDay.objects.bulk_create(
            CalendarDay(year=holiday_year, date=d, is_working_day=w, name=n) for d, w, n in days
        )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "HolidayYear").objects.filter(origin="library").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
