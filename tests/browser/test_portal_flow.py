"""The public column in a real browser: walk it, search a two-character word and a 文号
variant, download an attachment, switch to 繁體 and to 适老化 mode, use it by keyboard,
and check each page with axe-core."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from gongkai.publishing import actions
from gongkai.publishing.models import Category, InfoItem, ItemStatus
from tests.publishing.test_catalog_steps import docx_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def publish(cast, category, *, attachment=None, **fields):
    item = actions.create_item(
        cast.a, actor=cast.officer_a, category=category, formed_on=date(2026, 3, 2), **fields
    )
    if attachment:
        actions.add_attachment(item, actor=cast.officer_a, upload=attachment)
    InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
    actions.publish_item(item, actor=cast.officer_a)  # indexed after its commit
    return item


def check_accessibility(page: Page, name: str) -> None:
    """axe-core's WCAG 2.1 A/AA rules report nothing on the page."""
    # Evaluated over the DevTools protocol, which the Content-Security-Policy does not block
    # (add_script_tag inserts an inline script, which it does).
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
    assert not problems, f"{name}: " + "\n".join(problems)


def test_walk_search_download_switch(live_server, page: Page, cast, artifacts):
    # Transactional tests run after the others flushed the seeded categories.
    budget, _ = Category.objects.get_or_create(
        agency=None,
        code="20-07",
        defaults={"name": "财政预算、决算信息", "article": "第二十条（七）"},
    )
    publish(
        cast,
        budget,
        title="林业局2026年部门预算",
        doc_no="林财发〔2026〕3号",
        summary="公开本局2026年部门预算。",
        body="<p>本预算包括森林防火、林业有害生物防治等项目。</p>",
        attachment=docx_upload("预算表：森林防火经费120万元。", "部门预算表.docx"),
    )
    publish(cast, budget, title="关于政务公开工作的通知", body="<p>各股室：做好公开工作。</p>")

    page.goto(f"{live_server.url}/")
    check_accessibility(page, "home")
    page.get_by_role("link", name="测试县甲局").first.click()
    expect(page.locator("h1")).to_contain_text("测试县甲局")
    check_accessibility(page, "agency column")
    nav = page.get_by_role("navigation", name="政府信息公开专栏")
    nav.get_by_role("link", name="政府信息公开指南").click()
    expect(page.locator("h1")).to_have_text("测试县甲局政府信息公开指南")
    check_accessibility(page, "guide")
    nav.get_by_role("link", name="法定主动公开内容").click()
    expect(page.get_by_text("共 2 条，按时间排列。")).to_be_visible()
    check_accessibility(page, "catalog")
    page.screenshot(path=str(artifacts / "portal-catalog.png"), full_page=True)

    # A two-character word, by keyboard only: the skip link, then the search box.
    page.goto(f"{live_server.url}/agencies/a/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    page.get_by_role("searchbox").focus()
    page.keyboard.type("林业")
    page.keyboard.press("Enter")
    expect(page.get_by_text("共 1 条结果。")).to_be_visible()
    expect(page.locator(".item-title mark")).to_have_text("林业")
    check_accessibility(page, "search results")

    # A 文号 typed with other brackets.
    page.get_by_label("检索词").fill("林财发[2026]3号")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_text("共 1 条结果。")).to_be_visible()
    expect(page.locator(".item-meta-line mark")).to_contain_text("林财发〔2026〕3号")
    page.screenshot(path=str(artifacts / "portal-search.png"), full_page=True)

    # The item, its metadata and its attachment.
    page.get_by_role("link", name="林业局2026年部门预算").click()
    expect(page.get_by_role("cell", name="林财发〔2026〕3号")).to_be_visible()
    check_accessibility(page, "item")
    with page.expect_download() as download:
        page.get_by_role("link", name="部门预算表.docx").click()
    assert download.value.suggested_filename == "部门预算表.docx"
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"

    # 繁體: the page in Traditional characters; a Traditional query finds Simplified text.
    page.get_by_role("link", name="繁體").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.get_by_role("link", name="法定主動公開內容").first).to_be_visible()
    page.goto(f"{live_server.url}/search/?q=森林防火")
    expect(page.locator(".item-title").first).to_contain_text("林業局")
    page.screenshot(path=str(artifacts / "portal-traditional.png"), full_page=True)
    page.get_by_role("link", name="简体").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    # 适老化 mode: larger text, and it stays on while the visitor moves on.
    normal = page.evaluate("getComputedStyle(document.body).fontSize")
    page.get_by_role("link", name="适老化模式").click()
    expect(page.locator("body")).to_have_class("portal care-mode")
    larger = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(larger.rstrip("px")) > float(normal.rstrip("px"))
    page.goto(f"{live_server.url}/agencies/a/guide/")
    expect(page.locator("body")).to_have_class("portal care-mode")
    check_accessibility(page, "guide in senior-friendly mode")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "portal-care-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/agencies/nope/")
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
