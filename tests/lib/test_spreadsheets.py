"""The spreadsheet reader shared by the importers (gongkai.lib.spreadsheets)."""

from __future__ import annotations

import ast
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gongkai.lib import spreadsheets
from gongkai.lib.spreadsheets import (
    ROW,
    Columns,
    RejectedRow,
    RowProblem,
    StructureError,
    iter_rows,
    read_table,
)

COLUMNS = Columns(
    aliases={"名称": "title", "标题": "title", "生成日期": "formed_on", "文号": "doc_no"},
    required={"title": "名称", "formed_on": "生成日期"},
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def xlsx(*rows: list[Any] | None, merge: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row or [])
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str = "t.xlsx", **options: Any) -> spreadsheets.Table:
    return read_table(data, name, columns=COLUMNS, no_rows="no rows", **options)


def lines_and_titles(table: spreadsheets.Table) -> list[tuple[int, str]]:
    return [(row.line, row.text("title")) for row in table.rows]


def test_rows_keep_their_line_numbers_and_blank_rows_are_skipped():
    table = read(
        xlsx(
            ["名称", "生成日期"],  # 1
            ["甲", "2026-03-02"],  # 2
            None,  # 3
            [None, "  ", None],  # 4: blank cells
            ["乙", datetime(2026, 3, 3)],  # noqa: DTZ001 - 5
        )
    )

    assert table.header_line == 1
    assert lines_and_titles(table) == [(2, "甲"), (5, "乙")]
    assert table.rows[1].text("formed_on") == "2026-03-03"  # a date-only datetime
    assert table.rows[1].raw("doc_no") is None  # a column the file does not have


def test_csv_rows_have_the_same_line_numbers():
    text = "名称,生成日期\r\n甲,2026-03-02\r\n\r\n,\r\n乙,2026-03-03\r\n"

    for data in (text.encode("utf-8-sig"), text.encode("gb18030")):
        table = read(data, "t.csv")
        assert lines_and_titles(table) == [(2, "甲"), (5, "乙")]


def test_the_header_row_is_found_below_a_title_row_and_blank_rows():
    data = xlsx(
        None,  # 1
        ["某县政府信息公开目录"],  # 2: a title, merged across the columns below
        ["名称", None, "生成日期"],  # 3: a blank header cell
        ["甲", "ignored", "2026-03-02"],  # 4
        merge="A2:C2",
    )

    table = read(data)

    assert table.header_line == 3
    assert table.columns == {"title": 0, "formed_on": 2}
    assert lines_and_titles(table) == [(4, "甲")]
    assert table.rows[0].cells == {"title": "甲", "formed_on": "2026-03-02"}


def test_a_header_cell_merged_across_two_columns_names_the_first_only():
    data = xlsx(["名称", None, "生成日期"], ["甲", "乙", "2026-03-02"], merge="A1:B1")

    table = read(data)

    assert table.columns == {"title": 0, "formed_on": 2}
    assert table.rows[0].text("title") == "甲"


def test_an_importer_may_want_the_header_on_row_1():
    data = xlsx(None, ["名称", "生成日期"], ["甲", "2026-03-02"])

    assert read(data).header_line == 2
    with pytest.raises(StructureError, match="第 1 行"):
        read(data, header_on_line_1=True)
    with pytest.raises(StructureError, match="第 1 行"):
        read(xlsx(), header_on_line_1=True)


def test_without_a_known_column_the_first_filled_row_is_the_header():
    with pytest.raises(StructureError) as raised:
        read(xlsx(None, ["标题行"], ["名称"], ["甲"]))
    # The first filled row, not the later one that names 名称: nothing names a column
    # in it, so it is taken as the header and the message lists both missing columns.
    assert "名称" in str(raised.value) and "生成日期" in str(raised.value)

    late = xlsx(*([None] * 12), ["名称", "生成日期"], ["甲", "2026-03-02"])
    assert read(late).header_line == 13  # past the window: the first filled row


@pytest.mark.parametrize(
    "headers",
    [
        ["title", "formed_on"],
        ["Title", "FORMED_ON"],
        ["Title", "Formed on"],
        ["TITLE", "formed-on"],
        ["*名称", "生成日期＊"],  # a template's required marks
        ["\ufeff名称", " 生成日期 "],
    ],
)
def test_english_field_names_and_chinese_labels_are_accepted(headers):
    table = read(xlsx(headers, ["甲", "2026-03-02"]))

    assert set(table.columns) == {"title", "formed_on"}
    assert table.headers["title"] == headers[0].lstrip("\ufeff*").strip()


