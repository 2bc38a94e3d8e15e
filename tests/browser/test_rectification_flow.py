"""The agency submits its self-evaluation; the supervisor reviews a weak indicator's score
and issues a rectification task from it; the agency sees the task on its home page and
answers with a file; the supervisor accepts. In a real browser."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from gongkai.evaluation.models import (
    EvaluationStatus,
    IndicatorResult,
    Rectification,
    RectificationStatus,
    SelfEvaluation,
)
from tests.browser.test_catalog_flow import login
from tests.evaluation.conftest import PDF, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_issue_answer_accept(live_server, page: Page, cast, artifacts, time_machine,
                                    tmp_path):  # fmt: skip
    time_machine.move_to("2026-02-10 09:00 +0800", tick=True)
    out = artifacts / "rectify"
    out.mkdir(exist_ok=True)
    for n in range(3):
        item(cast.a, published=date(2025, 3, 1 + n), late=n < 2)  # 2 of 3 late: weak
    evidence = tmp_path / "领导小组文件.pdf"
    evidence.write_bytes(PDF)
    answer_file = tmp_path / "整改报告.pdf"
    answer_file.write_bytes(PDF)
    bad_file = tmp_path / "截图.png"
    bad_file.write_bytes(b"not an image")
    page.on("dialog", lambda dialog: dialog.accept())

    # The agency drafts, the head approves, the officer submits (as test_evaluation_flow).
    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/evaluation/?year=2025")
    page.get_by_role("button", name="开始自查自评").click()
    for key in ("leading_group", "rules", "bulletin"):
        row = page.locator(f"#i-{key}")
        row.locator("summary").click()
        row.get_by_label("自评得分").fill("2")
        row.get_by_label("情况说明").fill("已落实。")
        row.get_by_role("button", name="保存").click()
        row = page.locator(f"#i-{key}")
        row.locator("summary").click()
        row.get_by_label("佐证材料文件").set_input_files(str(evidence))
        row.get_by_role("button", name="添加附件").click()
        expect(page.locator(f"#i-{key}")).to_contain_text("领导小组文件.pdf")
    page.get_by_role("button", name="根据记录重新起草").click()
    expect(page.get_by_label("正文")).to_contain_text("已落实。")
    evaluation = SelfEvaluation.objects.get()
    login(page, live_server, "head_a")
    page.goto(f"{live_server.url}/office/evaluation/{evaluation.pk}/")
    page.get_by_role("button", name="审批同意").click()
    expect(page.locator("[data-status]")).to_have_text("工作机构负责人已审核")
    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/evaluation/{evaluation.pk}/")
    page.get_by_role("button", name="报送上级主管部门").click()
    expect(page.locator("[data-status]")).to_have_text("已报送")

    # The supervisor reviews the weak indicator's score: too high refused, kept; then saved.
    login(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/office/evaluation/{evaluation.pk}/")
    row = page.locator("#i-proactive_timeliness")
    row.locator("summary").click()
    row.get_by_label("复核得分").fill("99")
    row.get_by_label("复核意见").fill("超期公开2条，复核扣分。")
    row.get_by_role("button", name="保存复核").click()
    row = page.locator("#i-proactive_timeliness")
    expect(row.locator(".invalid-feedback")).to_contain_text("得分须在0至")
    expect(row.get_by_label("复核意见")).to_have_value("超期公开2条，复核扣分。")
    row.get_by_label("复核得分").fill("3")
    row.get_by_role("button", name="保存复核").click()
    expect(page.get_by_text("复核已保存。")).to_be_visible()
    expect(page.locator("#i-proactive_timeliness [data-reviewed-score]")).to_contain_text("3")
    expect(page.locator("[data-reviewed-total]")).to_contain_text("复核后")
    page.screenshot(path=str(out / "evaluation-reviewed.png"), full_page=True)

    # … and issues a rectification task from the weak indicator's row.
    page.locator('[data-issue="proactive_timeliness"]').click()
    expect(page.get_by_label("机关")).to_have_value(str(cast.a.pk))
    expect(page.get_by_label("发现的问题")).to_contain_text("主动公开及时性")
    page.get_by_label("发现的问题").fill("2025年度超期公开2条，请补充公开并完善发布审核台账。")
    page.get_by_label("整改期限").fill("2026-02-01")  # in the past: refused, text kept
    page.get_by_role("button", name="下达整改任务").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("已过")
    expect(page.get_by_label("发现的问题")).to_have_value(
        "2025年度超期公开2条，请补充公开并完善发布审核台账。"
    )
    page.get_by_label("整改期限").fill("2026-03-10")
    page.get_by_role("button", name="下达整改任务").click()
    expect(page.get_by_text("已向测试县甲局下达整改任务。")).to_be_visible()
    task = Rectification.objects.get()
    assert task.evaluation == evaluation and task.indicator is not None
    assert task.indicator.key == "proactive_timeliness"

    # The agency sees it on its home page and answers with a file (a bad one first).
    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/")
    queue = page.locator('[data-queue="rectifications"]')
    expect(queue).to_contain_text("超期公开2条")
    page.screenshot(path=str(out / "home-agency.png"), full_page=True)
    queue.get_by_role("link").first.click()
    page.get_by_label("整改情况").fill("已补充公开2条信息，建立发布审核台账。")
    page.get_by_label("佐证材料文件").set_input_files([str(answer_file), str(bad_file)])
    page.get_by_role("button", name="报送整改情况").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("截图.png")
    expect(page.get_by_label("整改情况")).to_have_value("已补充公开2条信息，建立发布审核台账。")
    page.get_by_label("佐证材料文件").set_input_files(str(answer_file))
    page.get_by_role("button", name="报送整改情况").click()
    expect(page.get_by_text("整改情况已报送上级主管部门。")).to_be_visible()
    expect(page.locator("[data-file]")).to_have_text("整改报告.pdf")

    # The supervisor accepts it from the home page's queue.
    login(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/office/")
    page.locator('[data-queue="rectifications-to-accept"]').get_by_role("link").first.click()
    page.get_by_role("button", name="整改验收通过").click()
    expect(page.get_by_text("整改已验收。")).to_be_visible()
    expect(page.locator("[data-rectification-status]")).to_have_text("已验收")
    page.screenshot(path=str(out / "rectification-accepted.png"), full_page=True)

    task.refresh_from_db()
    assert task.status == RectificationStatus.ACCEPTED
    assert task.files.count() == 1
    assert SelfEvaluation.objects.get().status == EvaluationStatus.SUBMITTED
    result = IndicatorResult.objects.get(indicator__key="proactive_timeliness")
    assert result.reviewed_score == 3
