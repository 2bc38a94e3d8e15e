"""Handling findings one by one: mask one, keep one with a reason, replace an attachment,
and the re-scan of published items with the current detector."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from weasyprint import HTML

from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Membership, Role
from gongkai.publishing import actions, review
from gongkai.publishing.models import Category, InfoItem, ItemStatus, RescanFinding
from tests.publishing.test_catalog_steps import docx_upload

BODY = "<p>当事人：王小明，家庭住址：青山县文教路18号，手机 138 0013 8000。</p>"


@pytest.fixture
def item(cast):
    category = Category.objects.get(agency=None, code="20-06")
    return actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=category,
        formed_on=date(2026, 3, 2),
        title="行政处罚决定书",
        body=BODY,
    )


def test_one_finding_is_masked_and_another_kept_with_a_reason(client, cast, item):
    assert [f.finding.kind for f in review.findings(item)] == ["name", "address", "mobile"]
    client.force_login(cast.officer_a)
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert page.count("data-mask-one") == 3 and "由审核人员填写书面理由后保留" in page
    step = reverse("publishing:step", args=[item.pk, "mask"])
    client.post(step, {"kind": "address", "text": "青山县文教路18号"})
    item.refresh_from_db()
    assert "青山县****" in item.body and "王小明" in item.body
    with pytest.raises(ActionError, match="拟稿人"):
        Membership.objects.create(user=cast.officer_a, agency=cast.a, role=Role.REVIEWER_FIRST)
        actions.keep_finding(
            item, actor=cast.officer_a, kind="name", text="王小明", reason="依法公示"
        )
    client.force_login(cast.reviewer_a)
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "data-keep" in page
    client.post(
        reverse("publishing:step", args=[item.pk, "keep"]),
        {"kind": "name", "text": "王小明", "reason": "行政处罚决定依法公示当事人姓名"},
    )
    assert [f.finding.kind for f in review.findings(item)] == ["mobile"]
    actions.mask_findings(item, actor=cast.officer_a, only=("mobile", "138 0013 8000"))
    actions.submit_for_review(item, actor=cast.officer_a)
    client.force_login(cast.officer_a)
    sheet = client.get(reverse("publishing:sheet", args=[item.pk])).content.decode()
    assert "行政处罚决定依法公示当事人姓名" in sheet and "王小明" in sheet


def test_an_attachment_with_findings_is_replaced_before_submission(client, cast, item):
    actions.mask_findings(item, actor=cast.officer_a)
    attachment = actions.add_attachment(
        item, actor=cast.officer_a, upload=docx_upload("户籍地址：浙江省杭州市西湖区文三路90号")
    )
    with pytest.raises(ActionError):
        actions.submit_for_review(item, actor=cast.officer_a)
    client.force_login(cast.officer_a)
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "data-replace-attachment" in page
    response = client.post(
        reverse("publishing:attachment_replace", args=[item.pk, attachment.pk]),
        {"file": docx_upload("户籍地址：浙江省****", "附件（已脱敏）.docx")},
        follow=True,
    )
    assert "已替换为" in response.content.decode()
    assert list(item.attachments.values_list("original_name", flat=True)) == ["附件（已脱敏）.docx"]
    actions.submit_for_review(item, actor=cast.officer_a)


def test_a_pdf_attachment_is_scanned(cast, item):
    buffer = io.BytesIO()
    HTML(string='<p style="font-family: Noto Sans CJK SC">护照号码：E12345678</p>').write_pdf(
        buffer
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("名单.pdf", buffer.getvalue(), content_type="application/pdf")
    actions.add_attachment(item, actor=cast.officer_a, upload=upload)
    found = [(f.field, f.finding.kind) for f in review.findings(item) if f.field == "attachment"]
    assert found == [("attachment", "passport")]


def test_the_rescan_lists_new_findings_of_published_items_once(client, cast):
    category = Category.objects.get(agency=None, code="20-07")
    # Published before the detector knew addresses (written straight to the database).
    old = actions.create_item(
        cast.a, actor=cast.officer_a, category=category, formed_on=date(2026, 3, 2), title="公示"
    )
    InfoItem.objects.filter(pk=old.pk).update(
        status=ItemStatus.PUBLISHED, body="<p>现住址：青山县东湖镇李家村5组</p>"
    )
    draft = actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=category,
        formed_on=date(2026, 3, 2),
        title="李家村草案",
        body="<p>住址：青山县东湖镇李家村6组</p>",
    )
    out = io.StringIO()
    call_command("rescan_published_items", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert [(r["index_no"], r["kind"], r["text"]) for r in report] == [
        (old.index_no, "address", "青山县东湖镇李家村5组")
    ]
    assert not RescanFinding.objects.filter(item=draft).exists()
    out = io.StringIO()
    call_command("rescan_published_items", stdout=out)
    assert "0 条" in out.getvalue()  # nothing new the second time
    client.force_login(cast.officer_a)
    listing = client.get(reverse("publishing:list") + "?view=rescan").content.decode()
    assert "公示" in listing and "李家村草案" not in listing
    page = client.get(reverse("publishing:detail", args=[old.pk])).content.decode()
    assert "data-rescan-findings" in page
    actions.keep_finding(
        old, actor=cast.reviewer_a, kind="address", text="青山县东湖镇李家村5组", reason="村级公示"
    )
    assert not RescanFinding.objects.filter(resolved_at=None).exists()
    call_command("rescan_published_items", stdout=io.StringIO())
    assert not RescanFinding.objects.filter(resolved_at=None).exists()
