"""The office head adjusts the agency's 补正告知书 in the back office: preview, PDF,
save; a new 补正 letter of the agency uses it, another agency's keeps the built-in text."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pdfplumber
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkai.foi import actions, letters
from gongkai.foi.wording import DEFAULTS
from tests.conftest import PASSWORD
from tests.foi.conftest import PERSON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "请您在收到本告知书后与经办人联系，按下列事项补正："


def _corrected(agency, officer):
    today = timezone.localdate()
    application = actions.submit_application(
        agency, PERSON, channel="online", submitted_on=today
    ).application
    actions.request_correction(
        application,
        actor=officer,
        on=today,
        items=["写明所需文件的名称"],
        until=today + timedelta(days=14),
    )
    return application


def test_the_office_head_edits_previews_and_saves_the_correction_notice(
    live_server, page: Page, cast, artifacts
):
    case_a = _corrected(cast.a, cast.officer_a)
    case_b = _corrected(cast.b, cast.officer_b)
    page.goto(f"{live_server.url}/office/login/?next=/office/")
    page.get_by_label("用户名").fill("head_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="管理").or_(page.get_by_role("link", name="管理")).click()
    page.get_by_role("link", name="文书模板").click()
    page.get_by_role("link", name="测试县甲局").click()
    expect(page.get_by_role("heading", name="文书模板 · 测试县甲局")).to_be_visible()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name="补正告知书", exact=True)
    )
    expect(row).to_contain_text("内置")
    page.screenshot(path=str(artifacts / "letter-templates.png"), full_page=True)
    row.get_by_role("link", name="补正告知书", exact=True).click()

    body = page.get_by_label("正文")
    expect(body).to_have_value(DEFAULTS["correction"].body)
    typed = body.input_value().replace("请您对下列事项作出补正：", SENTENCE)
    body.fill(typed + "{未知占位符}")
    page.get_by_role("button", name="预览", exact=True).click()
    expect(page.get_by_text("未知占位符：{未知占位符}")).to_be_visible()
    expect(page.get_by_label("正文")).to_have_value(typed + "{未知占位符}")  # nothing lost

    page.get_by_label("正文").fill(typed)
    page.get_by_label("修改说明").fill("补正方式改为联系经办人")
    page.get_by_role("button", name="预览", exact=True).click()
    preview = page.locator("[data-preview]")
    expect(preview).to_contain_text("张某某：")
    expect(preview).to_contain_text(SENTENCE)
    expect(preview).to_contain_text("1. 写明所需政府信息的名称")
    page.screenshot(path=str(artifacts / "letter-template-preview.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="下载预览PDF").click()
    with pdfplumber.open(BytesIO(download.value.path().read_bytes())) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "").replace("\n", "")
    assert "请您在收到本告知书后与经办人联系" in text and "测试县甲局" in text

    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_text("第1版已保存")).to_be_visible()
    expect(page.locator("[data-source]")).to_have_text("本机关")
    expect(page.get_by_role("cell", name="补正方式改为联系经办人")).to_be_visible()
    page.screenshot(path=str(artifacts / "letter-template-saved.png"), full_page=True)

    # A 补正 letter drafted now on A's case uses the new text.
    page.goto(f"{live_server.url}/office/foi/{case_a.pk}/")
    page.locator("#letter-kind").select_option("correction")
    page.get_by_role("button", name="起草文书").click()
    expect(page.locator("[data-letter] textarea")).to_contain_text(SENTENCE)
    page.screenshot(path=str(artifacts / "letter-template-draft.png"), full_page=True)
    letter = case_a.letters.get()
    assert SENTENCE in letter.body and "1. 写明所需文件的名称" in letter.body
    # B keeps the built-in wording.
    other = letters.draft_letter(case_b, actor=cast.officer_b, kind="correction")
    assert SENTENCE not in other.body and "请您对下列事项作出补正" in other.body
