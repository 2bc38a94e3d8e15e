"""Catalog steps around publication: channels, attachments, drafts, interpretations, and
the periodic re-review of withheld information (第十八条)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from gongkai.lib.errors import ActionError
from gongkai.publishing import actions, review
from gongkai.publishing.models import (
    Category,
    Channel,
    Disclosure,
    InfoItem,
    InterpretationForm,
    ItemStatus,
    RereviewOutcome,
    WithheldReason,
)

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def category(db):
    return Category.objects.get(agency=None, code="20-07")


def draft(cast, category, **fields):
    fields.setdefault("title", "2026年部门预算")
    fields.setdefault("formed_on", date(2026, 3, 2))
    return actions.create_item(cast.a, actor=cast.officer_a, category=category, **fields)


def published(cast, category, **fields):
    item = draft(cast, category, **fields)
    InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
    actions.publish_item(item, actor=cast.officer_a)
    item.refresh_from_db()
    return item


def docx_upload(text: str, name: str = "附件.docx") -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def test_channels_are_recorded_once_each_and_not_before_publication(cast, category):
    item = published(cast, category)
    today = timezone.localdate()
    actions.record_channel(
        item,
        actor=cast.officer_a,
        channel=Channel.PORTAL,
        published_on=today,
        address="https://x/1",
    )
    actions.record_channel(item, actor=cast.officer_a, channel=Channel.WECHAT, published_on=today)
    # The website itself was recorded when the item was published.
    assert item.channels.count() == 3
    with pytest.raises(ActionError, match="已经登记"):
        actions.record_channel(
            item, actor=cast.officer_a, channel=Channel.WECHAT, published_on=today
        )
    with pytest.raises(ActionError):
        actions.record_channel(
            item, actor=cast.officer_a, channel=Channel.GAZETTE, published_on=date(2000, 1, 1)
        )
    with pytest.raises(ActionError):
        actions.record_channel(
            item, actor=cast.officer_b, channel=Channel.GAZETTE, published_on=today
        )
    unpublished = draft(cast, category)
    with pytest.raises(ActionError):
        actions.record_channel(
            unpublished, actor=cast.officer_a, channel=Channel.PORTAL, published_on=today
        )


def test_attachment_text_is_extracted_and_checked_before_review(cast, category):
    item = draft(cast, category)
    attachment = actions.add_attachment(
        item, actor=cast.officer_a, upload=docx_upload(f"联系人身份证号{ID_NUMBER}")
    )
    assert ID_NUMBER in attachment.text
    found = review.findings(item)
    assert [(f.field, f.finding.text) for f in found] == [("attachment", ID_NUMBER)]
    assert found[0].label == "附件 附件.docx"
    with pytest.raises(ActionError, match=ID_NUMBER):
        actions.submit_for_review(item, actor=cast.officer_a)
    actions.remove_attachment(attachment, actor=cast.officer_a)
    actions.add_attachment(item, actor=cast.officer_a, upload=docx_upload("预算说明", "说明.docx"))
    actions.submit_for_review(item, actor=cast.officer_a)
    with pytest.raises(ActionError):
        actions.add_attachment(item, actor=cast.officer_a, upload=docx_upload("迟到的附件"))


def test_an_unreadable_file_is_refused_with_its_name(cast, category):
    item = draft(cast, category)
    broken = SimpleUploadedFile(
        "坏文件.pdf", b"%PDF-1.4 not really", content_type="application/pdf"
    )
    with pytest.raises(ActionError, match=r"坏文件\.pdf"):
        actions.add_attachment(item, actor=cast.officer_a, upload=broken)
    assert not item.attachments.exists()


def test_drafts_are_edited_and_published_items_changed_only_without_new_personal_data(
    cast, category
):
    item = draft(cast, category)
    actions.update_draft(item, actor=cast.officer_a, title="2026年部门预算（修订）")
    item.refresh_from_db()
    assert item.title == "2026年部门预算（修订）"
    done = published(cast, category)
    with pytest.raises(ActionError, match=ID_NUMBER):
        actions.change_item(done, actor=cast.officer_a, reason="补充", summary=f"联系人{ID_NUMBER}")
    done.refresh_from_db()
    assert ID_NUMBER not in done.summary
    actions.change_item(done, actor=cast.officer_a, reason="补充", summary="补充了说明")
    with pytest.raises(ActionError):
        actions.update_draft(done, actor=cast.officer_a, title="不可以")


def test_a_missing_interpretation_is_noticed_until_one_is_linked(cast, category, time_machine):
    time_machine.move_to(datetime(2026, 3, 3, 9, tzinfo=timezone.get_current_timezone()))
    item = published(cast, category, needs_interpretation=True)
    assert actions.missing_interpretation(item)
    explainer = published(cast, category, title="《2026年部门预算》政策解读")
    with pytest.raises(ActionError):
        actions.add_interpretation(
            item, actor=cast.officer_a, form=InterpretationForm.TEXT, title="解读",
            published_on=date(2026, 3, 3),
        )  # fmt: skip
    actions.add_interpretation(
        item,
        actor=cast.officer_a,
        form=InterpretationForm.TEXT,
        title="一图读懂2026年部门预算",
        published_on=date(2026, 3, 3),
        catalog_item=explainer,
    )
    assert not actions.missing_interpretation(item)
    assert explainer.interprets.get().document == item


def test_withheld_items_come_back_for_re_review_and_may_become_public(cast, category, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=timezone.get_current_timezone()))
    item = draft(
        cast,
        category,
        disclosure=Disclosure.WITHHELD,
        withheld_reason=WithheldReason.PROCESS_INFORMATION,
    )
    assert item.rereview_due_on == date(2027, 3, 2)
    time_machine.move_to(datetime(2027, 3, 5, 9, tzinfo=timezone.get_current_timezone()))
    assert list(InfoItem.objects.rereview_due(date(2027, 3, 5))) == [item]
    with pytest.raises(ActionError):
        actions.rereview_withheld(
            item, actor=cast.officer_a, outcome=RereviewOutcome.KEEP, opinion=" "
        )
    kept = actions.rereview_withheld(
        item, actor=cast.officer_a, outcome=RereviewOutcome.KEEP, opinion="仍属过程性信息"
    )
    assert kept.next_due_on == date(2028, 3, 5)
    assert not InfoItem.objects.rereview_due(date(2027, 3, 5)).exists()
    actions.rereview_withheld(
        item, actor=cast.officer_a, outcome=RereviewOutcome.PROACTIVE, opinion="决策已作出，可公开"
    )
    item.refresh_from_db()
    assert (item.disclosure, item.withheld_reason, item.rereview_due_on) == (
        Disclosure.PROACTIVE,
        "",
        None,
    )
    assert item.publish_due_on > date(2027, 3, 5)
    assert [r.outcome for r in item.rereviews.all()] == ["keep", "proactive"]
    with pytest.raises(ActionError):
        actions.rereview_withheld(
            item, actor=cast.officer_a, outcome=RereviewOutcome.KEEP, opinion="再审"
        )


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert actions.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert actions.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert actions.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_what_the_code_review_found(cast, category, time_machine):
    """Cases from the code review: re-review in review, edits keep the re-review date,
    whitelisted draft fields, every public text field checked, dates in range."""
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=timezone.get_current_timezone()))
    item = draft(
        cast, category, disclosure=Disclosure.WITHHELD, withheld_reason=WithheldReason.THIRD_PARTY
    )
    actions.submit_for_review(item, actor=cast.officer_a)
    actions.rereview_withheld(
        item, actor=cast.officer_a, outcome=RereviewOutcome.PROACTIVE, opinion="第三方同意公开"
    )
    item.refresh_from_db()
    assert (item.status, item.review_stage) == (ItemStatus.DRAFT, 0)
    due = item.publish_due_on
    actions.update_draft(item, actor=cast.officer_a, summary="补充说明")
    item.refresh_from_db()
    assert item.publish_due_on == due
    with pytest.raises(ActionError):
        actions.update_draft(item, actor=cast.officer_a, status=ItemStatus.PUBLISHED)
    with pytest.raises(ActionError):
        actions.update_draft(item, actor=cast.officer_a, agency=cast.b)
    actions.update_draft(item, actor=cast.officer_a, keywords=f"联系人{ID_NUMBER}")
    item.refresh_from_db()
    assert [f.field for f in review.findings(item)] == ["keywords"]
    with pytest.raises(ActionError) as raised:
        draft(cast, category, formed_on=date(1900, 1, 1))
    assert "formed_on" in raised.value.message_dict
    with pytest.raises(ActionError):
        draft(cast, category, formed_on=date(2026, 3, 3))  # tomorrow
