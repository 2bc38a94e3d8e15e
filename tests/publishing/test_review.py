"""Pre-publication checks and the three-stage review."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Role
from gongkai.publishing import actions, review
from gongkai.publishing.models import Category, ItemStatus, ReviewStage, SensitiveWord


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
