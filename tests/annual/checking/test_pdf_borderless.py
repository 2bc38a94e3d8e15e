"""PDF reports whose tables are drawn without ruling lines (issue 22): the system's own
report, printed by WeasyPrint with every border removed, portrait and A4 landscape, some
zero cells left blank and one column blank all through, read back from the positions of
its words: every figure, the blank cells as blank, the labels wrapped in their cells
joined (the 逾期不补正 rows of table 三, which A4 landscape wraps around their figures)."""

from __future__ import annotations

import random
import re

import pytest

from bench.checker import balanced_tables, narrative
from gongkai.annual import files
from gongkai.annual.checking.batch import check_documents
from gongkai.annual.checking.document import BLANK, Table
from gongkai.annual.checking.reading import read_bytes
from gongkai.annual.compute import Report

AGENCY = "青山县林业局"
OVERDUE = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
UNPAID = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
_CELL = re.compile(r'<td data-cell="([^".]+)\.([^"]+)">0</td>')


def _bump(tables, row: str, column: str) -> None:
    """One more application of table 三 ended as `row`, the identities kept."""
    t3 = tables["t3_applications"]
    for key in (row, "total_processed", "new_received"):
        t3[key][column] += 1
        t3[key]["total"] += 1


def borderless_report(seed: int, *, landscape: bool, blank_share: float):
    """(the PDF, the figures it prints); zero cells are left blank with `blank_share`,
    and all of one applicant column's zero cells."""
    rng = random.Random(seed)
    tables = balanced_tables(rng, False)
    _bump(tables, "other_overdue_correction", "legal_service_org")
    _bump(tables, "other_overdue_fee", "natural_person")
    report = Report(agency=AGENCY, agency_code="ly", year=2023, rollup=False, tables=tables)
    html = files.render(report, narrative(AGENCY, 2023, tables, rng), "html").decode()
    page = "@page { size: A4 landscape; }" if landscape else ""
    html = html.replace(
        "</head>", f"<style>th, td {{ border: none !important; }}{page}</style></head>", 1
    )
    assert "border: none" in html
    blank_column = rng.choice(["research_institution", "public_welfare_org", "other_org"])

    def blank(match: re.Match[str]) -> str:
        row, column = match.groups()
        if column == blank_column or rng.random() < blank_share:
            for rows in tables.values():
                if row in rows and rows[row].get(column) == 0:
                    rows[row][column] = BLANK
            return f'<td data-cell="{row}.{column}"></td>'
        return match.group()

    html = _CELL.sub(blank, html)
    from weasyprint import HTML

    return HTML(string=html).write_pdf(), tables


@pytest.mark.parametrize(
    ("landscape", "blank_share", "seed"),
    [(False, 0.0, 1), (True, 0.0, 1), (False, 0.5, 2), (True, 0.5, 3)],
    ids=["portrait", "landscape", "portrait-blanks", "landscape-blanks"],
)
def test_every_figure_of_a_borderless_pdf_comes_back(landscape, blank_share, seed):
    pdf, tables = borderless_report(seed, landscape=landscape, blank_share=blank_share)
    document = read_bytes(pdf, "report.pdf")
    found = [block for block in document.blocks if isinstance(block, Table)]
    assert found, "no table found from the words' positions"
    (result,) = check_documents([document])
    e = result.extracted
    assert (e.format, e.agency, e.year) == ("2021", AGENCY, 2023)
    for table_id, rows in tables.items():
        for row, cells in rows.items():
            assert e.tables[table_id][row] == cells, (table_id, row)
    assert [f.id for f in result.findings if f.severity != "info"] == []


def test_landscape_wrapped_labels_are_one_row_with_their_figures():
    """A4 landscape wraps the 逾期不补正 labels over two lines with their figures printed
    between them: one row, the label whole."""
    pdf, tables = borderless_report(4, landscape=True, blank_share=0.0)
    rows = {
        row[0]: row[1:]
        for block in read_bytes(pdf, "report.pdf").blocks
        if isinstance(block, Table)
        for row in block.rows
    }
    t3 = tables["t3_applications"]
    for label, key in ((OVERDUE, "other_overdue_correction"), (UNPAID, "other_overdue_fee")):
        assert rows[label] == [str(v) for v in t3[key].values()], label
    assert rows[PARTIAL] == [str(v) for v in t3["partially_granted"].values()]
