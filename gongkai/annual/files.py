"""The annual report (in its year's format, 2021 or 2019) as files: HTML, DOCX, PDF and XLSX.

`render` turns a computed `Report` and the office's narrative text into one of the four
files. A neutral `Document` is built first: the title, sections 一 to 六 in the order of the
format file, text sections as paragraphs and table sections as tables whose headers (with
their merged cells), row labels and indentation come from layout.py, so no label is typed
here. The writers only lay that document out: HTML through a template that WeasyPrint
also prints to PDF, DOCX with python-docx (黑体 headings, 仿宋 text, 宋体 tables, merged
header cells), XLSX with openpyxl (one sheet per table, numbers as numbers).
Typed text (the narrative, the note, the agency's name) passes through `for_files` when the
document is built, so no writer meets a character its format cannot hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from gongkai.annual.compute import Cell, Report
from gongkai.annual.layout import HeaderCell, Row, body_rows, header_rows, leaf_columns
from gongkai.lib.report_format import FORMAT_2021, format_spec, format_table
from gongkai.lib.safe_text import cell_value, cells, for_files

FORMATS = ("html", "docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADING_FONT, BODY_FONT, TABLE_FONT = "黑体", "仿宋", "宋体"
WIDE = 10  # tables with more columns than this are set in a smaller size


def number(value: Cell) -> str:
    """A cell as printed: whole numbers as they are, amounts with up to 4 decimals."""
    if isinstance(value, Decimal):
        text = format(value.quantize(Decimal("0.0001")), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


# ---- the document ----------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    col: str
    value: Cell

    @property
    def text(self) -> str:
        return number(self.value)


@dataclass(frozen=True)
class Line:
    """A body row: a group row has no values."""

    row: Row
    values: tuple[Value, ...]

    @property
    def indent(self) -> str:  # CSS padding of the label
        return f"{0.3 + self.row.depth:.1f}em"


@dataclass(frozen=True)
class Table:
    id: str
    caption: str  # the table's own title where it differs from its section's title
    row_header: bool  # False for a table without row labels (table 四)
    headers: list[list[HeaderCell]]
    lines: list[Line]

    @property
    def width(self) -> int:
        return sum(cell.colspan for cell in self.headers[0])

    @property
    def shares(self) -> list[float]:
        """The part of the table's width of each column: row labels get 40% of a wide table."""
        n = self.width - self.row_header
        label = (0.4 if self.width > 4 else 1 / self.width) if self.row_header else 0.0
        return [label] * self.row_header + [(1 - label) / n] * n

    @property
    def percents(self) -> list[str]:  # CSS widths
        return [f"{100 * share:.2f}%" for share in self.shares]


@dataclass(frozen=True)
class Section:
    no: str
    key: str
    title: str
    paragraphs: list[str]
    tables: list[Table]

    @property
    def heading(self) -> str:
        return f"{self.no}、{self.title}"


@dataclass(frozen=True)
class Document:
    title: str
    note: str
    draft: bool
    sections: list[Section]
    report: Report

    @property
    def full_title(self) -> str:
        return f"{self.title}（{_('Draft')}）" if self.draft else self.title


def title(report: Report) -> str:
    return _("%(agency)s annual report on government information disclosure for %(year)d") % {
        "agency": report.agency,
        "year": report.year,
    }


def filename(report: Report, fmt: str) -> str:
    """The file's name, e.g. 测试县甲局2025年政府信息公开工作年度报告.docx."""
    with translation.override(settings.LANGUAGE_CODE):
        name = for_files(re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", title(report))).strip(" .")
    return f"{name}.{fmt}"


def _table(report: Report, table_id: str, section_title: str) -> Table:
    spec = format_table(report.format, table_id)
    rows = body_rows(table_id, report.format)
    headers = [list(level) for level in header_rows(table_id, report.format)]
    corner = headers[0][0]
    row_header = bool(corner.label) or any(row.label for row in rows)
    if not row_header:
        headers[0] = headers[0][1:]
    elif not corner.label and spec.get("corner_note"):
        headers[0][0] = replace(corner, label=spec["corner_note"])
    columns = leaf_columns(table_id, report.format)
    cells = report.tables[table_id]
    lines = [
        Line(
            row,
            tuple(Value(col, cells[row.key][col]) for col in columns) if row.kind == "data" else (),
        )
        for row in rows
    ]
    caption = "" if spec["title"] == section_title else spec["title"]
    return Table(table_id, caption, row_header, headers, lines)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in for_files(text).splitlines() if line.strip()]


def document(
    report: Report, narrative: Mapping[str, str], *, draft: bool = False, note: str = ""
) -> Document:
    report = replace(
        report, agency=for_files(report.agency), agency_code=for_files(report.agency_code)
    )
    sections = [
        Section(
            no=spec["no"],
            key=spec["key"],
            title=spec["title"],
            paragraphs=_paragraphs(narrative.get(spec["key"], ""))
            if spec["form"] == "text"
            else [],
            tables=[_table(report, t, spec["title"]) for t in spec.get("tables", [])]
            if spec["form"] == "table"
            else [],
        )
        for spec in format_spec(report.format)["sections"]
    ]
    return Document(title(report), for_files(note).strip(), draft, sections, report)


