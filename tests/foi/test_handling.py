"""Each handling step, through the actions, against the Regulations' scenarios."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.foi import actions, clock, letters
from gongkai.foi.actions import ActionError
from gongkai.foi.models import Application, EventKind, Status
from gongkai.lib.report_keys import Outcome
from tests.foi.conftest import PERSON
from tests.foi.helpers import reply_by_letter


@pytest.fixture
def case(submit):
    return submit(date(2026, 3, 2)).application


def move(time_machine, day: date) -> None:
    time_machine.move_to(f"{day.isoformat()} 16:00 +0800", tick=False)


def test_a_correction_restarts_the_clock(case, cast, time_machine):
    move(time_machine, date(2026, 3, 5))
    actions.request_correction(
        case,
        actor=cast.officer_a,
        on=date(2026, 3, 5),
        items=["请写明文件名称"],
        until=date(2026, 3, 20),
    )
    case.refresh_from_db()
    assert case.status == Status.AWAITING_CORRECTION and case.due_on is None and case.paused
    move(time_machine, date(2026, 3, 16))
    with pytest.raises(ActionError):
        actions.request_correction(
            case, actor=cast.officer_a, on=date(2026, 3, 16), items=["x"], until=date(2026, 3, 20)
        )
    actions.receive_correction(case, actor=cast.officer_a, on=date(2026, 3, 16))
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.due_on == date(2026, 4, 14)
    lines = clock.deadline(case).lines
    assert any("收到补正后的申请" in line for line in lines)


def test_a_missed_correction_deadline_closes_the_case(case, cast, time_machine):
    move(time_machine, date(2026, 3, 5))
    actions.request_correction(
        case,
        actor=cast.officer_a,
        on=date(2026, 3, 5),
        items=["请写明文件名称"],
        until=date(2026, 3, 20),
    )
    move(time_machine, date(2026, 3, 19))
    with pytest.raises(ActionError):
        actions.close_overdue(case, actor=cast.officer_a, on=date(2026, 3, 19))
    move(time_machine, date(2026, 3, 23))
    actions.close_overdue(case, actor=cast.officer_a, on=date(2026, 3, 23))
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.outcome == Outcome.OTHER_OVERDUE_CORRECTION


def test_a_consultation_pauses_across_qingming(case, cast, time_machine):
    move(time_machine, date(2026, 3, 20))
    actions.send_consultation(
        case, actor=cast.officer_a, on=date(2026, 3, 20), party="third_party", recipient="某公司"
    )
    move(time_machine, date(2026, 4, 13))
    case.refresh_from_db()
    assert case.status == Status.CONSULTING and case.paused
    actions.close_consultation(
        case, actor=cast.officer_a, on=date(2026, 4, 10), result="不同意公开"
    )
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.due_on == date(2026, 4, 20)
    with pytest.raises(ActionError):
        actions.close_consultation(case, actor=cast.officer_a, on=date(2026, 4, 13))


def test_only_the_office_head_extends_and_only_once(case, cast, time_machine):
    move(time_machine, date(2026, 3, 25))
    with pytest.raises(PermissionDenied):
        actions.approve_extension(
            case, actor=cast.officer_a, on=date(2026, 3, 25), days=20, reason="需要检索档案"
        )
    with pytest.raises(ActionError, match="最长不得超过20个工作日"):
        actions.approve_extension(
            case, actor=cast.head_a, on=date(2026, 3, 25), days=21, reason="需要检索档案"
        )
    actions.approve_extension(
        case, actor=cast.head_a, on=date(2026, 3, 25), days=20, reason="需要检索档案"
    )
    case.refresh_from_db()
    assert case.due_on == date(2026, 4, 28)
    with pytest.raises(ActionError, match="只能延长一次"):
        actions.approve_extension(
            case, actor=cast.head_a, on=date(2026, 3, 25), days=5, reason="再延"
        )


def test_fee_tiers_count_the_applicants_requests_in_the_month(submit, cast, time_machine):
    cases = [submit(date(2026, 3, 2)).application for _ in range(41)]
    other_person = submit(
        date(2026, 3, 2), applicant={**PERSON, "id_number": "110105194912310037"}
    ).application
    expected = {10: None, 11: 100, 30: 100, 31: 200, 41: 300}
    for position, amount in expected.items():
        application = cases[position - 1]
        assert application.position_in_month() == position
        if amount is None:
            with pytest.raises(ActionError, match="无需"):
                actions.send_fee_notice(
                    application, actor=cast.officer_a, on=date(2026, 3, 2), method="per_request"
                )
        else:
            event = actions.send_fee_notice(
                application, actor=cast.officer_a, on=date(2026, 3, 2), method="per_request"
            )
            assert event.data["amount"] == amount
    assert other_person.position_in_month() == 1


def test_an_unpaid_fee_closes_the_case_and_a_paid_one_resumes_it(submit, cast, time_machine):
    paid, unpaid = submit().application, submit().application
    move(time_machine, date(2026, 3, 9))
    for application in (paid, unpaid):
        actions.send_fee_notice(
            application, actor=cast.officer_a, on=date(2026, 3, 9), method="per_page", pages=120
        )
    paid.refresh_from_db()
    assert paid.status == Status.AWAITING_FEE
    move(time_machine, date(2026, 3, 16))
    with pytest.raises(ActionError, match="1100"):
        actions.record_fee_payment(paid, actor=cast.officer_a, on=date(2026, 3, 16), amount=1000)
    actions.record_fee_payment(paid, actor=cast.officer_a, on=date(2026, 3, 16), amount=1100)
    paid.refresh_from_db()
    assert paid.status == Status.OPEN and paid.due_on == date(2026, 4, 7)
    move(time_machine, date(2026, 4, 30))
    actions.close_overdue(unpaid, actor=cast.officer_a, on=date(2026, 4, 30))
    unpaid.refresh_from_db()
    assert unpaid.outcome == Outcome.OTHER_OVERDUE_FEE and unpaid.status == Status.CLOSED


def test_a_reply_needs_one_outcome_of_table_three(case, cast, time_machine):
    move(time_machine, date(2026, 3, 20))
    with pytest.raises(ActionError):
        letters.draft_reply(case, actor=cast.officer_a, outcome="granted-ish")
    with pytest.raises(ActionError, match="答复书"):  # in the office, only through the letter
        actions.reply(case, actor=cast.officer_a, on=date(2026, 3, 20), outcome=Outcome.GRANTED)
    reply_by_letter(
        case,
        officer=cast.officer_a,
        head=cast.head_a,
        on=date(2026, 3, 20),
        outcome=Outcome.PARTIALLY_GRANTED,
        basis="第三十七条",
        facts={"withheld": [{"part": "第3页姓名", "reason": "个人隐私"}]},
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == (
        Status.CLOSED,
        Outcome.PARTIALLY_GRANTED,
        date(2026, 3, 20),
    )
    with pytest.raises(ActionError):
        actions.withdraw(case, actor=cast.officer_a, on=date(2026, 3, 20))


def test_a_withdrawal_closes_the_case_under_other_handling(case, cast, time_machine):
    move(time_machine, date(2026, 3, 10))
    actions.withdraw(case, actor=cast.officer_a, on=date(2026, 3, 10), note="申请人电话撤回")
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN and case.outcome == Outcome.OTHER_MISC


def test_steps_are_for_the_agencys_staff_only(case, cast, time_machine):
    move(time_machine, date(2026, 3, 10))
    for outsider in (cast.officer_b, cast.reviewer_a):
        with pytest.raises(PermissionDenied):
            letters.draft_reply(case, actor=outsider, outcome=Outcome.GRANTED)
        with pytest.raises(PermissionDenied):
            actions.reply(case, actor=outsider, on=date(2026, 3, 10), outcome=Outcome.GRANTED)
    actions.assign(case, actor=cast.head_a, handler=cast.officer_a)
    case.refresh_from_db()
    assert case.handler == cast.officer_a
    with pytest.raises(ActionError):
        actions.assign(case, actor=cast.head_a, handler=cast.reviewer_a)


def test_dates_cannot_be_in_the_future_or_before_the_last_step(case, cast, time_machine):
    move(time_machine, date(2026, 3, 10))
    letter = letters.draft_reply(case, actor=cast.officer_a, outcome=Outcome.GRANTED)
    letters.approve_letter(letter, actor=cast.head_a)
    with pytest.raises(ActionError, match="晚于今天"):
        letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 11))
    with pytest.raises(ActionError, match="早于"):
        letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 1))
    assert Application.objects.get().events.filter(kind=EventKind.REPLIED).count() == 0


def test_lists_find_overdue_and_due_soon_cases(submit, cast, time_machine):
    old = submit(date(2026, 2, 2)).application
    new = submit(date(2026, 3, 20)).application
    today = date(2026, 3, 23)
    assert list(Application.objects.overdue(today)) == [old]
    assert new not in Application.objects.due_by(date(2026, 4, 1))
    assert new in Application.objects.due_by(date(2026, 4, 20))  # Qingming 04-06 is off


def test_a_case_can_be_transferred_to_the_department_that_holds_the_information(
    case, cast, time_machine
):
    move(time_machine, date(2026, 3, 4))
    assert set(case.transfer_targets()) == {cast.county, cast.a_unit, cast.b}
    with pytest.raises(ActionError):
        actions.transfer(
            case, actor=cast.officer_a, on=date(2026, 3, 4), to_agency=cast.b, reason=" "
        )
    actions.transfer(
        case, actor=cast.officer_a, on=date(2026, 3, 4), to_agency=cast.b, reason="信息由乙局制作"
    )
    case.refresh_from_db()
    assert case.agency == cast.b and case.status == Status.OPEN and case.due_on == date(2026, 3, 30)
    from gongkai.foi.access import visible_applications

    assert case in visible_applications(cast.officer_b)
    assert case not in visible_applications(cast.officer_a)


def test_a_posted_fee_notice_counts_from_its_receipt(submit, cast, time_machine):
    by_mail, by_post = submit().application, submit().application
    move(time_machine, date(2026, 3, 9))
    actions.send_fee_notice(
        by_mail, actor=cast.officer_a, on=date(2026, 3, 9), method="per_page", pages=120
    )
    # Recorded once the return receipt came back: back-dated, so approved by the head.
    move(time_machine, date(2026, 3, 20))
    actions.send_fee_notice(
        by_post,
        actor=cast.head_a,
        on=date(2026, 3, 9),
        method="per_page",
        pages=120,
        received_on=date(2026, 3, 16),
        late_approval_reason="挂号信回执3月16日寄回后补记",
    )
    with pytest.raises(ActionError):
        actions.send_consultation(
            submit().application,
            actor=cast.officer_a,
            on=date(2026, 3, 9),
            party="third_party",
            recipient="x",
            received_on=date(2026, 3, 8),
        )
    # 20 working days: from 03-09 → 04-07; from 03-16 → 04-14 (Qingming 04-06 off).
    move(time_machine, date(2026, 4, 8))
    actions.close_overdue(by_mail, actor=cast.officer_a, on=date(2026, 4, 8))
    with pytest.raises(ActionError, match="既无逾期"):
        actions.close_overdue(by_post, actor=cast.officer_a, on=date(2026, 4, 8))
