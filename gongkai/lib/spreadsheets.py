"""Reading the spreadsheets that the importers take: XLSX workbooks and CSV files.

One reader for the agency tree (orgs.importer), the catalog items and the figures of
table 二 (publishing.importer), so that a file that one accepts the others accept too:

- the same formats: XLSX (and .xlsm) by name or by content, CSV (UTF-8 with or without a
  BOM, or GB18030 as Excel saves it in China) otherwise; an old .xls workbook, or one
  protected by a password (both are OLE files), is refused with one message saying to
  save it as .xlsx;
- the same header: the column names are the Chinese labels each importer lists, or the
  English field names in any case (``formed_on``, ``FORMED_ON``, ``Formed on``); a
  leading BOM and the ``*`` that marks a required column in a template are ignored; a
  blank header cell (e.g. the right part of a merged cell) names no column;
- the header row is the first row that names a known column among the first few rows (a
  title row above it, merged across the columns, is skipped), unless an importer wants
  it on row 1;
- rows keep their spreadsheet line numbers, blank rows are skipped, and every problem of
  a row is one RowProblem.

A problem with the file as a whole raises StructureError: nothing is imported then.
This module imports no gongkai app (gongkai.lib is below them all).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ROW = "__all__"  # the field of a problem that concerns the whole row
HEADER_WITHIN = 10  # the header row is looked for in the first lines of the file
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary Office files, and encrypted OOXML ones
ZIP_MAGIC = b"PK"


class StructureError(Exception):
    """The file as a whole cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class RowProblem:
    """One problem of one row: its line, the field (ROW for the whole row), the column as
    the file names it ("" when the message needs no column), and the message."""

    line: int
    message: str
    field: str = ROW
    column: str = ""

    def __str__(self) -> str:
        return f"{self.column}：{self.message}" if self.column else self.message


