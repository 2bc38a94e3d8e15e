"""PDF: per page the ruled tables pdfplumber finds and the lines outside them."""

from __future__ import annotations

import io
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from gongkai.annual.checking.document import Block, Document, Paragraph
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
    return [item for _top, item in items]


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
