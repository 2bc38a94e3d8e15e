"""Late steps (issue 17): they cannot launder an overdue case, and stay marked for good.

Received 2026-03-02 (Monday): the correction notice is due by 03-11 (7 working days,
第三十条), the reply by 03-30 (20 working days, 第三十三条). 03-31 is the first day late.
Each exploit is first replayed as an import (actor None: accepted, marked), then tried in
the office, where it is refused unless the office head approves it with a reason.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.foi import actions, clock
from gongkai.foi.actions import ActionError
from gongkai.foi.models import Application, EventKind, Status
from tests.foi.helpers import reply_by_letter

RECEIVED = date(2026, 3, 2)
DUE = date(2026, 3, 30)
LATE = date(2026, 4, 1)


@pytest.fixture
def case(submit):
    return submit(RECEIVED).application


def move(time_machine, day: date) -> None:
    time_machine.move_to(f"{day.isoformat()} 16:00 +0800", tick=False)


def event(case, kind):
    return case.events.filter(kind=kind).latest("id")


def overdue(case, day: date) -> bool:
    return Application.objects.overdue(day).filter(pk=case.pk).exists()


# -- the exploits, replayed as imports -------------------------------------------------------


def test_a_correction_after_the_period_does_not_restart_an_overdue_case(case, time_machine):
    move(time_machine, LATE)
    assert overdue(case, LATE)
    actions.request_correction(
        case, actor=None, on=LATE, items=["写明文号"], until=date(2026, 4, 10)
    )
    move(time_machine, date(2026, 4, 2))
    actions.receive_correction(case, actor=None, on=date(2026, 4, 2))
    case.refresh_from_db()
    # Before: status open at 0 of 20 days, due 05-07, out of the overdue list.
    assert case.status == Status.OPEN and case.due_on > LATE
    assert case.missed_due_on == DUE and overdue(case, date(2026, 4, 2))
    assert clock.deadline(case).overdue
    late = event(case, EventKind.CORRECTION_REQUESTED).data["late"]
    assert late == {"article": "第三十条", "due": "2026-03-11", "rule": "correction_notice"}
    # Replying within the restarted period still counts as answered late.
    move(time_machine, date(2026, 4, 3))
    actions.reply(case, actor=None, on=date(2026, 4, 3), outcome="granted")
    case.refresh_from_db()
    assert case.replied_late and case in Application.objects.replied_late()
    assert event(case, EventKind.CORRECTION_REQUESTED).data["late"]["due"] == "2026-03-11"


@pytest.mark.parametrize("step", ["fee_notice", "consultation"])
def test_a_pause_after_the_period_leaves_the_case_overdue(case, time_machine, step):
    move(time_machine, LATE)
    if step == "fee_notice":
        actions.send_fee_notice(case, actor=None, on=LATE, method="per_page", pages=120)
        kind = EventKind.FEE_NOTICE_SENT
    else:
        actions.send_consultation(
            case, actor=None, on=LATE, party="third_party", recipient="某公司"
        )
        kind = EventKind.CONSULTATION_SENT
    case.refresh_from_db()
    # Before: paused, so out of the overdue list.
    assert case.paused and overdue(case, LATE)
    assert event(case, kind).data["late"] == {
        "article": "第三十三条第二款",
        "due": DUE.isoformat(),
        "rule": "reply_period",
    }


def test_an_extension_after_the_period_is_imported_marked_and_the_case_stays_overdue(
    case, time_machine
):
    move(time_machine, LATE)
    actions.approve_extension(case, actor=None, on=LATE, days=20, reason="档案较多")
    case.refresh_from_db()
    assert case.due_on == date(2026, 4, 28) and overdue(case, LATE)
    assert event(case, EventKind.EXTENSION_APPROVED).data["late"]["due"] == DUE.isoformat()


def test_a_late_reply_leaves_its_mark_once_closed(case, time_machine):
    move(time_machine, LATE)
    actions.reply(case, actor=None, on=LATE, outcome="granted")
    case.refresh_from_db()
    # Before: closed with nothing to tell it from a timely reply.
    assert case.status == Status.CLOSED and case.replied_late
    assert event(case, EventKind.REPLIED).data["late"]["due"] == DUE.isoformat()


def test_steps_in_time_carry_no_mark(case, time_machine):
    move(time_machine, DUE)
    actions.reply(case, actor=None, on=DUE, outcome="granted")
    case.refresh_from_db()
    assert not case.replied_late and case.missed_due_on is None
    assert "late" not in event(case, EventKind.REPLIED).data


def test_a_second_correction_is_late_even_within_seven_days(case, cast, time_machine):
    move(time_machine, date(2026, 3, 4))
    actions.request_correction(
        case, actor=cast.officer_a, on=date(2026, 3, 4), items=["写明文号"], until=date(2026, 3, 9)
    )
    move(time_machine, date(2026, 3, 5))
    actions.receive_correction(case, actor=cast.officer_a, on=date(2026, 3, 5))
    with pytest.raises(ActionError, match="一次性告知"):
        actions.request_correction(
            case, actor=cast.officer_a, on=date(2026, 3, 5), items=["x"], until=date(2026, 3, 9)
        )
    actions.request_correction(
        case, actor=None, on=date(2026, 3, 5), items=["x"], until=date(2026, 3, 9)
    )
    assert event(case, EventKind.CORRECTION_REQUESTED).data["late"] == {
        "article": "第三十条",
        "due": "2026-03-04",
        "rule": "one_correction",
    }


# -- in the office ---------------------------------------------------------------------------


def test_an_officer_cannot_record_a_late_step(case, cast, time_machine):
    move(time_machine, LATE)
    with pytest.raises(ActionError) as refused:
        actions.request_correction(
            case, actor=cast.officer_a, on=LATE, items=["写明文号"], until=date(2026, 4, 10)
        )
    message = str(refused.value)
    assert "7个工作日" in message and "2026-03-11" in message and "负责人" in message
    with pytest.raises(ActionError, match="2026-03-30"):
        actions.send_fee_notice(case, actor=cast.officer_a, on=LATE, method="per_page", pages=120)
    with pytest.raises(ActionError, match="逾期"):
        actions.send_consultation(
            case, actor=cast.officer_a, on=LATE, party="agency", recipient="县财政局"
        )
    with pytest.raises(ActionError, match="逾期答复"):
        reply_by_letter(case, officer=cast.officer_a, head=cast.head_a, on=LATE, outcome="granted")
    # Even the office head needs a reason.
    with pytest.raises(ActionError, match="理由"):
        actions.approve_extension(case, actor=cast.head_a, on=LATE, days=10, reason="档案较多")
    assert case.events.count() == 1


def test_the_office_head_approves_a_late_step_with_a_reason_and_it_stays_marked(
    case, cast, time_machine
):
    move(time_machine, LATE)
    reply_by_letter(
        case,
        officer=cast.officer_a,
        head=cast.head_a,
        issuer=cast.head_a,
        on=LATE,
        outcome="granted",
        late_approval_reason="经办人病休，负责人核准后答复",
    )
    case.refresh_from_db()
    replied = event(case, EventKind.REPLIED)
    assert replied.data["late"]["due"] == DUE.isoformat()
    assert replied.data["approval"] == {
        "by": cast.head_a.pk,
        "name": cast.head_a.display_name,
        "reason": "经办人病休，负责人核准后答复",
    }
    assert case.replied_late


def test_a_reason_from_an_officer_is_not_an_approval(case, cast, time_machine):
    move(time_machine, LATE)
    with pytest.raises(ActionError, match="负责人"):
        reply_by_letter(
            case,
            officer=cast.officer_a,
            head=cast.head_a,
            on=LATE,
            outcome="granted",
            late_approval_reason="来不及",
        )


def test_the_list_of_cases_answered_late_and_its_count(client, case, cast, time_machine):
    move(time_machine, LATE)
    actions.reply(case, actor=None, on=LATE, outcome="granted")
    client.force_login(cast.officer_a)
    text = client.get("/office/foi/", {"view": "replied_late"}).content.decode()
    assert case.number in text and "逾期答复" in text
    assert case.number not in client.get("/office/foi/", {"view": "open"}).content.decode()


def test_show_application_lists_the_late_steps(case, time_machine):
    import json
    from io import StringIO

    from django.core.management import call_command

    move(time_machine, LATE)
    actions.send_consultation(case, actor=None, on=LATE, party="third_party", recipient="某公司")
    move(time_machine, date(2026, 4, 2))
    actions.close_consultation(case, actor=None, on=date(2026, 4, 2))
    actions.reply(case, actor=None, on=date(2026, 4, 2), outcome="granted")
    out = StringIO()
    call_command("show_application", case.number, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["late_steps"] == [
        {
            "step": "consultation_sent",
            "article": "第三十三条第二款",
            "due": "2026-03-30",
            "on": "2026-04-01",
        },
        {"step": "replied", "article": "第三十三条第二款", "due": "2026-03-30", "on": "2026-04-02"},
    ]
    assert data["replied_late"] is True and data["overdue"] is True
    assert data["letters"] == []


def test_show_application_in_time(case, time_machine):
    import json
    from io import StringIO

    from django.core.management import call_command

    move(time_machine, date(2026, 3, 3))
    out = StringIO()
    call_command("show_application", case.number, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["late_steps"] == [] and data["replied_late"] is False
    assert data["overdue"] is False


def test_supervisors_see_the_on_time_reply_rate_per_agency(client, submit, cast, time_machine):
    late, timely = submit(RECEIVED).application, submit(RECEIVED).application
    move(time_machine, LATE)
    actions.reply(late, actor=None, on=LATE, outcome="granted")
    actions.reply(timely, actor=None, on=DUE, outcome="granted")
    from gongkai.annual import supervision

    lines = {line.agency.code: line for line in supervision.breakdown(cast.county, 2026)}
    assert lines["a"].figures["replied"] == 2 and lines["a"].on_time_rate == 50.0
    assert lines["b"].on_time_rate is None
    client.force_login(cast.supervisor)
    from django.urls import reverse

    text = client.get(
        reverse("annual:status"), {"agency": cast.county.code, "year": 2026}
    ).content.decode()
    assert "按期答复率" in text and "50.0%" in text
