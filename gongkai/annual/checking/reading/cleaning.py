"""What every reader shares: text cleaned line by line, and grids of cells (merged cells
repeated, layout tables read as text) made into blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from gongkai.annual.checking.document import Block, Paragraph, Table

# ---- text and characters ---------------------------------------------------------------


def _wide(ch: str) -> bool:
    """A Chinese (full-width) character: no space is needed next to it."""
    return (
        "\u2e80" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\ufe30" <= ch <= "\ufe4f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2018" <= ch <= "\u201f"  # “ ” ‘ ’ as Chinese text uses them
        or ch in "\u2014\u2015\u2026"  # — ― …
        or ch >= "\U00020000"
    )


# Python's \s covers the no-break space (&nbsp;) and the full-width space U+3000.
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\xad]")


def _clean(raw: str) -> str:
    """One line: spaces collapsed; a source line break between Chinese characters (HTML
    wraps long lines in its source) is no space at all."""
    raw = _INVISIBLE.sub("", raw)
    if "\n" not in raw and "\r" not in raw:
        return _SPACES.sub(" ", raw).strip()

    def space(match: re.Match[str]) -> str:
        start, end = match.span()
        run = match.group()
        if (
            ("\n" in run or "\r" in run)
            and start > 0
            and end < len(raw)
            and _wide(raw[start - 1])
            and _wide(raw[end])
        ):
            return ""
        return " "

    return _SPACES.sub(space, raw).strip()


def _join(lines: Iterable[str]) -> str:
    """A cell's lines as one text: no space between Chinese characters, one between words."""
    parts: list[str] = []
    last = ""
    for line in lines:
        if not line:
            continue
        if last and not (_wide(last) or _wide(line[0])):
            parts.append(" ")
        parts.append(line)
        last = line[-1]
    return "".join(parts)


def _lines(text: str) -> list[str]:
    return [line for line in map(_clean, text.split("\n")) if line]


def _newlines(text: str) -> str:
    """Line ends of every system as \\n; a form feed or Word's line break (\\v) ends a line."""
    return re.sub(r"\r\n?|[\f\v\u2028\u2029]", "\n", text)


# ---- tables (shared) -------------------------------------------------------------------

# A cell while a table is built: its lines. Positions a merged cell covers hold the same
# tuple object, so a cell repeated by a span is recognised (and joined only once); a
# blank cell is ("",), a new tuple each time; NO_CELL fills a position no cell covers.
Cell = tuple[str, ...]
NO_CELL: Cell = ()
MAX_COLSPAN = 100  # a colspan beyond this is a typo or an attack, not a table
LAYOUT_TEXT = 200  # a cell with this much text holds running text, not a figure or label


def _cell(lines: Iterable[str]) -> Cell:
    return tuple(lines) or tuple([""])  # noqa: C409 - a new object each time, not ("",)


def _finish_table(grid: list[list[Cell]]) -> list[Block]:
    """Blocks for a grid of cells: a `Table`, or paragraphs when the grid is a layout table
    (one column, or a narrow table whose text is mostly long running text)."""
    width = max((len(row) for row in grid), default=0)
    rows = [row + [NO_CELL] * (width - len(row)) for row in grid if any(map(any, row))]
    if not rows:
        return []
    # Columns blank all through go, and so does a column that no cell boundary separates
    # from the one before it (every row has the same merged cell in both: a sliver of
    # Word's grid, a colspan that no row splits); rows alike.
    keep = [
        c
        for c in range(width)
        if any(any(row[c]) for row in rows)
        and not (c > 0 and all(_same(row[c], row[c - 1]) for row in rows))
    ]
    if len(keep) < width:
        rows = [[row[c] for c in keep] for row in rows]
        width = len(keep)
    rows = [row for r, row in enumerate(rows) if not (r > 0 and all(map(_same, row, rows[r - 1])))]
    texts: dict[int, str] = {}
    for row in rows:
        for cell in row:
            if id(cell) not in texts:
                texts[id(cell)] = _join(cell)
    if width <= 3:
        total = sum(len(t) for t in texts.values())
        long = sum(len(t) for t in texts.values() if len(t) >= LAYOUT_TEXT)
        if width == 1 or long * 2 > total:
            return [Paragraph(line) for line in _cell_lines(rows)]
    return [Table([[texts[id(cell)] for cell in row] for row in rows])]


def _same(cell: Cell, other: Cell) -> bool:
    return cell is other and cell is not NO_CELL


def _cell_lines(rows: list[list[Cell]]) -> Iterator[str]:
    """The lines of a layout table's cells, each cell once, row by row."""
    seen: set[int] = set()
    for row in rows:
        for cell in row:
            if id(cell) not in seen:
                seen.add(id(cell))
                yield from (line for line in cell if line)


def _int(value: str | None, default: int, limit: int = 10**6) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    return min(int(digits.group(1)), limit) if digits else default


def _span(value: str | None, limit: int) -> int:
    """A rowspan or colspan attribute: leading digits, at least 1 ("0" is the rest, as
    `limit`), at most `limit`."""
    if not value:
        return 1
    digits = re.match(r"\s*(\d+)", value)
    if not digits:
        return 1
    n = int(digits.group(1))
    return limit if n == 0 else max(1, min(n, limit))


def _expand(rows: list[list[tuple[Cell, int, int]]]) -> list[list[Cell]]:
    """HTML-style rows of (cell, rowspan, colspan) as a grid: a merged cell is repeated
    into every position it covers."""
    grid: list[list[Cell]] = []
    pending: dict[int, list[Any]] = {}  # column -> [rows still covered, cell]
    for r, cells in enumerate(rows):
        out: list[Cell] = []
        added: dict[int, list[Any]] = {}
        left = len(rows) - r
        for cell, rowspan, colspan in cells:
            while len(out) in pending:
                out.append(pending[len(out)][1])
            rowspan = min(rowspan, left)
            for _i in range(colspan):
                if rowspan > 1:
                    added[len(out)] = [rowspan - 1, cell]
                out.append(cell)
        for c in sorted(pending):
            if c >= len(out):
                out.extend([NO_CELL] * (c - len(out)))
                out.append(pending[c][1])
        for c in list(pending):
            pending[c][0] -= 1
            if pending[c][0] <= 0:
                del pending[c]
        pending.update(added)
        grid.append(out)
    return grid
