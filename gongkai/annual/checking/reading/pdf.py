"""PDF: per page the ruled tables pdfplumber finds and the lines outside them."""

from __future__ import annotations

import io
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from gongkai.annual.checking.cells import parse_value
from gongkai.annual.checking.document import BLANK, Block, Document, Paragraph, Table
from gongkai.annual.checking.reading.cleaning import (
    NO_CELL,
    Cell,
    _cell,
    _clean,
    _finish_table,
    _join,
    _lines,
)
from gongkai.annual.checking.reading.errors import (
    ENCRYPTED,
    NO_TEXT_LAYER,
    TOO_LARGE,
    UNREADABLE,
    ReadError,
    read_error,
)

MAX_PDF_PAGES = 300

# A page number in the top or bottom margin: 3, - 3 -, 第3页, 第3页 共5页, 3 / 5.
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:第\s*)?\d+\s*页?\s*(?:(?:[/／]|of)\s*\d+|[,，]?\s*共\s*\d+\s*页)?\s*页?[-—–\s]*$",
    re.IGNORECASE,
)

_DIGITS = re.compile(r"\d+")

# A row label's numbering: 一、 （一） 1. 1、 (1): a wrapped label's next line never starts so.
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])"
)

# A page's content, top to bottom: its lines outside tables (pdfplumber's dicts, with
# x0, x1, top, bottom and text) and its tables (blocks already).
PdfItem = tuple[str, Any]


def _read_pdf(data: bytes, name: str) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in its own exception
        if _caused_by(exc, PDFEncryptionError):
            raise read_error(ENCRYPTED) from exc
        raise read_error(UNREADABLE) from exc
    pages: list[list[PdfItem]] = []
    with pdf:
        try:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise read_error(TOO_LARGE)
            for page in pdf.pages:
                pages.append(_pdf_page(page))
                page.close()
        except ReadError:
            raise
        except Exception as exc:
            if _caused_by(exc, PDFEncryptionError):
                raise read_error(ENCRYPTED) from exc
            raise read_error(UNREADABLE) from exc
    blocks = _pdf_blocks(pages)
    if not blocks:  # no characters, or a page number or two: a scan
        raise read_error(NO_TEXT_LAYER)
    return Document(name=name, kind="pdf", blocks=blocks)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    stack: list[Any] = [exc]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return True
        stack.extend([current.__cause__, current.__context__, *current.args])
    return False


def _pdf_page(page: Any) -> list[PdfItem]:
    page = page.dedupe_chars()  # fake bold: the same character printed twice
    if not page.chars:
        return []
    found = page.find_tables()
    boxes = [t.bbox for t in found]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    top, height = page.bbox[1], page.height
    items: list[tuple[float, PdfItem]] = []
    for line in text_page.extract_text_lines():
        chars = line.pop("chars")
        line["text"] = _clean(line["text"])
        line["words"] = _words(chars)
        if not line["text"]:
            continue
        margin = line["top"] - top > 0.85 * height or line["bottom"] - top < 0.12 * height
        if margin and _PAGE_NUMBER.match(line["text"]):
            continue
        line["margin"] = margin
        # A row of a table drawn without rules: wide gaps between its cells.
        size = line["bottom"] - line["top"]
        line["gapped"] = any(b["x0"] - a["x1"] > 1.5 * size for a, b in pairwise(chars))
        items.append((line["top"], ("line", line)))
    for table in found:
        items.append((table.bbox[1], ("table", _finish_table(_pdf_grid(table)))))
    items.sort(key=lambda item: item[0])
    ordered = [item for _top, item in items]
    try:
        return _borderless(ordered)
    except (ValueError, IndexError, KeyError, ZeroDivisionError):  # a layout not foreseen
        return ordered  # its lines as text, as before tables without rules were read


