"""The supervisor opens 统计, reads the charts and the ranking, drills into a weak
indicator and (once the rectification form exists) issues a rectification from there."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_catalog_flow import login
from tests.evaluation.conftest import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_supervisor_reads_the_board_and_drills_into_a_weak_cell(
    live_server, page: Page, cast, artifacts, time_machine
):
    time_machine.move_to("2026-02-10 09:00 +0800", tick=True)
    out = artifacts / "board"
    out.mkdir(exist_ok=True)
    for n in range(4):  # A: three of four published late
        item(cast.a, published=date(2025, 3 + n, 2), late=n < 3)
    for n in range(3):
        item(cast.b, published=date(2025, 4, 1 + n))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    login(page, live_server, "supervisor")
    page.get_by_role("link", name="统计", exact=True).click()
    expect(page.get_by_role("heading", name="2025年度政务公开指标统计")).to_be_visible()
    for kind in ("scores", "indicator", "late"):
        chart = page.locator(f'[data-board-chart="{kind}"]')
        expect(chart).to_have_attribute("data-ready", "1")
        expect(chart.locator("canvas")).to_have_count(1)
    rows = page.locator("[data-board-table] tbody tr")
    expect(rows).to_have_count(3)  # A, its unit and B; not the county
    codes = [rows.nth(i).get_attribute("data-agency") for i in range(3)]
    assert codes[-1] == "a" and set(codes) == {"a", "a-unit", "b"}
    expect(rows.first.locator("td").first).to_have_text("1")
    expect(page.locator("[data-not-submitted] li")).to_have_count(3)
    page.screenshot(path=str(out / "board.png"), full_page=True)

    weak = page.locator('tr[data-agency="a"] [data-cell="proactive_timeliness"]')
    expect(weak).to_have_attribute("data-weak", "")
    weak.locator("[data-drill]").click()
    expect(
        page.get_by_role(
            "heading", name="测试县甲局 · 主动公开及时性（条例第二十六条，20个工作日）"
        )
    ).to_be_visible()
    expect(page.locator("[data-row]")).to_have_count(3)
    page.get_by_role("link", name="查看计入的全部记录").click()
    expect(page.locator("[data-row]")).to_have_count(4)
    page.screenshot(path=str(out / "board-drilldown.png"), full_page=True)
    rectify = page.locator("[data-rectify]")
    if rectify.count():  # the rectification form (another change) is there
        rectify.click()
        assert f"agency={cast.a.pk}" in page.url and "indicator=proactive_timeliness" in page.url
        page.screenshot(path=str(out / "board-rectify.png"), full_page=True)
    page.get_by_role("link", name="统计", exact=True).first.click()
    page.get_by_label("按月趋势指标").select_option("request_timeliness")
    page.get_by_label("起始月份").select_option("3")
    page.get_by_label("结束月份").select_option("6")
    page.get_by_role("button", name="显示").click()
    expect(page.locator("[data-scope]")).to_contain_text("2025-03-01 — 2025-06-30")
    expect(page.locator('[data-board-chart="late"]')).to_have_attribute("data-ready", "1")
    assert errors == []


def test_an_officer_sees_only_the_own_agency(live_server, page: Page, cast, time_machine):
    time_machine.move_to("2026-02-10 09:00 +0800", tick=True)
    login(page, live_server, "officer_a")
    page.get_by_role("link", name="统计", exact=True).click()
    expect(page.locator("[data-board-table] tbody tr")).to_have_count(1)
    expect(page.locator('tr[data-agency="a"]')).to_be_visible()
    expect(page.locator("[data-rectify]")).to_have_count(0)
