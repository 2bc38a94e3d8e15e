"""A report's lines as the extractor reads them: label cells, then value cells, and what
a printed cell holds (`parse_value`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gongkai.annual.checking.document import (
    BLANK,
    DASH,
    SLASH,
    Document,
    Paragraph,
    Value,
)

LONGEST_FIGURE = 24  # characters of a cell, spaces included

# ---- cells -----------------------------------------------------------------------------

TO_ASCII = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {"．": ".", "，": ",", "＋": "+", "－": "-", "／": "/", "\u3000": " ", "％": "%"}
)
_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_CHANGE = re.compile(r"(增加|新增|增|减少|减)(\d+)")
_UNIT_SUFFIX = re.compile(r"(?<=\d)(?:件|条|个|次|项|篇|份|人次|人|万元|元)$")
_DASHES = re.compile(r"[-—–―‐‑−─]+")
_SLASHES = re.compile(r"[/\\]+")
_NONE = "无"
_TRAILING_DIGITS = re.compile(r"^(.*[^\d,.+\-/\s])(\d+)$")
_CELLS = re.compile(r"[|｜\t]")


def parse_value(text: str) -> Value | None:
    """A cell as printed, or None if it is not a figure (a label)."""
    if len(text) > LONGEST_FIGURE:
        return None
    cell = (text if text.isascii() else text.translate(TO_ASCII)).strip()
    if not cell:
        return BLANK
    if cell == _NONE:
        return DASH
    if _SLASHES.fullmatch(cell):
        return SLASH
    if _DASHES.fullmatch(cell):
        return DASH
    cell = _UNIT_SUFFIX.sub("", cell)
    match = _NUMBER.fullmatch(cell)
    if match:
        sign, digits, fraction = match.groups()
        digits = digits.replace(",", "")
        if fraction:
            return Decimal(f"{sign}{digits}{fraction}")
        return -int(digits) if sign == "-" else int(digits)
    match = _CHANGE.fullmatch(cell)
    if match:
        return -int(match.group(2)) if match.group(1).startswith("减") else int(match.group(2))
    return None


def _is_value(text: str) -> bool:
    return parse_value(text) is not None


@dataclass
class Line:
    index: int
    raw: str
    labels: list[str]
    values: list[str]
    cells: bool  # the line had its cells marked: a table block's row, | or tabs
    block: int  # the block it comes from (rows of one table block share it)
    table_block: bool


def _expand(cells: Sequence[str]) -> list[str]:
    """A cell holding several figures ("0 0 6") as that many cells."""
    out: list[str] = []
    for cell in cells:
        parts = cell.split()
        if len(parts) > 1 and all(_is_value(p) for p in parts):
            out.extend(parts)
        else:
            out.append(cell.strip())
    return out


def _label_cells(cells: list[str]) -> list[str]:
    labels: list[str] = []
    for cell in cells:
        cell = cell.strip()
        if cell and (not labels or labels[-1] != cell):  # merged cells are repeated
            labels.append(cell)
    return labels


def _cut(cells: list[str]) -> tuple[list[str], list[str]]:
    """Label cells, then the longest run of figure cells at the end (blank ones included)."""
    n = len(cells)
    while n and _is_value(cells[n - 1]):
        n -= 1
    labels, values = _label_cells(cells[:n]), cells[n:]
    if labels:
        # Digits run into the label: "（一）予以公开713000074", "规章0 0 6".
        match = _TRAILING_DIGITS.match(labels[-1])
        if match:
            labels[-1] = match.group(1).strip()
            values = [match.group(2), *(v for v in values if v.strip())]
    if not labels and not any(v.strip() for v in values):
        values = []
    return labels, values


def _split(text: str) -> tuple[list[str], list[str], bool]:
    """(label cells, value cells, whether the cells were marked) of a line of text."""
    if _CELLS.search(text):
        cells = _CELLS.split(text)
        stripped = text.strip()
        if stripped.startswith(("|", "｜")):
            cells = cells[1:]
        # A trailing bar is a border when the row begins with one too (or when it follows
        # a single cell: one cell per line, each ending in a bar); otherwise it ends an
        # empty last cell ("… | 1 |  | ").
        bordered = stripped.startswith(("|", "｜")) or len(cells) <= 2
        if stripped.endswith(("|", "｜")) and cells and bordered:
            cells = cells[:-1]
        labels, values = _cut(_expand(cells))
        return labels, values, True
    labels, values = _cut(text.split())
    return labels, values, False


def document_lines(
    document: Document, split: Callable[[str], list[str]] | None = None
) -> list[Line]:
    """The lines of a document; `split` cuts a line of text into rows (segment.py). A
    blank line of plain text (`Paragraph.blanks_before`) is a line without text: inside a table
    printed one cell per line it is a blank cell."""
    lines: list[Line] = []
    for number, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            for _ in range(block.blanks_before):
                lines.append(Line(len(lines), "", [], [], False, number, False))
            for text in block.text.split("\n"):
                text = text.strip()
                if not text:
                    continue
                for piece in split(text) if split is not None else [text]:
                    labels, values, cells = _split(piece)
                    lines.append(Line(len(lines), piece, labels, values, cells, number, False))
        else:
            for row in block.rows:
                labels, values = _cut(_expand(row))
                if labels or values:
                    raw = " | ".join(row)
                    lines.append(Line(len(lines), raw, labels, values, True, number, True))
    return lines
