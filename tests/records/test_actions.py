"""The one writer of the records: roles, dates in order, the consultation's flow, audit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from gongkai.audit.models import Action, AuditEntry
from gongkai.lib.errors import ActionError
from gongkai.orgs.models import LockState, YearLock
from gongkai.records import actions
from gongkai.records.models import (
    CommentStatus,
    Concern,
    Consultation,
    ConsultationKind,
    Message,
    MessageCategory,
    MessageChannel,
    MessageStatus,
    PressEvent,
    PressKind,
    Proposal,
    ProposalKind,
    ReplyDisclosure,
    Severity,
    Staffing,
    Training,
    TrainingKind,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = "2026-03-20 10:00 +0800"


def at(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def consultation(cast, **fields) -> Consultation:
    values = {
        "agency": cast.a,
        "kind": ConsultationKind.MAJOR_DECISION,
        "title": "学区划分调整方案（征求意见稿）",
        "draft": "第一条",
        "explanation": "说明",
        "opens_on": date(2026, 3, 1),
        "closes_on": date(2026, 3, 31),
        **fields,
    }
    return Consultation(**values)


def records_of_each_kind(cast):
    a = cast.a
    return [
        consultation(cast),
        Concern(agency=a, topic="校车", noticed_at=at(2026, 3, 1, 9)),
        Message(
            agency=a,
            channel=MessageChannel.HOTLINE,
            number="1",
            received_at=at(2026, 3, 1, 9),
            category=MessageCategory.CONSULTATION,
            subject="入学",
        ),
        PressEvent(
            agency=a, kind=PressKind.PRESS_CONFERENCE, held_on=date(2026, 3, 2), topic="招生",
            speakers="局长",
        ),
        Proposal(
            agency=a, kind=ProposalKind.NPC, number="1", title="建议", handling="lead",
            received_on=date(2026, 3, 1),
        ),
        Training(agency=a, kind=TrainingKind.TRAINING, held_on=date(2026, 3, 3), title="培训"),
        Staffing(agency=a, year=2026, full_time=1),
    ]  # fmt: skip


@pytest.mark.django_db
def test_every_kind_is_saved_by_staff_and_audited(cast):
    for obj in records_of_each_kind(cast):
        saved = actions.save_record(obj, actor=cast.officer_a)
        assert saved.pk and saved.created_by == cast.officer_a
        entry = AuditEntry.objects.filter(action=Action.RECORDS_STEP).latest("id")
        assert entry.detail["step"] == "created"
        assert entry.detail["kind"] == obj._meta.model_name
        assert entry.agency_id == cast.a.pk


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_b", "reviewer_a", "supervisor"])
def test_only_the_agencys_staff_write(cast, who):
    for obj in records_of_each_kind(cast):
        with pytest.raises(ActionError, match="公开工作人员"):
            actions.save_record(obj, actor=getattr(cast, who))
    assert not AuditEntry.objects.filter(action=Action.RECORDS_STEP).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("obj", "field"),
    [
        (lambda c: Concern(agency=c.a, topic="x", noticed_at=at(2026, 3, 2, 9),
                           responded_at=at(2026, 3, 1, 9)), "responded_at"),
        (lambda c: Message(agency=c.a, channel="hotline", number="9", category="other",
                           subject="x", received_at=at(2026, 3, 2, 9),
                           answered_at=at(2026, 3, 1, 9), status="closed"), "answered_at"),
        (lambda c: Proposal(agency=c.a, kind="npc", number="2", title="x", handling="lead",
                            received_on=date(2026, 3, 2), answered_on=date(2026, 3, 1)),
         "answered_on"),
        (lambda c: consultation(c, closes_on=date(2026, 2, 1)), "closes_on"),
    ],
)  # fmt: skip
def test_dates_out_of_order_are_refused_with_the_field_named(cast, obj, field):
    with pytest.raises(ActionError) as refused:
        actions.save_record(obj(cast), actor=cast.officer_a)
    assert field in refused.value.message_dict
    assert "早于" in refused.value.message_dict[field][0]


@pytest.mark.django_db
def test_an_answered_message_needs_its_answer_time(cast):
    message = Message(
        agency=cast.a, channel="hotline", number="3", category="other", subject="x",
        received_at=at(2026, 3, 2, 9), status=MessageStatus.CLOSED,
    )  # fmt: skip
    with pytest.raises(ActionError) as refused:
        actions.save_record(message, actor=cast.officer_a)
    assert "answered_at" in refused.value.message_dict


@pytest.mark.django_db
def test_a_reply_not_public_needs_a_reason(cast):
    proposal = Proposal(
        agency=cast.a, kind="cppcc", number="5", title="提案", handling="co",
        received_on=date(2026, 3, 1), disclosure=ReplyDisclosure.NOT_PUBLIC,
    )  # fmt: skip
    with pytest.raises(ActionError) as refused:
        actions.save_record(proposal, actor=cast.officer_a)
    assert "not_public_reason" in refused.value.message_dict
    proposal.not_public_reason = "涉及国家秘密"
    assert actions.save_record(proposal, actor=cast.officer_a).pk


@pytest.mark.django_db
def test_a_duplicate_number_is_refused_in_chinese(cast):
    first, second = (
        Message(agency=cast.a, channel="hotline", number="7", category="other", subject=s,
                received_at=at(2026, 3, 2, 9))
        for s in ("a", "b")
    )  # fmt: skip
    actions.save_record(first, actor=cast.officer_a)
    with pytest.raises(ActionError, match="已有相同记录"):
        actions.save_record(second, actor=cast.officer_a)


@pytest.mark.django_db
def test_a_major_decision_is_open_30_days_unless_a_reason_is_given(cast):
    short = consultation(cast, closes_on=date(2026, 3, 20))  # 20 days
    with pytest.raises(ActionError) as refused:
        actions.save_record(short, actor=cast.officer_a)
    message = refused.value.message_dict["short_period_reason"][0]
    assert "20 日" in message and "30 日" in message and "第十五条" in message
    short.short_period_reason = "因防汛工作紧急，需缩短征求意见期限"
    assert actions.save_record(short, actor=cast.officer_a).pk
    assert actions.save_record(consultation(cast), actor=cast.officer_a).pk  # 31 days


@pytest.mark.django_db
def test_a_normative_document_counts_working_days(cast):
    # 2026-03-02 (Monday) to 2026-03-06: 5 working days; to 2026-03-10: 7.
    five = consultation(
        cast, kind=ConsultationKind.NORMATIVE, opens_on=date(2026, 3, 2), closes_on=date(2026, 3, 6)
    )
    with pytest.raises(ActionError, match="5 个工作日"):
        actions.save_record(five, actor=cast.officer_a)
    five.closes_on = date(2026, 3, 10)
    assert actions.save_record(five, actor=cast.officer_a).pk


@pytest.mark.django_db
def test_a_record_of_a_locked_year_is_refused(cast):
    YearLock.objects.create(agency=cast.a, year=2025, rollup=False, state=LockState.PUBLISHED)
    training = Training(agency=cast.a, kind="meeting", held_on=date(2025, 5, 1), title="会议")
    with pytest.raises(ActionError, match="2025"):
        actions.save_record(training, actor=cast.officer_a)
    training.held_on = date(2026, 1, 5)
    assert actions.save_record(training, actor=cast.officer_a).pk
    training.held_on = date(2025, 12, 1)  # moving it back into the locked year
    with pytest.raises(ActionError):
        actions.save_record(training, actor=cast.officer_a)


@pytest.mark.django_db
def test_the_consultation_flow(cast, time_machine):
    found = actions.save_record(consultation(cast), actor=cast.officer_a)
    with pytest.raises(ActionError, match="不在征求意见期"):
        actions.submit_comment(found, actions.CommentInput(text="意见"))
    actions.publish_consultation(found, actor=cast.officer_a)
    with pytest.raises(ActionError, match="已在门户网站公布"):
        actions.publish_consultation(found, actor=cast.officer_a)
    with pytest.raises(ActionError) as refused:
        actions.submit_comment(found, actions.CommentInput(text="  "))
    assert "text" in refused.value.message_dict
    first = actions.submit_comment(
        found,
        actions.CommentInput(
            text="我的电话13912345678，建议延长过渡期。",
            findings=[{"kind": "mobile", "text": "13912345678", "start": 5, "end": 16}],
            masked_text="我的电话139****5678，建议延长过渡期。",
        ),
    )
    assert first.status == CommentStatus.PENDING
    assert first.shown_text == "我的电话139****5678，建议延长过渡期。"
    second = actions.submit_comment(found, actions.CommentInput(name="李四", text="赞成。"))
    with pytest.raises(ActionError, match="征求意见期结束后"):
        actions.publish_feedback(found, actor=cast.officer_a, feedback="采纳情况")
    time_machine.move_to("2026-04-02 10:00 +0800", tick=False)
    with pytest.raises(ActionError, match="不在征求意见期"):
        actions.submit_comment(found, actions.CommentInput(text="迟到的意见"))
    with pytest.raises(ActionError, match="先审核全部意见"):
        actions.publish_feedback(found, actor=cast.officer_a, feedback="采纳情况")
    with pytest.raises(ActionError):
        actions.moderate_comment(first, actor=cast.officer_b, show=True)
    actions.moderate_comment(first, actor=cast.officer_a, show=True, adopted=True)
    actions.moderate_comment(second, actor=cast.officer_a, show=False, adopted=False)
    with pytest.raises(ActionError, match="不能多于"):
        actions.publish_feedback(found, actor=cast.officer_a, feedback="x", adopted=5)
    published = actions.publish_feedback(
        found, actor=cast.officer_a, feedback="共收到意见2条，采纳1条。"
    )
    assert published.adopted_comments == 1 and published.feedback_published_at
    with pytest.raises(ActionError, match="不能再修改"):
        actions.moderate_comment(second, actor=cast.officer_a, show=True)
    with pytest.raises(ActionError, match="不能再修改"):
        actions.save_record(published, actor=cast.officer_a)
    steps = list(
        AuditEntry.objects.filter(action=Action.RECORDS_STEP)
        .order_by("id")
        .values_list("detail__step", flat=True)
    )
    assert steps == [
        "created", "published", "comment_received", "comment_received", "comment_moderated",
        "comment_moderated", "feedback_published",
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_agency_may_require_name_and_contact(cast):
    rules = actions.settings_for(cast.a)
    rules.comment_name_required = rules.comment_contact_required = True
    with pytest.raises(ActionError):
        actions.save_settings(rules, actor=cast.officer_a)  # not the head
    actions.save_settings(rules, actor=cast.head_a)
    found = actions.save_record(consultation(cast), actor=cast.officer_a)
    actions.publish_consultation(found, actor=cast.officer_a)
    with pytest.raises(ActionError) as refused:
        actions.submit_comment(found, actions.CommentInput(text="意见"))
    assert set(refused.value.message_dict) == {"name", "contact"}
    assert actions.submit_comment(
        found, actions.CommentInput(name="王五", contact="wang@example.com", text="意见")
    ).pk


@pytest.mark.django_db
def test_late_responses_against_the_configurable_limits(cast):
    concern = Concern(
        agency=cast.a, topic="x", noticed_at=at(2026, 3, 1, 9), responded_at=at(2026, 3, 2, 21)
    )  # 36 hours
    assert not concern.is_late()  # 48 h for other concern
    concern.severity = Severity.SEVERE
    assert concern.is_late()  # 24 h for a major emergency
    rules = actions.settings_for(cast.a)
    rules.severe_response_hours = 48
    assert not concern.is_late(rules)
    assert concern.response_hours() == 36.0
    open_concern = Concern(agency=cast.a, topic="y", noticed_at=at(2026, 3, 1, 9))
    assert open_concern.is_late(now=at(2026, 3, 4, 9))
    assert not open_concern.is_late(now=at(2026, 3, 1, 10))
    message = Message(agency=cast.a, received_at=at(2026, 3, 1, 9))
    assert message.is_late(now=at(2026, 3, 17, 9)) and not message.is_late(now=at(2026, 3, 15, 9))
    assert timedelta(days=rules.message_reply_days) == timedelta(days=15)
