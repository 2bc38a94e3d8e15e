"""Catalog pages against the fixed cast, and the public item page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.orgs.models import Role
from gongkai.publishing import actions
from gongkai.publishing.models import Category, InfoItem, ItemStatus


@pytest.fixture
def item(cast):
    category = Category.objects.get(agency=None, code="20-07")
    return actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=category,
        formed_on=date(2026, 3, 2),
        title="部门预算",
        body="<p>联系电话13800138000</p>",
    )


@pytest.mark.parametrize(
    ("who", "status"), [("officer_a", 200), ("supervisor", 200), ("officer_b", 404), (None, 302)]
)
def test_items_are_scoped(client, cast, item, who, status):
    if who:
        client.force_login(getattr(cast, who))
    assert client.get(reverse("publishing:detail", args=[item.pk])).status_code == status


def test_drafting_through_the_form_assigns_an_index_number(client, cast):
    client.force_login(cast.officer_a)
    category = Category.objects.get(agency=None, code="20-07")
    data = {"title": "2026年预算", "category": category.pk, "formed_on": "2026-03-02", "genre": "notice",
            "disclosure": "proactive", "validity": "valid", "body": "<p>正文<script>x</script></p>"}  # fmt: skip
    response = client.post(reverse("publishing:new"), data, follow=True)
    new = InfoItem.objects.get()
    assert new.index_no == "A/2026-00001" and "<script>" not in new.body
    assert "索引号" in response.content.decode()
    bad = {**data, "disclosure": "withheld", "title": "内部", "formed_on": ""}
    text = client.post(reverse("publishing:new"), bad).content.decode()
    assert "请选择不予公开的法定理由" in text and 'value="内部"' in text
    client.force_login(cast.reviewer_a)
    assert client.get(reverse("publishing:new")).status_code == 403


def test_the_page_shows_findings_and_masks_them(client, cast, item):
    client.force_login(cast.officer_a)
    text = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "data-findings" in text and "138****8000" in text
    client.post(reverse("publishing:step", args=[item.pk, "submit"]), follow=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    client.post(reverse("publishing:step", args=[item.pk, "mask"]))
    client.post(reverse("publishing:step", args=[item.pk, "submit"]))
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW and "138****8000" in item.body


def test_the_approval_sheet_and_the_public_page(client, cast, item):
    actions.mask_findings(item, actor=cast.officer_a)
    actions.submit_for_review(item, actor=cast.officer_a)
    secret = cast.user("secret_a", cast.a, Role.CONFIDENTIALITY)
    final = cast.user("final_a", cast.a, Role.REVIEWER_FINAL)
    actions.review(item, actor=cast.reviewer_a, decision="approve", opinion="同意")
    actions.review(item, actor=secret, decision="approve", opinion="不涉密")
    actions.review(item, actor=final, decision="approve", opinion="同意发布")
    client.force_login(cast.officer_a)
    sheet = client.get(reverse("publishing:sheet", args=[item.pk])).content.decode()
    assert "不涉密" in sheet and "final_a" in sheet
    assert "拟稿人" in sheet and "officer_a" in sheet
    public = reverse("portal:item", args=[item.pk])
    client.logout()
    assert client.get(public).status_code == 404  # approved, not published
    actions.publish_item(item, actor=cast.officer_a)
    assert "部门预算" in client.get(public).content.decode()
    actions.withdraw_item(item, actor=cast.head_a, reason="数据有误，已重新发布")
    text = client.get(public).content.decode()
    assert "data-withdrawn" in text and "数据有误，已重新发布" in text and "138****8000" not in text
