"""Text that any generated file can hold: DOCX, XLSX and PDF writers all take it.

Applicants type names and requests into the portal, and reports are pasted from Word;
either may carry characters that the file formats refuse. XML 1.0 (inside every DOCX and
XLSX) forbids C0 controls other than tab, newline and carriage return, lone surrogates and
U+FFFE/U+FFFF, and python-docx and openpyxl raise on them, which used to turn an export
into a server error. UTF-8 cannot encode a lone surrogate at all, so the PDF and HTML
writers fail on it too. `for_files` is applied where text enters a file; it leaves every
printable character alone (emoji and the CJK extension planes included), so a name comes
out as it was typed minus what no reader could display anyway.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls except tab (09) and newline (0A); carriage return is folded into newlines
# below. DEL and the C1 controls (80–9F) are allowed by XML but print as boxes or nothing
# and have no meaning in a letter or a table, so they go too.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Lone surrogates (only possible in str built from broken input, e.g. surrogateescape).
_SURROGATES = "\ud800-\udfff"
# The 66 noncharacters: U+FDD0–FDEF and the last two code points of every plane.
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_REMOVED = re.compile(f"[{_CONTROLS}{_SURROGATES}{_NONCHARACTERS}]")
# U+2028/U+2029 are line and paragraph separators: Word and Excel show them as nothing or
# a box, so they become ordinary newlines; \r\n and a lone \r likewise.
_NEWLINES = re.compile("\r\n|[\r\u2028\u2029]")


def for_files(text: str) -> str:
    """`text` without the characters a DOCX, XLSX, HTML or PDF writer cannot take."""
    if text.isascii() and text.isprintable():  # the common case costs one scan
        return text
    return _REMOVED.sub("", _NEWLINES.sub("\n", text))


def value_for_files(value: Any) -> Any:
    """A spreadsheet cell's value: text through `cell_text` (cleaned, never a formula),
    anything else unchanged."""
    return cell_text(value) if isinstance(value, str) else value


def row_for_files(values: list[Any]) -> list[Any]:
    """A row of cell values, each through `value_for_files`."""
    return [value_for_files(value) for value in values]


# What Excel and LibreOffice take for the start of a formula (or of DDE), also after the
# characters for_files removes.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell_text(value: str) -> str:
    """Text for a spreadsheet cell that no spreadsheet runs as a formula: cleaned by
    `for_files`, then prefixed with an apostrophe when it begins like a formula."""
    value = for_files(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def cell_value(value: Any) -> Any:
    """A cell's value: text through `cell_text`, anything else unchanged."""
    return cell_text(value) if isinstance(value, str) else value


def cells(values: list[Any]) -> list[Any]:
    return [cell_value(value) for value in values]
