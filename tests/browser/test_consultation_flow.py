"""Publish a draft for comment, comment as the public, moderate, publish the feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkai.records.models import Comment, Consultation
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/office/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_publish_comment_moderate_feedback(live_server, page: Page, cast, artifacts, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800", tick=True)
    today = timezone.localdate()
    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/records/consultations/new/")
    page.get_by_label("类型").select_option(label="重大行政决策")
    page.get_by_label("标题").fill("青山县学区划分调整方案（征求意见稿）")
    page.get_by_label("起草说明").fill("根据城区人口变化，拟调整城关片区学区范围。")
    page.get_by_label("草案文本").fill("第一条 为优化教育资源配置，制定本方案。")
    page.get_by_label("征求意见开始日期").fill(today.isoformat())
    page.get_by_label("征求意见截止日期").fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="保存").click()
    # 15 days for a major decision: refused until a reason is given, nothing typed lost.
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("30 日")
    expect(page.get_by_label("标题")).to_have_value("青山县学区划分调整方案（征求意见稿）")
    page.get_by_label("征求意见截止日期").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="公布草案征求意见").click()
    expect(page.get_by_text("草案已在门户网站公开征求意见。")).to_be_visible()
    consultation = Consultation.objects.get()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/consultations/")
    page.get_by_role("link", name="青山县学区划分调整方案（征求意见稿）").click()
    expect(page.get_by_text("根据城区人口变化")).to_be_visible()
    page.get_by_label("您的意见").fill("我是城关小区居民，电话13912345678，建议设置两年过渡期。")
    page.get_by_role("button", name="提交意见").click()
    expect(page.locator("[data-comment-done]")).to_contain_text("经审核后显示")
    expect(page.locator("[data-comment]")).to_have_count(0)
    page.screenshot(path=str(artifacts / "consultation-commented.png"), full_page=True)

    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/records/consultations/{consultation.pk}/")
    expect(page.locator("[data-findings]")).to_contain_text("发现个人信息")
    comment = page.locator("[data-comment]")
    expect(comment.get_by_label("门户网站显示内容")).to_have_value(
        "我是城关小区居民，电话139****5678，建议设置两年过渡期。"
    )
    comment.get_by_label("是否采纳").select_option(label="已采纳")
    page.screenshot(path=str(artifacts / "consultation-moderation.png"), full_page=True)
    comment.get_by_role("button", name="显示", exact=True).click()
    expect(page.get_by_text("意见已审核。")).to_be_visible()

    time_machine.move_to("2026-04-05 09:00 +0800", tick=True)
    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/records/consultations/{consultation.pk}/")
    page.get_by_label("意见采纳情况").fill("共收到意见1条，采纳1条：方案增设两年过渡期。")
    page.get_by_role("button", name="公布意见采纳情况").click()
    expect(page.get_by_text("意见采纳情况已在门户网站公布。")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    expect(page.locator("[data-feedback]")).to_contain_text("方案增设两年过渡期")
    expect(page.locator("[data-comment]")).to_contain_text("139****5678")
    expect(page.locator("body")).not_to_contain_text("13912345678")
    expect(page.get_by_role("button", name="提交意见")).to_have_count(0)
    page.screenshot(path=str(artifacts / "consultation-feedback.png"), full_page=True)
    assert Comment.objects.get().adopted is True
