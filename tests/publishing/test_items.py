"""Catalog items: 索引号, sanitising, versions, and the hash-chained publication log."""

from __future__ import annotations

import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from gongkai.lib.errors import ActionError
from gongkai.publishing import actions
from gongkai.publishing.index_numbers import template_problems
from gongkai.publishing.log import verify
from gongkai.publishing.models import Category, IndexRule, InfoItem, ItemStatus, PublicationLogEntry
from tests.publishing.reviewing import pass_review


@pytest.fixture
def category(db):
    return Category.objects.get(agency=None, code="20-07")


def make(cast, category, title="2026年部门预算", formed_on=date(2026, 3, 2), **fields):
    return actions.create_item(
        cast.a, actor=cast.officer_a, category=category, formed_on=formed_on, title=title, **fields
    )


def approve_and_publish(item, cast):
    InfoItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.APPROVED
    )  # the review workflow's job
    return actions.publish_item(item, actor=cast.officer_a)


def reason_of_break() -> str:
    broken = verify()[1]
    assert broken is not None
    return broken.reason


def test_the_standard_categories_follow_articles_20_and_21(db):
    standard = Category.objects.filter(agency=None, parent=None)
    assert standard.filter(code__startswith="20-").count() == 15
    assert standard.get(code="20-07").article == "条例第二十条第（七）项"
    assert set(standard.filter(levels="township").values_list("name", flat=True)) >= {
        "宅基地使用情况审核",
        "筹资筹劳",
    }
    assert Category.objects.get(agency=None, name="办事指南").publish_days == 1


def test_index_numbers_use_the_credit_code_by_default_and_never_repeat(cast, category):
    cast.a.credit_code = "11339901000000002Q"
    cast.a.save()
    first, second = make(cast, category), make(cast, category)
    assert (first.index_no, second.index_no) == (
        "11339901000000002Q/2026-00001",
        "11339901000000002Q/2026-00002",
    )
    approve_and_publish(first, cast)
    actions.withdraw_item(first, actor=cast.head_a, reason="内容有误")
    assert make(cast, category).index_no.endswith("2026-00003")
    assert make(cast, category, formed_on=date(2025, 1, 5)).index_no.endswith("2025-00001")


def test_an_agency_template_may_add_month_category_and_department(cast, category):
    IndexRule.objects.create(
        agency=cast.a,
        template="{department_code}-{category_code}/{year}{month}-{seq:04d}",
        department_code="JYJ",
    )
    assert make(cast, category).index_no == "JYJ-20-07/202603-0001"
    assert template_problems("{credit_code}/{year}") == ["seq"]
    assert template_problems("{agency_code}/{year}/{nonsense}/{seq}") == ["nonsense"]
    assert template_problems("{agency_code}-{year}-{seq:05d}") == []
    assert template_problems("{seq:05d}") == ["year", "credit_code/agency_code/department_code"]
    assert template_problems("{agency_code}-{month:03d}-{year}-{seq}") != []  # month is text
    assert template_problems("{agency_code}-{year}-{seq!x}") != []


