"""Demo catalog items: published, in review, a draft with personal data (used by seed_demo)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.orgs.models import Agency, Role, User
from gongkai.publishing import actions, register, review
from gongkai.publishing.models import (
    Category,
    Channel,
    InfoItem,
    InterpretationForm,
    NormativeDocument,
    NormativeKind,
    PublicationSchedule,
    WithheldReason,
)

ITEMS = [
    (
        "20-07",
        "青山县教育局2026年部门预算",
        "<p>根据县财政局批复，现将本局2026年部门预算公开如下……</p>",
        40,
    ),
    (
        "20-01",
        "青山县教育局关于规范校外培训机构管理的通知",
        "<p>各乡镇中心学校、县直各学校：为进一步规范……</p>",
        25,
    ),
    ("20-05", "教师资格认定办事指南", "<p>一、办理依据……二、办理条件……三、办理流程……</p>", 12),
]


@transaction.atomic
def create() -> int:
    agency = Agency.objects.get(code="qsx-jyj")
    if InfoItem.objects.filter(agency=agency).exists():
        return 0
    officer = User.objects.get(username="jyj_jbr")
    head = User.objects.get(username="jyj_fzr")
    # 三审 and 保密审查, each stage by its own person (separation of duties).
    workflow = [
        review.Stage(1, "初审", Role.REVIEWER_FIRST),
        review.Stage(2, "复审", Role.REVIEWER_SECOND),
        review.Stage(3, "保密审查", Role.CONFIDENTIALITY),
        review.Stage(4, "终审", Role.REVIEWER_FINAL),
    ]
    actions.save_review_workflow(agency, workflow, actor=head, one_person_office=False)
    by_role: dict[str, User] = {
        Role.REVIEWER_FIRST: User.objects.get(username="jyj_cs"),
        Role.REVIEWER_SECOND: User.objects.get(username="jyj_fs"),
        Role.CONFIDENTIALITY: User.objects.get(username="jyj_bm"),
        Role.REVIEWER_FINAL: User.objects.get(username="jyj_zs"),
    }
    opinions: dict[str, str] = {
        Role.REVIEWER_FIRST: "内容准确，同意",
        Role.REVIEWER_SECOND: "同意",
        Role.CONFIDENTIALITY: "不涉及国家秘密，同意公开",
        Role.REVIEWER_FINAL: "同意发布",
    }
    today = timezone.localdate()
    published = []
    for code, title, body, days_ago in ITEMS:
        item = actions.create_item(
            agency,
            actor=officer,
            category=Category.objects.get(agency=None, code=code),
            formed_on=today - timedelta(days=days_ago),
            title=title,
            body=body,
        )
        actions.submit_for_review(item, actor=officer)
        for stage in workflow:
            actions.review(
                item, actor=by_role[stage.role], decision="approve", opinion=opinions[stage.role]
            )
        actions.publish_item(item, actor=officer)
        actions.record_channel(
            item, actor=officer, channel=Channel.WECHAT, published_on=today, address="青山教育"
        )
        published.append(item)
    InfoItem.objects.filter(pk=published[1].pk).update(needs_interpretation=True)
    notice = InfoItem.objects.get(pk=published[1].pk)
    actions.add_interpretation(
        notice,
        actor=officer,
        form=InterpretationForm.GRAPHIC,
        title="一图读懂《关于规范校外培训机构管理的通知》",
        published_on=today,
        address="https://www.qingshan.gov.cn/zwgk/jd/1.html",
    )
    register.save_document(
        NormativeDocument(
            agency=agency,
            kind=NormativeKind.NORMATIVE_DOCUMENT,
            title=notice.title,
            doc_no="青教发〔2026〕3号",
            item=notice,
            drafted_on=today - timedelta(days=90),
            legality_reviewed_on=today - timedelta(days=60),
            deliberated_on=today - timedelta(days=45),
            issued_on=today - timedelta(days=25),
            filed_on=today - timedelta(days=20),
            filed_with="青山县司法局",
            effective_on=today - timedelta(days=25),
        ),
        actor=officer,
    )
    register.save_figures(
        agency, today.year - 1, actor=officer, licensing_decisions=86, penalty_decisions=4,
        coercion_decisions=0,
    )  # fmt: skip
    PublicationSchedule.objects.get_or_create(
        agency=agency.parent or agency, defaults={"submit_day": 15, "publish_day": 20}
    )
    actions.create_item(
        agency,
        actor=officer,
        category=Category.objects.get(agency=None, code="20-01"),
        formed_on=today - timedelta(days=400),
        title="关于某校长任免的请示（内部）",
        disclosure="withheld",
        withheld_reason=WithheldReason.PROCESS_INFORMATION,
    )
    in_review = actions.create_item(
        agency,
        actor=officer,
        category=Category.objects.get(agency=None, code="20-11"),
        formed_on=today - timedelta(days=5),
        title="2026年秋季学期学生资助政策",
        body="<p>家庭经济困难学生资助申请办法……</p>",
    )
    actions.submit_for_review(in_review, actor=officer)
    actions.review(
        in_review, actor=by_role[Role.REVIEWER_FIRST], decision="approve", opinion="同意，请复审"
    )
    actions.create_item(
        agency,
        actor=officer,
        category=Category.objects.get(agency=None, code="20-06"),
        formed_on=today - timedelta(days=2),
        title="行政处罚决定书（民办培训机构违规办学）",
        body="<p>当事人：张某某，身份证号11010519491231002X，联系电话13800138000。</p>",
    )
    return InfoItem.objects.filter(agency=agency).count()