def section_texts(report: Report, narrative: Mapping[str, str]) -> list[dict[str, str]]:
    """The six sections in order as plain text (annual_report --format json): a text
    section's paragraphs; a table section's rows as 「label：value / value …」 lines, and
    a row without a label (table 四) as 「column：value；…」, each column named by its
    header path."""
    result = []
    with translation.override(settings.LANGUAGE_CODE):
        for section in document(report, narrative).sections:
            lines = list(section.paragraphs)
            for t in section.tables:
                if t.caption:
                    lines.append(t.caption)
                named = {} if t.row_header else column_labels(t.headers)
                for line in t.lines:
                    label = line.row.label
                    if not label and line.values:
                        lines.append(
                            "；".join(f"{named.get(v.col, v.col)}：{v.text}" for v in line.values)
                        )
                        continue
                    values = " / ".join(v.text for v in line.values)
                    lines.append(f"{label}：{values}" if values else label)
            result.append(
                {
                    "no": section.no,
                    "key": section.key,
                    "title": section.title,
                    "text": "\n".join(lines),
                }
            )
    return result


def column_labels(headers: list[list[HeaderCell]]) -> dict[str, str]:
    """Each leaf column's key → its header path, e.g. 「行政复议·结果维持」."""
    cells = placed(headers)
    labels = {}
    for r, c, leaf in cells:
        if not leaf.key:
            continue
        path = [
            cell.label
            for row, col, cell in cells
            if row < r and col <= c < col + cell.colspan and cell.label and not cell.key
        ]
        labels[leaf.key] = "·".join([*path, leaf.label])
    return labels


def placed(headers: list[list[HeaderCell]]) -> list[tuple[int, int, HeaderCell]]:
    """(row, column, cell) of every header cell in the grid, skipping spanned positions."""
    taken: set[tuple[int, int]] = set()
    result = []
    for r, level in enumerate(headers):
        c = 0
        for cell in level:
            while (r, c) in taken:
                c += 1
            result.append((r, c, cell))
            taken.update(
                (r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)
            )
            c += cell.colspan
    return result


# ---- the writers -----------------------------------------------------------------------


def render(
    report: Report,
    narrative: Mapping[str, str],
    fmt: str,
    *,
    draft: bool = False,
    note: str = "",
) -> bytes:
    """The report as a file of the format `fmt` (one of FORMATS)."""
    writers = {"html": _html_bytes, "docx": _docx, "pdf": _pdf, "xlsx": _xlsx}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}")
    with translation.override(settings.LANGUAGE_CODE):
        return writers[fmt](document(report, narrative, draft=draft, note=note))


def _html(doc: Document) -> str:
    return render_to_string("annual/file_report.html", {"doc": doc, "draft_mark": _("Draft")})


def _html_bytes(doc: Document) -> bytes:
    return _html(doc).encode("utf-8")


def _pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=_html(doc)).write_pdf()
    return pdf


