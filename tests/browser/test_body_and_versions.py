"""A body pasted from Word with a table, published through three different reviewers,
changed through the review again, and the earlier version opened on the portal."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gongkai.orgs.models import Role
from gongkai.publishing.models import Category, InfoItem
from tests.browser.test_catalog_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>'
    '<p class="MsoNormal" style="text-indent:2em"><span lang="EN-US" style="font-family:仿宋">'
    "一、预算收支总体情况</span><o:p></o:p></p>"
    '<table class="MsoTableGrid" border="1" style="border-collapse:collapse">'
    "<tr><td style='width:100pt'><p class=MsoNormal>项目</p></td><td><p class=MsoNormal>金额（万元）</p></td></tr>"
    "<tr><td><p class=MsoNormal>基本支出</p></td><td><p class=MsoNormal>1280.5</p></td></tr>"
    "</table>"
    '<p class="MsoNormal">二、其他说明<o:p></o:p></p></body></html>'
)

PASTE = """([html, text]) => {
  const target = document.querySelector('[data-body-editor]');
  target.focus();
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', text);
  target.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def review_all(page: Page, live_server, detail: str, reviewers: list[str]) -> None:
    for username in reviewers:
        login(page, live_server, username)
        page.goto(detail)
        page.get_by_label("审批同意").check()
        page.get_by_role("textbox", name="意见").fill(f"{username} 同意")
        page.get_by_role("button", name="记录审核意见").click()
        expect(page.get_by_text("已记录您的审核意见。")).to_be_visible()


def test_paste_from_word_publish_through_three_reviewers_and_read_the_old_version(
    live_server, page: Page, cast, artifacts
):
    category, _ = Category.objects.get_or_create(
        agency=None, code="20-07", defaults={"name": "财政预算、决算信息"}
    )
    cast.user("secret_a", cast.a, Role.CONFIDENTIALITY)
    cast.user("final_a", cast.a, Role.REVIEWER_FINAL)
    reviewers = ["reviewer_a", "secret_a", "final_a"]

    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/catalog/new/")
    page.get_by_label("标题").fill("2026年部门预算")
    page.get_by_label("目录分类").select_option(value=str(category.pk))
    page.get_by_label("生成日期").fill("2026-03-02")
    expect(page.locator("[data-body-editor]")).to_be_visible()
    page.evaluate(PASTE, [WORD_HTML, "一、预算收支总体情况"])
    expect(page.locator("[data-body-editor] table td").first).to_contain_text("项目")
    page.screenshot(path=str(artifacts / "body-editor-paste.png"), full_page=True)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".item-body table")).to_contain_text("基本支出")
    item = InfoItem.objects.get(title="2026年部门预算")
    assert "<table>" in item.body and "style=" not in item.body and "Mso" not in item.body
    page.get_by_role("button", name="提交审核").click()
    detail = page.url

    review_all(page, live_server, detail, reviewers)
    login(page, live_server, "officer_a")
    page.goto(detail)
    page.get_by_role("button", name="发布").click()
    expect(page.locator("[data-status]")).to_have_text("已发布")
    expect(page.locator("[data-decisions]")).to_contain_text("final_a")

    # A change goes through the same reviewers; the published text stays until approved.
    page.get_by_role("link", name="变更").click()
    editor = page.locator("[data-body-editor]")
    editor.locator("td", has_text="1280.5").click()
    page.keyboard.press("End")
    page.keyboard.type("（调整后1300.0）")
    page.get_by_label("变更原因（向公众显示）").fill("更正基本支出金额")
    page.get_by_role("button", name="提交变更审核").click()
    expect(page.locator("[data-open-change]")).to_contain_text("更正基本支出金额")
    page.goto(f"{live_server.url}/items/{item.pk}/")
    expect(page.locator(".item-body")).not_to_contain_text("调整后")
    review_all(page, live_server, detail, reviewers)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/items/{item.pk}/")
    expect(page.locator(".item-body")).to_contain_text("调整后1300.0")
    expect(page.locator("[data-versions]")).to_contain_text("更正基本支出金额")
    page.locator("[data-version-link]").first.click()
    expect(page.locator("[data-earlier-version]")).to_contain_text("已被后续版本取代")
    expect(page.locator(".item-body table")).to_contain_text("1280.5")
    expect(page.locator(".item-body")).not_to_contain_text("调整后")
    page.screenshot(path=str(artifacts / "portal-earlier-version.png"), full_page=True)


def test_the_review_stages_page_turns_on_the_second_stage(live_server, page: Page, cast, artifacts):
    from gongkai.publishing import review
    from tests.browser.test_portal_flow import check_accessibility

    login(page, live_server, "head_a")
    page.goto(f"{live_server.url}/office/catalog/settings/review/")
    rows = page.locator("[data-stage-row]")
    expect(rows).to_have_count(6)
    check_accessibility(page, "review stages")
    rows.nth(1).get_by_label("启用").check()  # 复审, offered
    rows.nth(2).get_by_label("启用").uncheck()  # 保密审查 off: refused
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-problems]")).to_contain_text("第十七条")
    page.locator("[data-stage-row]").nth(2).get_by_label("启用").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("审核环节已保存。")).to_be_visible()
    page.screenshot(path=str(artifacts / "review-stages.png"), full_page=True)
    assert [s.name for s in review.agency_stages(cast.a)] == ["初审", "复审", "保密审查", "终审"]
