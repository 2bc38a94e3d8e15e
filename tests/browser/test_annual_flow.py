"""Start a year's report, edit its text, approve, publish, read it on the portal with its
trend chart: in a real browser."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from gongkai.foi.models import EventKind
from gongkai.lib.report_keys import Outcome
from tests.annual.test_actions import PROBLEMS
from tests.annual.test_compute import case
from tests.browser.test_catalog_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prepare_approve_publish_read(live_server, page: Page, cast, artifacts):
    case(cast.a, date(2024, 4, 1), closed=(date(2024, 4, 9), EventKind.REPLIED, Outcome.GRANTED))
    case(cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED))
    case(cast.a, date(2025, 12, 1))

    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/annual/?agency=a&year=2025")
    expect(page.locator("[data-trends]").first).to_have_attribute("data-ready", "1")
    page.get_by_role("button", name="开始编制本年度报告").click()
    expect(page.get_by_label("一、总体情况")).to_contain_text("本年新收政府信息公开申请2件")
    page.get_by_label("五、存在的主要问题及改进情况").fill(PROBLEMS)
    page.get_by_role("button", name="保存文字").click()
    expect(page.get_by_text("文字已保存。")).to_be_visible()
    page.screenshot(path=str(artifacts / "annual-draft.png"), full_page=True)

    login(page, live_server, "head_a")
    page.goto(f"{live_server.url}/office/annual/?agency=a&year=2025")
    page.get_by_role("button", name="审定").click()
    # Table 二's figures are neither entered nor confirmed as 0: refused, saying what.
    expect(page.get_by_text("报告暂不能审定：")).to_be_visible()
    expect(
        page.get_by_text("测试县甲局（行政许可、行政处罚、行政强制、行政事业性收费）")
    ).to_be_visible()
    page.goto(f"{live_server.url}/office/catalog/figures/?agency=a&year=2025")
    for name in ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount"):
        page.locator(f"input[name={name}]").fill("0")
    page.get_by_role("button", name="保存").click()
    page.goto(f"{live_server.url}/office/annual/?agency=a&year=2025")
    page.get_by_role("button", name="审定").click()
    expect(page.locator("[data-report-state]")).to_have_attribute("data-report-state", "approved")
    expect(page.get_by_text("报告已审定，数字已冻结。")).to_be_visible()
    page.get_by_role("button", name="在门户发布").click()
    expect(page.locator("[data-report-state]")).to_have_attribute("data-report-state", "published")
    expect(page.get_by_text("报告已在门户网站发布。")).to_be_visible()

    page.goto(f"{live_server.url}/annual-reports/")
    page.get_by_role("link", name="测试县甲局2025年政府信息公开工作年度报告").click()
    expect(page.locator("h1")).to_have_text("测试县甲局2025年政府信息公开工作年度报告")
    expect(page.locator('[data-cell="new_received.total"]')).to_have_text("2")
    with page.expect_download() as download:
        page.get_by_role("link", name="DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "annual-portal-phone.png"), full_page=True)
