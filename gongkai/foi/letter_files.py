"""A letter as a file: DOCX and PDF laid out per GB/T 9704-2012 in its 信函格式.

GB/T 9704-2012 (notes §10) sets the page: A4, a type area (版心) of 156 × 225 mm whose top
edge is 37 mm and left edge 28 mm from the paper's (so 35 mm below, 26 mm right), 22 lines
of 28 characters in 3号 (16 pt) 仿宋. Letters to applicants use the 信函格式 (notes §10.4):
the agency's full name as the 发文机关标志 in red 小标宋, its top 30 mm from the top of the
paper; a red double line (thick over thin) 4 mm under it, 170 mm long; the 文号 flush right
under that line; a red double line (thin over thick) 20 mm above the bottom of the paper;
and no page number on the first page. Then, as in every 公文: the title in 2号 (22 pt)
小标宋, centred, two lines below the 文号; the salutation one line below the title, flush
left; the body with a first-line indent of two characters, first-level headings "一、" in
黑体, second-level "（一）" in 楷体; the agency's full name centred over the date, which is in
Arabic numerals four characters from the right edge; page numbers "— 2 —" in 4号 宋体 7 mm
below the type area, odd pages on the right and even pages on the left, one character in.

Line pitch: the standard defines a line as a character plus 7/8 of one (30 pt), which would
not fit 22 lines into 225 mm; word processors use a fixed pitch instead. We use 28.95 pt
(225 mm = 637.8 pt, / 22 = 28.99 pt, rounded down to whole twentieths of a point so that
Word's "exactly" spacing holds it and 22 lines never overflow the type area). Likewise
28 characters of 16 pt are 158 mm, 2 mm more than the type area: letters are set 0.25 pt
closer (as Word's character grid does), 28 × 15.75 pt = 155.6 mm.

Fonts: the DOCX names the official faces (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体)
so Word and WPS use them where installed; the PDF is made here, so it names the Noto CJK
families that scripts/system-deps.sh installs (Noto Serif CJK SC for 仿宋, 楷体, 宋体 and,
in bold, 小标宋; Noto Sans CJK SC for 黑体) after the official names.

All text passes through `for_files`, so a control character typed by an applicant cannot
break the file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.foi.models import Letter, LetterStatus
from gongkai.lib.safe_text import for_files

# ---- the page (GB/T 9704-2012 §5.2, §7; millimetres and points) -------------------------

PAGE_W, PAGE_H = 210, 297
TOP, LEFT = 37, 28  # 天头, 订口
AREA_W, AREA_H = 156, 225  # 版心
BOTTOM, RIGHT = PAGE_H - TOP - AREA_H, PAGE_W - LEFT - AREA_W  # 35, 26
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NO_PT = 14  # 4号
LINE_PT = 28.95  # 22 lines in 225 mm; see the module's docstring
LINES, CHARS = 22, 28
TRACKING_PT = -0.25  # 28 characters in 156 mm
MASTHEAD_TOP = 30  # 信函格式: the 发文机关标志's top edge from the top of the paper
MASTHEAD_PT = 22  # no size is fixed; 2号 keeps a 20-character agency name on one line
RULE_GAP = 4  # the double line 4 mm under the 标志
RULE_LONG = 170  # 信函格式 double lines are 170 mm long
FOOT_RULE = 20  # the lower double line, 20 mm above the bottom of the paper
PAGE_NO_BELOW = 7  # the 一字线 7 mm below the type area
DATE_RIGHT_CHARS = 4  # 成文日期右空四字
MM_PER_PT = 25.4 / 72
RED = "E60012"  # 公文 red (Y80 M80 on press); a screen stand-in

# The faces the standard's practice names (notes §10.2), and the PDF's stand-ins.
FACES = {
    "body": ("仿宋_GB2312", '"仿宋_GB2312", "FangSong", "Noto Serif CJK SC", serif'),
    "title": ("方正小标宋简体", '"方正小标宋简体", "Noto Serif CJK SC", serif'),
    "heading1": ("黑体", '"黑体", "SimHei", "Noto Sans CJK SC", sans-serif'),
    "heading2": ("楷体_GB2312", '"楷体_GB2312", "KaiTi", "Noto Serif CJK SC", serif'),
    "page_no": ("宋体", '"宋体", "SimSun", "Noto Serif CJK SC", serif'),
}
DRAFT_NO = "〔文号待发文时生成〕"

_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; a heading's number and sentence (up to its 。) are in its face."""

    lead: str
    rest: str
    face: str  # "body", "heading1" or "heading2"


