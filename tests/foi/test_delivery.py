"""Delivery (送达) of issued letters: e-mail with retries, online, and the office's records."""

from __future__ import annotations

import smtplib
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from gongkai.foi import actions, clock, delivery, letters
from gongkai.foi.actions import ActionError
from gongkai.foi.models import DeliveryStatus, EventKind, LetterDelivery
from tests.foi.conftest import PERSON


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("421 service not available")


def issued(case, cast, kind: str = "receipt", on: date = date(2026, 3, 3)):
    letter = letters.draft_letter(case, actor=cast.officer_a, kind=kind)
    letters.approve_letter(letter, actor=cast.head_a)
    return letters.issue_letter(letter, actor=cast.officer_a, on=on)


@pytest.fixture
def case(submit, time_machine):
    application = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-03 10:00 +0800", tick=False)
    return application


def test_an_applicant_who_chose_e_mail_receives_the_pdf_and_it_is_the_delivery(
    case, cast, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        letter = issued(case, cast)
    [sent] = mail.outbox
    assert sent.to == ["zhangsan@example.com"] and sent.attachments[0][2] == "application/pdf"
    assert letter.doc_no in sent.subject and "本邮件即为送达" in sent.body
    [record] = letter.deliveries.all()
    assert (record.method, record.status) == ("email", DeliveryStatus.DELIVERED)
    assert record.delivered_on == date(2026, 3, 3) and "zhangsan@example.com" in record.note


def test_a_failed_e_mail_is_shown_retried_with_a_wait_and_never_lost(
    case, cast, settings, time_machine, django_capture_on_commit_callbacks, client
):
    settings.EMAIL_BACKEND = "tests.foi.test_delivery.FailingBackend"
    settings.FOI_DELIVERY_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        letter = issued(case, cast)
    [record] = letter.deliveries.all()
    assert record.status == DeliveryStatus.FAILED and record.attempts == 1
    assert "421" in record.last_error and record.next_attempt_at is not None
    client.force_login(cast.officer_a)
    page = client.get(reverse("foi:detail", args=[case.pk])).content.decode()
    assert 'data-delivery="failed"' in page and "重新发送" in page and "421" in page
    assert delivery.retry_due() == (0, 0)  # the wait is not over
    time_machine.move_to("2026-03-03 10:06 +0800", tick=False)
    assert delivery.retry_due() == (0, 1)
    record.refresh_from_db()
    assert record.attempts == 2 and record.next_attempt_at is None  # no further automatic try
    # The server is back: the office sends it again from the case page.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    response = client.post(
        reverse("foi:letter_delivery_retry", args=[case.pk, letter.pk, record.pk]), follow=True
    )
    assert "文书已发送至zhangsan@example.com" in response.content.decode()
    record.refresh_from_db()
    assert record.status == DeliveryStatus.DELIVERED and len(mail.outbox) == 1


def test_an_online_applicant_has_the_letter_on_the_portal_from_its_issue_date(submit, cast):
    application = submit(date(2026, 3, 2), applicant={**PERSON, "delivery": "online"}).application
    letter = issued(application, cast, on=date(2026, 3, 2))
    [record] = letter.deliveries.all()
    assert (record.method, record.delivered_on) == ("online", date(2026, 3, 2))


def test_a_letter_the_applicant_cannot_receive_is_not_issued(submit, cast):
    application = submit(
        date(2026, 3, 2), applicant={**PERSON, "delivery": "post", "address": ""}
    ).application
    letter = letters.draft_letter(application, actor=cast.officer_a, kind="receipt")
    letters.approve_letter(letter, actor=cast.head_a)
    with pytest.raises(ActionError, match="未填写通信地址"):
        letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 2))
    letter.refresh_from_db()
    assert letter.doc_no == "" and letter.status == "approved"


@pytest.fixture
def posted(submit, cast):
    return submit(date(2026, 3, 2), applicant={**PERSON, "delivery": "post", "email": ""})


def test_a_posted_letter_needs_its_tracking_number_and_possible_dates(posted, cast, time_machine):
    case = posted.application
    letter = issued(case, cast, on=date(2026, 3, 2))
    assert not letter.deliveries.exists()  # the office posts it and records it
    time_machine.move_to("2026-03-06 10:00 +0800", tick=False)
    with pytest.raises(ActionError, match="邮件号码"):
        delivery.record_delivery(
            letter, actor=cast.officer_a, method="post", delivered_on=date(2026, 3, 3)
        )
    with pytest.raises(ActionError, match="不能早于发文日期"):
        delivery.record_delivery(
            letter,
            actor=cast.officer_a,
            method="post",
            delivered_on=date(2026, 3, 1),
            tracking_number="1151234567890",
        )
    with pytest.raises(ActionError, match="签收日期（2026-03-02）早于交寄"):
        delivery.record_delivery(
            letter,
            actor=cast.officer_a,
            method="post",
            delivered_on=date(2026, 3, 3),
            received_on=date(2026, 3, 2),
            tracking_number="1151234567890",
        )
    with pytest.raises(ActionError, match="PDF、JPG或PNG"):
        delivery.record_delivery(
            letter,
            actor=cast.officer_a,
            method="post",
            delivered_on=date(2026, 3, 3),
            tracking_number="1151234567890",
            proof=SimpleUploadedFile("回执.exe", b"MZ"),
        )
    with pytest.raises(ActionError, match="PDF、JPG或PNG"):  # the name says PDF, the content not
        delivery.record_delivery(
            letter,
            actor=cast.officer_a,
            method="post",
            delivered_on=date(2026, 3, 3),
            tracking_number="1151234567890",
            proof=SimpleUploadedFile("回执.pdf", b"MZ"),
        )
    record = delivery.record_delivery(
        letter,
        actor=cast.officer_a,
        method="post",
        delivered_on=date(2026, 3, 3),
        received_on=date(2026, 3, 5),
        tracking_number="1151 2345 67890",
        proof=SimpleUploadedFile("回执.pdf", b"%PDF-1.4"),
    )
    assert record.tracking_number == "1151234567890" and record.proof.name.endswith(".pdf")
    with pytest.raises(PermissionDenied):
        delivery.record_delivery(
            letter, actor=cast.officer_b, method="in_person", delivered_on=date(2026, 3, 3)
        )