def _docx(doc: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    def run(paragraph: Any, text: str, font: str, size: float, bold: bool = False) -> Any:
        piece = paragraph.add_run(text)
        piece.font.name, piece.font.size, piece.font.bold = font, Pt(size), bold
        # python-docx's font.name sets only the Latin font; Chinese text needs eastAsia.
        piece._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        return piece

    def line(
        text: str, font: str, size: float, *, center: bool = False, indent: bool = False
    ) -> Any:
        paragraph = word.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(2 * size)
        run(paragraph, text, font, size)
        return paragraph

    def write(cell: Any, text: str, size: float, *, center: bool = True, depth: int = 0) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.left_indent = Pt(size * depth)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        run(paragraph, text, TABLE_FONT, size)

    word = Docx()
    normal = word.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    page = word.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin = Mm(30), Mm(25)
    page.left_margin = page.right_margin = Mm(25)
    usable = page.page_width - page.left_margin - page.right_margin
    if doc.draft:
        mark = page.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run(mark, _("Draft"), HEADING_FONT, 14, bold=True).font.color.rgb = RGBColor(0xC0, 0, 0)

    line(doc.full_title, HEADING_FONT, 22, center=True)
    if doc.note:
        line(doc.note, BODY_FONT, 14, center=True)
    for section in doc.sections:
        line(section.heading, HEADING_FONT, 16).paragraph_format.space_before = Pt(12)
        for text in section.paragraphs:
            line(text, BODY_FONT, 16, indent=True).paragraph_format.line_spacing = Pt(28)
        for t in section.tables:
            if t.caption:
                line(t.caption, HEADING_FONT, 12, center=True)
            size = 9.0 if t.width > WIDE else 10.5
            grid = word.add_table(rows=len(t.headers) + len(t.lines), cols=t.width)
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            widths = [int(usable * share) for share in t.shares]
            for index, width in enumerate(widths):  # before merging: merged cells add up
                grid.columns[index].width = width
                for cell in grid.columns[index].cells:
                    cell.width = width
            for index in range(len(t.headers)):  # repeat the header on every page
                grid.rows[index]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for r, c, head in placed(t.headers):
                target = grid.cell(r, c)
                if head.rowspan > 1 or head.colspan > 1:
                    target = target.merge(grid.cell(r + head.rowspan - 1, c + head.colspan - 1))
                write(target, head.label, size)
            for r, body in enumerate(t.lines, start=len(t.headers)):
                if not body.values:
                    merged = grid.cell(r, 0).merge(grid.cell(r, t.width - 1))
                    write(merged, body.row.label, size, center=False, depth=body.row.depth)
                    continue
                if t.row_header:
                    write(grid.cell(r, 0), body.row.label, size, center=False, depth=body.row.depth)
                for c, value in enumerate(body.values, start=int(t.row_header)):
                    write(grid.cell(r, c), value.text, size)
            word.add_paragraph()
    word.core_properties.title = doc.full_title
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _width(text: str) -> int:
    """Display width in spreadsheet columns: a Chinese character is two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def sheet_name(section: Section, t: Table, used: set[str], format_id: str = FORMAT_2021) -> str:
    """e.g. 二-第二十条第（一）项: ≤ 31 characters, without []:*?/\\, unique in the book."""
    title = format_table(format_id, t.id)["title"]
    base = re.sub(r"[\[\]:*?/\\]", "", f"{section.no}-{title}")
    name, n = base[:31], 2
    while name in used:
        name, n = f"{base[:28]}-{n}", n + 1
    used.add(name)
    return name


def _xlsx(doc: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    book = Workbook()
    about = book.active
    about.title = _("About this report")[:31]
    # Every text cell through cell_value: report text beginning with "=" stays text.
    about.append(cells([doc.full_title]))
    about["A1"].font = Font(name=HEADING_FONT, bold=True, size=14)
    if doc.note:
        about.append(cells([doc.note]))
    report = doc.report
    facts = [
        (_("Agency"), report.agency),
        (_("Agency code"), report.agency_code),
        (_("Year"), report.year),
        (_("Report format"), format_spec(report.format)["document"]),
    ]
    for label, value in facts:
        about.append(cells([label, value]))
    for section in doc.sections:
        if not section.tables:
            about.append(cells([section.heading]))
            about.cell(about.max_row, 1).font = Font(name=HEADING_FONT, bold=True)
            for text in section.paragraphs:
                about.append(cells(["", text]))
                about.cell(about.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 100

    used = {about.title}
    for section in doc.sections:
        for t in section.tables:
            sheet = book.create_sheet(sheet_name(section, t, used, doc.report.format))
            heading = f"{section.heading}　{t.caption}" if t.caption else section.heading
            sheet.cell(1, 1, cell_value(heading)).font = Font(name=HEADING_FONT, bold=True, size=12)
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=t.width)
            font = Font(name=TABLE_FONT, size=10)
            top = 2
            body = top + len(t.headers)
            for r in range(top, body + len(t.lines)):
                for c in range(1, t.width + 1):
                    sheet.cell(r, c).border, sheet.cell(r, c).font = box, font
            for r, c, head in placed(t.headers):
                cell = sheet.cell(top + r, 1 + c, cell_value(head.label))
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                if head.rowspan > 1 or head.colspan > 1:
                    sheet.merge_cells(
                        start_row=top + r,
                        start_column=1 + c,
                        end_row=top + r + head.rowspan - 1,
                        end_column=c + head.colspan,
                    )
            for r, line in enumerate(t.lines, start=body):
                indent = Alignment(indent=line.row.depth, vertical="center", wrap_text=True)
                if not line.values:
                    sheet.cell(r, 1, cell_value(line.row.label)).alignment = indent
                    sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=t.width)
                    continue
                if t.row_header:
                    sheet.cell(r, 1, cell_value(line.row.label)).alignment = indent
                for c, value in enumerate(line.values, start=1 + int(t.row_header)):
                    cell = sheet.cell(
                        r,
                        c,
                        float(value.value)
                        if isinstance(value.value, Decimal)
                        else cell_value(value.value),
                    )
                    cell.alignment = Alignment(horizontal="center", vertical="center")
            sheet.freeze_panes = sheet.cell(body, 1 + int(t.row_header))
            if t.row_header:
                labels = [line.row.label for line in t.lines] + [t.headers[0][0].label]
                sheet.column_dimensions["A"].width = min(max(map(_width, labels)) + 2, 60)
            leaves = {c: head for _r, c, head in placed(t.headers) if head.key}
            for c, head in leaves.items():
                width = min(max(_width(head.label) + 2, 8), 16)
                sheet.column_dimensions[get_column_letter(1 + c)].width = width
    book.properties.title = doc.full_title
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