def _pdf_blocks(pages: list[list[PdfItem]]) -> list[Block]:
    """The pages' lines and tables as blocks. Lines the page wrapped are joined back into
    their paragraph, also across a page break: a line that runs to the right edge of the
    text, followed closely by one that starts at the left edge (a new paragraph starts
    indented, a heading or a paragraph's last line ends early), and neither is a row of
    a table drawn without rules. Running headers and footers are dropped."""
    # A running header or footer: the same line in the margin of most pages.
    margins = Counter(
        _DIGITS.sub("#", payload["text"])
        for page in pages
        for kind, payload in page
        if kind == "line" and payload["margin"]
    )
    running = {text for text, count in margins.items() if count >= 2 and count * 2 >= len(pages)}
    pages = [
        [
            (kind, payload)
            for kind, payload in page
            if not (
                kind == "line"
                and payload["margin"]
                and _DIGITS.sub("#", payload["text"]) in running
            )
        ]
        for page in pages
    ]
    lines = [payload for page in pages for kind, payload in page if kind == "line"]
    if not lines:
        return [payload for page in pages for _kind, payload in page]  # tables only
    # The text's edges: the commonest start of a line, and the right end of the longest
    # lines (the median of the top quarter, so that one odd line does not move it).
    starts: dict[int, int] = {}
    for line in lines:
        starts[round(line["x0"])] = starts.get(round(line["x0"]), 0) + 1
    left = max(starts, key=lambda x: (starts[x], -x))
    ends = sorted(line["x1"] for line in lines)
    top_quarter = ends[len(ends) * 3 // 4 :]
    right = top_quarter[len(top_quarter) // 2]
    blocks: list[Block] = []
    open_paragraph: Paragraph | None = None  # the paragraph the next line may continue
    for page in pages:
        previous: dict[str, Any] | None = None
        for kind, payload in page:
            if kind == "table":
                blocks.extend(payload)
                open_paragraph = previous = None
                continue
            line = payload
            size = max(line["bottom"] - line["top"], 1.0)
            starts_left = line["x0"] - left < 0.5 * size
            close = previous is None or line["top"] - previous["bottom"] < 0.9 * size
            if open_paragraph is not None and starts_left and close and not line["gapped"]:
                open_paragraph.text = _join((open_paragraph.text, line["text"]))
            else:
                open_paragraph = Paragraph(line["text"])
                blocks.append(open_paragraph)
            if right - line["x1"] >= 2 * size or line["gapped"]:
                open_paragraph = None
            previous = line
    return blocks


def _clusters(values: Sequence[float], tolerance: float = 2.0) -> list[float]:
    """Sorted coordinates with those closer than `tolerance` merged."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    i = bisect_left(edges, value)
    if i > 0 and (i == len(edges) or value - edges[i - 1] < edges[i] - value):
        i -= 1
    return i


def _pdf_grid(table: Any) -> list[list[Cell]]:
    """pdfplumber's table as a grid: each cell (a bbox) covers the rows and columns between
    its edges, so merged cells are repeated into every position."""
    placed: list[tuple[tuple[float, float, float, float], Cell]] = []
    for row, texts in zip(table.rows, table.extract(), strict=False):
        for bbox, text in zip(row.cells, texts, strict=False):
            if bbox is not None:
                placed.append((bbox, _cell(_lines(text or ""))))
    if not placed:
        return []
    xs = _clusters([b[0] for b, _c in placed] + [b[2] for b, _c in placed])
    ys = _clusters([b[1] for b, _c in placed] + [b[3] for b, _c in placed])
    grid: list[list[Cell]] = [[NO_CELL] * max(1, len(xs) - 1) for _r in range(max(1, len(ys) - 1))]
    for (x0, top, x1, bottom), cell in placed:
        c0, c1 = _index(xs, x0), max(_index(xs, x1), _index(xs, x0) + 1)
        r0, r1 = _index(ys, top), max(_index(ys, bottom), _index(ys, top) + 1)
        for r in range(r0, min(r1, len(grid))):
            for c in range(c0, min(c1, len(grid[r]))):
                grid[r][c] = cell
    return grid


# ---- tables drawn without rules ---------------------------------------------------------
#
# pdfplumber finds a table by its ruling lines. A table printed without them reaches the
# page's lines as rows whose cells are far apart ("gapped"); it is read back from the
# positions of its words: the lines close above one another form a region, the figures
# in it fall into columns (their extents overlap from row to row, whatever the
# alignment), a column no figure reaches is taken from the header above, and the lines
# of a row label wrapped in its cell are joined, with the figures printed beside any of
# them. A missing figure is a blank cell.

# A line of a region is at most this many line heights below the one before.
_ROW_GAP = 1.5


def _words(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A line's words: characters closer than half a character apart, with their extent."""
    words: list[dict[str, Any]] = []
    for char in sorted(chars, key=lambda c: c["x0"]):
        text = char["text"]
        if not text.strip():
            continue
        size = max(char.get("size") or (char["bottom"] - char["top"]), 1.0)
        if words and char["x0"] - words[-1]["x1"] < 0.5 * size:
            words[-1]["text"] += text
            words[-1]["x1"] = max(words[-1]["x1"], char["x1"])
        else:
            words.append({"text": text, "x0": char["x0"], "x1": char["x1"]})
    for word in words:
        word["text"] = _clean(word["text"])
    return words


def _figure(word: dict[str, Any]) -> bool:
    text = word["text"]
    return bool(text) and len(text) <= 12 and parse_value(text) not in (None, BLANK)


def _figures_at(line: dict[str, Any]) -> int:
    """Where a line's figures start (its words from there on are all figures), or the
    number of its words when it ends in no figure."""
    words = line["words"]
    n = len(words)
    while n and _figure(words[n - 1]):
        n -= 1
    return n


def _size(line: dict[str, Any]) -> float:
    return float(max(line["bottom"] - line["top"], 1.0))


def _borderless(items: list[PdfItem]) -> list[PdfItem]:
    """A page's items with each table drawn without rules made a table block."""
    out: list[PdfItem] = []
    run: list[dict[str, Any]] = []

    def flush() -> None:
        # A region runs from its first gapped line to its last, then on over the lines
        # that fit in its label column in its type size (rows whose cells are all blank).
        gapped = [i for i, line in enumerate(run) if line["gapped"]]
        if not gapped:
            out.extend(("line", line) for line in run)
            run.clear()
            return
        first, last = gapped[0], gapped[-1]
        body = run[first : last + 1]
        size = sorted(_size(line) for line in body)[len(body) // 2]
        # (where the rows start, indented or not; with only a header, anywhere)
        starts = [line["x0"] for line in body if _has_figures(line)]
        label_x1 = max((line["words"][0]["x1"] for line in body if line["words"]), default=0.0)
        spacing = max((b["top"] - a["bottom"] for a, b in pairwise(body)), default=size)
        while last + 1 < len(run):
            after = run[last + 1]
            if not (
                abs(_size(after) - size) <= 0.15 * size
                and (
                    not starts
                    or min(starts) - 0.5 * size <= after["x0"] <= max(starts) + 0.5 * size
                )
                and after["x1"] <= label_x1 + size
                and after["top"] - run[last]["bottom"] <= spacing + 0.2 * size
            ):
                break
            last += 1
        region = run[first : last + 1]
        # A table has figures, or a header over rows whose cells are all blank (a line
        # with gaps alone, "某某局      2024年1月20日", is text).
        tabular = any(map(_has_figures, region)) or (len(region) > 1 and not region[-1]["gapped"])
        tables = _region_tables(region) if tabular else []
        if not any(len(row) > 1 for table in tables for row in table.rows):
            out.extend(("line", line) for line in run)  # no row of cells: text after all
        else:
            out.extend(("line", line) for line in run[:first])
            out.extend(("table", [table]) for table in tables)
            out.extend(("line", line) for line in run[last + 1 :])
        run.clear()

    for kind, payload in items:
        if kind != "line":
            flush()
            out.append((kind, payload))
            continue
        if run and payload["top"] - run[-1]["bottom"] > _ROW_GAP * _size(payload):
            flush()
        run.append(payload)
    flush()
    return out


def _has_figures(line: dict[str, Any]) -> bool:
    return _figures_at(line) < len(line["words"])


def _region_tables(lines: list[dict[str, Any]]) -> list[Table]:
    """The tables of a region: a new one starts at a header (a gapped line without
    figures) that follows a row of figures."""
    tables: list[Table] = []
    start = 0
    seen_figures = False
    for i, line in enumerate(lines):
        if _has_figures(line):
            seen_figures = True
        elif line["gapped"] and seen_figures:
            tables.append(_region_table(lines[start:i]))
            start, seen_figures = i, False
    tables.append(_region_table(lines[start:]))
    return [table for table in tables if table.rows]


def _overlapping(spans: list[tuple[float, float]], slack: float) -> list[tuple[float, float]]:
    """Extents merged where they overlap (within `slack`), left to right."""
    merged: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1] + slack:
            merged[-1] = (merged[-1][0], max(merged[-1][1], x1))
        else:
            merged.append((x0, x1))
    return merged


def _median_step(values: list[float], default: float) -> float:
    steps = sorted(b - a for a, b in pairwise(sorted(values)))
    return steps[(len(steps) - 1) // 2] if steps else default


def _in_order(values: list[float], targets: list[float]) -> list[int]:
    """For each of `values` (sorted) a target (sorted, at least as many), in order, the
    sum of the distances least."""
    n, m = len(values), len(targets)
    inf = float("inf")
    # cost[i][j]: the first i values placed among the first j targets.
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    cost[0] = [0.0] * (m + 1)
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            cost[i][j] = min(
                cost[i][j - 1], cost[i - 1][j - 1] + abs(values[i - 1] - targets[j - 1])
            )
    out: list[int] = []
    j = m
    for i in range(n, 0, -1):
        while j > i and cost[i][j] == cost[i][j - 1]:
            j -= 1
        out.append(j - 1)
        j -= 1
    return out[::-1]


def _region_table(lines: list[dict[str, Any]]) -> Table:
    size = sorted(_size(line) for line in lines)[len(lines) // 2]
    cuts = [_figures_at(line) for line in lines]
    figured = [cut < len(line["words"]) for line, cut in zip(lines, cuts, strict=True)]
    columns = _overlapping(
        [
            (w["x0"], w["x1"])
            for line, cut in zip(lines, cuts, strict=True)
            for w in line["words"][cut:]
        ],
        0.2 * size,
    )
    figure_spans = list(columns)  # the columns of figures, before blank ones are added
    # The label column: the words left of the first column of figures on the rows of
    # figures and those after them (on every line when no cell has a figure). Header
    # lines: those above the first row of figures that have words right of the labels.
    first_row = next((i for i, f in enumerate(figured) if f), len(lines))
    body = range(first_row, len(lines)) if first_row < len(lines) else range(len(lines))
    limit = columns[0][0] if columns else float("inf")
    label_words = [
        w
        for i in body
        if first_row < len(lines) or not lines[i]["gapped"]
        for w in lines[i]["words"][: cuts[i]]
        if w["x1"] <= limit
    ]
    label_right = max((w["x1"] for w in label_words), default=-float("inf"))
    inside = label_right + 0.5 * size
    header = [
        i
        for i in range(first_row if first_row < len(lines) else len(lines))
        if (first_row < len(lines) or lines[i]["gapped"])
        and any(w["x0"] >= inside for w in lines[i]["words"])
    ]
    centres = [(c0 + c1) / 2 for c0, c1 in columns]
    pitch = _median_step(centres, float("inf"))
    stacks = _header_stacks([lines[i] for i in header], size, pitch)
    # Columns no figure reaches: the headers at the foot of the header (none under them:
    # "行政诉讼" spans the columns under it) right of the labels, more of them than columns
    # of figures; each column of figures takes the nearest in order, the others are blank.
    leaves = [
        stack
        for stack in stacks
        if stack.x0 >= inside
        and not any(
            o is not stack and o.top > stack.bottom and o.x0 <= stack.x1 and stack.x0 <= o.x1
            for o in stacks
        )
    ]
    leaves.sort(key=lambda stack: stack.x0)
    figure_column = list(range(len(columns)))  # a column of figures → its column
    middles = [(s.x0 + s.x1) / 2 for s in leaves]
    # The headers' pitch, without the first (perhaps the labels' header, "信息内容",
    # centred over a wider column); none from two headers.
    step = _median_step(middles[1:], 0.0) if len(leaves) >= 3 else 0.0
    if not columns:
        if len(leaves) == 2 or (leaves and middles[1] - middles[0] > 1.3 * step):
            leaves = leaves[1:]  # the labels' header
        columns = [(stack.x0, stack.x1) for stack in leaves]
        figure_column = []
    elif len(leaves) > len(columns):
        taken = _in_order(centres, middles)
        # Headers beyond the first or last column of figures are columns only at the
        # headers' pitch.
        low, high = taken[0], taken[-1]
        while low > 0 and middles[low] - middles[low - 1] <= 1.3 * step:
            low -= 1
        while high < len(leaves) - 1 and middles[high + 1] - middles[high] <= 1.3 * step:
            high += 1
        figure_column = [j - low for j in taken]
        columns = [(s.x0, s.x1) for s in leaves[low : high + 1]]
    if not columns:
        return Table([[w["text"] for w in line["words"]] for line in lines])

    def column(word: dict[str, Any]) -> int | None:
        centre = (word["x0"] + word["x1"]) / 2
        if figure_column:
            for n, (c0, c1) in enumerate(figure_spans):
                if c0 <= centre <= c1:
                    return figure_column[n]
        for n, (c0, c1) in enumerate(columns):
            if c0 - 0.5 * size <= centre <= c1 + 0.5 * size:
                return n
        return None

    rows: list[list[str]] = []
    label: list[str] = []  # the lines of the current row's label
    figures: list[str] | None = None  # its cells, once a line with figures is met
    wrapped = False  # the last line of its label ran to the column's right edge
    open_row = False

    def close() -> None:
        nonlocal label, figures, open_row
        if open_row:
            text = _join(label)
            cells = figures if figures is not None else [""] * len(columns)
            rows.append([text, *cells] if text else cells)
        label, figures, open_row = [], None, False

    # A label wraps only where the column ends: close to the first column of cells (a
    # column of short labels, "行政处罚" over "行政强制", ends far left of its cells).
    can_wrap = columns[0][0] - label_right <= 6 * size
    done_header = False
    for i, (line, cut) in enumerate(zip(lines, cuts, strict=True)):
        if i in header:
            continue
        if not done_header:
            rows.extend(_header_rows(stacks))
            done_header = True
        words = line["words"]
        head = [w for w in words[:cut] if w["x0"] < inside]
        cells: list[str] | None = None
        if figured[i] or len(head) < cut:
            cells = [""] * len(columns)
            for word in words[len(head) :]:
                n = column(word)
                if n is not None:
                    cells[n] = (cells[n] + " " + word["text"]).strip()
        text = " ".join(w["text"] for w in head)
        continues = open_row and (
            (text and wrapped and not _NUMBERED.match(text) and not (cells and figures))
            or (not text and cells is not None and figures is None)
        )
        if not continues:
            close()
            open_row = True
        if text:
            label.append(text)
            wrapped = can_wrap and head[-1]["x1"] >= label_right - 1.5 * size
        if cells is not None:
            figures = cells
    close()
    if not done_header:
        rows.extend(_header_rows(stacks))
    return Table([row for row in rows if any(row)])


@dataclass
class _Stack:
    """A header cell's words, top to bottom."""

    texts: list[str]
    x0: float
    x1: float
    top: float  # of its last word
    bottom: float  # of its last word
    line: int  # the header line it starts on


def _header_stacks(lines: list[dict[str, Any]], size: float, pitch: float) -> list[_Stack]:
    """The header's cells: a header wrapped in its cell ("结果" over "维持") joined back.
    A word continues the one right above it (at most a line and a half higher) when it is
    no wider, aligned with it at the left or the centre, and that one is no wider than a
    column (a header spanning columns is not wrapped text)."""
    stacks: list[_Stack] = []
    for n, line in enumerate(lines):
        for word in line["words"]:
            width = word["x1"] - word["x0"]
            centre = (word["x0"] + word["x1"]) / 2
            below = None
            for stack in stacks:
                upper = stack.x1 - stack.x0
                if (
                    0 < line["top"] - stack.top <= 1.6 * size
                    and upper <= pitch
                    and width <= upper + 0.5 * size
                    and (
                        abs(word["x0"] - stack.x0) < 0.5 * size
                        or abs(centre - (stack.x0 + stack.x1) / 2) < 0.5 * size
                    )
                ):
                    below = stack
            if below is not None:
                below.texts.append(word["text"])
                below.top, below.bottom = line["top"], line["bottom"]
            else:
                stacks.append(
                    _Stack([word["text"]], word["x0"], word["x1"], line["top"], line["bottom"], n)
                )
    return stacks


def _header_rows(stacks: list[_Stack]) -> list[list[str]]:
    """Header cells as rows, by the line each starts on."""
    rows: list[list[str]] = []
    for n in sorted({stack.line for stack in stacks}):
        rows.append([_join(s.texts) for s in sorted(stacks, key=lambda s: s.x0) if s.line == n])
    return rows
