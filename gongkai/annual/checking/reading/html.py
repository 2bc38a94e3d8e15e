"""HTML, and Word's single-file web page (MHT): lines and tables, spans expanded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gongkai.annual.checking.document import Block, Document, Paragraph
from gongkai.annual.checking.reading.cleaning import (
    MAX_COLSPAN,
    Cell,
    _cell,
    _clean,
    _expand,
    _finish_table,
    _span,
)
from gongkai.annual.checking.reading.errors import (
    UNREADABLE,
    read_error,
)
from gongkai.annual.checking.reading.text import _charset, _decode

# Elements whose text is not the page's: scripts, styles, navigation, form controls ...
_SKIP_TAGS = (
    "script style noscript template head nav select option button textarea iframe svg "
    "canvas object embed map audio video input"
)
# Elements that start and end a line.
_BLOCK_TAGS = (
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header footer main aside "
    "blockquote address figure figcaption form fieldset legend center hr caption details "
    "summary tr td th thead tbody tfoot body html title"
)
_SKIP, _BLOCK = frozenset(_SKIP_TAGS.split()), frozenset(_BLOCK_TAGS.split())
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([-\w.:]+)""", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
MAX_DEPTH = 300


def _read_html(data: bytes, name: str, declared: str | None = None) -> Document:
    head = data[:4096]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if found and not declared:
        declared = found.group(1).decode("ascii", "replace")
    text = _decode(data, _charset(declared))
    return Document(name=name, kind="html", blocks=_html_blocks(text))


def _html_blocks(text: str) -> list[Block]:
    # lxml's HTML parser (libxml2, as lxml.html uses) with plain elements: faster.
    from lxml import etree  # type: ignore[import-untyped]

    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return []
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.LxmlError, ValueError) as exc:
        raise read_error(UNREADABLE) from exc
    if root is None:
        return []
    walker = _HtmlWalker()
    walker.visit(root, 0)
    walker.flush()
    return walker.blocks


class _HtmlWalker:
    """Walks an lxml.html tree into blocks: text accumulates in `line` until a block
    boundary (a block element, <br>, a table) ends it as a paragraph."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line: list[str] = []

    def flush(self) -> None:
        if self.line:
            text = _clean("".join(self.line))
            self.line = []
            if text:
                self.blocks.append(Paragraph(text))

    def children(self, element: Any, depth: int) -> None:
        if element.text:
            self.line.append(element.text)
        for child in element:
            self.visit(child, depth + 1)
            if child.tail:
                self.line.append(child.tail)

    def visit(self, element: Any, depth: int) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            return
        tag = tag.lower()
        if tag in _SKIP or _hidden(element):
            return
        if tag == "br":
            self.flush()
        elif depth > MAX_DEPTH:  # pathological nesting: its text, without recursion
            self.line.append(" ".join(element.itertext()))
        elif tag == "pre":
            self.flush()
            for line in "".join(element.itertext()).split("\n"):
                self.line.append(line)
                self.flush()
        elif tag == "table":
            self.flush()
            self.table(element, depth)
        elif tag in _BLOCK:
            self.flush()
            self.children(element, depth)
            self.flush()
        else:
            self.children(element, depth)

    def table(self, element: Any, depth: int) -> None:
        rows = list(_html_rows(element))
        if element.find(".//table") is not None:
            # A layout table around other tables: its cells are read as page sections.
            for caption in element.iterchildren("caption"):
                self.visit(caption, depth + 1)
            for row in rows:
                for cell in _html_cells(row):
                    self.visit(cell, depth + 1)
                    self.flush()
            return
        for caption in element.iterchildren("caption"):
            self.visit(caption, depth + 1)
        grid: list[list[tuple[Cell, int, int]]] = []
        for row in rows:
            cells = []
            for cell in _html_cells(row):
                if len(cell) == 0:  # text only, the usual case
                    lines = _cell([_clean(cell.text) if cell.text else ""])
                else:
                    inner = _HtmlWalker()
                    inner.children(cell, depth + 1)
                    inner.flush()
                    lines = _cell(b.text for b in inner.blocks if isinstance(b, Paragraph))
                rowspan = _span(cell.get("rowspan"), len(rows))
                colspan = _span(cell.get("colspan"), MAX_COLSPAN)
                cells.append((lines, rowspan, colspan))
            grid.append(cells)
        self.blocks.extend(_finish_table(_expand(grid)))


def _hidden(element: Any) -> bool:
    if element.get("hidden") is not None or element.get("role") == "navigation":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN.search(style))


def _html_rows(table: Any) -> Iterator[Any]:
    """The table's own rows (not those of tables nested in its cells)."""
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            if not _hidden(child):
                yield child
        elif tag in ("thead", "tbody", "tfoot"):
            for row in child:
                if row.tag == "tr" and not _hidden(row):
                    yield row


def _html_cells(row: Any) -> Iterator[Any]:
    for cell in row:
        if cell.tag in ("td", "th") and not _hidden(cell):
            yield cell


# Word's "single file web page" (.mht, often published as .doc): MIME around the HTML.
def _is_mht(data: bytes) -> bool:
    head = data[:2048].lower()
    return head.lstrip().startswith(b"mime-version") or (
        b"mime-version:" in head and b"multipart/related" in head
    )


def _read_mht(data: bytes, name: str) -> Document:
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return _read_html(payload, name, part.get_content_charset())
    raise read_error(UNREADABLE)
