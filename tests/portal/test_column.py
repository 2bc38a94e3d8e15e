"""The standard column (政府信息公开专栏): its pages for the installation and each agency,
and the catalog search page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.orgs.models import Agency
from gongkai.publishing import actions
from gongkai.publishing.models import Category, InfoItem, ItemStatus


@pytest.fixture
def publish(cast, django_capture_on_commit_callbacks):
    budget = Category.objects.get(agency=None, code="20-07")

    def make(agency=None, **fields):
        agency = agency or cast.a
        fields.setdefault("formed_on", date(2026, 3, 2))
        fields.setdefault("category", budget)
        officer = {cast.a: cast.officer_a, cast.b: cast.officer_b}.get(agency)
        item = actions.create_item(agency, actor=officer, **fields)
        InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
        with django_capture_on_commit_callbacks(execute=True):
            actions.publish_item(item, actor=officer)
        return item

    return make


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_column_has_its_five_parts_for_the_installation_and_each_agency(client, cast, publish):
    publish(title="2026年部门预算公开")
    home = page(client, reverse("portal:home"))
    for part in ["政府信息公开指南", "法定主动公开内容", "政府信息公开年报", "依申请公开"]:
        assert part in home
    assert "2026年部门预算公开" in home and "测试县甲局" in home
    column = page(client, reverse("portal:agency", args=["a"]))
    for part in ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "依申请公开"]:
        assert part in column
    assert "2026年部门预算公开" in column and "政府信息公开工作机构" in column
    # Another agency's column lists only its own items.
    assert "2026年部门预算公开" not in page(client, reverse("portal:agency", args=["b"]))
    assert "页面不存在" in page(client, reverse("portal:agency", args=["nope"]), 404)
    assert "页面不存在" in page(client, reverse("portal:agency_guide", args=["nope"]), 404)


def test_the_guide_is_generated_from_the_agency_and_its_own_text(client, cast, publish):
    Agency.objects.filter(pk=cast.a.pk).update(
        office_name="甲局办公室",
        office_phone="0371-12345678",
        office_hours="工作日 9:00-17:00",
        guide_text="本机关不设查阅点。\n\n节假日不受理现场申请。",
    )
    publish(title="预算一")
    publish(title="预算二")
    text = page(client, reverse("portal:agency_guide", args=["a"]))
    assert "测试县甲局政府信息公开指南" in text
    assert "甲局办公室" in text and "0371-12345678" in text and "工作日 9:00-17:00" in text
    assert "第二十条" in text  # the categories' legal basis
    assert "<p>节假日不受理现场申请。</p>" in text
    assert ">2</td>" in text  # two items published in the budget category
    assert reverse("portal:apply", args=["a"]) in text
    assert "测试县乙局" in page(client, reverse("portal:guides"))


def test_the_office_head_edits_the_guide_text_and_the_rules(client, cast):
    client.force_login(cast.head_a)
    url = reverse("office:agency_edit", args=["a"])
    form = page(client, url)
    assert "政府信息公开制度" in form
    response = client.post(
        url,
        {"office_name": "甲局办公室", "guide_text": "补充说明", "rules_text": "一、保密审查制度"},
    )
    assert response.status_code == 302
    client.logout()
    assert "一、保密审查制度" in page(client, reverse("portal:agency_rules", args=["a"]))
    assert "补充说明" in page(client, reverse("portal:agency_guide", args=["a"]))
    assert "尚未" in page(client, reverse("portal:agency_rules", args=["b"]))


def test_the_catalog_browses_by_category_newest_first_in_pages(client, cast, publish):
    plans = Category.objects.get(agency=None, code="20-03")
    for n in range(23):
        publish(title=f"预算公告{n:02d}", formed_on=date(2026, 1, 1 + n))
    publish(title="发展规划", category=plans)
    text = page(client, reverse("portal:agency_catalog", args=["a"]))
    assert "24 条" in text
    assert text.index("发展规划") < text.index("预算公告22") < text.index("预算公告04")
    assert "预算公告03" not in text  # on page 2
    second = page(client, reverse("portal:agency_catalog", args=["a"]) + "?page=2")
    assert "预算公告03" in second and "预算公告00" in second
    only = page(client, reverse("portal:catalog") + f"?category={plans.pk}")
    assert "发展规划" in only and "预算公告" not in only
    # Nonsense page numbers and categories show the first page of everything.
    assert "发展规划" in page(client, reverse("portal:catalog") + "?page=abc&category=x")


def test_search_finds_two_character_words_and_document_number_variants(client, cast, publish):
    publish(title="林业局森林防火通知", doc_no="林发〔2018〕12号")
    publish(cast.b, title="乙局预算")
    text = page(client, reverse("portal:search") + "?q=林业")
    assert "<mark>林业</mark>局森林防火通知" in text and "乙局预算" not in text
    text = page(client, reverse("portal:search") + "?q=林发[2018]12号")
    assert "林业局森林防火通知" in text and "1 条结果" in text
    # An agency's search covers only it and the agencies below it.
    assert "乙局<mark>预算</mark>" not in page(
        client, reverse("portal:agency_search", args=["a"]) + "?q=预算"
    )
    assert "乙局<mark>预算</mark>" in page(
        client, reverse("portal:agency_search", args=["b"]) + "?q=预算"
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "。。。！！",
        "林" * 1000,
        '"林业',
        "林业*",
        "林业 NEAR 防火",
        "林业 AND (防火",
        "') OR 1=1; --",
    ],
)
def test_any_query_gives_a_normal_page(client, cast, publish, query):
    publish(title="林业局森林防火通知")
    text = page(client, reverse("portal:search") + "?" + f"q={query}")
    assert "条结果" in text or "没有找到" in text


def test_bad_filters_are_explained_and_the_query_is_kept(client, cast, publish):
    publish(title="林业局森林防火通知")
    text = page(client, reverse("portal:search") + "?q=防火&year=abc&agency=nope&category=999")
    assert "输入整数" in text
    assert "选择一个有效的选项" in text
    assert 'value="防火"' in text
    assert "林业局森林<mark>防火</mark>通知" in text  # searched without the bad filters
    long = page(client, reverse("portal:search") + "?q=" + "防火" * 100)
    assert "只搜索了" in long


def test_a_large_scope_lists_only_the_level_below_in_the_search_form(
    client, cast, publish, monkeypatch
):
    from gongkai.portal import column

    publish(agency=cast.a, title="甲局防火通知")
    monkeypatch.setattr(column, "AGENCY_CHOICES", 2)
    form = page(client, reverse("portal:search"))
    assert 'value="a"' in form and 'value="a-unit"' not in form
    # The agency's own search page lists the agencies under it.
    assert 'value="a-unit"' in page(client, reverse("portal:agency_search", args=["a"]))
    found = page(client, reverse("portal:search") + "?q=防火&agency=a")
    assert "甲局<mark>防火</mark>通知" in found
