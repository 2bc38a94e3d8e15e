"""The applicant's case page on /track/: what it shows, the online correction, the
letters, and what it must never show."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.foi import actions, letters
from gongkai.foi.models import Application, EventKind, LetterKind, Status
from tests.portal.test_apply_and_track import FORM, code_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
MONDAY = date(2026, 3, 2)


@pytest.fixture
def applied(client, cast, time_machine, django_capture_on_commit_callbacks):
    """An online application to agency A on Monday 2 March 2026, opened on /track/."""
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:apply", args=["a"]), FORM, follow=True)
    code = code_of(response.content.decode())
    application = Application.objects.get()
    opened = client.post(reverse("portal:track"), {"number": application.number, "code": code})
    assert opened.status_code == 302
    return application, code


def reopen(client, application, code) -> None:
    """Open the case again (the session lasts SESSION_IDLE_MINUTES)."""
    response = client.post(reverse("portal:track"), {"number": application.number, "code": code})
    assert response.status_code == 302


def page_of(client, application) -> str:
    response = client.get(reverse("portal:track_case", args=[application.number]))
    assert response.status_code == 200
    return response.content.decode()


def ask_correction(cast, application, on=MONDAY, until=date(2026, 3, 16)):
    return actions.request_correction(
        application,
        actor=cast.officer_a,
        on=on,
        items=["请写明文件的标题或文号", "请说明所需信息的年度"],
        until=until,
    )


def test_the_case_page_shows_agency_receipt_status_and_due_date(client, cast, applied):
    application, _code = applied
    text = page_of(client, application)
    assert "测试县甲局" in text and "2026-03-02" in text
    assert "通过本平台在线提交" in text and "第三十一条" in text
    assert "办理中" in text and "正在办理您的申请" in text
    assert "2026-03-30" in text  # 20 working days after Monday 2 March


def test_wrong_number_or_code_give_the_same_message(client, cast, applied):
    application, code = applied
    client.cookies.clear()
    wrong_code = client.post(
        reverse("portal:track"), {"number": application.number, "code": "AAAAAAAA"}
    ).content.decode()
    wrong_number = client.post(
        reverse("portal:track"), {"number": "a-2026-99999", "code": code}
    ).content.decode()
    message = "申请编号与查询码不匹配"
    assert message in wrong_code and message in wrong_number
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|value="[^"]*"')
    assert strip.sub("", wrong_code) == strip.sub("", wrong_number)
    # Without the code, the case page and its letters are not reachable.
    assert client.get(reverse("portal:track_case", args=[application.number])).status_code == 404


def test_a_correction_is_answered_online_and_shown_on_both_sides(
    client, cast, applied, time_machine, django_capture_on_commit_callbacks
):
    application, code = applied
    cast.officer_a.email = "officer@example.com"
    cast.officer_a.save()
    actions.assign(application, actor=cast.head_a, handler=cast.officer_a, on=MONDAY)
    ask_correction(cast, application)
    text = page_of(client, application)
    assert "请写明文件的标题或文号" in text and "2026-03-16" in text
    assert "暂停" in text and "data-open-correction" in text
    assert "收到您的补正之日起，重新计算 20 个工作日" in text

    url = reverse("portal:track_correction", args=[application.number])
    # An empty answer is refused in Chinese; a bad file too, keeping the text typed.
    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 400 and "请写明您补正或补充的内容" in empty.content.decode()
    fake = SimpleUploadedFile("补正.png", b"MZ not an image", content_type="image/png")
    bad = client.post(url, {"text": "标题为《2025年部门预算》", "attachments": [fake]})
    bad_text = bad.content.decode()
    assert bad.status_code == 400 and "不是 PDF、JPEG 或 PNG 文件" in bad_text
    assert "标题为《2025年部门预算》" in bad_text
    assert application.events.filter(kind=EventKind.CORRECTION_RECEIVED).count() == 0

    time_machine.move_to("2026-03-05 09:00 +0800", tick=False)
    expired = client.post(url, {"text": "标题为《2025年部门预算》"})
    assert expired.status_code == 403 and "标题为《2025年部门预算》" in expired.content.decode()
    reopen(client, application, code)
    mail.outbox.clear()
    good = SimpleUploadedFile("补正材料.png", PNG, content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"text": "标题为《2025年部门预算》", "attachments": [good]})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.OPEN
    event = application.events.get(kind=EventKind.CORRECTION_RECEIVED)
    assert event.on == date(2026, 3, 5) and event.actor is None
    answer = application.correction_answers.get()
    assert not answer.late and answer.files.get().original_name == "补正材料.png"
    assert answer.files.get().content_type == "image/png"
    assert any("officer@example.com" in m.to for m in mail.outbox)
    text = page_of(client, application)
    assert "您已提交的补正" in text and "补正材料.png" in text
    assert "自 2026-03-05 收到补正之日起重新计算" in text
    assert "data-open-correction" not in text
    # The office sees the answer and its file on the case page.
    client.force_login(cast.officer_a)
    office = client.get(reverse("foi:detail", args=[application.pk])).content.decode()
    assert "标题为《2025年部门预算》" in office and "补正材料.png" in office


def test_a_correction_after_its_deadline_is_recorded_and_flagged(
    client, cast, applied, time_machine
):
    application, code = applied
    ask_correction(cast, application, until=date(2026, 3, 4))
    time_machine.move_to("2026-03-09 09:00 +0800", tick=False)
    reopen(client, application, code)
    response = client.post(
        reverse("portal:track_correction", args=[application.number]),
        {"text": "补正如下"},
        follow=True,
    )
    text = response.content.decode()
    answer = application.correction_answers.get()
    assert answer.late and answer.received_on == date(2026, 3, 9)
    assert "已超过" in text and "2026-03-04" in text
    client.force_login(cast.officer_a)
    office = client.get(reverse("foi:detail", args=[application.pk])).content.decode()
    assert "逾期提交" in office


def test_only_issued_letters_of_this_case_are_listed_and_downloadable(
    client, cast, applied, time_machine
):
    application, _code = applied
    ask_correction(cast, application)
    draft = letters.draft_letter(application, actor=cast.officer_a, kind=LetterKind.CORRECTION)
    text = page_of(client, application)
    assert f'data-letter="{draft.pk}"' not in text
    url = reverse("portal:track_letter", args=[application.number, draft.pk])
    assert client.get(url).status_code == 404  # a draft is not the applicant's
    letters.approve_letter(draft, actor=cast.head_a)
    issued = letters.issue_letter(draft, actor=cast.officer_a, on=MONDAY)
    text = page_of(client, application)
    assert issued.doc_no in text and f'data-letter="{issued.pk}"' in text
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # Another browser, without the number and code, gets nothing.
    assert Client().get(url).status_code == 404


def test_the_page_never_shows_notes_opinions_other_applicants_or_the_id_number(
    client, cast, applied
):
    application, _code = applied
    other = actions.submit_application(
        cast.a,
        {
            **{
                k: v
                for k, v in FORM.items()
                if k in ("applicant_type", "id_type", "provision_form", "delivery", "email")
            },
            "applicant_name": "李四邻居",
            "id_number": "110105194912310038",
            "phone": "13900000000",
            "description": "别人的申请内容",
        },
        channel="online",
        submitted_on=MONDAY,
    )
    actions.send_consultation(
        application, actor=cast.officer_a, on=MONDAY, party="third_party", recipient="王五公司"
    )
    application.events.filter(kind=EventKind.CONSULTATION_SENT).update(note="内部备注：此人难缠")
    text = page_of(client, application)
    assert "征求" in text and "第三方" in text
    for secret in (
        "11010519491231002X",
        "110105********002X",
        "13800000000",
        "内部备注",
        "王五公司",
        "李四邻居",
        other.application.number,
        "别人的申请内容",
        "reviewer_a",
        "officer_a",
    ):
        assert secret not in text, secret


def test_the_first_code_survives_a_double_submit_and_can_be_resent(
    client, cast, django_capture_on_commit_callbacks
):
    first = client.post(reverse("portal:apply", args=["a"]), FORM, follow=True)
    second = client.post(reverse("portal:apply", args=["a"]), FORM, follow=True)
    code = code_of(first.content.decode())
    assert code_of(second.content.decode()) == code
    application = Application.objects.get()
    assert actions.check_query_code(application, code)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:resend_code"), {"number": application.number}, follow=True
        )
    assert "查询码已发送" in response.content.decode()
    assert mail.outbox[0].to == ["zs@example.com"] and code in mail.outbox[0].body
    assert actions.check_query_code(Application.objects.get(), code)  # still the same code
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(
            reverse("portal:resend_code"), {"number": "a-2026-99999"}, follow=True
        )
    assert "查询码已发送" in unknown.content.decode() and len(mail.outbox) == 1


def test_a_fee_notice_shows_amount_basis_deadline_and_how_to_pay(client, cast, applied):
    application, _code = applied
    cast.a.office_phone = "0571-12345678"
    cast.a.save()
    actions.send_fee_notice(
        application, actor=cast.officer_a, on=MONDAY, method="per_page", pages=40
    )
    text = page_of(client, application)
    assert "信息处理费" in text and "100 元" in text.replace("100元", "100 元")
    assert "共40页" in text and "国办函〔2020〕109号第五条" in text
    assert "2026-03-30" in text  # 20 working days from the notice
    assert "0571-12345678" in text and "行政机关登记缴费后" in text
    actions.record_fee_payment(application, actor=cast.officer_a, on=MONDAY, amount=100)
    text = page_of(client, application)
    assert "已缴纳" in text


def test_a_transfer_is_a_step_with_the_new_agencys_contact(client, cast, applied):
    application, _code = applied
    cast.b.office_name = "测试县乙局政府信息公开办公室"
    cast.b.office_phone = "0571-87654321"
    cast.b.save()
    actions.transfer(
        application, actor=cast.officer_a, on=MONDAY, to_agency=cast.b, reason="职责在乙局"
    )
    text = page_of(client, application)
    assert "已转由测试县乙局办理" in text
    assert "测试县乙局政府信息公开办公室" in text and "0571-87654321" in text
    assert "职责在乙局" not in text  # the internal reason stays in the office
