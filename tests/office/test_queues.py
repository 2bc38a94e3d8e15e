"""The home page's work queues (office/queues.py) against the fixed cast."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi import actions, letters
from gongkai.foi.models import ExtensionRequestStatus, LetterKind
from gongkai.foi.receipt import Channel
from gongkai.office import queues
from gongkai.publishing import actions as catalog
from gongkai.publishing.models import Category
from tests.foi.conftest import PERSON

MONDAY = date(2026, 3, 2)


@pytest.fixture
def at(time_machine):
    def _at(day: date) -> date:
        time_machine.move_to(f"{day.isoformat()} 10:00 +0800", tick=False)
        return day

    return _at


def apply(agency, on=MONDAY, **fields):
    return actions.submit_application(
        agency, {**PERSON, **fields}, channel=Channel.ONLINE, submitted_on=on
    ).application


def test_assignment_and_my_cases_follow_roles_and_agencies(cast, at):
    at(MONDAY)
    first, second = apply(cast.a), apply(cast.a)
    other = apply(cast.b)
    assert list(queues.to_assign(cast.head_a)) == [first, second]
    assert list(queues.to_assign(cast.officer_a)) == []  # the head assigns
    assert other not in queues.to_assign(cast.head_a)
    actions.assign(first, actor=cast.head_a, handler=cast.officer_a, on=MONDAY)
    assert list(queues.to_assign(cast.head_a)) == [second]
    assert list(queues.my_cases(cast.officer_a)) == [first]
    assert list(queues.my_cases(cast.officer_b)) == []
    # Due within 3 working days is highlighted on the page.
    at(date(2026, 3, 26))  # Thursday; due Monday 30 March
    first.refresh_from_db()
    assert first.due_on <= queues.due_soon_limit(date(2026, 3, 26))
    assert first.due_on > queues.due_soon_limit(date(2026, 3, 20))


def test_letters_and_extensions_wait_for_the_head_of_their_agency(cast, at):
    at(MONDAY)
    application = apply(cast.a)
    actions.assign(application, actor=cast.head_a, handler=cast.officer_a, on=MONDAY)
    actions.request_correction(
        application, actor=cast.officer_a, on=MONDAY, items=["写明年度"], until=date(2026, 3, 9)
    )
    draft = letters.draft_letter(application, actor=cast.officer_a, kind=LetterKind.CORRECTION)
    assert list(queues.letters_to_approve(cast.head_a)) == [draft]
    assert list(queues.letters_to_approve(cast.officer_a)) == []
    assert list(queues.letters_to_approve(cast.officer_b)) == []
    actions.receive_correction(application, actor=cast.officer_a, on=MONDAY)
    asked = actions.request_extension(
        application, actor=cast.officer_a, days=10, reason="需要调取档案"
    )
    assert list(queues.extensions_to_decide(cast.head_a)) == [asked]
    assert list(queues.extensions_to_decide(cast.officer_a)) == []
    assert list(queues.extensions_to_decide(cast.supervisor)) == []


def test_lapsed_corrections_and_late_consultations(cast, at):
    at(MONDAY)
    waiting, consulting = apply(cast.a), apply(cast.a)
    for application in (waiting, consulting):
        actions.assign(application, actor=cast.head_a, handler=cast.officer_a, on=MONDAY)
    actions.request_correction(
        waiting, actor=cast.officer_a, on=MONDAY, items=["写明年度"], until=date(2026, 3, 9)
    )
    actions.send_consultation(
        consulting, actor=cast.officer_a, on=MONDAY, party="third_party", recipient="某公司"
    )
    assert queues.lapsed(cast.officer_a, date(2026, 3, 9)) == []
    assert queues.lapsed(cast.officer_a, date(2026, 3, 10)) == [waiting]
    assert queues.lapsed(cast.head_a, date(2026, 3, 10)) == [waiting]
    assert queues.lapsed(cast.officer_b, date(2026, 3, 10)) == []
    # 15 working days from Monday 2 March: Monday 23 March.
    assert queues.consultations_overdue(cast.officer_a, date(2026, 3, 23)) == []
    late = queues.consultations_overdue(cast.officer_a, date(2026, 3, 24))
    assert [(c.application, c.until) for c in late] == [(consulting, date(2026, 3, 23))]
    assert queues.consultations_overdue(cast.officer_b, date(2026, 3, 24)) == []


def _item(cast, agency, formed_on=MONDAY, title="2026年部门预算"):
    return catalog.create_item(
        agency,
        actor=cast.officer_a if agency == cast.a else cast.officer_b,
        category=Category.objects.get(agency=None, code="20-06"),
        formed_on=formed_on,
        title=title,
        body="<p>正文</p>",
    )


def test_review_stage_and_publication_due(cast, at):
    at(MONDAY)
    item = _item(cast, cast.a)
    catalog.submit_for_review(item, actor=cast.officer_a)
    assert queues.items_awaiting_my_review(cast.reviewer_a) == [item]  # 初审
    assert queues.items_awaiting_my_review(cast.officer_a) == []
    assert queues.items_awaiting_my_review(cast.officer_b) == []
    item.refresh_from_db()
    # 第二十六条: 20 working days from formation; within 5 working days it is listed.
    assert item.publish_due_on == date(2026, 3, 30)
    assert list(queues.publication_due(cast.officer_a, date(2026, 3, 20))) == []
    assert list(queues.publication_due(cast.officer_a, date(2026, 3, 23))) == [item]
    assert list(queues.publication_due(cast.officer_a, date(2026, 4, 2))) == [item]  # overdue
    assert list(queues.publication_due(cast.officer_b, date(2026, 4, 2))) == []


def test_a_supervisor_sees_counts_per_agency_below(cast, at):
    at(MONDAY)
    apply(cast.a)
    assigned = apply(cast.a)
    actions.assign(assigned, actor=cast.head_a, handler=cast.officer_a, on=MONDAY)
    apply(cast.b)
    counts = {c.agency.code: c for c in queues.supervised_counts(cast.supervisor, MONDAY)}
    assert set(counts) == {"a", "a-unit", "b"}
    assert (counts["a"].to_assign, counts["a"].open) == (1, 2)
    assert (counts["b"].to_assign, counts["b"].open) == (1, 1)
    assert counts["a-unit"].open == 0
    assert queues.supervised_counts(cast.officer_a, MONDAY) == []
    overdue = {
        c.agency.code: c.overdue
        for c in queues.supervised_counts(cast.supervisor, date(2026, 4, 1))
    }
    assert overdue["a"] == 2 and overdue["b"] == 1


def test_the_home_page_lists_the_queues_with_their_links(client, cast, at):
    at(MONDAY)
    application = apply(cast.a)
    client.force_login(cast.head_a)
    text = client.get(reverse("office:home")).content.decode()
    assert 'data-queue="to_assign"' in text and application.number in text
    assert reverse("foi:detail", args=[application.pk]) in text
    client.force_login(cast.supervisor)
    text = client.get(reverse("office:home")).content.decode()
    assert 'data-agency-counts="a"' in text and 'data-agency-counts="b"' in text


def test_the_head_approves_or_refuses_an_extension_from_the_queue(client, cast, at):
    at(MONDAY)
    application = apply(cast.a)
    actions.assign(application, actor=cast.head_a, handler=cast.officer_a, on=MONDAY)
    client.force_login(cast.officer_a)
    # The officer is offered the request, not the head's approval form.
    page = client.get(reverse("foi:detail", args=[application.pk])).content.decode()
    assert "step-extension_request" in page and 'id="step-extension"' not in page
    response = client.post(
        reverse("foi:step", args=[application.pk, "extension_request"]),
        {"step-extension_request-days": "10", "step-extension_request-reason": "需调取档案"},
    )
    assert response.status_code == 302
    asked = application.extension_requests.get()
    # The officer cannot decide it: a message, not a bare 403 page.
    response = client.post(
        reverse("foi:extension_decide", args=[asked.pk]), {"decision": "approve"}, follow=True
    )
    assert "延期须经政府信息公开工作机构负责人同意" in response.content.decode()
    client.force_login(cast.head_a)
    home = client.get(reverse("office:home")).content.decode()
    assert f'data-extension-request="{asked.pk}"' in home and "需调取档案" in home
    refused = client.post(
        reverse("foi:extension_decide", args=[asked.pk]),
        {"decision": "refuse", "refusal_reason": "", "next": reverse("office:home")},
        follow=True,
    )
    assert "请写明不同意延期的理由" in refused.content.decode()
    client.post(
        reverse("foi:extension_decide", args=[asked.pk]),
        {"decision": "approve", "next": reverse("office:home")},
    )
    asked.refresh_from_db()
    assert asked.status == ExtensionRequestStatus.APPROVED and asked.event is not None
    application.refresh_from_db()
    # 30 March + 10 working days, Monday 6 April being the 清明 holiday.
    assert application.due_on == date(2026, 4, 14)


def test_letters_wait_to_be_issued_and_delivered_and_failed_e_mails_come_first(
    cast, at, client, settings, django_capture_on_commit_callbacks
):
    at(MONDAY)
    posted = apply(cast.a, delivery="post", email="")
    emailed = apply(cast.a)
    receipt = letters.draft_letter(posted, actor=cast.officer_a, kind=LetterKind.RECEIPT)
    letters.approve_letter(receipt, actor=cast.head_a)
    assert list(queues.letters_to_send(cast.officer_a, MONDAY)) == [receipt]  # to issue
    assert list(queues.letters_to_send(cast.officer_b, MONDAY)) == []
    receipt = letters.issue_letter(receipt, actor=cast.officer_a, on=MONDAY)
    assert list(queues.letters_to_send(cast.officer_a, MONDAY)) == [receipt]  # to deliver
    settings.EMAIL_BACKEND = "tests.foi.test_delivery.FailingBackend"
    failing = letters.draft_letter(emailed, actor=cast.officer_a, kind=LetterKind.RECEIPT)
    letters.approve_letter(failing, actor=cast.head_a)
    with django_capture_on_commit_callbacks(execute=True):
        letters.issue_letter(failing, actor=cast.officer_a, on=MONDAY)
    assert list(queues.letters_to_send(cast.officer_a, MONDAY)) == [failing, receipt]
    client.force_login(cast.officer_a)
    page = client.get(reverse("office:home")).content.decode()
    assert 'data-queue="to-send"' in page and "data-failed-delivery" in page
    from gongkai.foi import delivery

    delivery.record_delivery(
        receipt,
        actor=cast.officer_a,
        method="post",
        delivered_on=MONDAY,
        tracking_number="1151234567890",
    )
    assert list(queues.letters_to_send(cast.officer_a, MONDAY)) == [failing]
