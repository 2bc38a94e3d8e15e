"""A published annual report, as a file or pasted text -> `Document` (see document.py).

    read_bytes(data, name)  the reader is chosen by content (magic bytes), then by name
    read_path(path)         the same for a file on disk
    read_text(text, name)   pasted text: one paragraph per line

Readers:

- plain text: UTF-8 (with or without BOM), else GB18030 (GBK pages and files are
  common), else Big5; UTF-16 only with its BOM. A decoding that gives implausible text
  (control characters, symbols no Chinese text uses, only rare characters) is refused,
  not guessed;
- HTML (and Word's single-file web page, MHT, often published as .doc): the declared
  charset; script, style, nav and hidden elements dropped; one paragraph per visual line
  (p, div, h1-h6, li, br ...); one `Table` per data table with rowspan and colspan
  expanded. Layout tables are read through as text: a table around other tables (the
  whole page in a table) gives its cells' text and the inner tables, a table of one
  column or of long running text gives paragraphs;
- DOCX: the body in order, paragraphs and tables; gridSpan and vMerge expanded, a table
  nested in a cell gives its text to the cell; automatic list numbers (一、 （一） 1.) put
  back in front of the paragraph. Headers, footers, footnotes and text boxes are not read;
- PDF: per page the ruled tables pdfplumber finds, and the text outside them as lines,
  top to bottom; lines the page wrapped are joined back into their paragraph; page
  numbers and running headers dropped. A table split over two pages stays two tables.

A cell's lines are joined without a space between Chinese characters ("本年新" +
"制作数量" = "本年新制作数量") and with one between Latin words. Rows and columns that
are blank all through are dropped, and so are columns (rows) that no cell boundary
separates from their neighbour. A file that cannot be read raises `ReadError`, whose
message is plain Chinese for the person who uploaded it.
"""

from __future__ import annotations

import io
import re
import zipfile
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from gongkai.annual.checking.document import Block, Document, Paragraph, Table

# ---- errors ----------------------------------------------------------------------------

EMPTY, UNREADABLE, UNSUPPORTED, OLD_WORD = "empty", "unreadable", "unsupported", "old_word"
ENCODING, ENCRYPTED, NO_TEXT_LAYER, NO_TEXT, TOO_LARGE = (
    "encoding",
    "encrypted",
    "no_text_layer",
    "no_text",
    "too_large",
)


class ReadError(Exception):
    """The file cannot be read. `str(error)` is a message for the uploader (Chinese through
    the catalogue); `code` says why, for callers and tests (EMPTY, UNREADABLE ...)."""

    def __init__(self, message: str, code: str = UNREADABLE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _error(code: str) -> ReadError:
    messages = {
        EMPTY: _("The file is empty."),
        NO_TEXT: _("No text was found in the file."),
        UNREADABLE: _("The file could not be read; it may be damaged."),
        UNSUPPORTED: _(
            "This type of file cannot be read. Upload the report as PDF, Word (DOCX), "
            "web page (HTML) or plain text."
        ),
        OLD_WORD: _(
            "This is an old-format Word or WPS file (.doc). Save it as DOCX or PDF and "
            "upload it again."
        ),
        ENCODING: _(
            "The text's character encoding could not be recognised. Save it as UTF-8 and try again."
        ),
        ENCRYPTED: _("The PDF is protected by a password. Upload a copy without a password."),
        NO_TEXT_LAYER: _("This PDF has no text layer (it may be a scan) and cannot be read."),
        TOO_LARGE: _("The file is too large to be read."),
    }
    return ReadError(messages[code], code)


MAX_BYTES = 50 * 1024 * 1024  # a PDF report with photos stays well below this
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a DOCX that unpacks to more is a "zip bomb"
MAX_PDF_PAGES = 300

# ---- the API ---------------------------------------------------------------------------


def read_text(text: str, name: str = "pasted text") -> Document:
    """Pasted text: one paragraph per non-empty line (Document.from_text)."""
    return Document.from_text(_newlines(text), name)


def read_path(path: Path) -> Document:
    """A file on disk (an OSError, such as a missing file, is the caller's to report)."""
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)