def test_unknown_columns_are_listed_and_ignored():
    table = read(xlsx(["名称", "备注", "生成日期", "remarks"], ["甲", "x", "2026-03-02", "y"]))

    assert table.ignored == ["备注", "remarks"]
    assert set(table.rows[0].cells) == {"title", "formed_on"}


@pytest.mark.parametrize(
    ("header", "quoted"),
    [
        (["名称"], "生成日期"),
        (["名称", "标题", "生成日期"], "名称/标题"),
        (["title", "名称", "生成日期"], "title/名称"),
        (["名称", "名称", "生成日期"], "名称"),
    ],
)
def test_missing_and_repeated_columns_are_structure_errors(header, quoted):
    with pytest.raises(StructureError) as raised:
        read(xlsx(header, ["甲", "乙", "丙"]))
    assert quoted in str(raised.value)


def test_header_only_and_empty_files():
    with pytest.raises(StructureError, match="no rows"):
        read(xlsx(["名称", "生成日期"], None, [None, None]))
    for data, name in ((b"", "t.xlsx"), (b"", "t.csv"), (xlsx(None, None), "t.xlsx")):
        with pytest.raises(StructureError, match="文件是空的"):
            read(data, name)


def test_the_row_limit():
    data = xlsx(["名称", "生成日期"], ["甲", "1"], ["乙", "2"], None)

    assert len(read(data, max_rows=2).rows) == 2
    with pytest.raises(StructureError, match="超过 1 行"):
        read(data, max_rows=1)


@pytest.mark.parametrize(
    ("data", "name"),
    [(OLE, "old.xls"), (OLE, "protected.xlsx"), (OLE, "mystery"), (b"anything", "old.XLS")],
)
def test_an_old_xls_workbook_gets_one_clear_message(data, name):
    with pytest.raises(StructureError) as raised:
        read(data, name)
    assert name in str(raised.value) and ".xlsx" in str(raised.value)


def test_a_broken_workbook_is_named():
    with pytest.raises(StructureError) as raised:
        read(b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert "broken.xlsx" in str(raised.value)
    with pytest.raises(StructureError, match=r"renamed\.xlsx"):
        read("名称,生成日期\n甲,1\n".encode(), "renamed.xlsx")


def test_paths_uploads_and_open_files_are_read(tmp_path: Path):
    data = xlsx(["名称", "生成日期"], ["甲", "2026-03-02"])
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    upload = SimpleUploadedFile("up.xlsx", data)

    for source in (path, str(path), upload, io.BytesIO(data)):
        table = read_table(source, columns=COLUMNS, no_rows="no rows")
        assert lines_and_titles(table) == [(2, "甲")]
    with pytest.raises(StructureError, match=r"missing\.xlsx"):
        read_table(tmp_path / "missing.xlsx", columns=COLUMNS, no_rows="")


def test_iter_rows_yields_the_rows_as_they_are_read():
    table, rows = iter_rows(
        xlsx(["名称", "生成日期"], ["甲", "1"], ["乙", "2"]), "t.xlsx", columns=COLUMNS
    )

    assert table.rows == [] and table.columns == {"title": 0, "formed_on": 1}
    assert next(rows).line == 2
    assert [row.line for row in rows] == [3]


def test_row_problems_and_their_text():
    table = read(xlsx(["名称", "生成日期"], ["甲", "x"]))
    row = table.rows[0]

    row.add("formed_on", "not a date")
    row.add("title", "already named", name_column=False)
    row.add(ROW, "duplicate")
    row.add_error(ValidationError({"title": ["too long"], "body": ["no body column"]}))
    row.add_error(ValidationError("refused"))

    assert row.problems[0] == RowProblem(2, "not a date", field="formed_on", column="生成日期")
    rejected = row.rejected(label="甲")
    assert rejected.fields == ["formed_on", "title", ROW]
    assert rejected.messages == [
        "生成日期：not a date",
        "already named",
        "duplicate",
        "名称：too long",
        "no body column",
        "refused",
    ]
    assert str(rejected).startswith("第 2 行（甲）：生成日期：not a date；already named；")
    assert str(RejectedRow(7, [RowProblem(7, "bad")])) == "第 7 行：bad"


def test_cell_text():
    assert spreadsheets.cell_text(110.0) == "110"
    assert spreadsheets.cell_text(1.5) == "1.5"
    assert spreadsheets.cell_text(datetime(2026, 3, 2)) == "2026-03-02"  # noqa: DTZ001
    assert spreadsheets.cell_text(date(2026, 3, 2)) == "2026-03-02"
    assert spreadsheets.cell_text(None) == ""
    assert spreadsheets.cell_text("  甲 ") == "甲"


def test_the_reader_imports_no_gongkai_app():
    tree = ast.parse(Path(spreadsheets.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [name for name in imported if name.startswith("gongkai")]
