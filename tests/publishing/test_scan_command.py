from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from weasyprint import HTML


def test_it_scans_text_docx_and_pdf_files(tmp_path):
    (tmp_path / "notice.txt").write_text(
        "联系人：李四，手机13800138000。文号青政发〔2026〕1号。", encoding="gb18030"
    )
    document = Document()
    document.add_paragraph("处罚决定书")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "身份证号"
    table.rows[0].cells[1].text = "11010519491231002X"
    document.save(tmp_path / "decision.docx")
    HTML(string='<p style="font-family: Noto Sans CJK SC">邮箱 wang@example.com</p>').write_pdf(
        tmp_path / "list.pdf"
    )
    (tmp_path / "clean.txt").write_text(
        "2026年3月2日 统一社会信用代码11339901000000001X", encoding="utf-8"
    )
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")

    out = StringIO()
    call_command("scan_personal_data", str(tmp_path), "--json", stdout=out)
    report = {
        entry["source"].rsplit("/", 1)[-1]: entry["findings"]
        for entry in json.loads(out.getvalue())
    }
    assert set(report) == {"notice.txt", "decision.docx", "list.pdf", "clean.txt"}
    assert [(f["kind"], f["text"]) for f in report["notice.txt"]] == [
        ("name", "李四"),
        ("mobile", "13800138000"),
    ]
    assert [(f["kind"], f["text"]) for f in report["decision.docx"]] == [
        ("id_number", "11010519491231002X")
    ]
    assert [(f["kind"], f["text"]) for f in report["list.pdf"]] == [("email", "wang@example.com")]
    assert report["clean.txt"] == []
    first = report["notice.txt"][1]
    assert (first["start"], first["end"]) == (9, 20)


def test_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("scan_personal_data", str(tmp_path / "nope"), stdout=StringIO())


def test_it_scans_the_published_catalog(cast):
    from datetime import date

    from gongkai.publishing import actions
    from gongkai.publishing.models import Category, InfoItem, ItemStatus

    category = Category.objects.get(agency=None, code="20-06")
    published = actions.create_item(
        cast.a,
        actor=None,
        category=category,
        formed_on=date(2026, 3, 2),
        title="处罚决定",
        body="<p>手机13800138000</p>",
    )
    InfoItem.objects.filter(pk=published.pk).update(status=ItemStatus.APPROVED)
    actions.publish_item(published, actor=None)
    actions.create_item(
        cast.a, actor=None, category=category, formed_on=date(2026, 3, 2), title="草稿 13900139000"
    )
    out = StringIO()
    call_command("scan_personal_data", "--catalog", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report == [
        {
            "source": f"catalog:{published.index_no}",
            "findings": [{"kind": "mobile", "text": "13800138000", "start": 9, "end": 20}],
        }
    ]
    with pytest.raises(CommandError):
        call_command("scan_personal_data", stdout=StringIO())


def test_a_text_with_every_kind_is_found_and_no_look_alike(tmp_path):
    (tmp_path / "all.txt").write_text(
        "当事人：张三，身份证号码110105194912310021，原证号110105491231002。\n"
        "护照号码E12345678，港澳通行证C12345678。\n"
        "家庭住址：青山县文教路18号3单元501室，\n"
        "手机 138 0013 8000，电话 0571-8765-4321，银行卡号 6222 0212 3456 7890 128。\n"
        "档案号：11010519491231002X，文号：110105491231002，"
        "统一社会信用代码91110000600001760P，不动产单元号：330106194912310021。\n"
        "合同编号 6222021234567890128，办公地址：青山县人民路1号。\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("scan_personal_data", str(tmp_path / "all.txt"), "--json", stdout=out)
    [entry] = json.loads(out.getvalue())
    assert set(entry) == {"source", "findings"}
    assert all(set(f) == {"kind", "text", "start", "end"} for f in entry["findings"])
    assert [(f["kind"], f["text"]) for f in entry["findings"]] == [
        ("name", "张三"),
        ("id_number", "110105194912310021"),
        ("id_number", "110105491231002"),
        ("passport", "E12345678"),
        ("certificate", "C12345678"),
        ("address", "青山县文教路18号3单元501室"),
        ("mobile", "138 0013 8000"),
        ("landline", "0571-8765-4321"),
        ("bank_card", "6222 0212 3456 7890 128"),
    ]
