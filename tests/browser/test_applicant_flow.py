"""Issue 18 in a real browser: an applicant on a phone applies, prints the receipt,
answers a 补正 online with a file and downloads the decision letter; an officer asks for
an extension and the office head approves it from the home page's queue."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import timedelta

import pdfplumber
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect

from gongkai.foi import actions, letters
from gongkai.foi.models import Application, EventKind, ExtensionRequestStatus
from tests.conftest import PASSWORD
from tests.foi.conftest import PERSON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    # Fonts map some characters to look-alike radicals (⽇ for 日): compare normalised.
    return unicodedata.normalize("NFKC", text)


def open_case(page: Page, base: str, number: str, code: str) -> None:
    page.goto(f"{base}/track/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-case]")).to_be_visible()


def test_an_applicant_on_a_phone_follows_the_case_to_its_letter(
    live_server, browser: Browser, cast, artifacts, tmp_path
):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/")
    # The menu is collapsed behind a button; opened, each link stays on one line.
    toggle = page.locator("[data-menu-toggle]")
    expect(toggle).to_be_visible()
    apply_link = page.locator("#portal-nav").get_by_role("link", name="申请公开")
    expect(apply_link).to_be_hidden()
    toggle.click()
    expect(apply_link).to_be_visible()
    line = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('#portal-nav .nav-link')).lineHeight)"
    )
    box = apply_link.bounding_box()
    assert box is not None and box["height"] < 2 * line + 20  # one line, with padding
    page.screenshot(path=str(artifacts / "phone-menu.png"))

    page.goto(f"{base}/agencies/a/apply/")
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
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    number = page.locator("[data-number]").inner_text()
    code = page.locator("[data-code]").inner_text()
    expect(page.locator("[data-print]")).to_be_visible()
    # The printed receipt: number, code, dates; the site's header and the button left out.
    page.emulate_media(media="print")
    receipt = page.pdf(path=str(artifacts / "receipt.pdf"))
    page.emulate_media(media="screen")
    text = pdf_text(receipt)
    assert number in text and code in text and "收到申请日期" in text.replace(" ", "")
    assert "打印回执" not in text and "Write" not in text
    # The same receipt as a PDF made on the server, downloaded from the page.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载回执（PDF）").click()
    assert download.value.suggested_filename == f"回执-{number}.pdf"
    served = download.value.path().read_bytes()
    (artifacts / "receipt-server.pdf").write_bytes(served)
    text = pdf_text(served).replace(" ", "")
    assert "政府信息公开申请回执" in text and number in text and code in text

    open_case(page, base, number, code)
    expect(page.locator("[data-status]")).to_have_text("办理中")
    application = Application.objects.get(number=number)
    today = timezone.localdate()
    actions.assign(application, actor=cast.head_a, handler=cast.officer_a, on=today)
    actions.request_correction(
        application,
        actor=cast.officer_a,
        on=today,
        items=["请写明所需预算文件的年度和名称"],
        until=today + timedelta(days=14),
    )
    page.reload()
    expect(page.locator("[data-correction-items]")).to_contain_text("年度和名称")
    page.screenshot(path=str(artifacts / "case-correction-requested.png"), full_page=True)
    # An empty answer is refused in Chinese.
    page.get_by_role("button", name="提交补正").click()
    expect(page.get_by_text("请写明您补正或补充的内容。").first).to_be_visible()
    scan = tmp_path / "预算文件说明.png"
    scan.write_bytes(PNG)
    page.get_by_label("补正内容").fill("所需文件为《测试县甲局2025年部门预算》")
    page.get_by_label("附件（可选）").set_input_files(str(scan))
    page.get_by_role("button", name="提交补正").click()
    expect(page.locator("[data-answers]")).to_contain_text("预算文件说明.png")
    expect(page.locator("[data-status]")).to_have_text("办理中")
    page.screenshot(path=str(artifacts / "case-after-correction.png"), full_page=True)
    assert application.events.filter(kind=EventKind.CORRECTION_RECEIVED).exists()

    # The outcome drafts the decision letter; issuing it gives the reply.
    draft = letters.draft_reply(
        application,
        actor=cast.officer_a,
        outcome="granted",
        basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        documents="测试县甲局2025年部门预算",
    )
    letters.approve_letter(draft, actor=cast.head_a)
    issued = letters.issue_letter(draft, actor=cast.officer_a)
    page.reload()
    expect(page.locator("[data-status]")).to_have_text("已办结")
    expect(page.locator("[data-outcome]")).to_contain_text("予以公开")
    expect(page.locator("[data-remedy]")).to_contain_text("行政复议")
    row = page.locator(f'[data-letter="{issued.pk}"]')
    expect(row).to_contain_text(issued.doc_no)
    page.screenshot(path=str(artifacts / "case-after-reply.png"), full_page=True)
    with page.expect_download() as download:
        row.get_by_role("link", name="下载 PDF").click()
    path = download.value.path()
    data = path.read_bytes()
    (artifacts / "decision-letter.pdf").write_bytes(data)
    assert data.startswith(b"%PDF") and issued.doc_no in pdf_text(data).replace(" ", "")
    context.close()


def test_an_organisation_applies_on_a_phone_fixes_its_errors_and_downloads_the_receipt(
    live_server, browser: Browser, cast, artifacts
):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}/agencies/a/apply/")
    person = page.locator('[data-applicant="person"]')
    organisation = page.locator('[data-applicant="organisation"]')
    # Nothing is chosen for the applicant; the fields follow the choice.
    expect(page.locator('input[name="applicant_type"]:checked')).to_have_count(0)
    expect(person).to_be_hidden()
    expect(organisation).to_be_hidden()
    page.get_by_role("radio", name="自然人", exact=True).check()
    expect(person).to_be_visible()
    expect(organisation).to_be_hidden()
    page.get_by_role("radio", name="法人或其他组织（商业企业）").check()
    expect(organisation).to_be_visible()
    expect(person).to_be_hidden()
    expect(page.locator("select option", has_text="---")).to_have_count(0)

    organisation.get_by_label("名称", exact=True).fill("测试县某某科技有限公司")
    organisation.get_by_label("统一社会信用代码", exact=True).fill("91110000XXXXXXXXX1")
    organisation.get_by_label("法定代表人").fill("王五")
    organisation.get_by_label("联系人", exact=True).fill("赵六")
    page.get_by_label("联系电话").fill("0571-876")
    page.get_by_role("textbox", name="电子邮箱").fill("zhao@")
    page.get_by_label("所需信息描述").fill("本公司2025年申报的项目补助资金审批结果")
    page.get_by_role("radio", name="电子数据（光盘、U盘）").check()
    page.get_by_role("radio", name="电子邮件发送").check()
    page.get_by_label("本人确认以上信息真实").check()
    page.get_by_role("button", name="提交申请").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(summary).to_contain_text("统一社会信用代码：请填写有效的统一社会信用代码")
    expect(summary).to_contain_text("联系电话：请填写以13至19开头的11位手机号码")
    expect(summary).to_contain_text("电子邮箱：请填写有效的电子邮箱地址")
    # The chosen type is kept, so is everything typed; no green ticks.
    expect(organisation).to_be_visible()
    expect(organisation.get_by_label("名称", exact=True)).to_have_value("测试县某某科技有限公司")
    expect(page.get_by_label("所需信息描述")).to_have_value(
        "本公司2025年申报的项目补助资金审批结果"
    )
    expect(page.locator(".is-valid")).to_have_count(0)
    # Each field has its own message once.
    expect(page.locator("#id_email_error .invalid-feedback")).to_have_count(1)
    page.screenshot(path=str(artifacts / "apply-organisation-errors.png"), full_page=True)
    summary.get_by_role("link", name="联系电话").click()
    expect(page.get_by_label("联系电话")).to_be_focused()

    # No code: a branch says why instead.
    organisation.get_by_label("统一社会信用代码", exact=True).fill("")
    organisation.get_by_role("radio", name="分支机构或内设机构（无独立代码）").check()
    page.get_by_label("联系电话").fill("0571-87654321-806")
    page.get_by_role("textbox", name="电子邮箱").fill("zhao@example.com")
    page.get_by_label("本人确认以上信息真实").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    number = page.locator("[data-number]").inner_text()
    code = page.locator("[data-code]").inner_text()
    page.screenshot(path=str(artifacts / "apply-organisation-done.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载回执（PDF）").click()
    served = download.value.path().read_bytes()
    (artifacts / "receipt-organisation.pdf").write_bytes(served)
    text = pdf_text(served).replace(" ", "")
    assert "政府信息公开申请回执" in text and number in text and code in text

    application = Application.objects.get(number=number)
    assert application.applicant_name == "测试县某某科技有限公司"
    assert application.credit_code == "" and application.credit_code_missing == "branch"
    assert application.contact_person == "赵六" and application.phone == "0571-87654321-806"
    assert application.id_type == application.id_number == ""
    context.close()


def login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/office/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_an_officer_asks_for_an_extension_and_the_head_approves_it_from_home(
    live_server, page: Page, cast, artifacts
):
    base = live_server.url
    today = timezone.localdate()
    application = actions.submit_application(
        cast.a, PERSON, channel="online", submitted_on=today
    ).application
    actions.assign(application, actor=cast.head_a, handler=cast.officer_a, on=today)

    login(page, base, "officer_a")
    page.goto(f"{base}/office/foi/{application.pk}/")
    page.get_by_role("button", name="申请延期（报负责人审批）").click()
    form = page.locator("#step-extension_request")
    form.get_by_label("工作日数").fill("15")
    form.get_by_label("理由").fill("需调取历年档案并逐页核对")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("[data-extension-requests]")).to_contain_text("需调取历年档案")

    login(page, base, "head_a")
    page.goto(f"{base}/office/")
    queue = page.locator('[data-queue="extensions"]')
    expect(queue).to_contain_text(application.number)
    expect(queue).to_contain_text("需调取历年档案并逐页核对")
    page.screenshot(path=str(artifacts / "home-queues.png"), full_page=True)
    queue.get_by_role("button", name="同意延期").click()
    expect(page.get_by_text(f"已同意 {application.number} 延长 15 个工作日。")).to_be_visible()
    asked = application.extension_requests.get()
    assert asked.status == ExtensionRequestStatus.APPROVED
    assert application.events.filter(kind=EventKind.EXTENSION_APPROVED).exists()


def test_the_registration_form_follows_the_applicant_type_too(live_server, page: Page, cast):
    login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/office/foi/register/")
    person = page.locator('[data-applicant="person"]')
    organisation = page.locator('[data-applicant="organisation"]')
    expect(person).to_be_hidden()
    page.get_by_role("radio", name="法人或其他组织（科研机构）").check()
    expect(organisation).to_be_visible()
    expect(person).to_be_hidden()
    expect(page.get_by_label("申请方式")).to_have_value("")


def test_senior_friendly_mode_scales_form_controls_and_headings(live_server, page: Page, cast):
    page.goto(f"{live_server.url}/agencies/a/apply/")
    page.locator('[data-care="on"]').click()
    sizes = page.evaluate(
        """() => {
          const px = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
          return {body: px('body'), input: px('input.form-control'), select: px('select'),
                  button: px('main button[type=submit]'), h1: px('main h1')};
        }"""
    )
    assert sizes["body"] == 20
    assert sizes["input"] >= sizes["body"] and sizes["select"] >= sizes["body"]
    assert sizes["button"] >= 0.95 * sizes["body"]
    assert sizes["h1"] > 1.3 * sizes["body"]  # .h3 on the page title: 1.8rem


def no_sideways_scroll(page: Page) -> bool:
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    )


def test_the_case_page_on_a_phone_in_senior_friendly_mode(
    live_server, browser: Browser, cast, artifacts
):
    """The case page after a 补正 and after the reply, as an older applicant sees it."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    base = live_server.url
    today = timezone.localdate()
    submitted = actions.submit_application(cast.a, PERSON, channel="online", submitted_on=today)
    application = submitted.application
    actions.assign(application, actor=cast.head_a, handler=cast.officer_a, on=today)
    actions.request_correction(
        application,
        actor=cast.officer_a,
        on=today,
        items=["请写明所需文件的年度", "请说明文件的制发机关"],
        until=today + timedelta(days=14),
    )
    page.goto(f"{base}/agencies/a/apply/")
    # On a phone the switch is in the menu.
    page.locator("[data-menu-toggle]").click()
    page.locator('[data-care="on"]').click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bcare-mode\b"))
    page.get_by_role("radio", name="法人或其他组织（其他）").check()
    assert no_sideways_scroll(page)
    # The larger radio keeps clear of its label.
    gap = page.evaluate(
        """() => document.querySelector('label[for=id_applicant_type_0]').getBoundingClientRect().left
          - document.querySelector('#id_applicant_type_0').getBoundingClientRect().right"""
    )
    assert gap >= 4
    page.screenshot(path=str(artifacts / "care-apply.png"), full_page=True)

    open_case(page, base, application.number, submitted.query_code)
    expect(page.locator("[data-correction-items]")).to_contain_text("制发机关")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "care-case-correction.png"), full_page=True)
    page.get_by_label("补正内容").fill("所需文件为2025年度预算，由测试县甲局制发")
    page.get_by_role("button", name="提交补正").click()
    expect(page.locator("[data-answers]")).to_contain_text("由测试县甲局制发")
    page.screenshot(path=str(artifacts / "care-case-after-correction.png"), full_page=True)

    draft = letters.draft_reply(
        application,
        actor=cast.officer_a,
        outcome="granted",
        basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        documents="测试县甲局2025年部门预算",
    )
    letters.approve_letter(draft, actor=cast.head_a)
    issued = letters.issue_letter(draft, actor=cast.officer_a)
    page.reload()
    expect(page.locator("[data-status]")).to_have_text("已办结")
    expect(page.locator(f'[data-letter="{issued.pk}"]')).to_be_visible()
    assert no_sideways_scroll(page)
    sizes = page.evaluate(
        """() => {
          const px = (el) => el ? parseFloat(getComputedStyle(el).fontSize) : 0;
          const main = document.querySelector('main');
          const headings = [...main.querySelectorAll('h1, h2, .h5, legend')].map(px);
          return {body: px(document.body), smallest_heading: Math.min(...headings),
                  link: px(main.querySelector('[data-letter] a'))};
        }"""
    )
    assert sizes["body"] == 20
    assert sizes["smallest_heading"] >= sizes["body"] and sizes["link"] >= 0.95 * sizes["body"]
    page.screenshot(path=str(artifacts / "care-case-after-reply.png"), full_page=True)
    context.close()
