"""The annual report's files, opened back: every number, merged header and font as computed."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pdfplumber
import pytest
from django.conf import settings
from django.utils import translation
from docx import Document as Docx
from docx.oxml.ns import qn
from lxml import html as lxml_html  # type: ignore[import-untyped]
from openpyxl import load_workbook

from gongkai.annual import files, narrative
from gongkai.annual.compute import Report, compute, scope_for
from gongkai.annual.layout import body_rows, header_rows, leaf_columns
from gongkai.foi.models import EventKind, Remedy
from gongkai.lib.report_format import report_format, table
from gongkai.lib.report_keys import ApplicantType, Outcome, RemedyKind, RemedyResult
from gongkai.publishing.models import DecisionFigures
from tests.annual.test_compute import case

pytestmark = pytest.mark.django_db

NARRATIVE = {
    "overview": "本年度，本机关认真贯彻落实《条例》。\n\n主动公开政府信息一百余条。",
    "other": "本年度未收取信息处理费。",
}  # "problems" is missing: an empty section
TOTAL_ROW = [4, 1, 0, 0, 1, 0, 6]  # （七）总计 of the fixture, in column order


@pytest.fixture
def report(cast):
    a = cast.a
    replied = EventKind.REPLIED
    case(a, date(2025, 2, 1), closed=(date(2025, 2, 10), replied, Outcome.GRANTED))
    case(a, date(2025, 3, 1), closed=(date(2025, 3, 20), replied, Outcome.PARTIALLY_GRANTED))
    case(a, date(2025, 11, 1))  # open at the year's end
    case(a, date(2024, 12, 20), closed=(date(2025, 1, 8), replied, Outcome.DENIED_STATE_SECRET))
    case(a, date(2025, 4, 1), ApplicantType.COMMERCIAL_ENTERPRISE,
         closed=(date(2025, 4, 15), replied, Outcome.UNABLE_NOT_HELD))  # fmt: skip
    case(a, date(2025, 5, 1), ApplicantType.LEGAL_SERVICE_ORG,
         closed=(date(2025, 5, 3), EventKind.WITHDRAWN, ""))  # fmt: skip
    application = case(a, date(2025, 1, 5), closed=(date(2025, 1, 6), replied, Outcome.GRANTED))
    Remedy.objects.create(application=application, kind=RemedyKind.ADMINISTRATIVE_REVIEW, body="县政府",
                          filed_on=date(2025, 6, 1), decided_on=date(2025, 8, 1), result=RemedyResult.UPHELD)  # fmt: skip
    Remedy.objects.create(application=application, kind=RemedyKind.LITIGATION_DIRECT, body="县法院",
                          filed_on=date(2025, 9, 1), decided_on=None, result=RemedyResult.PENDING)  # fmt: skip
    DecisionFigures.objects.create(agency=a, year=2025, licensing_decisions=12,
                                   penalty_decisions=5, coercion_decisions=0,
                                   fee_amount=Decimal("1.2500"))  # fmt: skip
    built = Report(a.name, a.code, 2025, False, compute(scope_for(a, 2025)))
    t3 = built.tables["t3_applications"]
    # The history as the tests below expect it printed.
    assert t3["new_received"]["natural_person"] == 4
    assert [t3["total_processed"][c] for c in leaf_columns("t3_applications")] == TOTAL_ROW
    return built


def zh(msgid):
    """A message as the files print it (in the site's language, Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)


def expected_rows(report, table_id):
    """[(label, [printed numbers])] of the data rows, in printed order."""
    columns = leaf_columns(table_id)
    return [
        (row.label, [files.number(report.tables[table_id][row.key][c]) for c in columns])
        for row in body_rows(table_id)
        if row.kind == "data"
    ]


def table_ids():
    return [t for s in report_format()["sections"] for t in s.get("tables", [])]


def headings():
    return [f"{s['no']}、{s['title']}" for s in report_format()["sections"]]


def test_names_and_types(report):
    assert set(files.FORMATS) == set(files.CONTENT_TYPES) == {"html", "docx", "pdf", "xlsx"}
    name = files.filename(report, "docx")
    assert name.endswith(".docx") and "测试县甲局" in name and "2025" in name
    assert "/" not in files.filename(Report("甲/乙局", "x", 2025, False, report.tables), "pdf")
    with pytest.raises(ValueError):
        files.render(report, NARRATIVE, "odt")


def test_html_has_every_table_with_merged_headers_and_numbers(report):
    page = lxml_html.fromstring(files.render(report, NARRATIVE, "html"))
    assert page.get("lang") == "zh-Hans"
    assert not page.xpath("//link[@rel='stylesheet'] | //script[@src]")  # self-contained
    assert [h.text_content() for h in page.xpath("//h2")] == headings()
    assert page.xpath("//h1")[0].text_content() == files.title(report)
    overview = page.xpath("//section[@data-section='overview']/p")
    assert [p.text_content() for p in overview] == ["本年度，本机关认真贯彻落实《条例》。",
                                                    "主动公开政府信息一百余条。"]  # fmt: skip
    problems = page.xpath("//section[@data-section='problems']/h2")
    assert [h.text_content() for h in problems] == [narrative.section_titles()["problems"]]
    assert not page.xpath("//section[@data-section='problems']/p")
    tables = page.xpath("//table")
    assert [t.get("data-table") for t in tables] == table_ids()
    for element in tables:
        table_id = element.get("data-table")
        rows = element.xpath("./thead/tr")
        assert len(rows) == len(header_rows(table_id))
        for tr, level in zip(rows, header_rows(table_id), strict=True):
            printed = [(th.text_content(), th.get("colspan", "1"), th.get("rowspan", "1"))
                       for th in tr.xpath("./th")]  # fmt: skip
            wanted = [(h.label, str(h.colspan), str(h.rowspan)) for h in level if h.label]
            assert [p for p in printed if p[0] and not p[0].startswith("（本列")] == wanted
        data = [tr for tr in element.xpath("./tbody/tr") if tr.xpath("./td")]
        got = [
            (tr.xpath("string(./th)"), [td.text_content() for td in tr.xpath("./td")])
            for tr in data
        ]
        assert got == expected_rows(report, table_id)
    t3 = page.xpath("//table[@data-table='t3_applications']")[0]
    assert t3.xpath("string(.//td[@data-cell='new_received.natural_person'])") == "4"
    assert t3.xpath(".//thead/tr[1]/th[@colspan='7']")[0].text_content() == "申请人情况"
    assert t3.xpath(".//thead/tr[1]/th[1]/@rowspan") == ["3"]
    fee = page.xpath("string(//td[@data-cell='administrative_fees.fee_amount'])")
    assert fee == "1.25"
    t4 = page.xpath("//table[@data-table='t4_review_litigation']")[0]
    assert t4.xpath("string(.//td[@data-cell='cases.review_upheld'])") == "1"
    assert t4.xpath("string(.//td[@data-cell='cases.lit_direct_pending'])") == "1"
    assert not t4.xpath(".//tbody/tr/th")  # table 四 has no row labels
    captions = [c.text_content() for c in page.xpath("//caption")]
    assert captions == [table(t)["title"] for t in table_ids()[:4]]


def test_draft_and_note(report):
    plain = files.render(report, {}, "html").decode()
    assert zh("Draft") not in plain and 'class="draft"' not in plain
    draft = lxml_html.fromstring(
        files.render(report, {}, "html", draft=True, note="第2次修订：更正表三")
    )
    assert draft.xpath("//h1")[0].text_content() == f"{files.title(report)}（{zh('Draft')}）"
    assert draft.xpath("//div[@class='note']")[0].text_content() == "第2次修订：更正表三"
    assert [d.text_content() for d in draft.xpath("//div[@class='draft']")] == [zh("Draft")]


def east_asia(run):
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_docx_tables_fonts_and_merges(report):
    document = Docx(BytesIO(files.render(report, NARRATIVE, "docx", draft=True, note="修订")))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == f"{files.title(report)}（{zh('Draft')}）"
    assert {east_asia(r) for r in paragraphs[0].runs} == {"黑体"}
    texts = [p.text for p in paragraphs]
    for heading in headings():
        assert {east_asia(r) for r in paragraphs[texts.index(heading)].runs} == {"黑体"}
    body = paragraphs[texts.index("主动公开政府信息一百余条。")]
    assert {east_asia(r) for r in body.runs} == {"仿宋"}
    assert "修订" in texts and zh("Draft") in document.sections[0].header.paragraphs[0].text
    assert texts.index(table("t2_art20_1")["title"]) < texts.index(headings()[2])
    width = document.sections[0].page_width
    assert width is not None and round(width.mm) == 210
    assert len(document.tables) == len(table_ids())
    for grid, table_id in zip(document.tables, table_ids(), strict=True):
        assert grid.style is not None and grid.style.name == "Table Grid"
        levels = len(header_rows(table_id))
        fonts = {east_asia(r) for row in grid.rows for c in row.cells for p in c.paragraphs
                 for r in p.runs}  # fmt: skip
        assert fonts == {"宋体"}
        got = []
        for row, line in zip(grid.rows[levels:], body_rows(table_id), strict=True):
            cells = [c.text for c in row.cells]
            if line.kind == "group":
                assert set(cells) == {line.label}  # one cell across the row
                continue
            if line.label:
                got.append((cells[0], cells[1:]))
            else:
                got.append(("", cells))
        assert got == expected_rows(report, table_id)
    t3 = document.tables[table_ids().index("t3_applications")]
    first = t3.rows[0]._tr.tc_lst
    assert first[0].vMerge == "restart" and first[1].grid_span == 7
    assert t3.rows[1]._tr.tc_lst[0].vMerge == "continue"
    assert t3.cell(0, 1).text == "申请人情况" and t3.cell(1, 2).text == "法人或其他组织"
    t4 = document.tables[-1]
    assert [tc.grid_span for tc in t4.rows[0]._tr.tc_lst] == [5, 10]
    assert t4.rows[3].cells[0].text == "1" and t4.rows[3].cells[8].text == "1"
    fee_table = document.tables[table_ids().index("t2_art20_8")]
    assert fee_table.rows[1].cells[1].text == "1.25"


def test_xlsx_sheets_numbers_and_merges(report):
    book = load_workbook(BytesIO(files.render(report, NARRATIVE, "xlsx", draft=True)))
    about, *sheets = book.worksheets
    facts = [[c for c in row if c is not None] for row in about.iter_rows(values_only=True)]
    assert [zh("Agency"), "测试县甲局"] in facts and [zh("Year"), 2025] in facts
    assert [headings()[0]] in facts and ["主动公开政府信息一百余条。"] in facts
    assert [s.title for s in sheets] == [
        f"{table(t)['section']}-{table(t)['title']}"[:31] for t in table_ids()
    ]
    assert len({s.title for s in book.worksheets}) == len(book.worksheets)
    for sheet, table_id in zip(sheets, table_ids(), strict=True):
        top = 2 + len(header_rows(table_id))
        has_labels = any(r.label for r in body_rows(table_id))
        assert sheet.freeze_panes == f"{'B' if has_labels else 'A'}{top}"
        got = []
        for row, line in zip(sheet.iter_rows(min_row=top, values_only=True),
                             body_rows(table_id), strict=True):  # fmt: skip
            if line.kind == "group":
                assert row[0] == line.label and set(row[1:]) == {None}
                continue
            numbers = list(row[1:] if has_labels else row)
            assert all(isinstance(n, int | float) for n in numbers)
            got.append(
                (row[0] if has_labels else "", [files.number(Decimal(str(n))) for n in numbers])
            )
        assert got == expected_rows(report, table_id)
    t3 = sheets[table_ids().index("t3_applications")]
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert {"A2:A4", "B2:H2", "B3:B4", "C3:G3", "H3:H4"} <= merged
    label = next(r for r in body_rows("t3_applications") if r.key == "new_received").label
    row = next(r for r in t3.iter_rows(min_row=5) if r[0].value == label)
    assert row[1].value == 4 and row[7].value == 6
    fee = sheets[table_ids().index("t2_art20_8")]
    assert fee.cell(3, 2).value == pytest.approx(1.25)
    t4 = sheets[-1]
    assert {"A2:E2", "A3:A4", "F2:O2", "F3:J3", "K3:O3"} <= {str(r) for r in t4.merged_cells.ranges}
    assert t4.cell(5, 1).value == 1 and t4.cell(5, 5).value == 1 and t4.cell(5, 9).value == 1


def test_pdf_text_numbers_and_embedded_chinese_fonts(report):
    with pdfplumber.open(BytesIO(files.render(report, NARRATIVE, "pdf"))) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        fonts = {ch["fontname"] for page in pdf.pages for ch in page.chars}
        footer = pdf.pages[0].extract_text().splitlines()[-1]
    flat = text.replace(" ", "")
    assert "测试县甲局" in flat
    for heading in headings():
        assert heading in flat
    assert "主动公开政府信息一百余条。" in flat
    total_label = next(r for r in body_rows("t3_applications") if r.key == "total_processed").label
    line = next(line for line in text.splitlines() if line.replace(" ", "").startswith(total_label))
    numbers = line[line.rindex(total_label[-1]) + 1 :].split()
    assert numbers == [str(n) for n in TOTAL_ROW]
    assert re.fullmatch(r"1 / \d+", footer.strip())
    # Glyphs come from embedded CJK fonts (subset names like ABCDEF+NotoSansCJKsc-Regular).
    assert any("CJK" in f and "Sans" in f for f in fonts)  # headings
    assert any("CJK" in f and "Serif" in f for f in fonts)  # text and tables
    assert all(re.match(r"[A-Z]{6}\+", f) for f in fonts)


# ---- characters a file cannot hold ---------------------------------------------------------

# Pasted from Word or typed: controls, a line separator, a lone surrogate (possible in an
# in-memory report, never in the database), an emoji and a CJK extension-B character.
ODD = "甲\x01乙\x0b丙\u2028丁\ud800😀𠮷"
ODD_LINES = ["甲乙丙", "丁😀𠮷"]


@pytest.mark.parametrize("fmt", files.FORMATS)
def test_odd_characters_never_break_a_report_file(report, fmt):
    from dataclasses import replace

    odd_report = replace(report, agency=f"测试县{ODD}局")
    narrative = {"overview": f"概述{ODD}。", "other": "无\x02。"}
    data = files.render(odd_report, narrative, fmt, draft=True, note=f"说明{ODD}")
    files.filename(odd_report, fmt).encode("utf-8")  # a name the download header can carry
    if fmt == "html":
        lines = lxml_html.fromstring(data.decode("utf-8")).text_content().splitlines()
    elif fmt == "docx":
        lines = [line for p in Docx(BytesIO(data)).paragraphs for line in p.text.splitlines()]
    elif fmt == "xlsx":
        about = load_workbook(BytesIO(data)).worksheets[0]
        cells = [c for row in about.iter_rows(values_only=True) for c in row if c]
        lines = [line for c in cells for line in str(c).splitlines()]
    else:
        with pdfplumber.open(BytesIO(data)) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        lines = text.replace(" ", "").splitlines()
    lines = [line.strip() for line in lines]
    assert f"概述{ODD_LINES[0]}" in lines and f"{ODD_LINES[1]}。" in lines  # the narrative
    assert "无。" in lines
    assert any(line.startswith(f"说明{ODD_LINES[0]}") for line in lines)  # the note
    assert any(f"测试县{ODD_LINES[0]}" in line for line in lines)  # the agency in the title


def test_odd_characters_never_break_the_checkers_workbook():
    from gongkai.annual.checking import batch
    from gongkai.lib.findings import Finding, Severity

    checked = batch.unreadable(f"报告{ODD}.docx", f"无法读取{ODD}")
    checked.findings.append(
        Finding(
            id="TEXT-TABLE", severity=Severity.WARNING, message="不一致\x0c", quote=f"原文{ODD}"
        )
    )
    book = load_workbook(BytesIO(batch.workbook([checked])))
    cells = {c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for c in row if isinstance(c, str)}  # fmt: skip
    clean = "\n".join(ODD_LINES)
    assert {f"报告{clean}.docx", f"无法读取{clean}", f"原文{clean}", "不一致"} <= cells
