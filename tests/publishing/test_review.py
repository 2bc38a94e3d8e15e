"""Pre-publication checks and the three-stage review."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Membership, Role
from gongkai.publishing import actions, review
from gongkai.publishing.models import (
    Category,
    ItemStatus,
    ReviewPolicy,
    ReviewStage,
    SensitiveWord,
)
from tests.publishing.reviewing import pass_review


@pytest.fixture
def reviewers(cast):
    return {
        "first": cast.reviewer_a,
        "secret": cast.user("secret_a", cast.a, Role.CONFIDENTIALITY),
        "final": cast.user("final_a", cast.a, Role.REVIEWER_FINAL),
    }


@pytest.fixture
def item(cast):
    category = Category.objects.get(agency=None, code="20-06")
    return actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=category,
        formed_on=date(2026, 3, 2),
        title="行政处罚决定书",
        body="<p>被处罚人：王小明，身份证号11010519491231002X，联系电话13800138000。</p>",
    )


def test_personal_data_blocks_submission_until_masked(item, cast):
    found = [(f.field, f.finding.kind) for f in review.findings(item)]
    assert found == [("body", "name"), ("body", "id_number"), ("body", "mobile")]
    with pytest.raises(ActionError, match="11010519491231002X"):
        actions.submit_for_review(item, actor=cast.officer_a)
    assert actions.mask_findings(item, actor=cast.officer_a) == 3
    item.refresh_from_db()
    assert "王**" in item.body and "1101**********002X" in item.body and "138****8000" in item.body
    assert review.findings(item) == []
    actions.submit_for_review(item, actor=cast.officer_a)


def test_a_reviewer_may_keep_a_finding_with_a_reason(item, cast, reviewers):
    with pytest.raises(ActionError):
        actions.keep_finding(
            item, actor=cast.officer_a, kind="name", text="王小明", reason="惩戒性公示"
        )
    with pytest.raises(ActionError):
        actions.keep_finding(item, actor=reviewers["first"], kind="name", text="王小明", reason=" ")
    actions.keep_finding(
        item, actor=reviewers["first"], kind="name", text="王小明", reason="行政处罚决定依法公示"
    )
    assert [f.finding.kind for f in review.findings(item)] == ["id_number", "mobile"]


def test_three_stages_in_order_then_publication(item, cast, reviewers):
    actions.mask_findings(item, actor=cast.officer_a)
    actions.submit_for_review(item, actor=cast.officer_a)
    with pytest.raises(ActionError, match="初审"):
        actions.review(item, actor=reviewers["final"], decision="approve")
    actions.review(item, actor=reviewers["first"], decision="approve", opinion="同意")
    actions.review(item, actor=reviewers["secret"], decision="approve", opinion="不涉密")
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW and item.review_stage == 3
    actions.review(item, actor=reviewers["final"], decision="approve", opinion="同意发布")
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    actions.publish_item(item, actor=cast.officer_a)
    sheet = list(item.reviews.values_list("stage_name", "reviewer__username", "opinion"))
    assert sheet == [
        ("初审", "reviewer_a", "同意"),
        ("保密审查", "secret_a", "不涉密"),
        ("终审", "final_a", "同意发布"),
    ]


def test_a_return_needs_an_opinion_and_starts_a_new_round(item, cast, reviewers):
    actions.mask_findings(item, actor=cast.officer_a)
    actions.submit_for_review(item, actor=cast.officer_a)
    actions.review(item, actor=reviewers["first"], decision="approve")
    with pytest.raises(ActionError):
        actions.review(item, actor=reviewers["secret"], decision="return", opinion="")
    actions.review(
        item, actor=reviewers["secret"], decision="return", opinion="附件含内部文件，请删除"
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    actions.submit_for_review(item, actor=cast.officer_a)
    item.refresh_from_db()
    assert item.review_round == 2 and item.review_stage == 1


def test_an_agency_may_configure_its_own_stages(item, cast, reviewers):
    ReviewStage.objects.create(agency=cast.a, order=1, name="终审", role=Role.OFFICE_HEAD)
    actions.mask_findings(item, actor=cast.officer_a)
    actions.submit_for_review(item, actor=cast.officer_a)
    actions.review(item, actor=cast.head_a, decision="approve")
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED


def test_sensitive_words_come_from_the_administrators_list(cast):
    SensitiveWord.objects.create(word="内部资料")
    category = Category.objects.get(agency=None, code="20-07")
    item = actions.create_item(
        cast.a, actor=None, category=category, formed_on=date(2026, 3, 2), title="预算（内部资料）"
    )
    assert [(f.field, f.finding.text) for f in review.findings(item)] == [("title", "内部资料")]


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (
            "<table><tr><td>1</td><td>张三</td><td>11010519491231002X</td><td>13812345678</td></tr></table>",
            [("id_number", "11010519491231002X"), ("mobile", "13812345678")],
        ),
        (
            "<p>13812345678<br>13987654321</p>",
            [("mobile", "13812345678"), ("mobile", "13987654321")],
        ),
        ("<p>手机138&nbsp;1234&nbsp;5678</p>", [("mobile", "138 1234 5678")]),
        (
            '<p><a href="mailto:a@example.com" title="身份证11010519491231002X">联系</a></p>',
            [("email", "a@example.com"), ("id_number", "11010519491231002X")],
        ),
    ],
)
def test_personal_data_in_tables_lines_entities_and_attributes_is_found(cast, body, found):
    category = Category.objects.get(agency=None, code="20-07")
    item = actions.create_item(
        cast.a, actor=None, category=category, formed_on=date(2026, 3, 2), title="公示", body=body
    )
    assert [(f.field, f.finding.kind, f.finding.text) for f in review.findings(item)] == [
        ("body", kind, text) for kind, text in found
    ]
    with pytest.raises(ActionError):
        actions.submit_for_review(item, actor=cast.officer_a)


def test_masking_is_for_staff_on_drafts_only(item, cast, reviewers):
    with pytest.raises(ActionError):
        actions.mask_findings(item, actor=cast.supervisor)
    actions.keep_finding(
        item, actor=reviewers["first"], kind="name", text="王小明", reason="依法公示"
    )
    actions.keep_finding(
        item,
        actor=reviewers["first"],
        kind="id_number",
        text="11010519491231002X",
        reason="依法公示",
    )
    actions.keep_finding(
        item, actor=reviewers["first"], kind="mobile", text="13800138000", reason="依法公示"
    )
    actions.submit_for_review(item, actor=cast.officer_a)
    with pytest.raises(ActionError):
        actions.mask_findings(item, actor=cast.officer_a)


# -- separation of duties, configured stages, changes and withdrawals -------------------
def test_the_drafter_cannot_decide_any_stage_of_their_own_item(cast, reviewers):
    """The officer who drafted the item also holds every reviewer role: still refused."""
    for role in (Role.REVIEWER_FIRST, Role.CONFIDENTIALITY, Role.REVIEWER_FINAL):
        Membership.objects.create(user=cast.officer_a, agency=cast.a, role=role)
    category = Category.objects.get(agency=None, code="20-07")
    own = actions.create_item(
        cast.a, actor=cast.officer_a, category=category, formed_on=date(2026, 3, 2), title="预算"
    )
    actions.submit_for_review(own, actor=cast.officer_a)
    with pytest.raises(ActionError, match="拟稿人不能审核本人起草的信息（初审）"):
        actions.review(own, actor=cast.officer_a, decision="approve")
    assert review.may_decide(own, cast.officer_a) is None
    assert own not in review.items_awaiting_review(cast.officer_a)
    assert own in review.items_awaiting_review(reviewers["first"])
    actions.review(own, actor=reviewers["first"], decision="approve")
    own.refresh_from_db()
    with pytest.raises(ActionError, match="保密审查"):
        actions.review(own, actor=cast.officer_a, decision="approve")


def test_one_person_cannot_decide_two_stages_unless_the_office_is_one_person(item, cast):
    both = cast.user("both_a", cast.a, Role.REVIEWER_FIRST)
    Membership.objects.create(user=both, agency=cast.a, role=Role.CONFIDENTIALITY)
    final = cast.user("final_a", cast.a, Role.REVIEWER_FINAL)
    actions.mask_findings(item, actor=cast.officer_a)
    actions.submit_for_review(item, actor=cast.officer_a)
    actions.review(item, actor=both, decision="approve", opinion="同意")
    with pytest.raises(ActionError, match="您已审核本条信息的“初审”环节"):
        actions.review(item, actor=both, decision="approve")
    assert both not in [r.reviewer for r in item.reviews.filter(stage_name="保密审查")]
    ReviewPolicy.objects.create(agency=cast.a, one_person_office=True)
    entry = actions.review(item, actor=both, decision="approve")
    assert entry.same_person
    actions.review(item, actor=final, decision="approve")
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED


def test_every_decision_records_who_when_and_the_opinion(item, cast, reviewers):
    actions.mask_findings(item, actor=cast.officer_a)
    actions.submit_for_review(item, actor=cast.officer_a)
    with pytest.raises(ActionError, match="退回"):
        actions.review(item, actor=reviewers["first"], decision="return", opinion=" ")
    entry = actions.review(item, actor=reviewers["first"], decision="approve")
    assert entry.reviewer == reviewers["first"] and entry.at is not None and entry.opinion == ""


def test_a_workflow_must_include_the_confidentiality_review_and_existing_roles(cast):
    without = [review.Stage(1, "初审", Role.REVIEWER_FIRST), review.Stage(2, "终审", "final")]
    with pytest.raises(ActionError) as refused:
        actions.save_review_workflow(cast.a, without, actor=cast.head_a, one_person_office=False)
    text = "；".join(refused.value.messages)
    assert "第十七条" in text and "保密审查" in text and "角色“final”不存在" in text
    with pytest.raises(ActionError):  # an officer may not change the workflow
        actions.save_review_workflow(
            cast.a,
            [review.Stage(1, "保密审查", Role.CONFIDENTIALITY)],
            actor=cast.officer_a,
            one_person_office=False,
        )
    workflow = [
        review.Stage(1, "初审", Role.REVIEWER_FIRST),
        review.Stage(2, "复审", Role.REVIEWER_SECOND),
        review.Stage(3, "保密审查", Role.CONFIDENTIALITY),
    ]
    actions.save_review_workflow(cast.a, workflow, actor=cast.head_a, one_person_office=False)
    assert review.agency_stages(cast.a) == tuple(workflow)


def test_an_item_in_review_keeps_the_stages_it_was_submitted_with(item, cast, reviewers):
    actions.mask_findings(item, actor=cast.officer_a)
    actions.submit_for_review(item, actor=cast.officer_a)
    actions.save_review_workflow(
        cast.a,
        [review.Stage(1, "保密审查", Role.CONFIDENTIALITY)],
        actor=cast.head_a,
        one_person_office=False,
    )
    item.refresh_from_db()
    assert [s.name for s in review.stages(item)] == ["初审", "保密审查", "终审"]
    actions.review(item, actor=reviewers["first"], decision="approve")


def test_a_change_to_a_published_item_is_reviewed_before_the_public_sees_it(cast, stage_reviewers):
    category = Category.objects.get(agency=None, code="20-07")
    item = actions.create_item(
        cast.a, actor=cast.officer_a, category=category, formed_on=date(2026, 3, 2), title="预算"
    )
    actions.submit_for_review(item, actor=cast.officer_a)
    pass_review(item, stage_reviewers)
    actions.publish_item(item, actor=cast.officer_a)
    change = actions.change_item(
        item, actor=cast.officer_a, reason="补充文号", doc_no="测甲〔2026〕1号"
    )
    item.refresh_from_db()
    assert item.doc_no == "" and item.status == ItemStatus.PUBLISHED
    with pytest.raises(ActionError, match="已有变更或撤回正在审核中"):
        actions.change_item(item, actor=cast.officer_a, reason="再改", title="新")
    with pytest.raises(ActionError, match="拟稿人"):
        Membership.objects.create(user=cast.officer_a, agency=cast.a, role=Role.REVIEWER_FIRST)
        actions.review(item, actor=cast.officer_a, decision="approve")
    actions.review(
        item, actor=stage_reviewers[Role.REVIEWER_FIRST], decision="return", opinion="文号有误"
    )
    change.refresh_from_db()
    assert change.status == "returned"
    actions.change_item(item, actor=cast.officer_a, reason="补充文号", doc_no="测甲〔2026〕2号")
    pass_review(item, stage_reviewers)
    assert item.doc_no == "测甲〔2026〕2号"
    assert list(item.versions.values_list("action", "reason")) == [
        ("published", ""),
        ("changed", "补充文号"),
    ]
    rounds = list(item.reviews.filter(change__isnull=False).values_list("round", "decision"))
    assert rounds[0] == (1, "return") and {r for r, _ in rounds[1:]} == {2}


def test_a_withdrawal_needs_the_office_heads_approval(cast, stage_reviewers):
    category = Category.objects.get(agency=None, code="20-07")
    item = actions.create_item(
        cast.a, actor=cast.officer_a, category=category, formed_on=date(2026, 3, 2), title="预算"
    )
    actions.submit_for_review(item, actor=cast.officer_a)
    pass_review(item, stage_reviewers)
    actions.publish_item(item, actor=cast.officer_a)
    assert list(item.channels.values_list("channel", flat=True)) == ["portal"]
    actions.withdraw_item(item, actor=cast.officer_a, reason="已被新文件替代")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    with pytest.raises(ActionError, match="撤回审批"):
        actions.review(item, actor=stage_reviewers[Role.REVIEWER_FINAL], decision="approve")
    assert item in review.items_awaiting_review(cast.head_a)
    actions.review(item, actor=cast.head_a, decision="approve", opinion="同意撤回")
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert item.versions.get(number=2).reason == "已被新文件替代"