def paragraph(text: str) -> Paragraph:
    face = "heading1" if _HEADING1.match(text) else "heading2" if _HEADING2.match(text) else ""
    if not face:
        return Paragraph("", text, "body")
    end = text.find("。")
    cut = len(text) if end < 0 else end + 1
    return Paragraph(text[:cut], text[cut:], face)


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals, the year in full and no leading zeros: 2026年12月7日."""
    return f"{day.year}年{day.month}月{day.day}日"


def text_width_pt(text: str, size: float = BODY_PT) -> float:
    """The printed width of a line: a Chinese character is one em, digits half of one."""
    return sum(
        (size if unicodedata.east_asian_width(ch) in "WF" else size / 2) + TRACKING_PT
        for ch in text
    )


def _foot_rule_svg() -> str:
    """The 信函格式's lower double line (thin over thick), as the first page's background."""
    y = PAGE_H - FOOT_RULE
    x = (PAGE_W - RULE_LONG) / 2
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{PAGE_W}mm' height='{PAGE_H}mm'"
        f" viewBox='0 0 {PAGE_W} {PAGE_H}'>"
        f"<rect x='{x}' y='{y - 1.85}' width='{RULE_LONG}' height='0.35' fill='#{RED}'/>"
        f"<rect x='{x}' y='{y - 1}' width='{RULE_LONG}' height='1' fill='#{RED}'/></svg>"
    )
    return "data:image/svg+xml," + quote(svg)


def _context(letter: Letter) -> dict[str, Any]:
    agency = letter.application.agency
    # Cleaned before splitting: str.splitlines also breaks at \x0b, \x1c–\x1e and \x85.
    lines = [p.strip() for p in for_files(letter.body).splitlines()]
    lines = [p for p in lines if p]
    signed = for_files(agency.name)
    dated = chinese_date(letter.issued_on or timezone.localdate())
    # The 署名 is centred on the 成文日期 (GB/T 9704 §7.3.5.1), which sits 4 characters in.
    shift = (text_width_pt(dated) - text_width_pt(signed)) / 2
    return {
        "letter": letter,
        "title": for_files(letter.title),
        "agency_name": signed,
        "draft": letter.status != LetterStatus.ISSUED,
        "doc_no": for_files(letter.doc_no) or DRAFT_NO,
        "salutation": lines[0] if lines else "",
        "paragraphs": [paragraph(p) for p in lines[1:]],
        "date": dated,
        "date_right_pt": DATE_RIGHT_CHARS * BODY_PT,
        "name_right_pt": max(DATE_RIGHT_CHARS * BODY_PT + shift, 0),
        "faces": {key: css for key, (_official, css) in FACES.items()},
        "red": RED,
        "page": {
            "top": TOP,
            "left": LEFT,
            "bottom": BOTTOM,
            "right": RIGHT,
            "line": LINE_PT,
            "body": BODY_PT,
            "title": TITLE_PT,
            "tracking": TRACKING_PT,
            "page_no": PAGE_NO_PT,
            "masthead": MASTHEAD_PT,
            "masthead_up": TOP - MASTHEAD_TOP,
            "rule_gap": RULE_GAP,
            "rule_out_left": LEFT - (PAGE_W - RULE_LONG) / 2,
            "rule_out_right": RULE_LONG - AREA_W - (LEFT - (PAGE_W - RULE_LONG) / 2),
            "rule_long": RULE_LONG,
            "two_lines": 2 * LINE_PT,
            # The number's line box starts half a 4号 character above the 一字线's 7 mm.
            "page_no_top": round(PAGE_NO_BELOW - PAGE_NO_PT / 2 * MM_PER_PT, 2),
        },
        "foot_rule_svg": _foot_rule_svg(),
    }


# ---- PDF ---------------------------------------------------------------------------------


def render_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    html = render_to_string("foi/letter_pdf.html", _context(letter))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


# ---- DOCX --------------------------------------------------------------------------------


def render_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    context = _context(letter)
    document = Document()

    def fonts(r_pr: Any, face: str) -> None:
        official = FACES[face][0]
        r_fonts = r_pr.get_or_add_rFonts()
        # python-docx's font.name sets only the Latin faces; Chinese text needs eastAsia.
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            r_fonts.set(qn(attr), official)
        r_fonts.set(qn("w:hint"), "eastAsia")

    def tracking(r_pr: Any) -> None:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(round(TRACKING_PT * 20)))
        r_pr.append(spacing)

    def run(
        para: Any, text: str, face: str, size: float, *, color: str = "", bold: bool = False
    ) -> Any:
        piece = para.add_run(text)
        piece.font.size = Pt(size)
        piece.font.bold = bold
        if color:
            piece.font.color.rgb = RGBColor.from_string(color)
        r_pr = piece._element.get_or_add_rPr()
        fonts(r_pr, face)
        tracking(r_pr)
        return piece

    def exact(para: Any, pitch: float = LINE_PT) -> Any:
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(pitch)
        fmt.space_before = fmt.space_after = Pt(0)
        return fmt

    def rule(para: Any, edge: str, style: str) -> None:
        """A red double line on the paragraph's edge, as long as its indents allow."""
        p_pr = para._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        line = OxmlElement(f"w:{edge}")
        for attr, value in (("w:val", style), ("w:sz", "18"), ("w:space", "1"), ("w:color", RED)):
            line.set(qn(attr), value)
        borders.append(line)
        p_pr.append(borders)

    def field(para: Any, code: str) -> None:
        """A Word field (PAGE): begin, instruction, separate, a placeholder result, end."""
        for kind, text in (("begin", ""), ("instr", code), ("separate", ""), ("text", "1")):
            piece = run(para, "", "page_no", PAGE_NO_PT)
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {code} "
                piece._element.append(instr)
            elif kind == "text":
                piece.text = text
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                piece._element.append(char)
        end = run(para, "", "page_no", PAGE_NO_PT)
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), "end")
        end._element.append(char)

    # Styles: Normal is the body face, so anything typed into the file later matches.
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    fonts(normal.element.get_or_add_rPr(), "body")
    exact(normal)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.gutter = Mm(0)
    # The 信函格式's 标志 is the first page's header, its top 30 mm from the paper's top.
    section.header_distance = Mm(MASTHEAD_TOP)
    # The 一字线 (mid-height of a 14 pt line) 7 mm below the type area: the footer's
    # bottom edge is 35 - 7 - 2.5 mm from the paper's bottom.
    section.footer_distance = Mm(BOTTOM - PAGE_NO_BELOW - 2.5)
    section.different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))

    # The 170 mm double lines are centred on the paper: 8 mm out on the left, 6 mm on the right.
    out_left = -Mm(LEFT - (PAGE_W - RULE_LONG) / 2)
    out_right = -Mm(RULE_LONG - AREA_W - (LEFT - (PAGE_W - RULE_LONG) / 2))
    masthead = section.first_page_header.paragraphs[0]
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    exact(masthead, MASTHEAD_PT * 1.1)
    run(masthead, context["agency_name"], "title", MASTHEAD_PT, color=RED)
    line = section.first_page_header.add_paragraph()
    exact(line, RULE_GAP * 72 / 25.4)
    line.paragraph_format.left_indent, line.paragraph_format.right_indent = out_left, out_right
    rule(line, "bottom", "thickThinSmallGap")
    foot = section.first_page_footer.paragraphs[0]
    foot.paragraph_format.left_indent, foot.paragraph_format.right_indent = out_left, out_right
    exact(foot, 4)
    rule(foot, "bottom", "thinThickSmallGap")
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),  # odd pages
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        number = footer.paragraphs[0]
        number.alignment = align
        exact(number, PAGE_NO_PT * 1.3)
        setattr(number.paragraph_format, side, Pt(PAGE_NO_PT))  # 空一字
        run(number, "— ", "page_no", PAGE_NO_PT)
        field(number, "PAGE")
        run(number, " —", "page_no", PAGE_NO_PT)

    doc_no = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    doc_no.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    exact(doc_no)
    run(doc_no, context["doc_no"], "body", BODY_PT)
    for _blank in range(2):  # the title two lines below the 文号
        exact(document.add_paragraph())
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    exact(title)
    run(title, context["title"] + ("（草稿）" if context["draft"] else ""), "title", TITLE_PT)
    exact(document.add_paragraph())  # the salutation one line below the title
    if context["salutation"]:  # 称谓, flush left
        salutation = document.add_paragraph()
        exact(salutation)
        run(salutation, context["salutation"], "body", BODY_PT)
    for item in context["paragraphs"]:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        exact(para).first_line_indent = Pt(2 * BODY_PT)
        if item.lead:
            run(para, item.lead, item.face, BODY_PT)
        if item.rest:
            run(para, item.rest, "body", BODY_PT)
    for _blank in range(2):  # room for the seal, whose top is within a line of the body
        exact(document.add_paragraph())
    for text, right in (
        (context["agency_name"], context["name_right_pt"]),
        (context["date"], context["date_right_pt"]),
    ):
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        exact(para).right_indent = Pt(right)
        run(para, text, "body", BODY_PT)
    document.core_properties.title = context["title"]
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
