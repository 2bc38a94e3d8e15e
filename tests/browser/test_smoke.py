"""Real Chromium through Playwright: the staff login page and the public portal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.second_factor import pass_second_factor
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_through_the_page_and_sees_the_back_office_in_chinese(
    live_server, page: Page, cast, artifacts
):
    page.goto(f"{live_server.url}/office/agencies/")
    expect(page).to_have_url(re.compile(r"/office/login/\?next=/office/agencies/"))
    expect(page.get_by_text("请登录后继续。")).to_be_visible()

    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码不正确。")).to_be_visible()
    # What was typed is kept after the error.
    expect(page.get_by_label("用户名")).to_have_value("officer_a")

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # Back on the page that asked for the login.
    expect(page).to_have_url(f"{live_server.url}/office/agencies/")
    expect(page.get_by_role("heading", name="机关")).to_be_visible()
    expect(page.get_by_role("link", name="测试县甲局", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="测试县乙局")).to_have_count(0)
    expect(page.locator("nav.office-navbar")).to_contain_text("依申请公开")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.screenshot(path=str(artifacts / "office-agencies.png"), full_page=True)

    page.get_by_role("button", name="officer_a").click()
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_text("您已安全退出。")).to_be_visible()


def test_the_public_portal_opens_and_shows_an_agencys_contact_details(
    live_server, page: Page, cast, artifacts
):
    cast.a.office_address = "测试县人民路 1 号"
    cast.a.office_phone = "0000-12345678"
    cast.a.save()
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("政府信息公开平台"))
    expect(page.get_by_role("heading", name="政府信息公开", exact=True)).to_be_visible()
    page.get_by_role("link", name="测试县甲局", exact=True).click()
    expect(page.get_by_role("heading", name="测试县甲局")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("办公地址"))).to_contain_text(
        "测试县人民路 1 号"
    )
    # Bootstrap came from the npm registry and is served: the page is styled.
    background = page.locator("header.portal-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background == "rgb(179, 38, 30)"
    page.screenshot(path=str(artifacts / "portal-agency.png"), full_page=True)


def test_typing_in_the_agency_search_filters_the_list_through_htmx(live_server, page: Page, cast):
    page.goto(f"{live_server.url}/office/login/")
    page.get_by_label("用户名").fill("supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    pass_second_factor(page, "supervisor")  # supervisors enrol a second factor first
    page.goto(f"{live_server.url}/office/agencies/")
    expect(page.get_by_role("link", name="测试县乙局")).to_be_visible()
    page.get_by_label("搜索机关").fill("甲")
    expect(page.get_by_role("link", name="测试县乙局")).to_have_count(0)
    expect(page.get_by_role("link", name="测试县甲局", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q="))
