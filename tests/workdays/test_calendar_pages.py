"""Entering and correcting a year's holiday arrangement in the back office."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.workdays.loading import get_calendar, missing_next_year
from gongkai.workdays.models import CalendarDay, HolidayYear, Origin
from gongkai.workdays.seed import seed_from_library

# A made-up 2027 arrangement for the tests (the real notice is not in the library).
ARRANGEMENT_2027 = {
    "notice_title": "国务院办公厅关于2027年部分节假日安排的通知",
    "notice_no": "国办发明电〔2026〕99号",
    "notice_date": "2026-11-05",
    "ranges-TOTAL_FORMS": "2",
    "ranges-INITIAL_FORMS": "0",
    "ranges-0-name": "元旦",
    "ranges-0-first": "2027-01-01",
    "ranges-0-last": "2027-01-03",
    "ranges-1-name": "春节",
    "ranges-1-first": "2027-02-06",
    "ranges-1-last": "2027-02-14",
    "makeup-TOTAL_FORMS": "1",
    "makeup-INITIAL_FORMS": "0",
    "makeup-0-date": "2027-02-20",
    "makeup-0-name": "春节",
}


def test_the_library_years_ship_with_the_installation(db):
    years = set(HolidayYear.objects.values_list("year", flat=True))
    assert {2004, 2025, 2026} <= years and 2027 not in years
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).is_working_day


def test_administrators_are_reminded_from_the_first_of_october(client, cast, time_machine):
    time_machine.move_to("2026-09-30 12:00 +0800")
    assert missing_next_year(date(2026, 9, 30)) is None
    client.force_login(cast.admin_county)
    assert "2027年节假日安排尚未录入" not in client.get("/office/").content.decode()
    time_machine.move_to("2026-10-01 09:00 +0800")
    assert missing_next_year(date(2026, 10, 1)) == 2027
    client.force_login(cast.admin_county)  # the idle session ended overnight
    assert "2027年节假日安排尚未录入" in client.get("/office/").content.decode()
    client.force_login(cast.officer_a)
    assert "2027年节假日安排尚未录入" not in client.get("/office/").content.decode()


def test_staff_see_the_calendar_but_only_the_installation_administrator_edits(client, cast):
    client.force_login(cast.officer_a)
    assert client.get(reverse("workdays:year_list")).status_code == 200
    assert client.get(reverse("office:calendar_year_edit", args=[2027])).status_code == 403
    client.force_login(cast.admin_county)
    assert (
        client.post(reverse("office:calendar_year_edit", args=[2027]), ARRANGEMENT_2027).status_code
        == 403
    )
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_entering_next_year_makes_its_deadlines_final(client, cast):
    calendar = get_calendar()
    assert calendar.provisional_add(date(2026, 12, 20), 20).provisional
    client.force_login(cast.superuser)
    response = client.post(
        reverse("office:calendar_year_edit", args=[2027]), ARRANGEMENT_2027, follow=True
    )
    assert "2027年节假日安排已保存" in response.content.decode()
    year = HolidayYear.objects.get(year=2027)
    assert year.origin == Origin.ADMIN and year.updated_by == cast.superuser
    assert year.notice_no == "国办发明电〔2026〕99号"
    calendar = get_calendar()
    result = calendar.provisional_add(date(2026, 12, 20), 20)
    assert not result.provisional
    # 12-21..12-31 give 9 working days; 01-01 is now off, so day 20 is Monday 01-18
    # (it was 01-15 while 2027 was guessed).
    assert result.value == date(2027, 1, 18)
    assert calendar.is_working_day(date(2027, 2, 20))  # the make-up Saturday
    assert not calendar.is_working_day(date(2027, 2, 8))
    assert AuditEntry.objects.filter(action=Action.CALENDAR_CHANGED, actor=cast.superuser).exists()


def test_bad_entries_get_chinese_messages_and_keep_what_was_typed(client, cast):
    client.force_login(cast.superuser)
    data = {
        **ARRANGEMENT_2027,
        "makeup-0-date": "2027-02-22",  # a Monday
        "ranges-1-last": "2027-02-01",  # before the first day
    }
    response = client.post(reverse("office:calendar_year_edit", args=[2027]), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "调休上班日应为星期六或星期日。" in text
    assert "结束日早于起始日。" in text
    assert 'value="国办发明电〔2026〕99号"' in text and 'value="2027-02-22"' in text
    assert not HolidayYear.objects.filter(year=2027).exists()

    overlapping = {
        **ARRANGEMENT_2027,
        "ranges-1-first": "2027-01-03",
        "ranges-1-last": "2027-01-05",
    }
    text = client.post(
        reverse("office:calendar_year_edit", args=[2027]), overlapping
    ).content.decode()
    assert "2027-01-03 同时出现在两项放假安排中。" in text

    stray = {**ARRANGEMENT_2027, "ranges-0-first": "2026-11-30", "ranges-0-last": "2026-12-01"}
    text = client.post(reverse("office:calendar_year_edit", args=[2027]), stray).content.decode()
    assert "2026-11-30 不属于2027年的节假日安排。" in text

    # 2025's arrangement may reach into January 2026, but not over 2026's own days.
    clash = {**ARRANGEMENT_2027, "ranges-0-first": "2025-12-31", "ranges-0-last": "2026-01-01"}
    clash |= {
        "ranges-1-first": "2025-10-01",
        "ranges-1-last": "2025-10-08",
        "makeup-0-date": "2025-10-11",
    }
    text = client.post(reverse("office:calendar_year_edit", args=[2025]), clash).content.decode()
    assert "2026-01-01 已在2026年的节假日安排中设定。" in text


def test_correcting_a_library_year_lists_the_changed_days_and_survives_reseeding(client, cast):
    client.force_login(cast.superuser)
    form = client.get(reverse("office:calendar_year_edit", args=[2026])).context
    ranges = [f.initial for f in form["ranges"]]
    assert {"name": "春节", "first": date(2026, 2, 15), "last": date(2026, 2, 23)} in ranges
    assert {"date": date(2026, 2, 14), "name": "春节"} in [f.initial for f in form["make_up"]]

    data = {
        "notice_title": "国务院办公厅关于2026年部分节假日安排的通知",
        "notice_no": "",
        "notice_date": "",
    }
    data |= {"ranges-TOTAL_FORMS": str(len(ranges)), "ranges-INITIAL_FORMS": str(len(ranges))}
    for i, row in enumerate(ranges):
        data |= {
            f"ranges-{i}-name": row["name"],
            f"ranges-{i}-first": row["first"],
            f"ranges-{i}-last": row["last"],
        }
    make_up = [f.initial for f in form["make_up"] if f.initial["date"] != date(2026, 10, 10)]
    data |= {"makeup-TOTAL_FORMS": str(len(make_up)), "makeup-INITIAL_FORMS": str(len(make_up))}
    for i, row in enumerate(make_up):
        data |= {f"makeup-{i}-date": row["date"], f"makeup-{i}-name": row["name"]}
    response = client.post(reverse("office:calendar_year_edit", args=[2026]), data, follow=True)
    assert "变动1天：2026-10-10" in response.content.decode()
    assert not get_calendar().is_working_day(date(2026, 10, 10))

    seed_from_library()
    assert HolidayYear.objects.get(year=2026).origin == Origin.ADMIN
    assert not get_calendar().is_working_day(date(2026, 10, 10))


@pytest.mark.parametrize(("who", "link"), [("superuser", True), ("officer_a", False)])
def test_the_calculator_marks_a_guessed_date_and_links_administrators(client, cast, who, link):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("workdays:calculator"), {"start": "2026-12-20", "days": "20"})
    text = response.content.decode()
    # 2027-01-01 (元旦 of the 放假办法) is skipped though 2027 is not entered.
    assert "2027-01-18" in text and "暂定" in text and "2027年节假日安排尚未录入" in text
    assert (reverse("office:calendar_year_edit", args=[2027]) in text) is link
    text = client.get(
        reverse("workdays:calculator"), {"start": "2026-09-18", "days": "20"}
    ).content.decode()
    assert "2026-10-22" in text and "暂定" not in text
    text = client.get(
        reverse("workdays:calculator"), {"start": "not-a-date", "days": "0"}
    ).content.decode()
    assert "输入一个有效的日期。" in text


def test_a_regional_holiday_applies_to_its_agency_and_below(cast):
    from gongkai.workdays.models import RegionalHoliday

    RegionalHoliday.objects.create(agency=cast.a, date=date(2026, 3, 3), name="三月三")
    assert not get_calendar(cast.a).is_working_day(date(2026, 3, 3))
    assert not get_calendar(cast.a_unit).is_working_day(date(2026, 3, 3))
    assert get_calendar(cast.b).is_working_day(date(2026, 3, 3))
    assert get_calendar().is_working_day(date(2026, 3, 3))


def test_the_calculator_refuses_absurd_dates(client, cast):
    client.force_login(cast.officer_a)
    text = client.get(
        reverse("workdays:calculator"), {"start": "9000-01-01", "days": "20"}
    ).content.decode()
    assert "请填写2000年至今后五年之间的日期。" in text


def test_entering_a_year_recomputes_open_cases_and_lists_them(client, cast, time_machine):
    from gongkai.foi import actions
    from gongkai.foi.models import Application
    from tests.foi.conftest import PERSON

    # The provisional date skips the statutory 除夕 (02-05) and 初三 (02-08) only; the
    # notice gives 02-06 to 02-14 off and 02-20 as a make-up working day.
    time_machine.move_to("2027-01-20 10:00 +0800", tick=False)
    submitted = actions.submit_application(
        cast.a, PERSON, channel="online", submitted_on=date(2027, 1, 20)
    )
    assert submitted.application.due_provisional and submitted.application.due_on == date(
        2027, 2, 19
    )
    client.force_login(cast.superuser)
    response = client.post(
        reverse("office:calendar_year_edit", args=[2027]), ARRANGEMENT_2027, follow=True
    )
    application = Application.objects.get()
    assert not application.due_provisional and application.due_on == date(2027, 2, 23)
    assert f"{application.number}（2027-02-19 → 2027-02-23）" in response.content.decode()
