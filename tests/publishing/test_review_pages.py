"""The 系统管理 page of review stages, and the item page's decisions."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from gongkai.orgs.models import Role
from gongkai.publishing import actions, review
from gongkai.publishing.models import Category, ReviewStage
from tests.publishing.reviewing import pass_review


def rows(*stages: tuple[bool, str, str]) -> dict[str, str]:
    data = {
        "stage-TOTAL_FORMS": str(len(stages)),
        "stage-INITIAL_FORMS": "0",
        "stage-MIN_NUM_FORMS": "0",
        "stage-MAX_NUM_FORMS": "20",
    }
    for n, (use, name, role) in enumerate(stages):
        data.update({f"stage-{n}-order": str(n + 1), f"stage-{n}-name": name})
        data[f"stage-{n}-role"] = role
        if use:
            data[f"stage-{n}-use"] = "on"
    return data


def test_the_page_offers_the_second_stage_and_refuses_a_workflow_without_confidentiality(
    client, cast
):
    url = reverse("publishing:review_settings")
    client.force_login(cast.officer_a)
    assert client.get(url).status_code == 403
    client.force_login(cast.head_a)
    page = client.get(url).content.decode()
    assert page.count("data-stage-row") == 6  # 初审, 复审 (offered), 保密审查, 终审, 2 blank
    assert 'value="复审"' in page and "审核环节" in page
    assert "data-unstaffed" in page  # nobody holds 保密审查 or 终审 in agency A yet
    response = client.post(
        url, rows((True, "初审", Role.REVIEWER_FIRST), (True, "终审", Role.REVIEWER_FINAL))
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "第十七条" in text and 'value="终审"' in text  # the input is kept
    assert not ReviewStage.objects.exists()
    response = client.post(url, rows((True, "初审", "typo_role")))
    assert response.status_code == 400 and "角色“typo_role”不存在" in response.content.decode()
    response = client.post(
        url,
        {
            **rows(
                (True, "初审", Role.REVIEWER_FIRST),
                (True, "复审", Role.REVIEWER_SECOND),
                (False, "不用", Role.REVIEWER_FINAL),
                (True, "保密审查", Role.CONFIDENTIALITY),
            ),
            "policy-one_person_office": "",
        },
    )
    assert response.status_code == 302
    assert [s.name for s in review.agency_stages(cast.a)] == ["初审", "复审", "保密审查"]


def test_the_item_page_and_the_sheet_show_every_decision_and_the_drafter(
    client, cast, stage_reviewers
):
    category = Category.objects.get(agency=None, code="20-07")
    item = actions.create_item(
        cast.a, actor=cast.officer_a, category=category, formed_on=date(2026, 3, 2), title="预算"
    )
    actions.submit_for_review(item, actor=cast.officer_a)
    client.force_login(cast.reviewer_a)
    listing = client.get(reverse("publishing:list") + "?view=mine").content.decode()
    assert "预算" in listing
    pass_review(item, stage_reviewers)
    client.force_login(cast.officer_a)
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "data-decisions" in page and "secret_a" in page and "final_a" in page
    assert "拟稿人：officer_a" in page
    sheet = client.get(reverse("publishing:sheet", args=[item.pk])).content.decode()
    assert sheet.count("同意") >= 3 and "officer_a" in sheet