def test_the_signed_for_date_of_a_fee_notice_starts_the_payment_period(posted, cast, time_machine):
    case = posted.application
    time_machine.move_to("2026-03-04 10:00 +0800", tick=False)
    actions.send_fee_notice(
        case, actor=cast.officer_a, on=date(2026, 3, 4), method="per_page", pages=120
    )
    letter = issued(case, cast, kind="fee_notice", on=date(2026, 3, 4))
    assert letter.event is not None and letter.event.kind == EventKind.FEE_NOTICE_SENT
    # 20 working days to pay from the receipt of the notice (国办函〔2020〕109号): counted
    # from the posting date, the time is up by 2 April; from the signed-for date, it is not.
    before = clock.deadline(case, today=date(2026, 4, 2))
    time_machine.move_to("2026-03-10 10:00 +0800", tick=False)
    delivery.record_delivery(
        letter,
        actor=cast.officer_a,
        method="post",
        delivered_on=date(2026, 3, 4),
        received_on=date(2026, 3, 9),
        tracking_number="1151234567890",
    )
    notice = case.events.get(kind=EventKind.FEE_NOTICE_SENT)
    assert notice.data["received_on"] == "2026-03-09"
    after = clock.deadline(case, today=date(2026, 4, 2))
    assert before.abandoned and not after.abandoned


def test_the_case_page_records_a_delivery_and_keeps_what_was_typed_when_refused(
    client, posted, cast, time_machine
):
    case = posted.application
    letter = issued(case, cast, on=date(2026, 3, 2))
    time_machine.move_to("2026-03-04 10:00 +0800", tick=False)
    client.force_login(cast.officer_a)
    url = reverse("foi:letter_delivery", args=[case.pk, letter.pk])
    prefix = f"delivery-{letter.pk}"
    refused = client.post(
        url,
        {
            f"{prefix}-method": "post",
            f"{prefix}-delivered_on": "2026-03-03",
            f"{prefix}-note": "挂号信",
        },
    )
    text = refused.content.decode()
    assert refused.status_code == 400 and "请填写邮件号码" in text and "挂号信" in text
    done = client.post(
        url,
        {
            f"{prefix}-method": "post",
            f"{prefix}-delivered_on": "2026-03-03",
            f"{prefix}-tracking_number": "1151234567890",
        },
        follow=True,
    ).content.decode()
    assert "已登记《政府信息公开申请受理回执》的送达" in done and "1151234567890" in done
    assert LetterDelivery.objects.filter(letter=letter, method="post").exists()


def test_show_application_lists_each_letter_with_its_delivery(posted, cast, time_machine):
    import json
    from io import StringIO

    from django.core.management import call_command

    case = posted.application
    letter = issued(case, cast, on=date(2026, 3, 2))
    out = StringIO()
    call_command("show_application", case.number, "--json", stdout=out)
    [entry] = json.loads(out.getvalue())["letters"]
    assert entry == {
        "kind": "receipt",
        "number": letter.doc_no,
        "issued_on": "2026-03-02",
        "delivered_on": None,
        "method": None,
    }
    time_machine.move_to("2026-03-04 10:00 +0800", tick=False)
    delivery.record_delivery(
        letter,
        actor=cast.officer_a,
        method="post",
        delivered_on=date(2026, 3, 3),
        tracking_number="1151234567890",
    )
    out = StringIO()
    call_command("show_application", case.number, "--json", stdout=out)
    [entry] = json.loads(out.getvalue())["letters"]
    assert (entry["delivered_on"], entry["method"]) == ("2026-03-03", "post")


def test_a_late_reply_refused_at_issue_keeps_the_date_and_reason_typed(
    client, case, cast, time_machine
):
    letter = letters.draft_reply(case, actor=cast.officer_a, outcome="granted")
    letters.approve_letter(letter, actor=cast.head_a)
    time_machine.move_to("2026-04-08 10:00 +0800", tick=False)  # due on 30 March
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("foi:letter_action", args=[case.pk, letter.pk, "issue"]),
        {f"issue-{letter.pk}-on": "2026-04-08", f"issue-{letter.pk}-late_approval_reason": "病休"},
    )
    text = response.content.decode()
    assert response.status_code == 400 and "逾期答复" in text and "负责人" in text
    assert 'value="病休"' in text and 'value="2026-04-08"' in text
    letter.refresh_from_db()
    assert letter.status == "approved" and not case.events.filter(kind=EventKind.REPLIED).exists()


def test_odd_characters_typed_by_an_applicant_never_break_the_e_mail(
    submit, cast, django_capture_on_commit_callbacks
):
    application = submit(
        date(2026, 3, 2), applicant={**PERSON, "applicant_name": "张\x01三\x1b\ufffe"}
    ).application
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        letter = issued(application, cast, on=date(2026, 3, 2))
    [sent] = mail.outbox
    assert "\x01" not in sent.body and sent.attachments[0][1][:5] == b"%PDF-"
    assert letter.deliveries.get().status == DeliveryStatus.DELIVERED
