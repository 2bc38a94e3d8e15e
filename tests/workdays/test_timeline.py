"""Each timeline handler at its boundaries, the lazy explanation, and properties of the walk.

The engine takes `today` as an argument and reads no clock, so most tests pass it; the
ones that move time with time_machine check that a caller's local `today` (Asia/Shanghai)
is what counts at a year's end and through a holiday. Dates are checked against the State Council
notices in tests/workdays/test_calendar.py (2026 Spring Festival 02-15..02-23 off with
Saturdays 02-14 and 02-28 worked; New Year 2026 01-01..01-03 off with Sunday 01-04
worked; Qingming 2026 04-04..04-06 off).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays import periods
from gongkai.workdays.deadlines import (
    Deadline,
    DeadlineError,
    EventKind,
    Party,
    PauseReason,
    TimelineEvent,
    compute_deadline,
)
from gongkai.workdays.timeline import HANDLERS, Note
from tests.workdays.test_calendar import CAL

E = TimelineEvent
K = EventKind
RECEIVED = E(K.RECEIVED, date(2026, 3, 2))  # a Monday, far from holidays


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def run(*events: TimelineEvent, today: date = date(2026, 6, 30), explain: bool = True) -> Deadline:
    return compute_deadline(list(events), CAL, today=today, explain=explain)


def test_every_event_kind_has_its_handler():
    assert set(HANDLERS) == set(EventKind)


# -- receipt -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Friday before the Spring Festival: day 1 is the make-up Saturday 02-14.
        (date(2026, 2, 13), date(2026, 3, 19)),
        # Received on the make-up Saturday itself: day 1 is the first day after the holiday.
        (date(2026, 2, 14), date(2026, 3, 20)),
        # Received during the holiday run: the same, one day later than from 02-13.
        (date(2026, 2, 16), date(2026, 3, 20)),
        # Received on 31 December: day 1 is the make-up Sunday 2026-01-04.
        (date(2025, 12, 31), date(2026, 1, 29)),
        # Before National Day 2025 (10-01..10-08 off): day 1 is 10-09.
        (date(2025, 9, 30), date(2025, 11, 4)),
    ],
)
def test_receipt_counts_twenty_working_days_across_holidays(received, due):
    result = run(E(K.RECEIVED, received), today=received)
    assert result.due == due and result.used == 0 and not result.provisional


def test_receipt_at_the_end_of_the_last_known_year_is_provisional():
    result = run(E(K.RECEIVED, date(2026, 12, 31)), today=date(2026, 12, 31))
    # 2027-01-01 is 元旦 under the 放假办法 even before the 2027 notice is entered.
    assert result.due == date(2027, 1, 29) and result.guessed_years == (2027,)
    assert result.lines[-1] == "暂定：2027年节假日安排尚未录入"


def test_a_second_receipt_is_refused():
    with pytest.raises(DeadlineError):
        run(RECEIVED, E(K.RECEIVED, date(2026, 3, 3)))


# -- correction ----------------------------------------------------------------------------


def test_a_correction_notice_on_the_seventh_working_day_is_in_time():
    # 03-11 is the 7th working day after 03-02, 03-12 the 8th.
    in_time = run(RECEIVED, E(K.CORRECTION_REQUESTED, date(2026, 3, 11)))
    late = run(RECEIVED, E(K.CORRECTION_REQUESTED, date(2026, 3, 12)))
    assert not any("超过7个工作日" in line for line in in_time.lines)
    assert any("超过7个工作日" in line for line in late.lines)
    assert in_time.correction_notice_due == date(2026, 3, 11)


def test_a_second_correction_waits_for_the_first_to_be_answered():
    with pytest.raises(DeadlineError):
        run(
            RECEIVED,
            E(K.CORRECTION_REQUESTED, date(2026, 3, 4)),
            E(K.CORRECTION_REQUESTED, date(2026, 3, 5)),
        )
    again = run(
        RECEIVED,
        E(K.CORRECTION_REQUESTED, date(2026, 3, 4)),
        E(K.CORRECTION_RECEIVED, date(2026, 3, 9)),
        E(K.CORRECTION_REQUESTED, date(2026, 3, 10)),
        E(K.CORRECTION_RECEIVED, date(2026, 3, 12)),
        today=date(2026, 3, 12),
    )
    assert again.due == date(2026, 4, 10) and again.used == 0  # 20 from 03-12
    assert [p.reason for p in again.pauses] == [PauseReason.CORRECTION] * 2


def test_the_correction_deadline_day_itself_is_still_in_time():
    events = (RECEIVED, E(K.CORRECTION_REQUESTED, date(2026, 3, 4), until=date(2026, 3, 20)))
    assert not run(*events, today=date(2026, 3, 20)).abandoned
    assert run(*events, today=date(2026, 3, 21)).abandoned


def test_a_corrected_request_restarts_the_period_and_drops_the_extension():
    result = run(
        RECEIVED,
        E(K.EXTENSION_APPROVED, date(2026, 3, 3), days=10),
        E(K.CORRECTION_REQUESTED, date(2026, 3, 4)),
        E(K.CORRECTION_RECEIVED, date(2026, 3, 12)),
        today=date(2026, 3, 12),
    )
    assert (result.total, result.extension_days, result.due) == (20, 0, date(2026, 4, 10))


def test_a_correction_overlapping_a_consultation_keeps_the_clock_stopped():
    result = run(
        RECEIVED,
        E(K.CONSULTATION_SENT, date(2026, 3, 4), ref="c1"),
        E(K.CORRECTION_REQUESTED, date(2026, 3, 5)),
        E(K.CONSULTATION_ANSWERED, date(2026, 3, 6), ref="c1"),
        today=date(2026, 3, 9),
    )
    assert result.paused and result.waiting == (PauseReason.CORRECTION,)
    assert result.lines[-1] == "等待申请人补正，收到补正的申请后重新计算20个工作日"


# -- consultation --------------------------------------------------------------------------


def test_an_answer_on_the_fifteenth_working_day_closes_the_consultation():
    # 15 working days after 03-20 is 04-13 (Qingming 04-04..04-06 off).
    on_time = run(
        RECEIVED,
        E(K.CONSULTATION_SENT, date(2026, 3, 20), ref="c1"),
        E(K.CONSULTATION_ANSWERED, date(2026, 4, 13), ref="c1"),
        today=date(2026, 4, 13),
    )
    assert on_time.pauses[0].end == date(2026, 4, 13)
    assert (
        "2026-03-20 至 2026-04-13 征求第三方意见，不计入期限（第三十三条第三款）" in on_time.lines
    )
    late = run(
        RECEIVED,
        E(K.CONSULTATION_SENT, date(2026, 3, 20), ref="c1"),
        E(K.CONSULTATION_ANSWERED, date(2026, 4, 14), ref="c1"),
        today=date(2026, 4, 14),
    )
    assert late.pauses[0].end == date(2026, 4, 13)
    assert any("逾期" in line for line in late.lines)


def test_a_letter_received_by_post_counts_the_fifteen_days_from_its_receipt():
    result = run(
        RECEIVED,
        E(K.CONSULTATION_SENT, date(2026, 3, 20), received=date(2026, 3, 23)),
        today=date(2026, 5, 6),
    )
    assert result.pauses[0] == (date(2026, 3, 20), date(2026, 4, 14), PauseReason.THIRD_PARTY)


def test_an_agency_consultation_cites_article_thirty_four():
    result = run(
        RECEIVED,
        E(K.CONSULTATION_SENT, date(2026, 3, 20), party=Party.AGENCY),
        today=date(2026, 5, 6),
    )
    assert any("15个工作日" in line and "第三十四条" in line for line in result.lines)


def test_an_answer_without_reference_closes_the_oldest_open_consultation():
    result = run(
        RECEIVED,
        E(K.CONSULTATION_SENT, date(2026, 3, 3), ref="c1"),
        E(K.CONSULTATION_SENT, date(2026, 3, 4), ref="c2", party=Party.AGENCY),
        E(K.CONSULTATION_ANSWERED, date(2026, 3, 5)),
        today=date(2026, 3, 6),
    )
    assert result.paused and result.waiting == (PauseReason.AGENCY,)


def test_an_answer_to_nothing_is_refused():
    with pytest.raises(DeadlineError):
        run(RECEIVED, E(K.CONSULTATION_EXPIRED, date(2026, 3, 5)))
    with pytest.raises(DeadlineError):
        run(
            RECEIVED,
            E(K.CONSULTATION_SENT, date(2026, 3, 3), ref="c1"),
            E(K.CONSULTATION_ANSWERED, date(2026, 3, 5), ref="c9"),
        )


# -- extension -----------------------------------------------------------------------------


def test_an_extension_may_be_approved_on_the_last_day_of_the_period():
    # 03-30 is the 20th working day after 03-02; 03-31 the 21st.
    last_day = run(RECEIVED, E(K.EXTENSION_APPROVED, date(2026, 3, 30), days=20))
    assert last_day.due == date(2026, 4, 28) and last_day.total == 40
    with pytest.raises(DeadlineError, match="已届满"):
        run(RECEIVED, E(K.EXTENSION_APPROVED, date(2026, 3, 31), days=1))


@pytest.mark.parametrize("days", [0, -1, 21, 40])
def test_an_extension_outside_one_to_twenty_days_is_refused(days):
    with pytest.raises(DeadlineError, match="最长不得超过20个工作日"):
        run(RECEIVED, E(K.EXTENSION_APPROVED, date(2026, 3, 10), days=days))


def test_an_extension_while_paused_counts_only_the_days_used_before_the_pause():
    result = run(
        RECEIVED,
        E(K.CONSULTATION_SENT, date(2026, 3, 20)),
        E(K.EXTENSION_APPROVED, date(2026, 4, 10), days=5),  # 14 days used, paused since
        today=date(2026, 4, 10),
    )
    assert result.paused and result.total == 25 and result.remaining == 11


def test_the_extension_rule_is_one_function():
    assert periods.extension_refusal(20, already_extended=False) is None
    assert periods.extension_refusal(20, already_extended=False, used=20) is None
    assert "只能延长一次" in str(periods.extension_refusal(5, already_extended=True))
    assert "最长不得超过20个工作日" in str(periods.extension_refusal(21, already_extended=False))
    assert "已届满" in str(periods.extension_refusal(5, already_extended=False, used=21))


# -- fee -----------------------------------------------------------------------------------


def test_the_fee_is_due_twenty_working_days_after_the_notice_and_that_day_is_in_time():
    events = (RECEIVED, E(K.FEE_NOTICE_SENT, date(2026, 3, 9)))
    assert not run(*events, today=date(2026, 4, 7)).abandoned
    late = run(*events, today=date(2026, 4, 8))
    assert late.abandoned and late.paused and late.waiting == (PauseReason.FEE,)
    assert any("2026-04-07" in line and "视为" in line for line in late.lines)


def test_a_fee_notice_received_by_post_gives_the_applicant_until_twenty_days_after():
    events = (RECEIVED, E(K.FEE_NOTICE_SENT, date(2026, 3, 9), received=date(2026, 3, 12)))
    assert not run(*events, today=date(2026, 4, 10)).abandoned
    assert run(*events, today=date(2026, 4, 13)).abandoned


def test_only_one_fee_notice_waits_at_a_time():
    with pytest.raises(DeadlineError):
        run(
            RECEIVED,
            E(K.FEE_NOTICE_SENT, date(2026, 3, 9)),
            E(K.FEE_NOTICE_SENT, date(2026, 3, 10)),
        )


# -- closing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "line"),
    [
        (K.REPLIED, "2026-03-09 已答复，用时5个工作日（期限20个工作日）"),
        (K.WITHDRAWN, "2026-03-09 申请人撤回申请，已用5个工作日（期限20个工作日）"),
        (K.CLOSED, "2026-03-09 终止办理，已用5个工作日（期限20个工作日）"),
    ],
)
def test_each_way_of_ending_has_its_closing_line_and_nothing_follows(kind, line):
    result = run(RECEIVED, E(kind, date(2026, 3, 9)))
    assert result.closed_on == date(2026, 3, 9) and result.remaining is None
    assert result.lines[-1] == line
    with pytest.raises(DeadlineError):
        run(RECEIVED, E(kind, date(2026, 3, 9)), E(K.FEE_PAID, date(2026, 3, 10)))


def test_a_reply_during_a_pause_is_in_time():
    result = run(
        RECEIVED,
        E(K.CONSULTATION_SENT, date(2026, 3, 20)),
        E(K.REPLIED, date(2026, 4, 1)),
    )
    assert not result.overdue and not result.paused and result.used == 14


# -- the clock of the caller --------------------------------------------------------------


def test_a_case_due_on_31_december_is_late_from_local_midnight(time_machine):
    received = E(K.RECEIVED, date(2025, 12, 3))  # 20 working days: due Wednesday 12-31
    time_machine.move_to("2025-12-31 23:30 +0800", tick=False)
    last_evening = compute_deadline([received], CAL, today=timezone.localdate())
    assert last_evening.due == date(2025, 12, 31) and not last_evening.overdue
    # 00:30 in Beijing is still 31 December in UTC: the local date decides.
    time_machine.move_to("2026-01-01 00:30 +0800", tick=False)
    new_year = compute_deadline([received], CAL, today=timezone.localdate())
    # Late by the date although New Year's Day adds no working day to those used.
    assert new_year.overdue and new_year.used == 20 and new_year.remaining == 0


def test_the_days_left_stand_still_through_the_spring_festival(time_machine):
    received = E(K.RECEIVED, date(2026, 2, 10))
    seen = {}
    for moment in ("2026-02-14 10:00", "2026-02-16 10:00", "2026-02-23 10:00", "2026-02-24 10:00"):
        time_machine.move_to(f"{moment} +0800", tick=False)
        seen[moment[:10]] = compute_deadline([received], CAL, today=timezone.localdate()).used
    # The make-up Saturday 02-14 counts; the holiday 02-15..02-23 does not.
    assert seen == {"2026-02-14": 4, "2026-02-16": 4, "2026-02-23": 4, "2026-02-24": 5}


# -- the explanation -----------------------------------------------------------------------


def test_the_explanation_is_rendered_in_the_language_active_when_read():
    with translation.override("en"):
        result = run(RECEIVED, E(K.CONSULTATION_SENT, date(2026, 3, 20)), today=date(2026, 3, 25))
    assert all(isinstance(note, Note) for note in result.notes)
    assert result.lines[-1] == "期限暂停（征求第三方意见），剩余6个工作日"
    with translation.override("en"):
        assert result.lines[-1] == (
            "The clock is paused (consulting a third party) with 6 working days left"
        )


def test_without_explanation_nothing_is_recorded():
    result = run(
        RECEIVED,
        E(K.CORRECTION_REQUESTED, date(2026, 3, 12)),
        E(K.CORRECTION_RECEIVED, date(2026, 3, 13)),
        E(K.FEE_NOTICE_SENT, date(2026, 3, 16)),
        explain=False,
    )
    assert result.notes == [] and result.lines == [] and result.abandoned


# -- properties ----------------------------------------------------------------------------


@st.composite
def timelines(draw: st.DrawFn) -> tuple[list[TimelineEvent], date]:
    """Valid timelines: a receipt and any of the steps that can follow it, in date order."""
    received = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)))
    offset = st.integers(min_value=0, max_value=40)
    steps: list[tuple[int, int, TimelineEvent]] = []  # (day offset, order, event)

    def add(days: int, event: TimelineEvent) -> None:
        steps.append((days, len(steps), event))

    if draw(st.booleans()):
        sent = draw(offset)
        add(sent, E(K.CONSULTATION_SENT, received + timedelta(sent), ref="c", party=Party.AGENCY))
        if draw(st.booleans()):
            answered = sent + draw(offset)
            add(answered, E(K.CONSULTATION_ANSWERED, received + timedelta(answered), ref="c"))
    if draw(st.booleans()):
        noticed = draw(offset)
        add(noticed, E(K.FEE_NOTICE_SENT, received + timedelta(noticed)))
        if draw(st.booleans()):
            paid = noticed + draw(offset)
            add(paid, E(K.FEE_PAID, received + timedelta(paid)))
    if draw(st.booleans()):
        # Within ten calendar days of receipt the period is still running.
        on = draw(st.integers(min_value=0, max_value=10))
        days = draw(st.integers(min_value=1, max_value=periods.EXTENSION_MAX.days))
        add(on, E(K.EXTENSION_APPROVED, received + timedelta(on), days=days))
    if draw(st.booleans()):
        asked = draw(offset)
        add(asked, E(K.CORRECTION_REQUESTED, received + timedelta(asked)))
        if draw(st.booleans()):
            corrected = asked + draw(offset)
            add(corrected, E(K.CORRECTION_RECEIVED, received + timedelta(corrected)))
    events = [E(K.RECEIVED, received)] + [event for *_, event in sorted(steps)]
    return events, received + timedelta(draw(st.integers(min_value=0, max_value=200)))


@given(timelines())
def test_the_due_date_is_never_before_twenty_working_days_from_receipt(case):
    events, today = case
    result = compute_deadline(events, CAL, today=today)
    floor = CAL.provisional_add(events[0].on, periods.REPLY.days).value
    assert result.due is None or result.due >= floor
    assert result.paused == (result.due is None)
    assert result.total == periods.REPLY.days + result.extension_days <= 40
    assert result.remaining == max(result.total - result.used, 0)


@given(timelines())
def test_bulk_mode_agrees_with_the_explained_mode_and_every_line_renders(case):
    events, today = case
    with translation.override("zh-hans"):
        full = compute_deadline(events, CAL, today=today)
        bare = compute_deadline(events, CAL, today=today, explain=False)
        lines = full.lines
    for name in ("due", "used", "remaining", "total", "paused", "pauses", "overdue", "abandoned"):
        assert getattr(full, name) == getattr(bare, name), name
    # Only the explained mode dates the correction notice, which may reach a guessed year.
    assert set(bare.guessed_years) <= set(full.guessed_years)
    assert len(lines) == len(full.notes) and all(lines)
