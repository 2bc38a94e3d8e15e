"""A case from registration through 补正, extension and a 部分公开 reply to its delivery,
in a real browser, with the decision letter's PDF opened and rendered (issue 17)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from playwright.sync_api import Page, expect

from gongkai.foi import actions
from gongkai.foi.models import Application, LetterDelivery
from gongkai.foi.receipt import Channel
from tests.conftest import PASSWORD
from tests.foi.conftest import PERSON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/office/login/?next=/office/foi/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def step(page: Page, title: str) -> None:
    page.get_by_role("button", name=title, exact=True).click()


def save(page: Page, form_id: str) -> None:
    """Saves a step and waits for its confirmation, so the next login cannot cut the POST short."""
    page.locator(f"#{form_id}").get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存：")).to_be_visible()


def draft_approve_issue(page: Page, url: str, number: str, letter: str) -> None:
    """The officer drafts `letter`, the office head approves it, the officer issues it."""
    login(page, url, "officer_a")
    page.get_by_role("link", name=number).click()
    if letter:
        page.locator("#letter-kind").select_option(label=letter)
        page.get_by_role("button", name="起草文书").click()
        expect(page.get_by_text("已起草《")).to_be_visible()
    login(page, url, "head_a")
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="审批同意").last.click()
    expect(page.get_by_text("已审批同意，可以发文")).to_be_visible()
    login(page, url, "officer_a")
    page.get_by_role("link", name=number).click()
    page.locator("[data-issue-form]").get_by_role("button", name="发文").click()
    page.wait_for_load_state()


def test_registration_correction_extension_partial_reply_and_delivery(
    live_server, page: Page, cast, artifacts, time_machine
):
    url = live_server.url
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    # Registered by the officer: a request handed in at the office, delivery by post.
    case: Application = actions.submit_application(
        cast.a,
        {**PERSON, "delivery": "post", "email": ""},
        channel=Channel.IN_PERSON,
        submitted_on=date(2026, 3, 2),
        actor=cast.officer_a,
    ).application
    number = case.number

    # 补正 on the third working day, then its letter.
    time_machine.move_to("2026-03-04 10:00 +0800", tick=False)
    login(page, url, "officer_a")
    page.get_by_role("link", name=number).click()
    step(page, "告知补正")
    page.locator("#step-correction").get_by_label("需要补正的事项（每行一项）").fill(
        "请写明所需文件的名称或文号"
    )
    page.locator("#step-correction").get_by_label("补正期限").fill("2026-03-18")
    save(page, "step-correction")
    draft_approve_issue(page, url, number, "补正告知书")
    expect(page.get_by_text("补正告知书》已发文")).to_be_visible()
    expect(page.locator("[data-undelivered]")).to_be_visible()  # posted: the office records it

    # The corrected request comes in; later the office head extends the period.
    time_machine.move_to("2026-03-09 10:00 +0800", tick=False)
    login(page, url, "officer_a")
    page.get_by_role("link", name=number).click()
    step(page, "收到补正的申请")
    save(page, "step-correction_received")
    time_machine.move_to("2026-04-02 10:00 +0800", tick=False)
    login(page, url, "head_a")
    page.get_by_role("link", name=number).click()
    step(page, "批准延期")
    page.locator("#step-extension").get_by_label("工作日数").fill("10")
    page.locator("#step-extension").get_by_label("理由", exact=True).fill("需调阅档案")
    save(page, "step-extension")
    draft_approve_issue(page, url, number, "延期答复告知书")

    # The reply: 部分公开 with its withheld part drafts the decision letter.
    time_machine.move_to("2026-04-10 10:00 +0800", tick=False)
    login(page, url, "officer_a")
    page.get_by_role("link", name=number).click()
    step(page, "答复")
    form = page.locator("#step-reply")
    form.get_by_label("办理结果").select_option("partially_granted")
    form.get_by_label("提供的信息").fill("2025年度部门预算表（已删除个人信息）")
    form.get_by_role("button", name="保存").click()
    # Refused without the withheld parts (第三十七条), the typed text kept.
    expect(page.get_by_text("部分公开须逐项列明不予公开的部分")).to_be_visible()
    expect(form.get_by_label("提供的信息")).to_have_value("2025年度部门预算表（已删除个人信息）")
    form.get_by_label("不予公开的部分（每行一项）").fill(
        "表三中的个人姓名|属于个人隐私|条例第十五条"
    )
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已起草答复书")).to_be_visible()
    case.refresh_from_db()
    assert case.status == "open"
    draft_approve_issue(page, url, number, "")
    expect(page.get_by_text("答复并办结")).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("closed", date(2026, 4, 10))

    # Posted the same day: the officer records the delivery with its tracking number.
    reply = case.letters.get(kind="reply")
    card = page.locator(f"#letter-{reply.pk}")
    card.get_by_text("登记送达", exact=True).click()
    card.get_by_label("送达方式").select_option("post")
    card.get_by_label("邮件号码").fill("1151234567890")
    card.get_by_role("button", name="保存").click()
    expect(page.get_by_text("的送达。")).to_be_visible()
    assert LetterDelivery.objects.filter(letter=reply, tracking_number="1151234567890").exists()
    page.screenshot(path=str(artifacts / "letters-after-delivery.png"), full_page=True)

    # The decision letter's PDF, opened back and rendered.
    with page.expect_download() as download:
        page.locator(f"#letter-{reply.pk}").get_by_role("link", name="PDF").click()
    data = Path(download.value.path()).read_bytes()
    with pdfplumber.open(BytesIO(data)) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "").replace("\n", "")
    assert reply.doc_no in text and "表三中的个人姓名：属于个人隐私" in text
    assert "先自收到本答复书之日起六十日内" in text
    png = artifacts / "partial-reply"
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is installed by the test set-up"
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-", str(png)],
        input=data,
        check=True,
    )
