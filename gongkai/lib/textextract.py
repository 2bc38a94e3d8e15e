"""Plain text out of the files agencies publish: TXT, DOCX, PDF and XLSX.

Used by the personal-data scan and, later, to index attachments for search.
"""

from __future__ import annotations

import io
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
            return _pdf(data)
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx(data)
    except UnreadableFile:
        raise
    except Exception as exc:  # every library raises its own kinds for broken files
        raise UnreadableFile(f"{name}: {exc}") from exc
    raise UnreadableFile(f"{name}: unsupported file type")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("neither UTF-8 nor GB18030")  # pragma: no cover - gb18030 decodes anything


def _docx(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


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
