"""A request from the public form to the handler's reply, in a real browser."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_track_and_reply(live_server, page: Page, cast, artifacts):
    page.goto(f"{live_server.url}/agencies/a/")
    page.get_by_role("link", name="申请政府信息公开").click()
    page.get_by_role("radio", name="自然人", exact=True).check()
    page.get_by_label("姓名", exact=True).fill("张三")
    page.get_by_label("身份证件").select_option("resident_id")
    page.get_by_label("证件号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13800000000")
    page.get_by_role("textbox", name="电子邮箱").fill("zs@example.com")
    page.get_by_label("所需信息描述").fill("2025年度部门预算公开文件")
    page.get_by_role("radio", name="电子数据（光盘、U盘）").check()
    page.get_by_role("radio", name="电子邮件发送").check()
    page.get_by_label("本人确认以上信息真实").check()
    page.screenshot(path=str(artifacts / "apply-form.png"), full_page=True)
    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    number = page.locator("[data-number]").inner_text()
    code = page.locator("[data-code]").inner_text()
    assert number == f"a-{timezone.localdate().year}-00001"  # the agency's first this year

    page.get_by_role("link", name="办理进度查询").first.click()
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_have_text("办理中")
    page.screenshot(path=str(artifacts / "track.png"), full_page=True)

    page.goto(f"{live_server.url}/office/login/?next=/office/foi/")
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name=number).click()
    expect(page.locator("[data-explanation]")).to_contain_text("收到申请（第三十一条）")
    page.get_by_role("button", name="答复").click()
    page.locator("#step-reply").get_by_label("办理结果").select_option("granted")
    page.locator("#step-reply").get_by_label("法律依据和理由").fill("条例第三十六条第（二）项")
    page.screenshot(path=str(artifacts / "reply.png"), full_page=True)
    page.locator("#step-reply").get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts / "after-reply.png"), full_page=True)
    # The outcome drafts the decision letter; the case is answered when it is issued.
    expect(page.get_by_text("已起草答复书")).to_be_visible()
    expect(page.locator("[data-pending-reply]")).to_be_visible()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/office/login/?next=/office/foi/")
    page.get_by_label("用户名").fill("head_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="审批同意").click()
    page.locator("[data-issue-form]").get_by_role("button", name="发文").click()
    page.wait_for_load_state()
    expect(page.get_by_text("答复并办结")).to_be_visible()
    expect(page.locator("[data-deadline]")).to_contain_text("（一）予以公开")
    # The applicant chose e-mail: the letter was e-mailed as its delivery.
    expect(page.locator("[data-delivery=delivered]")).to_contain_text("zs@example.com")

    page.goto(f"{live_server.url}/track/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_have_text("已办结")
