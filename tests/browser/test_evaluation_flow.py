"""The agency drafts its self-evaluation, attaches evidence, the office head approves it and
the officer submits it (the supervisor's board is tested with the board)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from gongkai.evaluation.models import EvaluationStatus, SelfEvaluation
from tests.conftest import PASSWORD
from tests.evaluation.conftest import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/office/login/?next=/office/evaluation/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_draft_evidence_approve_submit(
    live_server, page: Page, cast, artifacts, time_machine, tmp_path
):
    time_machine.move_to("2026-02-10 09:00 +0800", tick=True)
    out = artifacts / "evalcore"
    out.mkdir(exist_ok=True)
    for n in range(3):
        item(cast.a, published=date(2025, 3, 1 + n), late=n < 2)
    evidence = tmp_path / "领导小组文件.pdf"
    evidence.write_bytes(PDF)
    page.on("dialog", lambda dialog: dialog.accept())

    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/evaluation/?year=2025")
    page.get_by_role("button", name="开始自查自评").click()
    expect(page.locator("[data-status]")).to_have_text("草稿")
    page.locator('[data-drill="proactive_timeliness"]').click()
    expect(page.locator("[data-row]")).to_have_count(2)
    page.screenshot(path=str(out / "evaluation-drilldown.png"), full_page=True)
    page.go_back()

    for key, note in [("leading_group", "调整了政务公开工作领导小组。"),
                      ("rules", "修订了保密审查制度。"), ("bulletin", "大厅设置公开栏。")]:  # fmt: skip
        row = page.locator(f"#i-{key}")
        row.locator("summary").click()
        row.get_by_label("自评得分").fill("9")  # above the points: refused, kept
        row.get_by_label("情况说明").fill(note)
        row.get_by_role("button", name="保存").click()
        row = page.locator(f"#i-{key}")
        expect(row.locator(".invalid-feedback")).to_contain_text("得分须在0至")
        expect(row.get_by_label("情况说明")).to_have_value(note)
        row.get_by_label("自评得分").fill("2")
        row.get_by_role("button", name="保存").click()
        row = page.locator(f"#i-{key}")
        row.locator("summary").click()
        row.get_by_label("佐证材料文件").set_input_files(str(evidence))
        row.get_by_role("button", name="添加附件").click()
        expect(page.locator(f"#i-{key}")).to_contain_text("领导小组文件.pdf")
    page.get_by_role("button", name="根据记录重新起草").click()
    expect(page.get_by_label("正文")).to_contain_text("调整了政务公开工作领导小组。")
    page.get_by_role("button", name="保存报告").click()
    expect(page.get_by_text("报告已保存。")).to_be_visible()
    page.screenshot(path=str(out / "evaluation-draft.png"), full_page=True)

    login(page, live_server, "head_a")
    page.goto(f"{live_server.url}/office/evaluation/{SelfEvaluation.objects.get().pk}/")
    page.get_by_role("button", name="审批同意").click()
    expect(page.locator("[data-status]")).to_have_text("工作机构负责人已审核")

    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/evaluation/{SelfEvaluation.objects.get().pk}/")
    page.get_by_role("button", name="报送上级主管部门").click()
    expect(page.get_by_text("已报送上级主管部门。")).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text("已报送")
    page.screenshot(path=str(out / "evaluation-submitted.png"), full_page=True)
    evaluation = SelfEvaluation.objects.get()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert evaluation.revisions.count() == 1
