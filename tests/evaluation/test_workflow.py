"""Draft, evidence, approval, submission and freeze, return and revision; files; command."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document

from gongkai.evaluation import actions, files, results
from gongkai.evaluation.models import EvaluationStatus, EvidenceFile
from gongkai.lib.errors import ActionError
from tests.evaluation.conftest import item

pytestmark = pytest.mark.usefixtures("year_2025")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


@pytest.fixture
def evaluation(cast):
    for n in range(2):
        item(cast.a, published=date(2025, 3, 1 + n), late=True)
    item(cast.a, published=date(2025, 4, 1))
    return actions.open_evaluation(cast.a, 2025, actor=cast.officer_a)


def indicator(evaluation, key):
    return evaluation.system.indicators.get(key=key)


def attach_required(evaluation, cast):
    for key in ("leading_group", "rules", "bulletin"):
        upload = SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf")
        actions.add_evidence(evaluation, indicator(evaluation, key), actor=cast.officer_a,
                             upload=upload, note="文件")  # fmt: skip


def test_the_draft_follows_the_seed_and_writes_the_facts_in(evaluation, cast):
    assert evaluation.recipient == "测试县人民政府："
    assert evaluation.title == "测试县甲局2025年度政务公开工作推进落实情况自评报告"
    text = evaluation.text
    for heading in ["一、政务公开工作开展情况", "（一）保障运维方面", "（二）法定主动公开方面",
                    "二、2025年度“12345”热线留言办理情况", "三、存在的问题和努力方向",
                    "（一）存在问题", "（二）下一步努力方向"]:  # fmt: skip
        assert heading in text
    assert "本年度共3" in text  # 3 items due, 2 late: written in
    problems = text.split("（一）存在问题")[1]
    assert problems.splitlines()[1].startswith("1、")
    assert "（请填写：" in text  # the evidence items wait for the agency


def test_approval_is_refused_while_evidence_or_placeholders_are_missing(evaluation, cast):
    with pytest.raises(ActionError) as refused:
        actions.approve(evaluation, actor=cast.head_a)
    messages = " ".join(refused.value.messages)
    assert "领导小组" in messages and "公开栏" in messages
    assert "请填写" in messages


def test_an_officer_cannot_approve(evaluation, cast):
    with pytest.raises(ActionError):
        actions.approve(evaluation, actor=cast.officer_a)


def test_evidence_of_the_wrong_type_or_size_is_refused_naming_the_file(evaluation, cast, settings):
    fake = SimpleUploadedFile("照片.png", b"not an image at all", content_type="image/png")
    with pytest.raises(ActionError) as refused:
        actions.add_evidence(
            evaluation, indicator(evaluation, "bulletin"), actor=cast.officer_a, upload=fake
        )
    assert "照片.png" in refused.value.message_dict["file"][0]
    settings.EVALUATION_EVIDENCE_MAX_MB = 0
    big = SimpleUploadedFile("大.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ActionError) as refused:
        actions.add_evidence(
            evaluation, indicator(evaluation, "bulletin"), actor=cast.officer_a, upload=big
        )
    assert "大.pdf" in refused.value.message_dict["file"][0]
    assert not EvidenceFile.objects.exists()


def _complete(evaluation, cast):
    attach_required(evaluation, cast)
    actions.save_result(evaluation, indicator(evaluation, "leading_group"), actor=cast.officer_a,
                        manual_score="4", note="调整了领导小组。")  # fmt: skip
    text = evaluation.text.replace("（请填写：", "（").replace("（", "").replace("）", "")
    actions.save_report(evaluation, actor=cast.officer_a,
                        data={"recipient": evaluation.recipient, "title": evaluation.title, "text": text})  # fmt: skip


def test_submission_freezes_the_results_and_a_return_opens_a_revision(evaluation, cast):
    _complete(evaluation, cast)
    with pytest.raises(ActionError):
        actions.submit(evaluation, actor=cast.officer_a)  # not approved yet
    actions.approve(evaluation, actor=cast.head_a)
    submitted = actions.submit(evaluation, actor=cast.officer_a)
    assert submitted.status == EvaluationStatus.SUBMITTED
    frozen = {r["key"]: r for r in submitted.snapshot}
    assert frozen["proactive_timeliness"]["value"] == 2
    assert frozen["leading_group"]["score"] == 4
    assert float(submitted.score or 0) == results.total(results.rows(submitted))
    # The records change; the submitted evaluation does not.
    item(cast.a, published=date(2025, 5, 1), late=True)
    assert {r.key: r for r in results.rows(submitted)}["proactive_timeliness"].value == 2
    with pytest.raises(ActionError):
        actions.save_result(
            submitted, indicator(submitted, "rules"), actor=cast.officer_a, manual_score=1
        )
    with pytest.raises(ActionError):
        actions.return_evaluation(submitted, actor=cast.head_a, reason="自己退回")
    returned = actions.return_evaluation(submitted, actor=cast.supervisor, reason="补充公开栏照片")
    assert returned.status == EvaluationStatus.RETURNED
    actions.save_result(
        returned, indicator(returned, "rules"), actor=cast.officer_a, manual_score=3
    )
    assert {r.key: r for r in results.rows(returned)}["proactive_timeliness"].value == 3
    assert [r.kind for r in returned.revisions.all()] == ["submitted", "returned"]
    actions.approve(returned, actor=cast.head_a)
    again = actions.submit(returned, actor=cast.head_a)
    assert [r.number for r in again.revisions.all()] == [1, 2, 3]
    assert again.revisions.get(number=1).snapshot != again.snapshot


def test_the_evidence_zip_has_every_file_and_an_index(evaluation, cast):
    attach_required(evaluation, cast)
    actions.add_evidence(evaluation, indicator(evaluation, "bulletin"), actor=cast.officer_a,
                         upload=SimpleUploadedFile("公开栏.png", PNG, content_type="image/png"))  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(files.evidence_zip(evaluation)))
    names = archive.namelist()
    assert "目录.txt" in names
    assert len([n for n in names if n != "目录.txt"]) == 4
    index = archive.read("目录.txt").decode()
    assert "公开栏.png" in index and "政务公开专区" in index
    png = next(n for n in names if n.endswith("公开栏.png"))
    assert archive.read(png) == PNG


def test_docx_and_pdf_open_back(evaluation, cast):
    document = Document(io.BytesIO(files.render_docx(evaluation)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == evaluation.title
    assert "测试县人民政府：" in texts
    assert "一、政务公开工作开展情况" in texts
    assert texts[-2:] == ["测试县甲局", "2026年2月10日"]
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    pdf = files.render_pdf(evaluation)
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        text = "".join(page.extract_text() or "" for page in opened.pages)
    assert "政务公开工作开展情况" in text.replace(" ", "")


def test_the_command_prints_the_json_of_the_issue(evaluation, cast, tmp_path):
    out = io.StringIO()
    target = tmp_path / "e.json"
    call_command("self_evaluation", "--agency", "a", "--year", "2025", "--format", "json",
                 "--output", str(target), stdout=out)  # fmt: skip
    data = json.loads(target.read_text())
    assert set(data) == {"agency", "year", "system", "score", "indicators"}
    assert data["agency"] == "a" and data["year"] == 2025
    first = {r["key"]: r for r in data["indicators"]}
    assert set(first["proactive_timeliness"]) == {"key", "label", "value", "unit", "target",
                                                   "score", "max", "source", "evidence"}  # fmt: skip
    assert first["proactive_timeliness"]["value"] == 2
    assert len(first["proactive_timeliness"]["evidence"]) == 2
    assert first["leading_group"]["source"] == "evidence"
    for fmt in ("docx", "pdf"):
        path = tmp_path / f"e.{fmt}"
        call_command("self_evaluation", "--agency", "b", "--year", "2025", "--format", fmt,
                     "--output", str(path))  # fmt: skip
        assert path.stat().st_size > 1000
