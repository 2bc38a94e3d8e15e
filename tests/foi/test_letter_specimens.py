"""letter_specimens: a specimen of every letter kind and every outcome, read back."""

from __future__ import annotations

import json
import re
from io import BytesIO, StringIO
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from gongkai.foi.models import Application, Event, Letter, LetterKind
from gongkai.lib.report_format import table
from gongkai.lib.report_keys import Outcome
from gongkai.orgs.models import DOC_NO_PATTERN, Sequence

KINDS = [
    "receipt",
    "correction",
    "explanation",
    "extension",
    "consultation_third_party",
    "consultation_agency",
    "consultation_notice",
    "third_party_override",
    "fee_notice",
    "reply",
    "abandonment",
    "withdrawal",
    "delivery_record",
]
# The article each kind cites (a reply: its outcome's, tests/foi/test_wording.py).
CITES = {
    "receipt": "第三十三条",
    "correction": "第三十条",
    "explanation": "第三十五条",
    "extension": "第三十三条第二款",
    "consultation_third_party": "第三十二条",
    "consultation_agency": "第三十四条",
    "consultation_notice": "第三十三条第三款",
    "third_party_override": "第三十二条",
    "fee_notice": "第四十二条",
    "delivery_record": "国办公开办函〔2016〕235号",
}
REPLY_CITES = {
    "reply-granted_published": "第三十六条第（一）项",
    "reply-granted": "第三十六条第（二）项",
    "reply-partially_granted": "第三十七条",
    "reply-unable_not_held": "第三十六条第（四）项",
    "reply-unable_not_held_elsewhere": "第三十六条第（五）项",
    "reply-unable_needs_creation": "第三十八条",
    "reply-np_repeated": "第三十六条第（六）项",
    "reply-np_petition_complaint": "第三十九条第一款",
    "reply-np_massive_unreasonable": "第三十五条",
    "abandonment-other_overdue_correction": "第三十条",
    "abandonment-other_overdue_fee": "国办函〔2020〕109号",
}
CLOSINGS = {
    "consultation_third_party": "特此函告。",
    "consultation_agency": "特此函告。",
    "fee_notice": "特此通知。",
    "delivery_record": "年____月____日",
}
# The kinds whose letters carry a remedy clause (§8.3): decisions and the third party's.
WITH_REMEDY = {"reply", "abandonment", "third_party_override"}
# Every label of table 三 (rows and groups): none may appear in a letter.
ROW_LABELS = [row["label"] for row in table("t3_applications")["rows"]]


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(BytesIO(data)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    return re.sub(r"—\d+—", "", flat(text))  # page numbers between pages


def write(cast, tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    # The demo's agencies have their contact details; so has this one.
    cast.a.office_phone, cast.a.office_address = "0000-1234", "测试县人民路1号"
    cast.a.save()
    counts = (Sequence.objects.count(), Application.objects.count(), Letter.objects.count())
    out = StringIO()
    call_command(
        "letter_specimens", agency="a", output=tmp_path / "specimens", year=2026, stdout=out
    )
    assert "份样张写入" in out.getvalue()
    # Nothing of the sample cases stays, and no 文号 or case number was consumed.
    assert (Sequence.objects.count(), Application.objects.count(), Letter.objects.count()) == (
        counts
    )
    assert not Event.objects.exists()
    index = json.loads((tmp_path / "specimens" / "index.json").read_text(encoding="utf-8"))
    return tmp_path / "specimens", index


def test_the_specimens(cast, tmp_path: Path):
    """One run (rendering some forty PDFs takes a while), checked in four parts."""
    written = write(cast, tmp_path)
    every_kind_and_every_outcome(written)
    required_elements(written)
    third_party_notice_and_consultations(written)
    files_open_back_with_the_same_text(written)


def every_kind_and_every_outcome(written) -> None:
    folder, index = written
    assert {entry["kind"] for entry in index} == set(KINDS) == set(LetterKind.values)
    assert {entry["outcome"] for entry in index if entry["outcome"]} == set(Outcome.values)
    for entry in index:
        assert set(entry) == {"name", "kind", "outcome", "number", "text"}
        closes = entry["kind"] in ("reply", "abandonment", "withdrawal")
        assert (entry["outcome"] is not None) == closes, entry["name"]
        assert (folder / f"{entry['name']}.docx").is_file()
        assert (folder / f"{entry['name']}.pdf").is_file()
    by_name = {entry["name"]: entry for entry in index}
    assert by_name["withdrawal"]["outcome"] == Outcome.OTHER_MISC
    assert by_name["abandonment-other_overdue_fee"]["outcome"] == Outcome.OTHER_OVERDUE_FEE
    # A sample number, the first of each letter's series, never taken from the sequence.
    assert by_name["reply-granted"]["number"] == "测甲依申答〔2026〕1号"
    assert by_name["consultation_agency"]["number"] == "测甲依申征〔2026〕1号"


def required_elements(written) -> None:
    _folder, index = written
    for entry in index:
        name, kind, text = entry["name"], entry["kind"], entry["text"]
        lines = text.split("\n")
        assert re.match(DOC_NO_PATTERN, lines[0]) and lines[0] == entry["number"], name
        assert lines[1].startswith(("政府信息", "视为放弃", "送达回证")), name  # the title
        if kind != "delivery_record":
            assert lines[2].endswith("：") and len(lines[2]) > 1, name  # 称谓
        cite = REPLY_CITES.get(name) or CITES.get(kind)
        if cite:
            assert cite in text, name
        # Every decision cites its article, except （六）3 其他, whose officer's reasons
        # carry it (wording.REPLIES), and a withdrawal, which decides nothing.
        if kind in ("reply", "abandonment") and name != "reply-other_misc":
            assert re.search(r"第[一二三四五六七八九十]+条", text), name
        assert lines[-3].endswith(CLOSINGS.get(kind, "特此告知。")), name
        assert lines[-2] == "测试县甲局", name
        assert re.fullmatch(r"2026年\d{1,2}月\d{1,2}日", lines[-1]), name
        assert ("申请行政复议" in text) == (kind in WITH_REMEDY), name
        if kind in WITH_REMEDY:
            assert "六十日内向测试县人民政府申请行政复议" in text, name
        assert "。。" not in text and "{" not in text, name
        if kind != "delivery_record":  # the 回证's blanks are filled in by hand
            assert "____" not in text, name
        for label in ROW_LABELS:
            assert label not in text, (name, label)


def third_party_notice_and_consultations(written) -> None:
    _folder, index = written
    by_name = {entry["name"]: entry["text"] for entry in index}
    override = by_name["third_party_override"]
    assert "某某建设工程有限公司：" in override and "不同意公开" in override
    assert "不公开可能对公共利益造成重大影响" in override
    assert "如对本机关决定公开的决定不服，可以自收到本告知书之日起六十日内" in override
    # The applicant is not told who the third party is; an agency is named.
    assert "某某建设工程有限公司" not in by_name["consultation_notice"]
    assert "县发展和改革局：" in by_name["consultation_agency"]
    assert "视为同意公开" in by_name["consultation_agency"]
    assert "15个工作日" in by_name["consultation_third_party"]
    assert "测甲依申答〔2026〕1号" in by_name["delivery_record"]
    assert "先自收到本答复书之日起" in by_name["reply-partially_granted"]


def files_open_back_with_the_same_text(written) -> None:
    folder, index = written
    for entry in index:
        docx = docx_text((folder / f"{entry['name']}.docx").read_bytes())
        pdf = pdf_text((folder / f"{entry['name']}.pdf").read_bytes())
        for line in entry["text"].split("\n"):
            assert line in docx, (entry["name"], line)
            assert flat(line) in pdf, (entry["name"], line)


def test_refusals_are_in_chinese(cast, tmp_path: Path):
    with pytest.raises(CommandError, match="没有代码为 nowhere 的机关"):
        call_command("letter_specimens", agency="nowhere", output=tmp_path)
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(CommandError, match="无法写入"):
        call_command("letter_specimens", agency="a", output=blocked)
    with pytest.raises(CommandError, match="机关代字"):
        call_command("letter_specimens", agency="a-unit", output=tmp_path / "x")
