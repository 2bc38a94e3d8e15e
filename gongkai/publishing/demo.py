"""Demo catalog items: published, in review, a draft with personal data (used by seed_demo)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.orgs.models import Agency, User
from gongkai.publishing import actions, review
from gongkai.publishing.models import Category, InfoItem

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
    reviewers = [User.objects.get(username=u) for u in ("jyj_cs", "jyj_bm", "jyj_zs")]
    today = timezone.localdate()
    for code, title, body, days_ago in ITEMS:
        item = actions.create_item(
            agency,
            actor=officer,
            category=Category.objects.get(agency=None, code=code),
            formed_on=today - timedelta(days=days_ago),
            title=title,
            body=body,
        )
        review.submit_for_review(item, actor=officer)
        for reviewer in reviewers:
            review.review(item, actor=reviewer, decision="approve", opinion="同意")
        actions.publish_item(item, actor=officer)
    in_review = actions.create_item(
        agency,
        actor=officer,
        category=Category.objects.get(agency=None, code="20-11"),
        formed_on=today - timedelta(days=5),
        title="2026年秋季学期学生资助政策",
        body="<p>家庭经济困难学生资助申请办法……</p>",
    )
    review.submit_for_review(in_review, actor=officer)
    review.review(in_review, actor=reviewers[0], decision="approve", opinion="同意，请保密审查")
    actions.create_item(
        agency,
        actor=officer,
        category=Category.objects.get(agency=None, code="20-06"),
        formed_on=today - timedelta(days=2),
        title="行政处罚决定书（民办培训机构违规办学）",
        body="<p>当事人：张某某，身份证号11010519491231002X，联系电话13800138000。</p>",
    )
    return InfoItem.objects.filter(agency=agency).count()
