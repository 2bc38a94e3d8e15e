"""Plain text out of the files agencies publish: TXT, DOCX, PDF and XLSX.

Used by the personal-data scan and, later, to index attachments for search.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


class UnreadableFile(Exception):
    """The file's type is not supported or its content cannot be read."""


def extract_text(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".txt", ".csv", ".md", ".html", ".htm"):
            return _decode(data)
        if suffix == ".docx":
            return _docx(data)
        if suffix == ".pdf":
            return _limited(_pdf(data), name)
        if suffix in (".xlsx", ".xlsm"):
            return _limited(_xlsx(data), name)
    except UnreadableFile:
        raise
    except Exception as exc:  # every library raises its own kinds for broken files
        raise UnreadableFile(f"{name}: {exc}") from exc
    raise UnreadableFile(f"{name}: unsupported file type")


def _limited(text: str, name: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableFile(f"{name}: more text than one attachment may hold")
    return text


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("neither UTF-8 nor GB18030")  # pragma: no cover - gb18030 decodes anything


# A DOCX or XLSX is a zip: refuse one that unpacks to more than this (a "zip bomb"), and
# text longer than what a person publishes in one attachment.
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
        raise UnreadableFile(f"{name}: unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB")
    return archive


def _docx(data: bytes) -> str:
    """Paragraph and table-cell text of word/document.xml, read as a stream of XML events
    (fast and flat in memory even for documents with millions of elements)."""
    from lxml import etree  # type: ignore[import-untyped]

    archive = _check_zip(data, "docx")
    parts: list[str] = []
    line: list[str] = []
    size = 0
    with archive.open("word/document.xml") as xml:
        for event, element in etree.iterparse(xml, events=("end",), resolve_entities=False):
            del event
            if element.tag == _W + "t" and element.text:
                line.append(element.text)
                size += len(element.text)
            elif element.tag in (_W + "tab", _W + "tc"):
                line.append("\t")
            elif element.tag in (_W + "p", _W + "tr"):
                if line:
                    parts.append("".join(line).strip("\t"))
                    line = []
                element.clear()
            if size > MAX_TEXT_CHARS:
                raise UnreadableFile("docx: more text than one attachment may hold")
    return "\n".join(p for p in parts if p)


def _pdf(data: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(pages)
    finally:
        pdf.close()


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    _check_zip(data, "xlsx")
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        lines = []
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [str(c) for c in row if c is not None]
                if cells:
                    lines.append("\t".join(cells))
        return "\n".join(lines)
    finally:
        workbook.close()
