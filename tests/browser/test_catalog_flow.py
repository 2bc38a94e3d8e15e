"""Draft an item with an ID number, mask it, three reviews, publish: in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gongkai.orgs.models import Role
from gongkai.publishing.models import Category
from tests.browser.second_factor import pass_second_factor
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/office/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    pass_second_factor(page, username)


def test_draft_mask_review_publish(live_server, page: Page, cast, artifacts):
    # Transactional tests run after the others flushed the seeded categories.
    category, _ = Category.objects.get_or_create(
        agency=None, code="20-06", defaults={"name": "行政处罚"}
    )
    cast.user("secret_a", cast.a, Role.CONFIDENTIALITY)
    cast.user("final_a", cast.a, Role.REVIEWER_FINAL)

    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/catalog/new/")
    page.get_by_label("标题").fill("行政处罚决定书")
    page.get_by_label("目录分类").select_option(value=str(category.pk))
    page.get_by_label("生成日期").fill("2026-03-02")
    page.locator("[data-body-editor]").fill("当事人：李四，身份证号11010519491231002X。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("[data-findings]")).to_contain_text("11010519491231002X")
    page.screenshot(path=str(artifacts / "catalog-findings.png"), full_page=True)
    page.get_by_role("button", name="全部去标识化").click()
    expect(page.locator(".item-body")).to_contain_text("1101**********002X")
    page.get_by_role("button", name="提交审核").click()
    detail = page.url

    for username in ("reviewer_a", "secret_a", "final_a"):
        login(page, live_server, username)
        page.goto(detail)
        page.get_by_label("审批同意").check()
        page.get_by_role("textbox", name="意见").fill(f"{username} 同意")
        page.get_by_role("button", name="记录审核意见").click()
        expect(page.get_by_text("已记录您的审核意见。")).to_be_visible()

    login(page, live_server, "officer_a")
    page.goto(detail)
    page.get_by_role("button", name="发布").click()
    expect(page.locator("[data-status]")).to_have_text("已发布")
    page.screenshot(path=str(artifacts / "catalog-published.png"), full_page=True)
