"""The catalog's full-text search: exact "contains" semantics over character pairs, on the
database the suite runs on (SQLite FTS5, then PostgreSQL tsvector)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from gongkai.publishing import actions, catalog_search
from gongkai.publishing.catalog_search import search
from gongkai.publishing.models import Category, InfoItem, ItemStatus, Validity
from gongkai.search import index
from gongkai.search.backends import COUNT_CAP, Filters
from gongkai.search.models import SearchEntry
from gongkai.search.tokens import MAX_QUERY_CHARS, index_tokens, parse


def titles(raw, **kwargs):
    return [r.item.title for r in search(raw, **kwargs).results]


def test_index_terms_are_overlapping_pairs_of_normalised_runs():
    assert index_tokens("政府信息公开") == "政府 府信 信息 息公 公开 开"
    # Full width, case, Traditional characters and brackets are normalised alike.
    assert index_tokens("ＡＢ資訊") == index_tokens("ab资讯")
    assert index_tokens("国办发〔2018〕12号") == index_tokens("国办发[2018]12号")
    assert index_tokens("公开。信息") == "公开 开 信息 息"


def test_a_query_is_only_letters_and_digits_whatever_is_typed():
    assert not parse("")
    assert not parse("“”\"'*()（）。，；！?-+")
    assert [p.text for p in parse('"公开" AND (预算* NEAR 决算').phrases] == [
        "公开",
        "and",
        "预算",
        "near",
        "决算",
    ]
    long = parse("公开" * 1000)
    assert long.truncated and len(long.raw) == MAX_QUERY_CHARS


def test_two_character_words_and_phrases_match_exactly(cast, publish):
    publish(title="林业局政府信息公开指南", body="<p>本指南说明如何申请。</p>")
    publish(title="关于政府信息和公开工作的通知", body="<p>林地保护。</p>")
    publish(title="财政预算公告", body="<p>预算草案<b>公</b>开征求意见。</p>")
    assert titles("林业") == ["林业局政府信息公开指南"]
    assert sorted(titles("公开")) == sorted(
        ["林业局政府信息公开指南", "关于政府信息和公开工作的通知", "财政预算公告"]
    )
    # A phrase: 信息公开 is not 信息…公开, and a match never crosses punctuation.
    assert titles("信息公开") == ["林业局政府信息公开指南"]
    assert titles("申请本") == []
    # All words must match.
    assert titles("公开 林地") == ["关于政府信息和公开工作的通知"]
    # One character: a prefix of the pairs, and the last character of a run.
    assert titles("草") == ["财政预算公告"]
    assert titles("南") == ["林业局政府信息公开指南"]


def test_document_numbers_match_across_bracket_variants(cast, publish):
    publish(title="关于印发办法的通知", doc_no="林办发〔2018〕12号")
    publish(title="另一个通知", doc_no="林办发〔2018〕13号")
    for query in ["林办发〔2018〕12号", "林办发[2018]12号", "林办发（2018）12号", "(2018)12号"]:
        page = search(query)
        assert [r.item.title for r in page.results] == ["关于印发办法的通知"], query
        assert "<mark>" in page.results[0].doc_no
    assert len(titles("林办发[2018]")) == 2


def test_traditional_and_simplified_find_each_other(cast, publish):
    publish(title="林業局政務公開實施方案", body="<p>資訊公開。</p>")
    publish(title="林业局信息公开实施方案")
    assert len(titles("林业局")) == 2
    assert len(titles("林業局")) == 2
    page = search("政务公开")
    assert [r.item.title for r in page.results] == ["林業局政務公開實施方案"]
    assert "<mark>政務公開</mark>" in page.results[0].title


def test_attachment_text_and_long_texts_are_searched(cast, publish):
    item = actions.create_item(
        cast.a,
        actor=cast.officer_a,
        title="附件测试",
        formed_on=date(2026, 3, 2),
        category=Category.objects.get(agency=None, code="20-07"),
    )
    from gongkai.publishing.models import ItemAttachment

    ItemAttachment.objects.create(
        item=item, file="x.pdf", original_name="x.pdf", content_type="application/pdf",
        size=1, text="附件里写着森林防火责任制。",
    )  # fmt: skip
    InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
    actions.publish_item(item, actor=cast.officer_a)
    catalog_search.update_item(item.pk)
    page = search("森林防火")
    assert [r.item.title for r in page.results] == ["附件测试"]
    assert "<mark>森林防火</mark>" in page.results[0].snippet
    # Past PostgreSQL's 16,383 positions and 256 per term, a phrase is still found.
    filler = "政府信息公开工作" * 3000
    publish(title="很长的文件", body=f"<p>{filler}</p><p>结尾处的湿地保护规划</p>")
    assert SearchEntry.objects.get(item__title="很长的文件").is_long
    assert titles("湿地保护规划") == ["很长的文件"]
    assert titles("湿地保护规划失败") == []


def test_withdrawal_and_change_follow_the_public_page(
    cast, publish, django_capture_on_commit_callbacks
):
    item = publish(title="旧标题的通知")
    assert titles("旧标题") == ["旧标题的通知"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_item(item, actor=None, reason="更正", title="新名称的通知")
    assert titles("旧标题") == [] and titles("新名称") == ["新名称的通知"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_item(item, actor=cast.head_a, reason="已失效")
    assert titles("新名称") == []
    assert not SearchEntry.objects.exists()


def test_nothing_is_indexed_before_the_commit(cast, publish, django_capture_on_commit_callbacks):
    item = actions.create_item(
        cast.a, actor=cast.officer_a, title="未提交", formed_on=date(2026, 3, 2),
        category=Category.objects.get(agency=None, code="20-07"),
    )  # fmt: skip
    InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.publish_item(item, actor=cast.officer_a)
    assert titles("未提交") == []
    for callback in callbacks:
        callback()
    assert titles("未提交") == ["未提交"]


def test_filters_and_orders(cast, publish):
    publish(title="甲局预算 2025", formed_on=date(2025, 5, 1))
    publish(title="甲局决算说明预算", formed_on=date(2026, 5, 1), validity=Validity.EXPIRED)
    publish(cast.b, title="乙局预算", formed_on=date(2026, 1, 1))
    publish(cast.a_unit, title="派出所预算", formed_on=date(2026, 2, 1))
    assert len(titles("预算")) == 4
    subtree = [cast.a.pk, cast.a_unit.pk]
    assert sorted(titles("预算", filters=Filters(agency_ids=subtree))) == sorted(
        ["甲局预算 2025", "甲局决算说明预算", "派出所预算"]
    )
    assert titles("预算", filters=Filters(year=2025)) == ["甲局预算 2025"]
    assert titles("预算", filters=Filters(validity=Validity.EXPIRED)) == ["甲局决算说明预算"]
    assert titles("预算", filters=Filters(category_ids=[])) == []
    # Newest first by date; without words, the filtered catalog newest first.
    assert titles("预算", order="date") == [
        "甲局决算说明预算",
        "派出所预算",
        "乙局预算",
        "甲局预算 2025",
    ]
    assert titles("", filters=Filters(agency_ids=[cast.b.pk])) == ["乙局预算"]


def test_relevance_puts_title_matches_first(cast, publish):
    publish(title="一般通知", body="<p>关于湿地的说明。</p>", formed_on=date(2026, 6, 1))
    publish(title="湿地保护条例", body="<p>条文。</p>", formed_on=date(2025, 1, 1))
    assert titles("湿地") == ["湿地保护条例", "一般通知"]
    assert titles("湿地", order="date") == ["一般通知", "湿地保护条例"]


def test_pages_and_counts(cast, publish):
    for n in range(25):
        publish(title=f"第{n}号公告", formed_on=date(2026, 1, 1 + n))
    first = search("公告", order="date", per_page=10)
    assert (first.total, first.pages, first.capped) == (25, 3, False)
    assert first.results[0].item.title == "第24号公告"
    last = search("公告", order="date", per_page=10, page=99)  # past the end: the last page
    assert last.number == 3 and len(last.results) == 5
    assert COUNT_CAP >= 1000


def test_very_common_queries_rank_the_newest_hits_then_go_on_by_date(cast, publish, monkeypatch):
    from gongkai.search import backends

    monkeypatch.setattr(backends, "RANK_WINDOW", 4)
    monkeypatch.setattr(backends, "COUNT_CAP", 9)
    for n in range(12):
        title = "湿地公告" if n == 9 else f"第{n}号通知"
        publish(title=title, body="<p>关于湿地的说明。</p>", formed_on=date(2026, 1, 1 + n))
    first = search("湿地", per_page=3)
    assert (first.total, first.capped, first.pages) == (9, True, 3)
    # The newest four are ranked (the title match first); the rest follow by date.
    ranked = [r.item.title for r in first.results]
    assert ranked[0] == "湿地公告"
    pages = [ranked] + [
        [r.item.title for r in search("湿地", per_page=3, page=n).results] for n in (2, 3)
    ]
    seen = [t for page in pages for t in page]
    assert len(seen) == len(set(seen)) == 9
    assert set(seen[:4]) == {"湿地公告", "第11号通知", "第10号通知", "第8号通知"}
    assert seen[4:] == [f"第{n}号通知" for n in (7, 6, 5, 4, 3)]
    by_date = [r.item.title for r in search("湿地", order="date", per_page=9).results]
    assert by_date == [
        "第11号通知",
        "第10号通知",
        "湿地公告",
        *(f"第{n}号通知" for n in range(8, 2, -1)),
    ]


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "。，、；：？！",
        "公开" * 500,
        '"公开',
        "公开*",
        "NEAR(公开 预算, 2)",
        "公开 AND OR NOT 预算",
        "((公开",
        "'; DROP TABLE search_searchentry; --",
        "\x00公开",
        "title:公开",
        "^公开",
    ],
)
def test_odd_input_is_a_normal_search(cast, publish, raw):
    publish(title="政府信息公开预算")
    page = search(raw)
    assert page.total >= 0
    assert SearchEntry.objects.count() == 1


def test_rebuild_command_indexes_what_is_published(cast, publish):
    publish(title="已发布的通知")
    SearchEntry.objects.all().delete()
    assert titles("通知") == []
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert "indexed 1 published items" in out.getvalue()
    assert "100%" in err.getvalue()
    assert titles("通知") == ["已发布的通知"]


def test_a_fast_rebuild_makes_the_full_text_index_again(cast, publish):
    from django.db import connection

    publish(title="已发布的通知")
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", "--fast", stdout=io.StringIO(), stderr=io.StringIO())
    assert titles("通知") == ["已发布的通知"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index.GIN_INDEX]
            )
            assert "gin (tsv)" in cursor.fetchone()[0]
