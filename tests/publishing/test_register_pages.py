"""Pages of the catalog's neighbours: editing, channels, attachments, interpretations,
re-review, the normative-document register, table 二 figures and catalog settings."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Membership, Role
from gongkai.publishing import actions
from gongkai.publishing.models import (
    Category,
    DecisionFigures,
    IndexRule,
    InfoItem,
    ItemStatus,
    NormativeDocument,
    PublicationSchedule,
)
from tests.publishing.reviewing import pass_review


@pytest.fixture
def category(db):
    return Category.objects.get(agency=None, code="20-07")


def make(cast, category, **fields):
    fields.setdefault("title", "部门预算")
    return actions.create_item(
        cast.a, actor=cast.officer_a, category=category, formed_on=date(2026, 3, 2), **fields
    )


def publish(item, cast):
    InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
    actions.publish_item(item, actor=cast.officer_a)
    item.refresh_from_db()
    return item


def docx_bytes(text):
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_draft_is_edited_and_a_published_item_changed_with_a_reason(
    client, cast, category, stage_reviewers
):
    client.force_login(cast.officer_a)
    item = make(cast, category)
    page = client.get(reverse("publishing:edit", args=[item.pk])).content.decode()
    assert 'value="部门预算"' in page
    data = {"title": "部门预算（修订）", "category": category.pk, "formed_on": "2026-03-02",
            "genre": "notice", "disclosure": "proactive", "validity": "valid", "body": "<p>正文</p>"}  # fmt: skip
    client.post(reverse("publishing:edit", args=[item.pk]), data)
    item.refresh_from_db()
    assert item.title == "部门预算（修订）"

    publish(item, cast)
    change = {"title": "部门预算（第二版）", "summary": "", "doc_no": "", "topic": "",
              "body": "<p>正文</p>", "keywords": "", "validity": "valid", "reason": ""}  # fmt: skip
    response = client.post(reverse("publishing:edit", args=[item.pk]), change)
    assert response.status_code == 400
    text = response.content.decode()
    assert "这个字段是必填项" in text and 'value="部门预算（第二版）"' in text
    response = client.post(
        reverse("publishing:edit", args=[item.pk]),
        {**change, "summary": "联系人 11010519491231002X", "reason": "补充"},
    )
    assert response.status_code == 400 and "个人信息" in response.content.decode()
    client.post(reverse("publishing:edit", args=[item.pk]), {**change, "reason": "更正标题"})
    item.refresh_from_db()
    assert item.title == "部门预算（修订）"  # the published version stays during review
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "data-open-change" in page and "<ins>" in page
    pass_review(item, stage_reviewers)
    assert item.title == "部门预算（第二版）"
    assert [v.reason for v in item.versions.all()] == ["", "更正标题"]
    client.force_login(cast.reviewer_a)
    assert client.get(reverse("publishing:edit", args=[item.pk])).status_code == 403


def test_channel_and_interpretation_forms_keep_the_input_on_errors(client, cast, category):
    client.force_login(cast.officer_a)
    item = publish(make(cast, category, needs_interpretation=True), cast)
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "data-missing-interpretation" in page
    step = reverse("publishing:step", args=[item.pk, "channel"])
    response = client.post(
        step, {"channel": "portal", "published_on": "1999-01-01", "address": "https://gov/1"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "渠道发布日期不能早于" in text and 'value="https://gov/1"' in text
    today = timezone.localdate().isoformat()
    client.post(step, {"channel": "portal", "published_on": today, "address": "https://gov/1"})
    assert item.channels.get(address="https://gov/1").channel == "portal"

    step = reverse("publishing:step", args=[item.pk, "interpretation"])
    bad = {
        "form": "graphic",
        "title": "一图读懂",
        "published_on": today,
        "catalog_index_no": "NOPE",
    }
    response = client.post(step, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "没有这个索引号" in text and 'value="一图读懂"' in text
    client.post(step, {**bad, "catalog_index_no": "", "address": "https://gov.example.cn/jd"})
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "一图读懂" in page and "data-missing-interpretation" not in page
    assert not InfoItem.objects.interpretation_missing().exists()


def test_attachments_are_uploaded_checked_downloaded_and_removed(client, cast, category):
    client.force_login(cast.officer_a)
    item = make(cast, category)
    step = reverse("publishing:step", args=[item.pk, "attach"])
    fake = SimpleUploadedFile("说明.docx", b"not a document")
    response = client.post(step, {"file": fake})
    assert response.status_code == 400 and "不是 PDF、DOCX" in response.content.decode()
    good = SimpleUploadedFile("说明.docx", docx_bytes("联系电话 13800138000"))
    client.post(step, {"file": good})
    attachment = item.attachments.get()
    assert attachment.content_type.endswith("wordprocessingml.document")
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "附件 说明.docx" in page and "13800138000" in page
    download = client.get(reverse("publishing:attachment", args=[item.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == attachment.file.open("rb").read()
    assert "attachment" in download["Content-Disposition"]
    client.force_login(cast.officer_b)
    assert (
        client.get(reverse("publishing:attachment", args=[item.pk, attachment.pk])).status_code
        == 404
    )
    client.force_login(cast.officer_a)
    client.post(reverse("publishing:attachment_remove", args=[item.pk, attachment.pk]))
    assert not item.attachments.exists()


def test_withheld_items_are_listed_for_re_review_and_re_reviewed(
    client, cast, category, time_machine, settings
):
    settings.PASSWORD_MAX_AGE_DAYS = 0  # a year passes
    item = make(cast, category, disclosure="withheld", withheld_reason="internal_affairs")
    time_machine.move_to(datetime(2027, 4, 1, 9, tzinfo=timezone.get_current_timezone()))
    client.force_login(cast.officer_a)
    listing = client.get(reverse("publishing:list") + "?view=rereview").content.decode()
    assert item.title in listing
    step = reverse("publishing:step", args=[item.pk, "rereview"])
    response = client.post(step, {"outcome": "keep", "opinion": ""})
    assert response.status_code == 400
    client.post(step, {"outcome": "keep", "opinion": "仍属内部事务信息"})
    listing = client.get(reverse("publishing:list") + "?view=rereview").content.decode()
    assert item.title not in listing
    assert (
        "仍属内部事务信息"
        in client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    )


def test_staff_of_two_agencies_choose_where_to_draft(client, cast):
    Membership.objects.create(user=cast.officer_a, agency=cast.b, role=Role.OFFICER)
    client.force_login(cast.officer_a)
    page = client.get(reverse("publishing:new")).content.decode()
    assert cast.b.name in page and 'name="title"' not in page
    page = client.get(reverse("publishing:new") + f"?agency={cast.b.pk}").content.decode()
    assert cast.b.name in page and 'name="title"' in page


def test_the_register_counts_and_keeps_bad_input(client, cast):
    client.force_login(cast.officer_a)
    url = reverse("publishing:normative_new")
    data = {"kind": "regulation", "title": "测试办法", "doc_no": "", "issued_on": "2026-02-01",
            "drafted_on": "2026-03-01"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "只有省级人民政府和设区的市人民政府可以制定规章" in text
    assert "已印发的文件应有文号" in text and 'value="测试办法"' in text
    assert not NormativeDocument.objects.exists()
    client.post(url, {**data, "kind": "normative_document", "doc_no": "测政发〔2026〕1号",
                      "drafted_on": "2026-01-10"})  # fmt: skip
    document = NormativeDocument.objects.get()
    listing = client.get(reverse("publishing:normative_list") + "?year=2026").content.decode()
    assert "测试办法" in listing and "本年制发件数" in listing and "行政规范性文件" in listing
    edit = reverse("publishing:normative_edit", args=[document.pk])
    client.post(edit, {**data, "kind": "normative_document", "doc_no": "测政发〔2026〕1号",
                       "drafted_on": "2026-01-10", "repealed_on": "2026-06-30"})  # fmt: skip
    document.refresh_from_db()
    assert document.repealed_on == date(2026, 6, 30)
    client.force_login(cast.officer_b)
    assert client.get(edit).status_code == 404
    client.force_login(cast.supervisor)
    assert "测试办法" in client.get(reverse("publishing:normative_list")).content.decode()
    assert client.get(edit).status_code == 403


def test_figures_are_entered_per_year_with_the_report_labels(client, cast):
    client.force_login(cast.officer_a)
    url = reverse("publishing:figures") + "?year=2025"
    page = client.get(url).content.decode()
    assert "行政许可（本年处理决定数量）" in page
    response = client.post(url, {"licensing_decisions": "12", "penalty_decisions": "-1",
                                 "coercion_decisions": "", "fee_amount": "3.5"})  # fmt: skip
    assert response.status_code == 400 and 'value="12"' in response.content.decode()
    client.post(url, {"licensing_decisions": "12", "penalty_decisions": "4",
                      "coercion_decisions": "", "fee_amount": "3.5"})  # fmt: skip
    figures = DecisionFigures.objects.get(agency=cast.a, year=2025)
    assert (figures.licensing_decisions, figures.penalty_decisions, figures.coercion_decisions) == (
        12,
        4,
        None,
    )
    client.force_login(cast.reviewer_a)
    assert client.get(url).status_code == 403


def test_the_office_head_sets_the_schedule_and_the_index_template(client, cast):
    client.force_login(cast.head_a)
    url = reverse("publishing:settings")
    response = client.post(url, {"form": "schedule", "schedule-submit_day": "20",
                                 "schedule-publish_day": "15", "schedule-remind_days_before": "3"})  # fmt: skip
    assert response.status_code == 400 and "发布日应在报送日之后" in response.content.decode()
    client.post(url, {"form": "schedule", "schedule-submit_day": "15",
                      "schedule-publish_day": "20", "schedule-remind_days_before": "3"})  # fmt: skip
    assert PublicationSchedule.objects.get(agency=cast.a).publish_day == 20
    response = client.post(url, {"form": "index", "index-template": "{agency_code}-{yr}",
                                 "index-department_code": ""})  # fmt: skip
    assert response.status_code == 400 and "yr" in response.content.decode()
    client.post(url, {"form": "index", "index-template": "{agency_code}-{year}-{seq:04d}",
                      "index-department_code": ""})  # fmt: skip
    assert IndexRule.objects.get(agency=cast.a).template == "{agency_code}-{year}-{seq:04d}"
    client.force_login(cast.officer_a)
    assert client.get(url).status_code == 403


def test_the_public_page_offers_attachments_and_interpretations_until_withdrawn(
    client, cast, category
):
    item = make(cast, category)
    upload = SimpleUploadedFile("预算表.docx", docx_bytes("部门预算表"))
    upload.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    attachment = actions.add_attachment(item, actor=cast.officer_a, upload=upload)
    url = reverse("portal:item_attachment", args=[item.pk, attachment.pk])
    assert client.get(url).status_code == 404  # not published yet
    publish(item, cast)
    with pytest.raises(ActionError):
        actions.add_interpretation(
            item,
            actor=cast.officer_a,
            form="text",
            title="解读",
            published_on=timezone.localdate(),
            address="javascript:alert(1)",
        )
    actions.add_interpretation(
        item,
        actor=cast.officer_a,
        form="graphic",
        title="一图读懂部门预算",
        published_on=timezone.localdate(),
        address="https://gov.example.cn/jd/1",
    )
    page = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "预算表.docx" in page and "一图读懂部门预算" in page and "图解" in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
    actions.withdraw_item(item, actor=cast.head_a, reason="已失效")
    assert client.get(url).status_code == 404
    assert "预算表.docx" not in client.get(reverse("portal:item", args=[item.pk])).content.decode()


def xlsx_bytes(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_import_page_imports_valid_rows_and_lists_the_rejected(client, cast):
    client.force_login(cast.officer_a)
    url = reverse("publishing:import")
    data = xlsx_bytes(
        [
            ["名称", "类别", "生成日期", "文号"],
            ["2026年部门决算", "20-07", "2026-03-02", ""],
            ["", "99-99", "不是日期", ""],
        ]
    )
    response = client.post(
        url,
        {"what": "items", "agency": cast.a.pk, "file": SimpleUploadedFile("目录.xlsx", data)},
    )
    page = response.content.decode()
    assert "data-import-result" in page and "A/2026-00001" in page
    assert "名称为空" in page and "99-99" in page
    assert InfoItem.objects.get().title == "2026年部门决算"
    broken = SimpleUploadedFile("坏.xlsx", b"not a workbook")
    response = client.post(url, {"what": "items", "agency": cast.a.pk, "file": broken})
    assert response.status_code == 400 and "不是有效的 XLSX" in response.content.decode()
    figures = xlsx_bytes([["机关代码", "年度", "行政许可"], ["a", 2025, 7], ["b", 2025, 1]])
    page = client.post(
        url,
        {"what": "figures", "agency": cast.a.pk, "file": SimpleUploadedFile("数据.xlsx", figures)},
    ).content.decode()
    assert DecisionFigures.objects.get(agency=cast.a, year=2025).licensing_decisions == 7
    assert "您不能为机关 b 填报数据" in page
    client.force_login(cast.supervisor)
    assert client.get(url).status_code == 403


def test_form_steps_refuse_other_roles_and_explain_a_stale_step(client, cast, category):
    item = publish(make(cast, category), cast)
    step = reverse("publishing:step", args=[item.pk, "withdraw"])
    client.force_login(cast.supervisor)
    assert client.post(step, {"reason": "过期"}).status_code == 403
    client.force_login(cast.head_a)
    client.post(step, {"reason": "过期"})
    response = client.post(step, {"reason": "再次撤回"}, follow=True)
    assert "只有已发布的信息可以撤回" in response.content.decode()