_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|!--|html|head|body|meta|title|div|p|table|"
    rb"span|h[1-6]|center|font|br|style|script|link)\b",
    re.IGNORECASE,
)
_HTML_NAMES = (".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bytes(data: bytes, name: str) -> Document:
    """The file's content read by its kind: PDF, DOCX, HTML (or MHT) or plain text."""
    if len(data) > MAX_BYTES:
        raise _error(TOO_LARGE)
    if not data.strip():
        raise _error(EMPTY)
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF") or (b"%PDF-" in data[:1024] and suffix == ".pdf"):
        document = _read_pdf(data, name)
    elif data.startswith(b"PK\x03\x04"):
        document = _read_docx(data, name)
    elif data.startswith(_OLE):
        # Old binary Office (Word .doc, WPS .wps, Excel .xls ...).
        raise _error(UNSUPPORTED if suffix in (".xls", ".et", ".ppt", ".dps") else OLD_WORD)
    elif data.startswith(b"{\\rtf"):
        raise _error(UNSUPPORTED)
    elif _is_mht(data):
        document = _read_mht(data, name)
    else:
        body = _strip_bom(data)
        if _HTML_START.match(body) or (suffix in _HTML_NAMES and body.lstrip()[:1] == b"<"):
            document = _read_html(data, name)
        else:
            document = _read_plain(data, name)
    if not document.blocks:
        raise _error(NO_TEXT)
    return document


def _strip_bom(data: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            # UTF-16 markup is rare; looking at its ASCII bytes is enough for the test.
            rest = data[len(bom) :]
            return rest if bom == b"\xef\xbb\xbf" else rest[:4096].replace(b"\x00", b"")
    return data


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


def _newlines(text: str) -> str:
    """Line ends of every system as \\n; a form feed or Word's line break (\\v) ends a line."""
    return re.sub(r"\r\n?|[\f\v\u2028\u2029]", "\n", text)


# ---- plain text ------------------------------------------------------------------------

_GB = "gb18030"
_CHARSET_NAMES = {
    "gb2312": _GB,
    "gbk": _GB,
    "x-gbk": _GB,
    "cp936": _GB,
    "gb_2312-80": _GB,
    "csgb2312": _GB,
    "gb18030": _GB,
    "euc-cn": _GB,
    "utf8": "utf-8",
    "unicode": "utf-8",
}


def _charset(name: str | None) -> str | None:
    """A declared charset as a Python codec (GB2312 and GBK read as their superset GB18030),
    or None if Python does not know it."""
    if not name:
        return None
    import codecs

    name = name.strip().strip("\"'").lower()
    name = _CHARSET_NAMES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _GB if codec in ("gbk", "gb2312", "gb18030") else codec


_CONTROLS = re.compile("[\x01-\x08\x0e-\x19\x1b-\x1f\x7f]")  # not \t \n \v \f \r, DOS's EOF


def _few_controls(text: str) -> bool:
    """No NUL, and hardly any other control characters: text, not binary data."""
    if "\x00" in text:
        return False
    return len(_CONTROLS.findall(text)) * 1000 <= len(text)


# Characters a Chinese document is made of, beyond ASCII: Chinese characters and their
# punctuation, full-width forms, general punctuation, letter-like symbols, number forms,
# arrows, maths, ① and box drawing, Greek, pinyin and a few signs (° ± · × ÷ § © ®).
_USUAL = (
    "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2000-\u27bf"
    "\u0391-\u03c9\xa0\xb0\xb1\xb7\xd7\xf7\xa7\xa9\xae\U00020000-\U0010ffff"
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿɑɡ"  # pinyin, in GB2312 too
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_UNUSUAL = re.compile(f"[^\\x00-\\x7f{_USUAL}]")


# The commonest characters of Chinese (official) writing, simplified and traditional. In
# text decoded with the right table they are more than half of the Chinese characters; in
# text decoded with the wrong one (Big5 read as GBK, UTF-8 as GBK) under one in ten.
_COMMON = re.compile(
    "[的一是在不了有和人这這中大为為上个個国國我以要他时時来來用们們生到作地于於出就分对對成"
    "会會可主发發年动動同工也能下过過子说說产產种種面而方后後多定行学學法所民得经經十三之进進"
    "着著等部度家电電力里如水化高自二理起小物现現实實加量都两兩体體制机機当當使点點从從业業本去"
    "把性好应應开開它合还還因由其些然前外天政四日那社义義事平形相全表间間样樣与與关關各重新线線"
    "内內数數正心反明看原又么麼利比或但质質气氣第向道命此变變条條只没沒结結解问問意建月公无無系"
    "情者最立代想已通并並提直题題党黨程展五果员員位入常文总總次品式活设設及管特件长長求老头頭基"
    "资資边邊流路级級少图圖山统統接知较較将將组組见見计計别別她手角期根论論运運农農指几幾九区區"
    "强放决決西被干做必战戰先回则則任取据據处處南给給色光门門即保治北造百规規热熱领領七海口东東"
    "府信息申请請况況办辦依条理关機构構单單位受答复復予县縣局市省室区區镇鎮会會报報告工作年度]"
)
_CJK = re.compile("[\u4e00-\u9fff]")


def _plausible(text: str) -> bool:
    """False for bytes decoded with the wrong table: text that is neither ASCII nor the
    characters and symbols Chinese documents use (control characters, private-use
    characters, runs of accented Latin letters from a single-byte code page ...), or
    Chinese characters that are almost all rare ones (the right bytes, the wrong table)."""
    if not _few_controls(text):
        return False
    odd = len(_UNUSUAL.findall(text))
    if odd > 2 and odd * 50 > len(_NON_ASCII.findall(text)):
        return False
    chinese = len(_CJK.findall(text))
    return chinese < 20 or len(_COMMON.findall(text)) * 100 >= chinese * 12


def _decode(data: bytes, declared: str | None = None) -> str:
    """Bytes as text. UTF-8 first (valid UTF-8 is hardly ever anything else), then the
    declared charset, then GB18030, then Big5; a decoding that leaves more than one bad
    byte or gives implausible characters is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, declared = data[3:], "utf-8"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _error(ENCODING) from exc
    candidates = ["utf-8"]
    if declared and declared not in candidates:
        candidates.append(declared)
    candidates += [codec for codec in (_GB, "big5") if codec not in candidates]
    for strict in (True, False):
        for codec in candidates:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                if strict:
                    continue
                # One bad byte (a file cut off in the middle of a character) is tolerated.
                text = data.decode(codec, errors="replace")
                if text.count("\ufffd") > 1:
                    continue
            except LookupError:
                continue
            if _few_controls(text) if codec == "utf-8" else _plausible(text):
                return text
    raise _error(ENCODING)


def _read_plain(data: bytes, name: str) -> Document:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _error(UNSUPPORTED)  # a binary file (an image, an archive ...)
    try:
        text = _decode(data)
    except ReadError:
        import filetype

        if filetype.guess(data[:8192]) is not None:
            raise _error(UNSUPPORTED) from None
        raise
    return Document.from_text(_newlines(text), name)


# ---- tables (shared) -------------------------------------------------------------------

# A cell while a table is built: its lines. Positions a merged cell covers hold the same
# tuple object, so a cell repeated by a span is recognised (and joined only once); a
# blank cell is ("",), a new tuple each time; NO_CELL fills a position no cell covers.
Cell = tuple[str, ...]
NO_CELL: Cell = ()
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


# ---- HTML ------------------------------------------------------------------------------

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
MAX_COLSPAN = 100
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
        raise _error(UNREADABLE) from exc
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
    raise _error(UNREADABLE)


# ---- DOCX ------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _TBL, _TR, _TC = (_W + t for t in ("p", "r", "t", "tbl", "tr", "tc"))
_RUN_CONTAINERS = frozenset(
    _W + t
    for t in (
        *("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "sdt", "sdtContent"),
        *("moveTo", "dir", "bdo"),
    )
)
_WRAPPERS = frozenset((_W + "sdt", _W + "sdtContent", _W + "customXml"))
_RUN_TEXT = {
    _W + "tab": "\t",
    _W + "ptab": "\t",
    _W + "br": "\n",
    _W + "cr": "\n",
    _W + "noBreakHyphen": "-",
}


def _read_docx(data: bytes, name: str) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _error(UNREADABLE) from exc
    if not any(n.startswith("word/") for n in names):
        raise _error(UNSUPPORTED)  # a spreadsheet, an OpenDocument file, a plain zip ...
    if size > MAX_UNZIPPED_BYTES:
        raise _error(TOO_LARGE)
    import docx

    try:
        word = docx.Document(io.BytesIO(data))
        body = word.element.body
        numbers = _Numbering(word)
    except Exception as exc:  # python-docx and lxml raise their own kinds for broken files
        raise _error(UNREADABLE) from exc
    blocks: list[Block] = []
    _docx_body(body, blocks, numbers)
    return Document(name=name, kind="docx", blocks=blocks)


def _docx_body(parent: Any, blocks: list[Block], numbers: _Numbering) -> None:
    for child in parent:
        tag = child.tag
        if tag == _P:
            text = numbers.prefix(child) + _docx_text(child)
            blocks.extend(Paragraph(line) for line in _lines(text))
        elif tag == _TBL:
            blocks.extend(_finish_table(_docx_grid(child)))
        elif tag in _WRAPPERS:
            _docx_body(child, blocks, numbers)


def _lines(text: str) -> list[str]:
    return [line for line in map(_clean, text.split("\n")) if line]


def _docx_text(paragraph: Any) -> str:
    out: list[str] = []
    _docx_runs(paragraph, out)
    return "".join(out)


def _docx_runs(element: Any, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == _R:
            for piece in child:
                if piece.tag == _T:
                    out.append(piece.text or "")
                elif piece.tag in _RUN_TEXT:
                    out.append(_RUN_TEXT[piece.tag])
        elif tag in _RUN_CONTAINERS:
            _docx_runs(child, out)


def _docx_cell_lines(cell: Any) -> Cell:
    """A cell's lines: its paragraphs, and the text of tables nested in it."""
    lines: list[str] = []
    for paragraph in cell.iter(_P):
        lines.extend(_lines(_docx_text(paragraph)))
    return _cell(lines)


def _val(element: Any, path: str) -> str | None:
    found = element.find(path)
    if found is None:
        return None
    value: str | None = found.get(_W + "val")
    return value if value is not None else ""


def _docx_grid(table: Any) -> list[list[Cell]]:
    """gridSpan repeats a cell to the right, vMerge="continue" repeats the cell above."""
    grid: list[list[Cell]] = []
    for row in _docx_children(table, _TR):
        out: list[Cell] = []
        before = _val(row, f"{_W}trPr/{_W}gridBefore")
        if before:
            out.extend([NO_CELL] * _int(before, 0, MAX_COLSPAN))
        for tc in _docx_children(row, _TC):
            span = _span(_val(tc, f"{_W}tcPr/{_W}gridSpan"), MAX_COLSPAN)
            vmerge = _val(tc, f"{_W}tcPr/{_W}vMerge")
            hmerge = _val(tc, f"{_W}tcPr/{_W}hMerge")
            column = len(out)
            if vmerge is not None and vmerge != "restart" and grid:
                above = grid[-1]
                cell = above[column] if column < len(above) else NO_CELL
            elif hmerge is not None and hmerge != "restart" and out:
                cell = out[-1]
            else:
                cell = _docx_cell_lines(tc)
            out.extend([cell] * span)
        grid.append(out)
    return grid


def _docx_children(element: Any, tag: str) -> Iterator[Any]:
    """Children with this tag, also inside content controls (w:sdt) and custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _docx_children(child, tag)


_NUMBER_FORMATS: dict[str, Callable[[int], str]] = {}


def _chinese(n: int) -> str:
    """一 二 ... 十 十一 ... 九十九 (then digits)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(n)


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        count, n = divmod(n, value)
        out += numeral * count
    return out


_NUMBER_FORMATS.update(
    {
        "decimal": str,
        "decimalZero": lambda n: f"{n:02d}",
        "decimalFullWidth": lambda n: str(n).translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        ),
        "decimalHalfWidth": str,
        "chineseCounting": _chinese,
        "chineseCountingThousand": _chinese,
        "japaneseCounting": _chinese,
        "taiwaneseCounting": _chinese,
        "ideographDigital": lambda n: str(n).translate(
            str.maketrans("0123456789", "〇一二三四五六七八九")
        ),
        "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
        "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedParen": lambda n: f"({n})",
        "lowerLetter": _letters,
        "upperLetter": lambda n: _letters(n).upper(),
        "lowerRoman": _roman,
        "upperRoman": lambda n: _roman(n).upper(),
    }
)


class _Numbering:
    """Word's automatic paragraph numbers ("一、", "（一）", "1."), which are not in the
    paragraph's text: counted per list and level as Word does for the common cases
    (numbering on the paragraph or on its style; bullets give no prefix)."""

    def __init__(self, word: Any) -> None:
        # numId -> abstractNumId; abstractNumId -> {ilvl: (numFmt, lvlText, start)}
        self.nums: dict[str, str] = {}
        self.starts: dict[tuple[str, int], int] = {}  # (numId, ilvl) -> startOverride
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.style_numbers: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int | None]] = {}  # abstractNumId -> counts by level
        self.last_num: dict[str, str] = {}  # abstractNumId -> the numId counted last
        try:
            numbering = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            for abstract in numbering.iterchildren(_W + "abstractNum"):
                levels: dict[int, tuple[str, str, int]] = {}
                for lvl in abstract.iterchildren(_W + "lvl"):
                    ilvl = _int(lvl.get(_W + "ilvl"), 0)
                    fmt = _val(lvl, _W + "numFmt") or "decimal"
                    text = _val(lvl, _W + "lvlText") or ""
                    start = _int(_val(lvl, _W + "start"), 1)
                    levels[ilvl] = (fmt, text, start)
                self.levels[abstract.get(_W + "abstractNumId", "")] = levels
            for num in numbering.iterchildren(_W + "num"):
                num_id = num.get(_W + "numId", "")
                self.nums[num_id] = _val(num, _W + "abstractNumId") or ""
                for override in num.iterchildren(_W + "lvlOverride"):
                    restart = _val(override, _W + "startOverride")
                    if restart is not None:
                        level = _int(override.get(_W + "ilvl"), 0)
                        self.starts[(num_id, level)] = _int(restart, 1)
        if self.nums:
            for style in word.styles.element.iterchildren(_W + "style"):
                num_id = _val(style, f"{_W}pPr/{_W}numPr/{_W}numId")
                if num_id:
                    level = _int(_val(style, f"{_W}pPr/{_W}numPr/{_W}ilvl"), 0)
                    self.style_numbers[style.get(_W + "styleId", "")] = (num_id, level)

    def prefix(self, paragraph: Any) -> str:
        if not self.nums:
            return ""
        num_id = _val(paragraph, f"{_W}pPr/{_W}numPr/{_W}numId")
        ilvl_text = _val(paragraph, f"{_W}pPr/{_W}numPr/{_W}ilvl")
        if num_id is None:
            style = _val(paragraph, f"{_W}pPr/{_W}pStyle")
            if not style or style not in self.style_numbers:
                return ""
            num_id, ilvl = self.style_numbers[style]
            ilvl = _int(ilvl_text, ilvl)
        else:
            ilvl = _int(ilvl_text, 0)
        abstract = self.nums.get(num_id)
        if abstract is None or not (0 <= ilvl < 9):
            return ""  # numId 0: numbering switched off
        levels = self.levels.get(abstract, {})
        counts = self.counters.setdefault(abstract, [None] * 9)
        restart = self.last_num.get(abstract) != num_id and (num_id, ilvl) in self.starts
        self.last_num[abstract] = num_id
        count = counts[ilvl]
        if count is None or restart:
            counts[ilvl] = self.starts.get((num_id, ilvl), levels.get(ilvl, ("", "", 1))[2])
        else:
            counts[ilvl] = count + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = None
        fmt, text, _start = levels.get(ilvl, ("decimal", "", 1))
        if fmt in ("bullet", "none") or not text:
            return ""

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _text, start = levels.get(level, ("decimal", "", 1))
            value = counts[level]
            return _NUMBER_FORMATS.get(level_fmt, str)(start if value is None else value)

        return re.sub(r"%([1-9])", number, text)


# ---- PDF -------------------------------------------------------------------------------

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
            raise _error(ENCRYPTED) from exc
        raise _error(UNREADABLE) from exc
    pages: list[list[PdfItem]] = []
    with pdf:
        try:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise _error(TOO_LARGE)
            for page in pdf.pages:
                pages.append(_pdf_page(page))
                page.close()
        except ReadError:
            raise
        except Exception as exc:
            if _caused_by(exc, PDFEncryptionError):
                raise _error(ENCRYPTED) from exc
            raise _error(UNREADABLE) from exc
    blocks = _pdf_blocks(pages)
    if not blocks:  # no characters, or a page number or two: a scan
        raise _error(NO_TEXT_LAYER)
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