@pytest.mark.django_db(transaction=True)
def test_index_numbers_stay_unique_under_concurrency(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks across connections; runs in the PostgreSQL pass")
    # Transactional tests run last and earlier ones flushed the seeded categories.
    category, _ = Category.objects.get_or_create(
        agency=None, code="20-07", defaults={"name": "财政预算、决算信息"}
    )
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def create(i: int) -> None:
        try:
            barrier.wait()
            actions.create_item(
                cast.a, actor=None, category=category, formed_on=date(2026, 3, 2), title=f"条目{i}"
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    numbers = sorted(InfoItem.objects.values_list("index_no", flat=True))
    assert numbers == [f"A/2026-{n:05d}" for n in range(1, 21)]


def test_bodies_are_sanitised_and_the_disclosure_attribute_is_decided_at_drafting(cast, category):
    item = make(
        cast,
        category,
        body='<p onclick="x()">预算<script>alert(1)</script><a href="javascript:x">链接</a></p>',
    )
    assert item.body == '<p>预算<a rel="noopener noreferrer">链接</a></p>'
    with pytest.raises(ActionError, match="第十四"):
        make(cast, category, disclosure="withheld")
    withheld = make(cast, category, disclosure="withheld", withheld_reason="internal_affairs")
    InfoItem.objects.filter(pk=withheld.pk).update(status=ItemStatus.APPROVED)
    with pytest.raises(ActionError):
        actions.publish_item(withheld, actor=cast.officer_a)


def test_publishing_changing_and_withdrawing_keep_every_version(cast, category, stage_reviewers):
    item = make(cast, category)
    with pytest.raises(ActionError):
        actions.publish_item(item, actor=cast.officer_a)  # not reviewed yet
    approve_and_publish(item, cast)
    with pytest.raises(ActionError):
        actions.change_item(item, actor=cast.officer_a, reason=" ", title="新标题")
    actions.change_item(
        item, actor=cast.officer_a, reason="更正标题", title="2026年部门预算（更正）"
    )
    item.refresh_from_db()
    assert item.title == "2026年部门预算"  # the published version stays until approved
    pass_review(item, stage_reviewers)
    assert item.title == "2026年部门预算（更正）"
    actions.withdraw_item(item, actor=cast.officer_a, reason="已被新文件替代")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED  # awaiting the office head
    pass_review(item, stage_reviewers)
    assert item.status == ItemStatus.WITHDRAWN
    versions = list(item.versions.values_list("number", "action", "reason"))
    assert versions == [
        (1, "published", ""),
        (2, "changed", "更正标题"),
        (3, "withdrawn", "已被新文件替代"),
    ]
    assert item.versions.get(number=1).snapshot["title"] == "2026年部门预算"
    with pytest.raises(ActionError):
        actions.change_item(item, actor=cast.officer_b, reason="x", title="y")


def test_the_log_verifies_and_finds_the_first_tampered_row(cast, category):
    for i in range(3):
        approve_and_publish(make(cast, category, title=f"文件{i}"), cast)
    out = StringIO()
    call_command("verify_publication_log", stdout=out)
    assert "3" in out.getvalue() and verify() == (3, None)

    PublicationLogEntry.objects.filter(seq=2).update(index_no="forged")
    checked, broken = verify()
    assert broken is not None and (checked, broken.seq, broken.reason) == (1, 2, "digest")
    with pytest.raises(CommandError, match="在第 2 条断开"):
        call_command("verify_publication_log", stdout=StringIO())


def test_the_log_notices_a_changed_version_and_a_deleted_entry(cast, category):
    items = [make(cast, category, title=f"文件{i}") for i in range(3)]
    for item in items:
        approve_and_publish(item, cast)
    version = items[1].versions.get()
    version.snapshot = {**version.snapshot, "title": "改过的标题"}
    version.save()
    assert reason_of_break() == "content"
    version.snapshot = {**version.snapshot, "title": "文件1"}
    version.save()
    assert verify()[1] is None
    PublicationLogEntry.objects.filter(seq=2).delete()
    assert reason_of_break() == "missing"


def test_the_article_26_date_and_the_timeliness_lists(cast, category, time_machine):
    guide = Category.objects.get(agency=None, name="办事指南")
    item = make(cast, category, formed_on=date(2026, 9, 18))
    quick = make(cast, guide, formed_on=date(2026, 9, 30))
    assert item.publish_due_on == date(2026, 10, 22)  # National Day 10-01..10-07 off, 10-10 worked
    assert quick.publish_due_on == date(2026, 10, 8)
    assert list(InfoItem.objects.publication_overdue(date(2026, 10, 9))) == [quick]
    time_machine.move_to("2026-10-23 10:00 +0800", tick=False)
    approve_and_publish(item, cast)
    assert list(InfoItem.objects.published_late()) == [item]
    time_machine.move_to("2026-12-21 10:00 +0800", tick=False)
    # 2027's holidays are not entered yet: counted over weekdays less the statutory
    # holidays (元旦 2027-01-01), and marked provisional.
    late = make(cast, category, formed_on=date(2026, 12, 20))
    assert (late.publish_due_on, late.publish_due_provisional) == (date(2027, 1, 18), True)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_publications_of_different_agencies_extend_one_chain(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent PostgreSQL connections; runs in the PostgreSQL pass")
    first, _ = Category.objects.get_or_create(
        agency=None, code="20-07", defaults={"name": "财政预算、决算信息"}
    )
    second, _ = Category.objects.get_or_create(
        agency=None, code="20-01", defaults={"name": "规范性文件"}
    )
    items = [
        actions.create_item(
            agency, actor=None, category=category, formed_on=date(2026, 3, 2), title=f"文件{i}"
        )
        for i, (agency, category) in enumerate([(cast.a, first), (cast.b, second)] * 5)
    ]
    InfoItem.objects.update(status=ItemStatus.APPROVED)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(items))

    def publish(item: InfoItem) -> None:
        try:
            barrier.wait()
            actions.publish_item(item, actor=None)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert verify() == (10, None)


def test_plain_text_with_blank_lines_becomes_paragraphs(cast, category):
    item = make(
        cast, category, body="一、总体情况\n本年度预算如下。\n\n二、收入预算\n\n\n三、支出<预算>"
    )
    assert item.body == (
        "<p>一、总体情况<br>本年度预算如下。</p><p>二、收入预算</p><p>三、支出&lt;预算&gt;</p>"
    )
    html = make(cast, category, body="<p>已有段落</p>\n\n<p>第二段</p>")
    assert html.body == "<p>已有段落</p>\n\n<p>第二段</p>"


def test_the_sanitiser_reports_what_a_word_paste_loses(client, cast, category):
    from django.urls import reverse

    from gongkai.lib.html import removed_markup

    pasted = (
        '<p class="MsoNormal" style="text-indent:2em">正文<o:p></o:p></p>'
        '<table class="MsoTableGrid"><tr><td colspan="2">合计</td></tr></table>'
        "<script>alert(1)</script>"
    )
    assert removed_markup(pasted) == ["class", "style", "<o:p>", "<script>"]
    client.force_login(cast.officer_a)
    data = {"title": "预算", "category": category.pk, "formed_on": "2026-03-02",
            "genre": "notice", "disclosure": "proactive", "validity": "valid", "body": pasted}  # fmt: skip
    response = client.post(reverse("publishing:new"), data, follow=True)
    text = response.content.decode()
    assert "正文已清理" in text and "&lt;script&gt;" in text
    item = InfoItem.objects.get(title="预算")
    assert '<td colspan="2">合计</td>' in item.body and "script" not in item.body
