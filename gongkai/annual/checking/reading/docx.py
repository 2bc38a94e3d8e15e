"""DOCX: the body in order, paragraphs and tables, list numbers put back."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from gongkai.annual.checking.document import Block, Document, Paragraph
from gongkai.annual.checking.reading.cleaning import (
    MAX_COLSPAN,
    NO_CELL,
    Cell,
    _cell,
    _finish_table,
    _int,
    _lines,
    _span,
)
from gongkai.annual.checking.reading.errors import (
    TOO_LARGE,
    UNREADABLE,
    UNSUPPORTED,
    read_error,
)

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a DOCX that unpacks to more is a "zip bomb"

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
        raise read_error(UNREADABLE) from exc
    if not any(n.startswith("word/") for n in names):
        raise read_error(UNSUPPORTED)  # a spreadsheet, an OpenDocument file, a plain zip ...
    if size > MAX_UNZIPPED_BYTES:
        raise read_error(TOO_LARGE)
    import docx

    try:
        word = docx.Document(io.BytesIO(data))
        body = word.element.body
        numbers = _Numbering(word)
    except Exception as exc:  # python-docx and lxml raise their own kinds for broken files
        raise read_error(UNREADABLE) from exc
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
