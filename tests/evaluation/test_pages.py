"""The pages with the fixed cast: an officer sees only their agency's evaluation."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.evaluation.models import EvaluationStatus, SelfEvaluation
from tests.evaluation.conftest import item

pytestmark = pytest.mark.usefixtures("year_2025")


@pytest.fixture
def opened(cast, client):
    item(cast.a, published=date(2025, 3, 1), late=True)
    item(cast.a, published=date(2025, 3, 2))
    client.force_login(cast.officer_a)
    response = client.post(reverse("evaluation:open", args=["a", 2025]))
    assert response.status_code == 302
    return SelfEvaluation.objects.get(agency=cast.a, year=2025)


def test_the_officer_opens_and_reads_the_evaluation(opened, client):
    page = client.get(reverse("evaluation:detail", args=[opened.pk])).content.decode()
    assert "自查自评" in page and "主动公开及时性" in page
    assert "政务公开工作开展情况" in page
    drill = client.get(reverse("evaluation:drilldown", args=[opened.pk, "proactive_timeliness"]))
    assert drill.content.decode().count("data-row=") == 1
    all_rows = client.get(
        reverse("evaluation:drilldown", args=[opened.pk, "proactive_timeliness"]) + "?all=1"
    )
    assert all_rows.content.decode().count("data-row=") == 2


def test_another_agencys_officer_gets_404_and_the_supervisor_sees_it(opened, cast, client):
    client.force_login(cast.officer_b)
    assert client.get(reverse("evaluation:detail", args=[opened.pk])).status_code == 404
    assert client.get(reverse("evaluation:evidence_zip", args=[opened.pk])).status_code == 404
    index = client.get(reverse("evaluation:index")).content.decode()
    assert "测试县甲局" not in index
    client.force_login(cast.supervisor)
    assert client.get(reverse("evaluation:detail", args=[opened.pk])).status_code == 200


def test_a_refused_upload_says_why_and_keeps_the_note(opened, client):
    indicator = opened.system.indicators.get(key="bulletin")
    response = client.post(
        reverse("evaluation:add_evidence", args=[opened.pk, indicator.pk]),
        {"file": SimpleUploadedFile("公开栏.exe", b"MZ\x90\x00binary"), "note": "一楼大厅公开栏"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "公开栏.exe不是PDF、JPEG、PNG、DOCX或XLSX文件" in page
    assert "一楼大厅公开栏" in page


def test_a_bad_score_is_refused_naming_the_indicator_and_kept(opened, client):
    indicator = opened.system.indicators.get(key="leading_group")
    response = client.post(reverse("evaluation:save_result", args=[opened.pk, indicator.pk]),
                           {"manual_score": "9", "note": "已调整"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "得分须在0至4.00分之间" in page and "工作保障" in page and 'value="9"' in page


def test_an_empty_report_title_is_refused_and_the_text_kept(opened, client):
    response = client.post(reverse("evaluation:save_report", args=[opened.pk]),
                           {"title": "", "text": "我改过的正文", "recipient": "县政府办："})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写报告标题" in page and "我改过的正文" in page and "县政府办：" in page


def test_approval_refused_lists_what_is_missing(opened, cast, client):
    client.force_login(cast.head_a)
    response = client.post(reverse("evaluation:approve", args=[opened.pk]))
    assert response.status_code == 400
    assert "须上传佐证材料" in response.content.decode()
    opened.refresh_from_db()
    assert opened.status == EvaluationStatus.DRAFT
