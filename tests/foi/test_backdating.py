"""Back-dated steps (issue 17): a few working days back are allowed, further needs approval."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi import actions
from gongkai.foi.actions import ActionError
from gongkai.foi.models import EventKind


@pytest.fixture
def case(submit):
    return submit(date(2026, 3, 2)).application


def move(time_machine, day: date) -> None:
    time_machine.move_to(f"{day.isoformat()} 16:00 +0800", tick=False)


def test_three_working_days_back_are_allowed_and_four_are_not(case, cast, time_machine):
    move(time_machine, date(2026, 3, 12))  # Thursday: 03-09 is 3 working days back
    actions.send_consultation(
        case, actor=cast.officer_a, on=date(2026, 3, 9), party="agency", recipient="县财政局"
    )
    sent = case.events.get(kind=EventKind.CONSULTATION_SENT)
    assert "backdated" not in sent.data
    move(time_machine, date(2026, 3, 18))  # 03-12 is 4 working days back
    with pytest.raises(ActionError) as refused:
        actions.close_consultation(case, actor=cast.officer_a, on=date(2026, 3, 12))
    message = str(refused.value)
    assert "2026-03-12" in message and "4个工作日" in message and "3个工作日" in message
    assert "负责人" in message


def test_the_office_head_records_a_back_dated_step_with_a_reason(case, cast, time_machine):
    move(time_machine, date(2026, 3, 20))
    with pytest.raises(ActionError, match="理由"):
        actions.withdraw(case, actor=cast.head_a, on=date(2026, 3, 10), note="电话撤回")
    actions.withdraw(
        case,
        actor=cast.head_a,
        on=date(2026, 3, 10),
        note="电话撤回",
        late_approval_reason="申请人3月10日来电撤回，当日未及时录入",
    )
    event = case.events.get(kind=EventKind.WITHDRAWN)
    assert event.data["backdated"] == {"working_days": 8, "recorded_on": "2026-03-20"}
    assert event.data["approval"]["reason"] == "申请人3月10日来电撤回，当日未及时录入"


def test_imports_are_not_limited(case, time_machine):
    move(time_machine, date(2026, 12, 1))
    actions.reply(case, actor=None, on=date(2026, 3, 20), outcome="granted")
    assert "backdated" not in case.events.get(kind=EventKind.REPLIED).data


def test_the_limit_is_a_setting(case, cast, time_machine, settings):
    settings.FOI_BACKDATE_WORKING_DAYS = 0
    move(time_machine, date(2026, 3, 4))
    with pytest.raises(ActionError, match="最多只能早于录入之日0个工作日"):
        actions.withdraw(case, actor=cast.officer_a, on=date(2026, 3, 3), note="电话撤回")


def test_the_case_page_shows_when_a_step_was_recorded(client, case, cast, time_machine):
    move(time_machine, date(2026, 3, 5))
    actions.send_consultation(
        case, actor=cast.officer_a, on=date(2026, 3, 3), party="agency", recipient="县财政局"
    )
    client.force_login(cast.officer_a)
    text = client.get(reverse("foi:detail", args=[case.pk])).content.decode()
    assert "录入于2026-03-05 16:00" in text


def test_the_step_form_carries_the_approval_through_the_office(client, case, cast, time_machine):
    move(time_machine, date(2026, 3, 20))
    client.force_login(cast.head_a)
    url = reverse("foi:step", args=[case.pk, "withdraw"])
    form = {"step-withdraw-on": "2026-03-10", "step-withdraw-note": "电话撤回"}
    refused = client.post(url, form)
    assert refused.status_code == 400 and "理由" in refused.content.decode()
    assert not case.events.filter(kind=EventKind.WITHDRAWN).exists()
    approved = client.post(
        url, {**form, "step-withdraw-late_approval_reason": "当日系统故障，次周补记"}
    )
    assert approved.status_code == 302
    page = client.get(reverse("foi:detail", args=[case.pk])).content.decode()
    assert "当日系统故障，次周补记" in page and "补记" in page
