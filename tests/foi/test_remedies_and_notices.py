"""Reviews and lawsuits, step notifications, and the repeated-request warning."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.foi import actions, letters
from gongkai.foi.actions import ActionError
from gongkai.lib.report_keys import Outcome, RemedyKind, RemedyResult
from tests.foi.helpers import reply_by_letter


@pytest.fixture
def replied(submit, cast, time_machine):
    application = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)
    reply_by_letter(
        application,
        officer=cast.officer_a,
        head=cast.head_a,
        on=date(2026, 3, 20),
        outcome=Outcome.DENIED_PROCESS_INFO,
    )
    return application


def test_a_review_is_recorded_and_decided_with_the_columns_of_table_four(
    replied, cast, time_machine
):
    time_machine.move_to("2026-05-06 10:00 +0800", tick=False)
    remedy = actions.record_remedy(
        replied,
        actor=cast.officer_a,
        kind=RemedyKind.ADMINISTRATIVE_REVIEW,
        body="测试县人民政府",
        filed_on=date(2026, 4, 20),
    )
    assert remedy.result == RemedyResult.PENDING and remedy.get_result_display() == "尚未审结"
    with pytest.raises(ActionError):
        actions.decide_remedy(
            remedy, actor=cast.officer_a, decided_on=date(2026, 4, 1), result=RemedyResult.UPHELD
        )
    actions.decide_remedy(
        remedy, actor=cast.officer_a, decided_on=date(2026, 5, 6), result=RemedyResult.CORRECTED
    )
    remedy.refresh_from_db()
    assert remedy.get_result_display() == "结果纠正" and remedy.get_kind_display() == "行政复议"


def test_remedies_are_recorded_from_the_case_page(client, replied, cast, time_machine):
    time_machine.move_to("2026-05-06 10:00 +0800", tick=False)
    client.force_login(cast.officer_a)
    url = reverse("foi:remedy_add", args=[replied.pk])
    response = client.post(
        url, {"kind": "litigation_direct", "body": "测试县人民法院", "filed_on": "2026-04-25"}
    )
    assert response.status_code == 302
    remedy = replied.remedies.get()
    text = client.get(reverse("foi:detail", args=[replied.pk])).content.decode()
    assert "未经复议直接起诉" in text and "测试县人民法院" in text
    decide = reverse("foi:remedy_decide", args=[replied.pk, remedy.pk])
    client.post(
        decide,
        {f"remedy-{remedy.pk}-decided_on": "2026-05-06", f"remedy-{remedy.pk}-result": "upheld"},
    )
    remedy.refresh_from_db()
    assert remedy.result == RemedyResult.UPHELD
    client.force_login(cast.officer_b)
    assert (
        client.post(
            url, {"kind": "litigation_direct", "body": "x", "filed_on": "2026-04-25"}
        ).status_code
        == 404
    )


def test_the_applicant_hears_of_a_notice_only_when_its_letter_is_issued(
    submit, cast, time_machine, django_capture_on_commit_callbacks, caplog
):
    application = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-05 10:00 +0800", tick=False)
    mail.outbox.clear()
    # caplog outermost: the on-commit callbacks run when the inner block exits.
    with (
        caplog.at_level("INFO", logger="gongkai.foi.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.request_correction(
            application,
            actor=cast.officer_a,
            on=date(2026, 3, 5),
            items=["写明文号"],
            until=date(2026, 3, 20),
        )
        letter = letters.draft_letter(application, actor=cast.officer_a, kind="correction")
        letters.approve_letter(letter, actor=cast.head_a)
    assert mail.outbox == [] and "SMS" not in caplog.text  # nothing before the letter
    with (
        caplog.at_level("INFO", logger="gongkai.foi.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 5))
    [sent] = mail.outbox
    assert "补正告知书" in sent.subject and sent.to == ["zhangsan@example.com"]
    [(name, content, mimetype)] = sent.attachments
    assert name == "测甲依申补〔2026〕1号.pdf" and mimetype == "application/pdf"
    assert content[:5] == b"%PDF-"
    assert "SMS to 138******00" in caplog.text


def test_an_earlier_similar_request_is_flagged_on_the_case_page(client, submit, cast):
    first = submit(date(2026, 3, 2)).application
    second = submit(date(2026, 3, 9)).application
    client.force_login(cast.officer_a)
    text = client.get(reverse("foi:detail", args=[second.pk])).content.decode()
    assert "data-similar" in text and first.number in text
    text = client.get(reverse("foi:detail", args=[first.pk])).content.decode()
    assert "data-similar" not in text
