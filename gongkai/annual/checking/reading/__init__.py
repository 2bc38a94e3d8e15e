"""A published annual report, as a file or pasted text -> `Document` (see document.py).

    read_bytes(data, name)  the reader is chosen by content (magic bytes), then by name
    read_path(path)         the same for a file on disk
    read_text(text, name)   pasted text: one paragraph per line

Readers (one module each: text.py, html.py, docx.py, pdf.py; cleaning.py is what they
share, errors.py the `ReadError` codes and messages):

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

import re
from pathlib import Path

from gongkai.annual.checking.document import Document
from gongkai.annual.checking.reading.cleaning import _newlines
from gongkai.annual.checking.reading.docx import MAX_UNZIPPED_BYTES, _read_docx
from gongkai.annual.checking.reading.errors import (
    EMPTY,
    ENCODING,
    ENCRYPTED,
    NO_TEXT,
    NO_TEXT_LAYER,
    OLD_WORD,
    TOO_LARGE,
    UNREADABLE,
    UNSUPPORTED,
    ReadError,
    read_error,
)
from gongkai.annual.checking.reading.html import _is_mht, _read_html, _read_mht
from gongkai.annual.checking.reading.pdf import MAX_PDF_PAGES, _read_pdf
from gongkai.annual.checking.reading.text import _read_plain

MAX_BYTES = 50 * 1024 * 1024  # a PDF report with photos stays well below this

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
        raise read_error(TOO_LARGE)
    if not data.strip():
        raise read_error(EMPTY)
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF") or (b"%PDF-" in data[:1024] and suffix == ".pdf"):
        document = _read_pdf(data, name)
    elif data.startswith(b"PK\x03\x04"):
        document = _read_docx(data, name)
    elif data.startswith(_OLE):
        # Old binary Office (Word .doc, WPS .wps, Excel .xls ...).
        raise read_error(UNSUPPORTED if suffix in (".xls", ".et", ".ppt", ".dps") else OLD_WORD)
    elif data.startswith(b"{\\rtf"):
        raise read_error(UNSUPPORTED)
    elif _is_mht(data):
        document = _read_mht(data, name)
    else:
        body = _strip_bom(data)
        if _HTML_START.match(body) or (suffix in _HTML_NAMES and body.lstrip()[:1] == b"<"):
            document = _read_html(data, name)
        else:
            document = _read_plain(data, name)
    if not document.blocks:
        raise read_error(NO_TEXT)
    return document


def _strip_bom(data: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            # UTF-16 markup is rare; looking at its ASCII bytes is enough for the test.
            rest = data[len(bom) :]
            return rest if bom == b"\xef\xbb\xbf" else rest[:4096].replace(b"\x00", b"")
    return data


__all__ = [
    "EMPTY",
    "ENCODING",
    "ENCRYPTED",
    "MAX_BYTES",
    "MAX_PDF_PAGES",
    "MAX_UNZIPPED_BYTES",
    "NO_TEXT",
    "NO_TEXT_LAYER",
    "OLD_WORD",
    "TOO_LARGE",
    "UNREADABLE",
    "UNSUPPORTED",
    "ReadError",
    "read_bytes",
    "read_path",
    "read_text",
]
