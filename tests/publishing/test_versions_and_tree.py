"""Categories as a tree, the catalog's columns, readable versions and the office diff."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from gongkai.publishing import actions
from gongkai.publishing.categories import as_tree
from gongkai.publishing.models import Category, InfoItem, ItemStatus


def test_categories_show_under_their_real_parents_each_once(client, cast):
    budget = Category.objects.get(agency=None, code="20-07")
    rules = Category.objects.get(agency=None, code="20-01")
    # sort_order across parents would put this first and under the wrong parent.
    own = Category.objects.create(
        agency=cast.a, parent=budget, code="a-07-01", name="部门预算（甲局）", sort_order=0
    )
    deeper = Category.objects.create(
        agency=cast.a, parent=own, code="a-07-01-1", name="预算说明", sort_order=0
    )
    rows = as_tree([own, deeper, rules, budget, rules])
    assert [(c.code, depth) for c, depth in rows] == [
        ("20-01", 0),
        ("20-07", 0),
        ("a-07-01", 1),
        ("a-07-01-1", 2),
    ]
    page = client.get(reverse("portal:agency_catalog", args=["a"])).content.decode()
    assert page.count("部门预算（甲局）") == 1
    assert (
        page.index("财政预算、决算信息")
        < page.index("部门预算（甲局）")
        < page.index("行政事业性收费项目")
    )
    guide = client.get(reverse("portal:agency_guide", args=["a"])).content.decode()
    assert guide.count("预算说明") == 1
    assert guide.index("部门预算（甲局）") < guide.index("预算说明") < guide.index("行政事业性收费")


def test_the_catalog_lists_index_number_document_number_and_publication_date(
    client, cast, django_capture_on_commit_callbacks
):
    category = Category.objects.get(agency=None, code="20-07")
    item = actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=category,
        formed_on=date(2026, 3, 2),
        title="2026年部门预算",
        doc_no="测甲〔2026〕3号",
    )
    InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_item(item, actor=cast.officer_a)
    item.refresh_from_db()
    page = client.get(reverse("portal:agency_catalog", args=["a"])).content.decode()
    for text in ("索引号", "文号", "发布日期", item.index_no, "测甲〔2026〕3号"):
        assert text in page, text
    assert item.published_at is not None


def test_earlier_versions_are_readable_and_the_office_sees_the_diff(
    client, cast, django_capture_on_commit_callbacks
):
    category = Category.objects.get(agency=None, code="20-07")
    item = actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=category,
        formed_on=date(2026, 3, 2),
        title="预算",
        body="<p>第一段旧文字。</p>",
    )
    InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_item(item, actor=cast.officer_a)
        actions.change_item(item, actor=None, reason="更正数字", body="<p>第一段新文字。</p>")
    public = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "更正数字" in public and "data-version-link" in public and "新文字" in public
    old = client.get(reverse("portal:item_version", args=[item.pk, 1])).content.decode()
    assert "旧文字" in old and "已被后续版本取代" in old
    assert client.get(reverse("portal:item_version", args=[item.pk, 9])).status_code == 404
    client.force_login(cast.officer_a)
    diff = client.get(reverse("publishing:version_diff", args=[item.pk, 2])).content.decode()
    assert "<del>旧</del><ins>新</ins>" in diff
    actions.withdraw_item(item, actor=cast.head_a, reason="已失效")
    client.logout()
    assert client.get(reverse("portal:item_version", args=[item.pk, 1])).status_code == 404
