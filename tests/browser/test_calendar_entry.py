"""Entering next year's holiday notice through the real page (rows added by its script)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gongkai.workdays.models import CalendarDay, HolidayYear
from tests.browser.second_factor import pass_second_factor
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_enters_a_year_from_the_notice(live_server, page: Page, cast, artifacts):
    page.goto(f"{live_server.url}/office/login/?next=/office/calendar/2027/")
    page.get_by_label("用户名").fill("root")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    pass_second_factor(page, "root")  # the superuser enrols a second factor first
    expect(page.get_by_role("heading", name="2027年节假日安排")).to_be_visible()

    page.get_by_label("通知名称").fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.get_by_label("文号").fill("国办发明电〔2026〕99号")
    ranges = page.locator("[data-formset=ranges]")
    ranges.get_by_label("节日").nth(0).fill("元旦")
    ranges.get_by_label("放假起始日").nth(0).fill("2027-01-01")
    ranges.get_by_label("放假结束日").nth(0).fill("2027-01-03")
    ranges.get_by_role("button", name="增加一项放假安排").click()
    ranges.get_by_label("节日").nth(1).fill("春节")
    ranges.get_by_label("放假起始日").nth(1).fill("2027-02-06")
    ranges.get_by_label("放假结束日").nth(1).fill("2027-02-14")
    makeup = page.locator("[data-formset=makeup]")
    makeup.get_by_label("调休上班日").nth(0).fill("2027-02-22")  # a Monday: refused
    makeup.get_by_label("对应节日").nth(0).fill("春节")
    page.screenshot(path=str(artifacts / "calendar-entry.png"), full_page=True)
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("调休上班日应为星期六或星期日。")).to_be_visible()
    expect(page.locator("[data-formset=ranges]").get_by_label("节日").nth(1)).to_have_value("春节")
    page.locator("[data-formset=makeup]").get_by_label("调休上班日").nth(0).fill("2027-02-20")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("2027年节假日安排已保存")).to_be_visible()
    expect(page.get_by_role("cell", name="2027", exact=True)).to_be_visible()
    assert HolidayYear.objects.get(year=2027).notice_no == "国办发明电〔2026〕99号"
    assert CalendarDay.objects.filter(year__year=2027, is_working_day=False).count() == 12
    assert CalendarDay.objects.get(date="2027-02-20").is_working_day
