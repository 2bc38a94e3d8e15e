"""No generated spreadsheet runs text as a formula (issue 23): the check results with a file
named like a formula, the annual report's XLSX with text beginning with "=", the helpers."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from gongkai.lib.safe_text import cell_text, cells
from tests.annual.test_files import report  # noqa: F401

FORMULAS = ["=1+2+cmd.docx", "+SUM(A1)", "-2+3", "@cmd", "＝全角", "\x01=藏在控制字符后"]


def formula_cells(data: bytes) -> list[str]:
    book = load_workbook(BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.parametrize("text", FORMULAS)
def test_cell_text_escapes_every_formula_start(text):
    assert cell_text(text).startswith("'")
    assert cells([text, 3, None]) == [cell_text(text), 3, None]


def test_plain_text_is_left_alone():
    assert cell_text("2025年预算 = 100") == "2025年预算 = 100"


def test_the_checkers_workbook_writes_file_names_as_text():
    from gongkai.annual.checking import batch
    from gongkai.lib.findings import Finding, Severity

    checked = batch.unreadable("=1+2+cmd.docx", '=HYPERLINK("http://x.example")')
    checked.findings.append(
        Finding(id="TEXT-TABLE", severity=Severity.WARNING, message="=A1", quote="+A2")
    )
    data = batch.workbook([checked])
    assert formula_cells(data) == []
    texts = {
        c
        for sheet in load_workbook(BytesIO(data)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if isinstance(c, str)
    }
    assert "'=1+2+cmd.docx" in texts


def test_the_annual_report_xlsx_writes_report_text_as_text(report):  # noqa: F811
    from dataclasses import replace

    from gongkai.annual import files

    odd = replace(report, agency="=测试县局")
    data = files.render(
        odd, {"overview": "=1+1 概述", "other": "+无"}, "xlsx", draft=True, note="@说明"
    )
    assert formula_cells(data) == []
    about = load_workbook(BytesIO(data)).worksheets[0]
    texts = [c for row in about.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "'=1+1 概述" in texts and "'@说明" in texts
