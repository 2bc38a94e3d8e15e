"""The deadline engine against pinned timelines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays.deadlines import (
    DeadlineError,
    EventKind,
    Party,
    PauseReason,
    TimelineEvent,
    compute_deadline,
)
from tests.workdays.test_calendar import CAL

E = TimelineEvent
K = EventKind


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def run(*events, today=date(2026, 6, 30), **kwargs):
    return compute_deadline(list(events), CAL, today=today, **kwargs)


def test_a_plain_request_is_due_twenty_working_days_after_receipt():
    result = run(E(K.RECEIVED, date(2026, 3, 2)), today=date(2026, 3, 10))
    assert result.due == date(2026, 3, 30)
    assert (result.used, result.remaining, result.total) == (6, 14, 20)
    assert not result.overdue and not result.provisional
    assert result.correction_notice_due == date(2026, 3, 11)
    assert (
        result.lines[0]
        == "2026-03-02 收到申请（第三十一条）；答复期限20个工作日（第三十三条第二款）"
    )
    assert result.lines[-1] == "答复期限届满日：2026-03-30"


def test_a_consultation_pauses_the_clock_across_a_holiday():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CONSULTATION_SENT, date(2026, 3, 20)),
        E(K.CONSULTATION_ANSWERED, date(2026, 4, 10)),  # Qingming (04-04..04-06) inside
        today=date(2026, 4, 13),
    )
    # 14 working days used by 03-20; 6 left from 04-10.
    assert result.due == date(2026, 4, 20)
    assert result.used == 15 and result.remaining == 5
    assert [(p.start, p.end) for p in result.pauses] == [(date(2026, 3, 20), date(2026, 4, 10))]
    assert "2026-03-20 至 2026-04-10 征求第三方意见，不计入期限（第三十三条第三款）" in result.lines


def test_while_paused_there_is_no_due_date_but_the_days_left_are_shown():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CONSULTATION_SENT, date(2026, 3, 20), party=Party.AGENCY),
        today=date(2026, 3, 25),
    )
    assert result.paused and result.due is None and result.remaining == 6
    assert result.lines[-1] == "期限暂停（征求其他机关意见），剩余6个工作日"


def test_an_unanswered_consultation_stops_pausing_after_fifteen_working_days():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CONSULTATION_SENT, date(2026, 3, 20)),
        today=date(2026, 5, 6),
    )
    # 15 working days after 03-20 is 04-13 (Qingming 04-04..04-06 off); 6 days left after it.
    assert not result.paused
    assert result.pauses[0].end == date(2026, 4, 13)
    assert result.due == date(2026, 4, 21)
    assert result.overdue


def test_a_correction_restarts_the_clock_from_the_corrected_request():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CORRECTION_REQUESTED, date(2026, 3, 5), until=date(2026, 3, 20)),
        E(K.CORRECTION_RECEIVED, date(2026, 3, 16)),
        today=date(2026, 3, 17),
    )
    assert result.due == date(2026, 4, 14)  # 20 working days after 03-16 (Qingming 04-06 off)
    assert result.used == 1
    assert any("收到补正后的申请" in line and "第三十条" in line for line in result.lines)


def test_a_late_correction_notice_is_noted_and_a_missed_correction_deadline_abandons():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CORRECTION_REQUESTED, date(2026, 3, 13), until=date(2026, 3, 27)),
        today=date(2026, 4, 1),
    )
    assert any("超过7个工作日" in line for line in result.lines)
    assert result.abandoned and result.due is None


def test_an_extension_adds_at_most_twenty_days_once():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.EXTENSION_APPROVED, date(2026, 3, 25), days=20),
        today=date(2026, 3, 26),
    )
    assert result.total == 40 and result.due == date(2026, 4, 28)
    with pytest.raises(DeadlineError, match="最长不得超过20个工作日"):
        run(E(K.RECEIVED, date(2026, 3, 2)), E(K.EXTENSION_APPROVED, date(2026, 3, 25), days=21))
    with pytest.raises(DeadlineError, match="只能延长一次"):
        run(
            E(K.RECEIVED, date(2026, 3, 2)),
            E(K.EXTENSION_APPROVED, date(2026, 3, 20), days=10),
            E(K.EXTENSION_APPROVED, date(2026, 3, 25), days=10),
        )


def test_a_fee_notice_pauses_until_payment():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.FEE_NOTICE_SENT, date(2026, 3, 9)),
        E(K.FEE_PAID, date(2026, 3, 16)),
        today=date(2026, 3, 17),
    )
    # 5 days used by 03-09; 15 left after 03-16.
    assert result.due == date(2026, 4, 7)
    unpaid = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.FEE_NOTICE_SENT, date(2026, 3, 9)),
        today=date(2026, 4, 30),
    )
    assert unpaid.abandoned


def test_a_reply_closes_the_case_and_judges_it():
    on_time = run(E(K.RECEIVED, date(2026, 3, 2)), E(K.REPLIED, date(2026, 3, 30)))
    assert on_time.closed_on == date(2026, 3, 30) and not on_time.overdue and on_time.used == 20
    late = run(E(K.RECEIVED, date(2026, 3, 2)), E(K.REPLIED, date(2026, 3, 31)))
    assert late.overdue
    with pytest.raises(DeadlineError):
        run(
            E(K.RECEIVED, date(2026, 3, 2)),
            E(K.REPLIED, date(2026, 3, 5)),
            E(K.FEE_PAID, date(2026, 3, 6)),
        )


def test_a_period_running_into_an_unknown_year_is_provisional():
    result = run(E(K.RECEIVED, date(2026, 12, 10)), today=date(2026, 12, 11))
    assert result.provisional and result.guessed_years == (2027,)
    assert result.due == date(2027, 1, 8)  # 2027-01-01 (元旦) skipped
    assert result.provisional_reason == "2027年节假日安排尚未录入"
    assert result.lines[-1] == "暂定：2027年节假日安排尚未录入"


def test_bad_timelines_are_refused():
    with pytest.raises(DeadlineError):
        run(E(K.REPLIED, date(2026, 3, 2)))
    with pytest.raises(DeadlineError):
        run(E(K.RECEIVED, date(2026, 3, 2)), E(K.CORRECTION_RECEIVED, date(2026, 3, 3)))
    with pytest.raises(DeadlineError):
        run(E(K.RECEIVED, date(2026, 3, 2)), E(K.FEE_PAID, date(2026, 3, 3)))


def test_bulk_mode_gives_the_same_dates_without_words():
    events = [E(K.RECEIVED, date(2026, 3, 2)), E(K.CONSULTATION_SENT, date(2026, 3, 20))]
    full, bare = run(*events), run(*events, explain=False)
    assert bare.lines == [] and (bare.due, bare.used, bare.pauses) == (
        full.due,
        full.used,
        full.pauses,
    )


def test_a_late_answer_after_the_fifteen_days_changes_nothing_more():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CONSULTATION_SENT, date(2026, 3, 20)),
        E(K.CONSULTATION_ANSWERED, date(2026, 4, 20)),
        today=date(2026, 4, 20),
    )
    assert result.due == date(2026, 4, 21)
    assert any("逾期" in line for line in result.lines)


@given(
    received=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    age=st.integers(min_value=0, max_value=60),
)
def test_the_fast_path_for_a_bare_receipt_equals_the_general_path(received, age):
    today = received + timedelta(days=age)
    with translation.override("zh-hans"):
        fast = compute_deadline([E(K.RECEIVED, received)], CAL, today=today, explain=False)
        full = compute_deadline([E(K.RECEIVED, received)], CAL, today=today, explain=True)
    for name in (
        "due",
        "used",
        "remaining",
        "total",
        "overdue",
        "paused",
        "guessed_years",
        "pauses",
    ):
        assert getattr(fast, name) == getattr(full, name), name


def test_recompute_gives_each_case_its_own_deadline():
    from gongkai.workdays.deadlines import recompute

    cases = [
        [E(K.RECEIVED, date(2026, 3, 2))],
        [E(K.RECEIVED, date(2026, 3, 2)), E(K.CONSULTATION_SENT, date(2026, 3, 20))],
    ]
    results = recompute(cases, CAL, today=date(2026, 3, 25))
    assert [r.due for r in results] == [date(2026, 3, 30), None]
    assert results[1].paused


def test_overlapping_pauses_keep_the_clock_stopped_until_the_last_ends():
    events = [
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CONSULTATION_SENT, date(2026, 3, 10), ref="c1"),
        E(K.FEE_NOTICE_SENT, date(2026, 3, 12)),
        E(K.FEE_PAID, date(2026, 3, 16)),
    ]
    still = run(*events, today=date(2026, 3, 17))
    assert still.paused and still.due is None and still.waiting == (PauseReason.THIRD_PARTY,)
    resumed = run(
        *events, E(K.CONSULTATION_ANSWERED, date(2026, 3, 20), ref="c1"), today=date(2026, 3, 23)
    )
    # 6 days used by 03-10; 14 left from 03-20 (Qingming 04-06 off).
    assert not resumed.paused and resumed.due == date(2026, 4, 10)


def test_a_late_case_stays_late_through_a_pause_or_a_reply():
    late_then_paused = run(
        E(K.RECEIVED, date(2025, 3, 3)),
        E(K.CONSULTATION_SENT, date(2025, 4, 14)),
        today=date(2025, 4, 15),
    )
    assert late_then_paused.paused and late_then_paused.overdue
    replied = run(
        E(K.RECEIVED, date(2025, 3, 3)),
        E(K.CONSULTATION_SENT, date(2025, 4, 14)),
        E(K.REPLIED, date(2025, 4, 16)),
    )
    assert replied.overdue and replied.used > replied.total


def test_a_late_answer_closes_its_own_consultation_not_another():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CONSULTATION_SENT, date(2026, 3, 3), ref="c1"),
        E(K.CONSULTATION_SENT, date(2026, 3, 20), ref="c2"),
        E(K.CONSULTATION_ANSWERED, date(2026, 3, 27), ref="c1"),
        today=date(2026, 3, 27),
    )
    assert result.paused and result.waiting == (PauseReason.THIRD_PARTY,)


def test_an_ended_period_cannot_be_extended():
    with pytest.raises(DeadlineError, match="已届满"):
        run(E(K.RECEIVED, date(2026, 3, 2)), E(K.EXTENSION_APPROVED, date(2026, 4, 20), days=20))


def test_while_awaiting_correction_the_words_say_the_period_starts_again():
    result = run(
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CORRECTION_REQUESTED, date(2026, 3, 4)),
        today=date(2026, 3, 6),
    )
    assert result.lines[-1] == "等待申请人补正，收到补正的申请后重新计算20个工作日"