@dataclass
class RejectedRow:
    """A row that was not imported, with all of its problems. `label` names the row after
    its line number (the agency code, say), when the importer has one."""

    line: int
    problems: list[RowProblem]
    label: str = ""

    @property
    def fields(self) -> list[str]:
        """The fields with a problem, in the order found, each once (ROW for the whole row)."""
        return list(dict.fromkeys(p.field for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line}
        if self.label:
            where += f"（{self.label}）"
        return f"{where}：{'；'.join(self.messages)}"


# ---------------------------------------------------------------------------------------
# Cells


def cell_text(value: Any) -> str:
    """A cell as text: whole floats without ".0" (Excel stores every number as a float),
    a date-only datetime as its date, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    return str(value).strip()


def _header_text(value: Any) -> str:
    return cell_text(value).lstrip("\ufeff").strip().strip("*＊").strip()


def _english(text: str) -> str:
    """An English header as a field name: "Formed on", "formed-on" → "formed_on"."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _filled(cells: Iterable[Any]) -> bool:
    return any(cell_text(c) for c in cells)


# ---------------------------------------------------------------------------------------
# Columns and rows


@dataclass(frozen=True)
class Columns:
    """What an importer reads: `aliases` maps a header (a Chinese label) to a field key;
    every key is accepted as its own English name. `required` maps the keys that must be
    present to the name a message gives a missing one."""

    aliases: Mapping[str, str]
    required: Mapping[str, str]

    def key(self, header: Any) -> str | None:
        text = _header_text(header)
        if not text:
            return None
        if text in self.aliases:
            return self.aliases[text]
        english = _english(text)
        if english in self._english:
            return self._english[english]
        return None

    @cached_property
    def _english(self) -> dict[str, str]:
        found = {_english(alias): key for alias, key in self.aliases.items()}
        found.update({_english(key): key for key in self.aliases.values()})
        found.update({_english(key): key for key in self.required})
        return found


class Row:
    """One data row: its cells by field (only the recognised columns), and its problems."""

    def __init__(self, line: int, cells: dict[str, Any], headers: Mapping[str, str]) -> None:
        self.line = line
        self.cells = cells
        self.headers = headers  # field → its header as written in the file
        self.problems: list[RowProblem] = []
        self.checked: dict[str, Any] = {}  # the values the importer has checked

    def raw(self, key: str) -> Any:
        """The cell as read, None when absent or blank."""
        value = self.cells.get(key)
        return None if isinstance(value, str) and not value.strip() else value

    def text(self, key: str) -> str:
        return cell_text(self.cells.get(key))

    def add(self, key: str, message: str, *, name_column: bool = True) -> None:
        """Record a problem of field `key` (ROW: the whole row). The message is shown after
        the column's header unless `name_column` is false (the message names it)."""
        column = self.headers.get(key, "") if key != ROW and name_column else ""
        self.problems.append(RowProblem(self.line, message, field=key, column=column))

    def add_error(self, exc: ValidationError) -> None:
        """Record the messages of a ValidationError, by field where the file has it."""
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.add(key if key in self.headers else ROW, message)
        else:
            for message in exc.messages:
                self.add(ROW, message)

    def rejected(self, label: str = "") -> RejectedRow:
        return RejectedRow(line=self.line, problems=self.problems, label=label)


@dataclass
class Table:
    header_line: int
    columns: dict[str, int]  # field → column index
    headers: dict[str, str]  # field → the header as written
    ignored: list[str]  # headers that name no known column, as written
    rows: list[Row] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Opening a file


class Upload(Protocol):
    """What the reader needs of an upload (Django's UploadedFile) or an open file."""

    name: str | None

    def read(self, size: int = -1, /) -> bytes: ...


Source = bytes | Path | str | IO[bytes] | Upload  # content, a path, an upload or a file


def read_bytes(source: Source, name: str | None = None) -> tuple[bytes, str]:
    """The content and the name of a file at a path, an upload or an open file."""
    if isinstance(source, bytes):
        return source, name or ""
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            return path.read_bytes(), name or path.name
        except OSError as exc:
            raise StructureError(
                _("The file %(name)s cannot be opened: %(error)s")
                % {"name": path, "error": exc.strerror}
            ) from exc
    return source.read(), name or Path(getattr(source, "name", None) or "").name


def _lines(data: bytes, name: str) -> Iterator[tuple[int, list[Any]]]:
    """(line, cells) of the first sheet, or of the CSV file, blank lines included."""
    lowered = name.lower()
    if not data:
        raise StructureError(_("The file is empty."))
    if data[:4] == OLE_MAGIC or lowered.endswith(".xls"):
        raise StructureError(
            _(
                "The file %(name)s is an old .xls workbook or a password-protected one; old .xls "
                "workbooks are not supported: save it as an unprotected .xlsx workbook."
            )
            % {"name": name}
        )
    if lowered.endswith((".xlsx", ".xlsm")) or data[:2] == ZIP_MAGIC:
        return _xlsx_lines(data, name)
    return _csv_lines(data)


def _not_xlsx(name: str) -> StructureError:
    return StructureError(_("The file is not a valid XLSX workbook: %(name)s.") % {"name": name})


def _xlsx_lines(data: bytes, name: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl fails on broken files in many ways
        raise _not_xlsx(name) from exc
    if not workbook.worksheets:
        workbook.close()
        raise StructureError(_("The workbook %(name)s has no worksheet.") % {"name": name})

    def lines() -> Iterator[tuple[int, list[Any]]]:
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            for line, cells in enumerate(rows, start=1):
                yield line, list(cells)
        except Exception as exc:  # a broken part of the archive shows only when read
            raise _not_xlsx(name) from exc
        finally:
            workbook.close()

    return lines()


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise StructureError(_("The file is neither UTF-8 nor GB18030 text."))
    if "\x00" in text:
        raise StructureError(_("The file is not a CSV text file."))
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise StructureError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    return enumerate(lines, start=1)


# ---------------------------------------------------------------------------------------
# The table


def _header(
    lines: Iterator[tuple[int, list[Any]]], columns: Columns, *, header_on_line_1: bool
) -> tuple[int, list[Any], list[tuple[int, list[Any]]]]:
    """The header row's line and cells, and the lines read past it already."""
    if header_on_line_1:
        first = next(lines, None)
        if first is None or not _filled(first[1]):
            raise StructureError(_("Row 1 of the file is empty; it must name the columns."))
        return first[0], first[1], []
    seen: list[tuple[int, list[Any]]] = []
    for line, cells in lines:
        seen.append((line, cells))
        if any(columns.key(c) for c in cells):
            return line, cells, []
        if line >= HEADER_WITHIN:
            break
    # No row names a known column: the first filled row is taken as the header, and the
    # message about the missing columns says what it lacks.
    for index, (line, cells) in enumerate(seen):
        if _filled(cells):
            return line, cells, seen[index + 1 :]
    for line, cells in lines:
        if _filled(cells):
            return line, cells, []
    raise StructureError(_("The file is empty."))


def _columns(
    header: list[Any], columns: Columns
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    indexes: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    duplicated: list[str] = []
    for index, cell in enumerate(header):
        text = _header_text(cell)
        if not text:
            continue
        key = columns.key(text)
        if key is None:
            ignored.append(text)
        elif key in indexes:
            duplicated.append(f"{headers[key]}/{text}" if headers[key] != text else text)
        else:
            indexes[key], headers[key] = index, text
    if duplicated:
        raise StructureError(
            _("The column(s) %(columns)s appear more than once.")
            % {"columns": "、".join(duplicated)}
        )
    missing = [label for key, label in columns.required.items() if key not in indexes]
    if missing:
        raise StructureError(
            _(
                "The file lacks the column(s) %(missing)s; the header row must name the "
                "columns %(required)s."
            )
            % {"missing": "、".join(missing), "required": "、".join(columns.required.values())}
        )
    return indexes, headers, ignored


def iter_rows(
    source: Source,
    name: str | None = None,
    *,
    columns: Columns,
    header_on_line_1: bool = False,
) -> tuple[Table, Iterator[Row]]:
    """The table's columns, and its non-blank data rows as they are read.

    Raises StructureError for a file that cannot be read, has no header or lacks a
    required column (at once), or breaks further down (while the rows are read).
    """
    data, name = read_bytes(source, name)
    lines = _lines(data, name)
    header_line, header, after = _header(lines, columns, header_on_line_1=header_on_line_1)
    indexes, headers, ignored = _columns(header, columns)
    table = Table(header_line=header_line, columns=indexes, headers=headers, ignored=ignored)

    def rows() -> Iterator[Row]:
        for line, cells in itertools.chain(after, lines):
            if not _filled(cells):
                continue
            values = {
                key: (cells[index] if index < len(cells) else None)
                for key, index in indexes.items()
            }
            yield Row(line, values, headers)

    return table, rows()


def read_table(
    source: Source,
    name: str | None = None,
    *,
    columns: Columns,
    no_rows: str,
    header_on_line_1: bool = False,
    max_rows: int | None = None,
) -> Table:
    """The whole table (see iter_rows). `no_rows` is the message for a file with a header
    row only; more than `max_rows` data rows is a StructureError."""
    table, rows = iter_rows(source, name, columns=columns, header_on_line_1=header_on_line_1)
    for row in rows:
        if max_rows is not None and len(table.rows) == max_rows:
            raise StructureError(
                _("The file has more than %(max)d rows; split it into several files.")
                % {"max": max_rows}
            )
        table.rows.append(row)
    if not table.rows:
        raise StructureError(no_rows)
    return table
