"""Make an answered hotline message public from the records list, then read the month's
summary on the portal as the public: figures, the month picker, the masked message."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from gongkai.records import actions
from gongkai.records.models import Message, MessageStatus
from tests.browser.test_consultation_flow import login
from tests.browser.test_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")


def message(cast, number, received, days, category="complaint", content=""):
    answered = received + timedelta(days=days) if days is not None else None
    return actions.save_record(
        Message(
            agency=cast.a,
            channel="hotline",
            number=number,
            received_at=received,
            answered_at=answered,
            status=MessageStatus.CLOSED if answered else MessageStatus.OPEN,
            category=category,
            subject="小区夜间施工噪音",
            content=content,
            answer="已责成施工单位夜间停工，并电话回复来电人王小明（13912345678）。"
            if answered
            else "",
        ),
        actor=None,
    )


def test_a_message_made_public_and_the_monthly_summary(
    live_server, page: Page, cast, artifacts, time_machine, settings
):
    time_machine.move_to("2026-04-20 10:00 +0800", tick=True)
    march = datetime(2026, 3, 2, 9, tzinfo=TZ)
    shown = message(
        cast,
        "20260302001",
        march,
        2,
        content="来电人：王小明，电话13912345678，反映城关镇幸福小区夜间施工噪音。",
    )
    message(cast, "20260305002", march + timedelta(days=3), 20, category="consultation")
    message(cast, "20260306003", march + timedelta(days=4), None, category="suggestion")

    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/records/messages/")
    page.locator(f'a[href="/office/hotline/{shown.pk}/publish/"]').click()
    expect(page.locator("[data-findings]")).to_contain_text("发现个人信息")
    summary = page.get_by_label("公开的诉求内容")
    expect(summary).not_to_have_value("13912345678")
    assert "13912345678" not in summary.input_value() and "王小明" not in summary.input_value()
    page.get_by_role("button", name="在门户公开").click()
    expect(page.locator("[data-published]")).to_contain_text("月度汇总中公开")
    page.screenshot(path=str(artifacts / "hotline-office.png"), full_page=True)

    page.context.clear_cookies()
    settings.CSP_MODE = "enforce"  # the summary has no inline style or script
    violations = Watch(page, live_server).seen  # console "Refused to …" lines
    page.goto(f"{live_server.url}/agencies/a/hotline/")
    page.goto(f"{live_server.url}/agencies/a/")
    page.get_by_role("link", name="政务咨询投诉").click()
    page.get_by_label("月份").fill("2026-03")
    page.get_by_role("button", name="显示", exact=True).click()
    figures = page.locator("[data-hotline-figures]")
    expect(figures.locator('[data-figure="received"]')).to_have_text("3")
    expect(figures.locator('[data-figure="on_time"]')).to_have_text("1")
    expect(figures.locator('[data-figure="late"]')).to_have_text("2")
    expect(figures.locator('[data-figure="rate"]')).to_have_text("33.3%")
    expect(page.locator('[data-by="category"]')).to_contain_text("投诉")
    card = page.locator("[data-shown-message]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("夜间施工噪音")
    expect(card).to_contain_text("139****5678")
    expect(page.locator("body")).not_to_contain_text("13912345678")
    expect(page.locator("body")).not_to_contain_text("王小明")
    page.screenshot(path=str(artifacts / "hotline-portal.png"), full_page=True)

    page.get_by_role("link", name="2026年2月").first.click()
    expect(page.locator("[data-empty-month]")).to_contain_text("本月未受理咨询投诉")
    page.goto(f"{live_server.url}/agencies/a/hotline/?month=2026-13")
    expect(page.locator(".invalid-feedback")).to_contain_text("不是有效的月份")
    assert [v for v in violations if "/hotline/" in v] == []
