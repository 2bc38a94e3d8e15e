"""The back-office pages of the records and the portal's consultation page."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.records import actions
from gongkai.records.models import Comment, CommentStatus, Concern, Consultation, Message

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)


def concern(cast, agency=None, topic="校车安全", hours=20):
    noticed = datetime(2026, 3, 1, 9, tzinfo=TZ)
    return actions.save_record(
        Concern(
            agency=agency or cast.a,
            topic=topic,
            noticed_at=noticed,
            responded_at=noticed + timedelta(hours=hours),
        ),
        actor=None,
    )


@pytest.mark.django_db
def test_the_list_filters_and_exports(cast, client):
    concern(cast, topic="校车安全", hours=20)
    concern(cast, topic="食堂价格", hours=60)
    concern(cast, agency=cast.b, topic="乙局的事")
    client.force_login(cast.officer_a)
    page = client.get(reverse("records:concerns_list")).content.decode()
    assert "校车安全" in page and "食堂价格" in page and "乙局的事" not in page
    page = client.get(reverse("records:concerns_list"), {"q": "食堂"}).content.decode()
    assert "食堂价格" in page and "校车安全" not in page
    response = client.get(reverse("records:concerns_list"), {"format": "xlsx", "year": 2026})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (rows[0][0] == "舆情事项" and "超时" in rows[0]) or "逾期" in str(rows[0])
    late = {r[0]: r[-1] for r in rows[1:]}
    assert late == {"校车安全": None, "食堂价格": "是"}
    empty = client.get(reverse("records:concerns_list"), {"format": "xlsx", "year": 2025})
    assert len(list(load_workbook(BytesIO(empty.content)).active.iter_rows())) == 1


@pytest.mark.django_db
def test_create_refuses_dates_out_of_order_and_keeps_what_was_typed(cast, client):
    client.force_login(cast.officer_a)
    url = reverse("records:messages_new") + "?agency=a"
    data = {
        "channel": "hotline",
        "number": "20260301001",
        "category": "complaint",
        "subject": "噪音扰民",
        "received_at": "2026-03-02T09:00",
        "answered_at": "2026-03-01T09:00",
        "status": "closed",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "早于" in page and "噪音扰民" in page
    data["answered_at"] = "2026-03-03T09:00"
    assert client.post(url, data).status_code == 302
    assert Message.objects.get().subject == "噪音扰民"


@pytest.mark.django_db
def test_who_may_create_and_edit(cast, client):
    record = concern(cast)
    client.force_login(cast.reviewer_a)
    assert client.get(reverse("records:concerns_new")).status_code == 403
    assert client.get(reverse("records:concerns_edit", args=[record.pk])).status_code == 403
    assert client.get(reverse("records:concerns_list")).status_code == 200
    client.force_login(cast.officer_b)
    assert client.get(reverse("records:concerns_edit", args=[record.pk])).status_code == 404
    client.force_login(cast.supervisor)
    assert "校车安全" in client.get(reverse("records:concerns_list")).content.decode()
    assert client.get(reverse("records:settings")).status_code == 403
    client.force_login(cast.head_a)
    assert client.get(reverse("records:settings")).status_code == 200


@pytest.mark.django_db
def test_the_hotline_import_page(cast, client):
    client.force_login(cast.officer_a)
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "内容"])
    sheet.append(["1", "x"])
    buffer = BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("工单.xlsx", buffer.getvalue())
    response = client.post(reverse("records:messages_import") + "?agency=a", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert "工单编号" in page
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_the_public_consultation_flow_through_the_pages(cast, client, time_machine):
    found = actions.save_record(
        Consultation(
            agency=cast.a,
            kind="major_decision",
            title="学区划分调整方案（征求意见稿）",
            draft="第一条 为优化教育资源配置。",
            explanation="根据城区人口变化拟调整学区。",
            opens_on=date(2026, 3, 1),
            closes_on=date(2026, 3, 31),
        ),
        actor=cast.officer_a,
    )
    public = reverse("portal:consultation", args=[found.pk])
    assert client.get(public).status_code == 404  # not yet published
    client.force_login(cast.officer_a)
    client.post(reverse("records:consultation_publish", args=[found.pk]))
    client.logout()
    page = client.get(public).content.decode()
    assert "根据城区人口变化拟调整学区" in page and "提交意见" in page
    response = client.post(public, {"text": "我的手机13912345678，建议保留过渡期。"})
    assert response.status_code == 302
    assert "经审核后显示" in client.get(public).content.decode()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.findings
    assert "13912345678" not in comment.shown_text
    assert "建议保留过渡期" not in client.get(public).content.decode()  # not before moderation
    client.force_login(cast.officer_a)
    office = client.get(reverse("records:consultation", args=[found.pk])).content.decode()
    assert "发现个人信息" in office and "待审核" in office
    client.post(
        reverse("records:comment_moderate", args=[found.pk, comment.pk]),
        {"decision": "show", "shown_text": comment.shown_text, "adopted": "true"},
    )
    client.logout()
    page = client.get(public).content.decode()
    assert "建议保留过渡期" in page and "13912345678" not in page
    time_machine.move_to("2026-04-05 10:00 +0800", tick=False)
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("records:consultation_feedback", args=[found.pk]), {"feedback": ""}
    )
    assert response.status_code == 400
    client.post(
        reverse("records:consultation_feedback", args=[found.pk]),
        {"feedback": "共收到意见1条，已采纳。"},
    )
    client.logout()
    page = client.get(public).content.decode()
    assert "共收到意见1条，已采纳。" in page and "采纳 1 条" in page
    assert "提交意见" not in page
