"""Demo records of the other disclosure work (used by seed_demo, before the annual
reports so that their first drafts are written from these records), and one record of
each kind for the tests that request every back-office page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.orgs.models import Agency, User
from gongkai.records import actions
from gongkai.records.models import (
    Comment,
    CommentStatus,
    Concern,
    Consultation,
    ConsultationKind,
    Handling,
    Message,
    MessageCategory,
    MessageChannel,
    MessageStatus,
    PressEvent,
    PressKind,
    Proposal,
    ProposalKind,
    ProposalResult,
    ReplyDisclosure,
    ResponseForm,
    Severity,
    Staffing,
    Training,
    TrainingKind,
)

# agency code → its officer's user name and the words its records use
AGENCIES = {
    "qsx-jyj": ("jyj_jbr", "义务教育", "教育局"),
    "qsx-czj": ("czj_jbr", "财政预算", "财政局"),
    "qsx-lyj": ("lyj_jbr", "林长制", "林业局"),
    "qsx-cgz": ("cgz_jbr", "老旧小区改造", "城关镇"),
}


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def one_of_each(agency: Agency, *, actor: User | None) -> dict[str, Any]:
    """One record of each kind dated around today, and a comment awaiting moderation."""
    today = timezone.localdate()
    consultation = actions.save_record(
        Consultation(
            agency=agency,
            kind=ConsultationKind.MAJOR_DECISION,
            title="学区划分调整方案（征求意见稿）",
            draft="第一条 为优化教育资源配置……",
            explanation="根据城区人口变化，拟调整部分学区范围。",
            opens_on=today - timedelta(days=5),
            closes_on=today + timedelta(days=30),
        ),
        actor=actor,
    )
    actions.publish_consultation(consultation, actor=actor)
    comment = actions.submit_comment(
        consultation, actions.CommentInput(name="张三", text="建议保留原学区的过渡期。")
    )
    received = timezone.now() - timedelta(days=2)
    records: dict[str, Any] = {
        "consultations": consultation,
        "comment": comment,
        "concerns": Concern(
            agency=agency,
            topic="校车安全",
            noticed_at=received,
            responded_at=received + timedelta(hours=20),
            response_form=ResponseForm.PRESS_RELEASE,
        ),
        "messages": Message(
            agency=agency,
            channel=MessageChannel.HOTLINE,
            number=f"{today:%Y%m%d}0001",
            received_at=received,
            category=MessageCategory.CONSULTATION,
            subject="入学报名时间",
        ),
        "press": PressEvent(
            agency=agency,
            kind=PressKind.PRESS_CONFERENCE,
            held_on=today,
            topic="秋季招生政策",
            speakers="局长",
            principal_leader=True,
        ),
        "proposals": Proposal(
            agency=agency,
            kind=ProposalKind.NPC,
            number="第1号",
            title="关于增加学位供给的建议",
            handling=Handling.LEAD,
            received_on=today - timedelta(days=10),
        ),
        "training": Training(
            agency=agency,
            kind=TrainingKind.TRAINING,
            held_on=today,
            title="政务公开业务培训",
            participants=30,
        ),
        "staffing": Staffing(agency=agency, year=today.year, full_time=1, part_time=2),
    }
    for key, obj in records.items():
        if key not in ("consultations", "comment"):
            records[key] = actions.save_record(obj, actor=actor)
    return records


def _year_of_records(agency: Agency, actor: User, year: int, topic: str, name: str) -> int:
    """A year of each kind for one agency: what a department's section 一 and 六 report."""
    made: list[Any] = []
    # 意见征集: one closed with feedback published.
    opens = date(year, 4, 1)
    consultation = actions.save_record(
        Consultation(
            agency=agency,
            kind=ConsultationKind.NORMATIVE,
            title=f"关于{topic}工作的实施意见（征求意见稿）",
            draft=f"为做好{topic}工作，结合本县实际，制定本意见。",
            explanation=f"起草说明：{topic}工作涉及群众切身利益，现公开征求意见。",
            how_to_comment="可通过本页面留言，或发送电子邮件至 gk@example.gov.cn。",
            opens_on=opens,
            closes_on=opens + timedelta(days=30),
            offline_comments=2,
        ),
        actor=actor,
    )
    Consultation.objects.filter(pk=consultation.pk).update(published_at=_at(opens, 9))
    for i, text in enumerate(
        ("建议明确实施时间表。", "建议增加资金保障条款。", "建议简化办理流程。")
    ):
        Comment.objects.create(
            consultation=consultation,
            text=text,
            shown_text=text,
            submitted_at=_at(opens + timedelta(days=3 + i), 10),
            status=CommentStatus.SHOWN,
            adopted=i < 2,
            moderated_by=actor,
            moderated_at=_at(opens + timedelta(days=4 + i), 10),
        )
    Consultation.objects.filter(pk=consultation.pk).update(
        feedback="共收到意见建议5条，采纳2条（明确实施时间表、增加资金保障条款）；"
        "其余意见因与上位法规定不一致未予采纳，已在起草说明中作出解释。",
        adopted_comments=2,
        feedback_published_at=_at(opens + timedelta(days=40), 9),
    )
    made.append(consultation)
    # 回应关切: three, one answered late.
    for month, hours, severity in ((3, 6, Severity.OTHER), (6, 30, Severity.OTHER),
                                   (9, 60, Severity.OTHER)):  # fmt: skip
        noticed = _at(date(year, month, 10), 9)
        made.append(
            Concern(
                agency=agency,
                topic=f"网民关注{topic}相关问题（{month}月）",
                severity=severity,
                noticed_at=noticed,
                responded_at=noticed + timedelta(hours=hours),
                response_form=ResponseForm.PRESS_RELEASE,
                response="通过政府网站发布情况说明。",
            )
        )
    # 政务咨询投诉: a dozen hotline and mailbox messages.
    categories = list(MessageCategory.values)
    for i in range(12):
        received = _at(date(year, i + 1, 5), 10)
        made.append(
            Message(
                agency=agency,
                channel=MessageChannel.HOTLINE if i % 3 else MessageChannel.MAILBOX,
                number=f"{year}{i + 1:02d}05{agency.pk:03d}{i:02d}",
                received_at=received,
                answered_at=received + timedelta(days=3 + i % 5 * 4),
                category=categories[i % len(categories)],
                status=MessageStatus.CLOSED,
                subject=f"{topic}咨询（{i + 1}月）",
                answer="已答复来电人。",
            )
        )
    # 新闻发布会、在线访谈
    made.append(
        PressEvent(
            agency=agency,
            kind=PressKind.PRESS_CONFERENCE,
            held_on=date(year, 5, 20),
            topic=f"{topic}政策新闻发布会",
            speakers=f"{name}主要负责人",
            principal_leader=True,
        )
    )
    made.append(
        PressEvent(
            agency=agency,
            kind=PressKind.ONLINE_INTERVIEW,
            held_on=date(year, 10, 15),
            topic=f"{topic}在线访谈",
            speakers=f"{name}分管负责人",
        )
    )
    # 人大代表建议、政协委员提案
    for i, (kind, result) in enumerate(
        ((ProposalKind.NPC, ProposalResult.SOLVED), (ProposalKind.NPC, ProposalResult.IN_PROGRESS),
         (ProposalKind.CPPCC, ProposalResult.SOLVED))
    ):  # fmt: skip
        received_on = date(year, 3, 15 + i)
        made.append(
            Proposal(
                agency=agency,
                kind=kind,
                number=f"第{i + 11}号",
                title=f"关于加强{topic}工作的{'建议' if kind == ProposalKind.NPC else '提案'}",
                handling=Handling.LEAD if i != 1 else Handling.CO,
                received_on=received_on,
                answered_on=received_on + timedelta(days=60),
                result=result,
                disclosure=ReplyDisclosure.FULL,
                published_on=received_on + timedelta(days=70),
            )
        )
    # 会议与培训
    made.append(
        Training(
            agency=agency,
            kind=TrainingKind.TRAINING,
            held_on=date(year, 4, 18),
            title="政务公开业务培训",
            participants=35,
        )
    )
    made.append(
        Training(
            agency=agency,
            kind=TrainingKind.MEETING,
            held_on=date(year, 2, 26),
            title="政务公开工作专题会议",
            participants=20,
        )
    )
    # 机构与人员、经费
    made.append(
        Staffing(
            agency=agency,
            year=year,
            office=f"{name}办公室",
            full_time=1,
            part_time=2,
            budget=Decimal("2.50"),
        )
    )
    actions.create_many(made[1:], actor=actor, step="demo")
    # Two answered messages on the portal's monthly summary (texts without personal data).
    for message in [m for m in made if isinstance(m, Message)][:2]:
        actions.publish_message(
            message,
            actor=actor,
            summary=f"市民来电咨询{topic}相关政策的适用范围和办理渠道。",
            answer=f"{name}已按现行政策答复适用范围，并告知可通过政务服务中心窗口办理。",
        )
    return len(made)


@transaction.atomic
def create() -> int:
    """Two years of records for the demo's departments, once."""
    this_year = timezone.localdate().year
    total = 0
    for code, (username, topic, name) in AGENCIES.items():
        agency = Agency.objects.filter(code=code).first()
        actor = User.objects.filter(username=username).first()
        if agency is None or actor is None or Staffing.objects.filter(agency=agency).exists():
            continue
        for year in (this_year - 2, this_year - 1):
            total += _year_of_records(agency, actor, year, topic, name)
    return total
