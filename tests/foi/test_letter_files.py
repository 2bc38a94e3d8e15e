"""A letter's DOCX and PDF opened back: GB/T 9704-2012 page, type area, faces and page numbers.

The measures are read from the files, not from the code that wrote them: python-docx for
the DOCX's section, runs and footers, pdfplumber for where each character of the PDF sits.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.foi import letter_files, letters
from gongkai.foi.letter_files import LINE_PT

MM = 72 / 25.4  # points per millimetre
# A body long enough for three pages, with both levels of headings.
SENTENCE = "本机关依照条例的规定对您申请公开的政府信息进行了检索，现将有关情况告知如下。"
BODY = "\n".join(
    [
        "{申请人}：",
        "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。",
        "一、检索情况。" + SENTENCE * 3,
        "（一）检索范围。" + SENTENCE * 4,
        "（二）检索方式。" + SENTENCE * 4,
        "二、答复意见。" + SENTENCE * 12,
        SENTENCE * 12,
        "特此告知。",
    ]
)


@pytest.fixture
def issued(submit, cast, time_machine):
    """A three-page letter, approved and issued on 7 December 2026."""
    application = submit(date(2026, 12, 1)).application
    time_machine.move_to("2026-12-07 10:00 +0800", tick=False)
    letter = letters.draft_letter(application, actor=cast.officer_a, kind="receipt")
    body = BODY.replace("{申请人}", "张三").replace("{收到日期}", "2026年12月1日")
    letters.edit_letter(
        letter, actor=cast.officer_a, body=body.replace("{申请编号}", application.number)
    )
    letters.approve_letter(letter, actor=cast.head_a)
    return letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 12, 7))


def east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_docx_page_type_area_and_faces(issued):
    word = Document(BytesIO(letter_files.render_docx(issued)))
    section = word.sections[0]
    measured = {
        name: round(getattr(section, name).mm, 1)
        for name in (
            "page_width",
            "page_height",
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
        )
    }
    assert measured == {
        "page_width": 210.0,
        "page_height": 297.0,
        "top_margin": 37.0,
        "bottom_margin": 35.0,
        "left_margin": 28.0,
        "right_margin": 26.0,
    }
    paragraphs = [p for p in word.paragraphs if p.text]
    doc_no, title, salutation, *body = paragraphs
    assert doc_no.text == issued.doc_no and doc_no.alignment == 2  # flush right (信函格式)
    assert title.alignment == 1 and title.runs[0].font.size == Pt(22)
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    assert salutation.text == "张三：" and not salutation.paragraph_format.first_line_indent
    for p in body[:-2]:
        assert p.paragraph_format.first_line_indent == Pt(32)  # two characters of 3号
        assert p.paragraph_format.line_spacing == Pt(LINE_PT) and p.runs[-1].font.size == Pt(16)
    faces = {p.runs[0].text: east_asia(p.runs[0]) for p in body if len(p.runs) > 1}
    assert faces == {"一、检索情况。": "黑体", "（一）检索范围。": "楷体_GB2312",
                     "（二）检索方式。": "楷体_GB2312", "二、答复意见。": "黑体"}  # fmt: skip
    assert {east_asia(r) for p in body for r in p.runs[1:]} | {
        east_asia(p.runs[0]) for p in body if len(p.runs) == 1
    } == {"仿宋_GB2312"}
    signed, dated = body[-2:]
    assert signed.text == "测试县甲局" and dated.text == "2026年12月7日"
    assert dated.alignment == signed.alignment == 2 and dated.paragraph_format.right_indent == Pt(
        64
    )  # 右空四字
    # The 署名 (5 characters) is centred on the date.
    width = 3 * 15.75 + 7 * 7.75  # 年月日 and 7 half-width digits, each 0.25 pt closer
    assert abs(signed.paragraph_format.right_indent.pt - (64 + (width - 5 * 15.75) / 2)) < 0.1


def field_code(footer) -> str:
    xml = footer._element.xml
    return "".join(re.findall(r"<w:instrText[^>]*>([^<]*)<", xml)).strip()


def test_the_docx_page_numbers_and_letterhead(issued):
    word = Document(BytesIO(letter_files.render_docx(issued)))
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert word.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"  # the PAGE field's placeholder between 一字线
    assert field_code(section.footer) == field_code(section.even_page_footer) == "PAGE"
    assert odd.alignment == 2 and odd.paragraph_format.right_indent == Pt(14)
    assert even.alignment == 0 and even.paragraph_format.left_indent == Pt(14)
    assert {east_asia(r) for r in odd.runs} == {"宋体"} and odd.runs[0].font.size == Pt(14)
    # 信函格式: the first page has the red 发文机关标志 and no page number.
    assert not field_code(section.first_page_footer)
    masthead = section.first_page_header.paragraphs[0]
    assert masthead.text == "测试县甲局" and str(masthead.runs[0].font.color.rgb) == "E60012"
    assert section.header_distance is not None and round(section.header_distance.mm) == 30
    assert "thickThinSmallGap" in section.first_page_header._element.xml


def pdf_pages(data: bytes) -> list[dict]:
    """Per page: its size in mm, its lines of text (top in mm → text) and its fonts."""
    pages = []
    with pdfplumber.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines: dict[float, list] = {}
            for char in page.chars:
                lines.setdefault(round(char["top"] / MM, 1), []).append(char)
            pages.append(
                {
                    "size": (round(page.width / MM), round(page.height / MM)),
                    "lines": {
                        top: sorted(chars, key=lambda c: c["x0"])
                        for top, chars in sorted(lines.items())
                    },
                    "fonts": {re.sub(r"^[A-Z]{6}\+", "", c["fontname"]) for c in page.chars},
                }
            )
    return pages


def text(chars) -> str:
    return "".join(c["text"] for c in chars).replace(" ", "")


def test_the_pdf_page_type_area_lines_and_page_numbers(issued):
    pages = pdf_pages(letter_files.render_pdf(issued))
    assert len(pages) == 3 and {p["size"] for p in pages} == {(210, 297)}
    first = pages[0]["lines"]
    rows = [(top, text(chars)) for top, chars in first.items()]
    # The 标志, its top 30 mm from the top of the paper (pdfminer's "top" of a CJK
    # character is 0.17 em below its em box: baseline - 0.712 em for Noto CJK).
    assert rows[0][1] == "测试县甲局"
    assert 29.5 <= rows[0][0] - 0.17 * 22 / MM <= 31
    assert rows[1][1] == issued.doc_no
    body_top, body_chars = next((top, c) for top, c in first.items() if text(c) == "张三：")
    assert body_top >= 37 and body_chars[0]["x0"] / MM >= 28 - 0.01
    received = next(c for top, c in first.items() if text(c).startswith("本机关于"))
    assert round(received[0]["x0"] / MM - 28, 1) == round(32 / MM, 1)  # indented two characters
    # Every character of the body is inside the type area, 28–184 mm × 37–262 mm.
    for page in pages:
        for top, chars in page["lines"].items():
            if text(chars) in ("测试县甲局", f"—{pages.index(page) + 1}—"):
                continue
            assert top >= 37 - 0.5 and chars[-1]["bottom"] / MM <= 262 + 0.5
            # (a right-aligned line's last character overhangs by its tracking, 0.25 pt)
            assert chars[0]["x0"] / MM >= 28 - 0.01 and chars[-1]["x1"] / MM <= 184 + 0.15
    # A full page: 22 lines at the fixed pitch, full lines of 28 characters.
    second = [(top, text(c)) for top, c in pages[1]["lines"].items()]
    body_lines = [row for row in second if not row[1].startswith("—")]
    assert len(body_lines) == 22
    pitches = [(b[0] - a[0]) * MM for a, b in itertools.pairwise(body_lines)]
    assert all(abs(pitch - LINE_PT) < 0.3 for pitch in pitches), pitches  # tops are in 0.1 mm
    assert max(len(t) for _top, t in body_lines) == 28
    # Page numbers: none on the first page (信函格式); even pages left, odd pages right.
    numbers = [
        [(top, chars) for top, chars in page["lines"].items() if text(chars).startswith("—")]
        for page in pages
    ]
    assert numbers[0] == []
    (_top2, chars2), (_top3, chars3) = numbers[1][0], numbers[2][0]
    assert text(chars2) == "—2—" and text(chars3) == "—3—"
    dash = next(c for c in chars2 if c["text"] == "—")
    middle = (dash["top"] + dash["bottom"]) / 2 / MM
    assert 262 + 5.5 <= middle <= 262 + 8.5  # the 一字线 7 mm below the type area
    assert round(chars2[0]["x0"] / MM - 28, 0) == round(14 / MM, 0)  # 空一字 from the left
    assert round(184 - chars3[-1]["x1"] / MM, 0) == round(14 / MM, 0)  # and from the right
    # Signature and date on the last page, the date 4 characters from the right edge.
    last = {text(c): c for c in pages[2]["lines"].values()}
    dated = last["2026年12月7日"]
    assert abs(184 - dated[-1]["x1"] / MM - 64 / MM) < 0.15
    signed = last["测试县甲局"]
    centre = (signed[0]["x0"] + signed[-1]["x1"]) / 2 - (dated[0]["x0"] + dated[-1]["x1"]) / 2
    assert abs(centre) < 2  # centred on the date (points)
    fonts = set().union(*(p["fonts"] for p in pages))
    assert fonts <= {
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
        "Noto-Sans-CJK-SC",
    }, fonts
    assert {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC"} <= fonts


def test_the_pdf_headings_in_their_faces(issued):
    pages = pdf_pages(letter_files.render_pdf(issued))
    by_text = {text(c): c for p in pages for c in p["lines"].values()}
    heading = next(c for t, c in by_text.items() if t.startswith("一、检索情况。"))
    assert {c["fontname"].split("+")[-1] for c in heading[:7]} == {"Noto-Sans-CJK-SC"}
    assert {c["fontname"].split("+")[-1] for c in heading[7:]} == {"Noto-Serif-CJK-SC"}
    title = next(c for t, c in by_text.items() if t == issued.title)
    assert round(title[0]["size"]) == 22 and title[0]["fontname"].endswith("Noto-Serif-CJK-SC-Bold")
    assert round(heading[-1]["size"]) == 16


PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(not PDFTOPPM, reason="pdftoppm (poppler-utils) missing")
def test_the_pdf_renders_to_an_image(issued, tmp_path: Path):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter_files.render_pdf(issued))
    subprocess.run(
        [str(PDFTOPPM), "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---- characters a file cannot hold ---------------------------------------------------------

# As an applicant might type or paste it: controls, a line separator, an emoji and a
# character of CJK extension B (U+20BB7). PostgreSQL stores all of these.
ODD_NAME = "张\x01三\x0b李\u2028四😀𠮷"
CLEAN_LINES = ["张三李", "四😀𠮷"]  # U+2028 is a line break


@pytest.fixture
def odd_case(submit):
    from tests.foi.conftest import PERSON

    return submit(date(2026, 12, 1), applicant={**PERSON, "applicant_name": ODD_NAME}).application


def test_odd_characters_in_the_applicants_name_never_break_a_letter(odd_case, cast):
    letter = letters.draft_letter(odd_case, actor=cast.officer_a, kind="receipt")
    assert ODD_NAME in letter.body
    # A lone surrogate cannot reach the database; the writers must still take it.
    letter.body = letter.body.replace("本机关", "本\ud800机关", 1)
    word = Document(BytesIO(letter_files.render_docx(letter)))
    lines = [p.text for p in word.paragraphs if p.text]
    assert lines[2:4] == [CLEAN_LINES[0], CLEAN_LINES[1] + "："]
    assert any(line.startswith("本机关于2026年12月1日") for line in lines)
    with pdfplumber.open(BytesIO(letter_files.render_pdf(letter))) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "")
    assert "张三李\n四😀𠮷：" in text and "本机关于2026年12月1日" in text


def test_odd_characters_never_break_the_xlsx_export(client, odd_case, cast):
    from openpyxl import load_workbook

    odd_case.description = "=申请\x01公开\ufffe😀𠮷"
    odd_case.save(update_fields=["description"])
    client.force_login(cast.officer_a)
    response = client.get(reverse("foi:list"), {"view": "all", "format": "xlsx"})
    assert response.status_code == 200
    row = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[1]
    assert row[5] == "\n".join(CLEAN_LINES)
    assert row[7] == "'=申请公开😀𠮷"  # cleaned first, then kept from running as a formula
