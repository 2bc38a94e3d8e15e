"""Lines of text cut back into rows where the layout was lost (issue #22).

Reports reach the checker as text copied from web pages, crawler archives and HTML
renders: a whole report on one line, a table row glued to the heading before it, a row's
digits running straight into the next row's label (“…数量 5000005二、上年结转…”), a
table's column headers and its figures on one line (“…尚未审结总计100120000000000”).
The extractor reads line by line, so `segment(line, fmt)` cuts a line of text before
every label of the format it finds in it:

- the labels are the format's own (labels.py: row and group labels with their variants,
  column headers, section titles, the captions of section 二), matched on the words of
  the line with width, spaces and punctuation dropped, the longest label first;
- a row or group label is a cut only where a row can start: at the start of the line,
  after a figure (a digit, “/”, “-”), right after another label, or behind its own
  numbering (“（一）”, “二、”, “3.”) after a space or a bar. A label inside a sentence
  (“…，其中予以公开7件”) is not one: narrative text is left as it is;
- a section title counts behind its numbering (“三、收到和处理…”) or at the start of the
  line, and a caption (第二十条第（一）项) wherever a row may start or after a sentence;
  both stand on a line of their own;
- two or more column headers in a row are a header line; figures right after them go on
  a line of their own (table 四's one unlabelled row). Headers run together get a space
  between them;
- after a row label, the row's figures end at the first character that is not part of a
  figure: what follows (a row whose label is misspelt, text) starts a new line.

A line in which no label is found, or only one at its start, comes back unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from gongkai.annual.checking.formats import ReaderFormat, reader_format
from gongkai.annual.checking.labels import Label, LabelSet, normalize, split_numbering

ROW, GROUP, HEADER, HEADING, CAPTION = "row", "group", "header", "heading", "caption"
SHORTEST = 2  # labels of fewer characters are never anchors

_FOLD = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "“": "", "”": ""})
_WORD = re.compile(r"[^\W_]")
_CN = "一二三四五六七八九十"
# The numbering printed right before a label (after normalize-like folding of the text).
_NUMBERING_BEFORE = re.compile(
    rf"(?:[{_CN}]{{1,3}}\s*[、.．,，]|[（(]\s*[{_CN}\d]{{1,3}}\s*[)）]\s*[、.．]?)\s*$"
)
_ARABIC_BEFORE = re.compile(r"(\d+)\s*[.．、]\s*$")
_SEPARATORS = " \t\u3000\xa0|｜"
_ROW_NUMBERING = re.compile(
    rf"(?:\d{{1,2}}\s*[.．、](?!\d)|[（(][{_CN}]{{1,3}}[)）]|[{_CN}]{{1,3}}、)"
)
_FIGURE_CHARS = set("0123456789０１２３４５６７８９/／\\-—－–―")
_SENTENCE_END = set("。；;！？!?：:")
_OPENING = "（(【[〔"
_CLOSING = ")）】]〕"
# A figure (what parse_value reads) after a row label, with what separates figures.
_FIGURES = re.compile(
    r"(?:[\s|｜]*(?:(?:增加|新增|增|减少|减)?[+\-]?[\d０-９]+(?:[.,．，][\d０-９]+)*(?:件|条|个|次|项|篇|份|人次|人|万元|元)?"
    r"|[/／\\]+|[-—－–―]+|无(?=[\s|｜]|$)))+"
)


@dataclass(frozen=True)
class Anchor:
    words: str
    kinds: frozenset[str]
    numbering: str  # the official label's numbering, normalized ("(一)", "1.") or ""


@dataclass(frozen=True)
class _Anchors:
    by_start: dict[str, tuple[Anchor, ...]]  # first two characters → anchors, longest first


def _add(found: dict[str, dict[str, set[str]]], words: str, kind: str, numbering: str) -> None:
    if len(words) < SHORTEST:
        return
    entry = found.setdefault(words, {})
    entry.setdefault(kind, set()).add(numbering)


def _labels(found: dict[str, dict[str, set[str]]], labels: LabelSet, kind: str | None) -> None:
    for words, label in labels.cores:
        _add(found, words, kind or _row_kind(label), _numbering(label))


def _row_kind(label: Label) -> str:
    return GROUP if label.kind == "group" else ROW


def _numbering(label: Label) -> str:
    return split_numbering(normalize(label.official))[0]


def _anchors(fmt: ReaderFormat) -> _Anchors:
    return format_anchors(fmt.id)


@cache
def format_anchors(format_id: str) -> _Anchors:
    """The labels of a format as anchors, by their first two characters."""
    fmt = reader_format(format_id)
    found: dict[str, dict[str, set[str]]] = {}
    _labels(found, fmt.rows, None)
    _labels(found, fmt.headers, HEADER)
    if fmt.sections is not None:
        _labels(found, fmt.sections, HEADING)
    if fmt.captions is not None:
        _labels(found, fmt.captions, CAPTION)
    if fmt.title:
        _add(found, fmt.title, CAPTION, "")
    by_start: dict[str, list[Anchor]] = {}
    for words, kinds in found.items():
        numbering = next((n for ns in kinds.values() for n in sorted(ns) if n), "")
        anchor = Anchor(words, frozenset(kinds), numbering)
        by_start.setdefault(words[:SHORTEST], []).append(anchor)
    return _Anchors(
        {
            start: tuple(sorted(anchors, key=lambda a: -len(a.words)))
            for start, anchors in by_start.items()
        }
    )


def _stream(text: str) -> tuple[str, list[int]]:
    """The word characters of `text` (normalized as labels.core does) and, for each, the
    index of the character of `text` it comes from."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).translate(_FOLD) if not ch.isascii() else ch
        for c in folded:
            if _WORD.match(c):
                chars.append(c)
                where.append(i)
    return "".join(chars), where


@dataclass
class _Hit:
    anchor: Anchor
    start: int  # in the text: where the label's numbering (or its words) starts
    words: int  # in the text: where its words start
    end: int  # in the text: just after its last word character
    kind: str = ""


def _hits(text: str, fmt: ReaderFormat) -> list[_Hit]:
    """Every label of the format in `text`, left to right, the longest at each place."""
    stream, where = _stream(text)
    anchors = _anchors(fmt).by_start
    hits: list[_Hit] = []
    p = 0
    while p < len(stream) - 1:
        for anchor in anchors.get(stream[p : p + SHORTEST], ()):
            if stream.startswith(anchor.words, p):
                end = p + len(anchor.words)
                hits.append(_Hit(anchor, where[p], where[p], where[end - 1] + 1))
                p = end
                break
        else:
            p += 1
    return hits


def _numbered_start(text: str, hit: _Hit) -> int:
    """Where the label's numbering starts, if it is printed right before its words."""
    before = text[: hit.words]
    match = _NUMBERING_BEFORE.search(before)
    if match:
        return match.start()
    # "3." of "3.其他", glued to the figure before it too ("…| 53.补正后…": 5, then 3.).
    number = hit.anchor.numbering.rstrip(".,、")
    arabic = _ARABIC_BEFORE.search(before)
    if arabic and number.isdigit() and arabic.group(1).endswith(number):
        return arabic.end(1) - len(number)
    return -1


def _left(text: str, start: int) -> str:
    """The last character before `start` that is not a separator ("" at the line start)."""
    before = text[:start].rstrip(_SEPARATORS)
    return before[-1] if before else ""


def _spaced(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in _SEPARATORS


def _accept(text: str, hits: list[_Hit]) -> list[_Hit]:
    """The hits where a row, a header line, a heading or a caption may start."""
    accepted: list[_Hit] = []
    last_end = -1
    for n, hit in enumerate(hits):
        kinds = hit.anchor.kinds
        numbered = _numbered_start(text, hit)
        start = numbered if numbered >= 0 else hit.words
        while start > 0 and text[start - 1] in _OPENING:
            start -= 1  # a label in brackets: "（本列数据的勾稽关系为…）"
        left = _left(text, start)
        after_label = last_end >= 0 and not text[last_end:start].strip(_SEPARATORS + _CLOSING)
        at_start = not left
        after_figure = left in _FIGURE_CHARS
        kind = ""
        if HEADER in kinds and (
            _next_is_header(text, hits, n) or (after_label and accepted[-1].kind == HEADER)
        ):
            kind = HEADER
        elif HEADING in kinds and (
            at_start
            or (
                numbered >= 0
                and (after_figure or _spaced(text, start) or left in _SENTENCE_END or after_label)
            )
        ):
            kind = HEADING
        elif CAPTION in kinds and (
            at_start or after_figure or after_label or left in _SENTENCE_END or _spaced(text, start)
        ):
            kind = CAPTION
        elif kinds & {ROW, GROUP}:
            short = len(hit.anchor.words) < 4
            behind_numbering = (
                numbered >= 0 and not short and (_spaced(text, start) or left in "|｜")
            )
            if at_start or after_figure or after_label or behind_numbering:
                kind = GROUP if GROUP in kinds and ROW not in kinds else ROW
        if not kind:
            continue
        hit.kind = kind
        hit.start = start
        accepted.append(hit)
        last_end = hit.end
    return accepted


def _next_is_header(text: str, hits: list[_Hit], n: int) -> bool:
    if n + 1 >= len(hits) or HEADER not in hits[n + 1].anchor.kinds:
        return False
    return not text[hits[n].end : hits[n + 1].words].strip(_SEPARATORS + "()（）")


def _close(text: str, end: int) -> int:
    """The end of a label with the closing brackets (and an unread note) right after it."""
    while end < len(text) and text[end] in _CLOSING + "”’\"'":
        end += 1
    return end


def segment(text: str, fmt: ReaderFormat) -> list[str]:
    """`text` (one line) cut before every label of `fmt` where a row or heading starts."""
    if len(text) < 8:
        return [text]
    hits = _accept(text, _hits(text, fmt))
    if not hits:
        return [text]
    bordered = text.lstrip().startswith(("|", "｜"))
    cuts: list[int] = []
    headers: list[int] = []  # places between two glued headers that get a space
    for n, hit in enumerate(hits):
        if not (hit.kind == HEADER and n > 0 and hits[n - 1].kind == HEADER):
            cuts.append(hit.start)  # a line of headers stays one line
        if hit.kind in (HEADING, CAPTION):
            cuts.append(_close(text, hit.end))
        elif hit.kind == HEADER:
            following = hits[n + 1] if n + 1 < len(hits) else None
            if following is not None and following.kind == HEADER:
                if following.start == hit.end:
                    headers.append(hit.end)
                continue
            # The last header of a line of headers: figures after it are a row of their own.
            rest = text[hit.end :]
            stripped = rest.lstrip(_SEPARATORS + ")）")
            if stripped[:1] in _FIGURE_CHARS:
                cuts.append(hit.end + len(rest) - len(stripped))
        elif hit.kind == GROUP:
            # A group label, then a row whose label was not found: cut at its numbering.
            end = _close(text, hit.end)
            after = text[end:].lstrip(_SEPARATORS)
            if _ROW_NUMBERING.match(after):
                cuts.append(len(text) - len(after))
        elif hit.kind == ROW:
            following_start = hits[n + 1].start if n + 1 < len(hits) else len(text)
            figures = _figures_end(text, _close(text, hit.end), following_start)
            if figures is not None:
                cuts.append(figures)
    pieces: list[str] = []
    bounds = sorted({c for c in cuts if 0 < c < len(text)})
    for a, b in zip([0, *bounds], [*bounds, len(text)], strict=True):
        piece = text[a:b]
        if headers:
            piece = "".join(f"{ch} " if a + i + 1 in headers else ch for i, ch in enumerate(piece))
        piece = piece.strip()
        if not piece.strip(_SEPARATORS):
            continue
        if bordered:
            piece = piece if piece.startswith(("|", "｜")) else f"| {piece}"
            piece = piece if piece.endswith(("|", "｜")) else f"{piece} |"
        pieces.extend(_unfound_rows(piece))
    return pieces or [text]


def _unfound_rows(piece: str) -> list[str]:
    """A piece that starts with a row's numbering but not a label of the format (a label
    misspelt): its figures end at the first non-figure too, and so on for what follows."""
    out: list[str] = []
    while _ROW_NUMBERING.match(piece.lstrip(_SEPARATORS)):
        number = _ROW_NUMBERING.match(piece.lstrip(_SEPARATORS))
        offset = len(piece) - len(piece.lstrip(_SEPARATORS)) + (number.end() if number else 0)
        first = re.search(r"[\s|｜](?=[\d０-９/／—－-])", piece[offset:])
        if first is None:
            break
        cut = _figures_end(piece, offset + first.start(), len(piece))
        if cut is None:
            break
        head, piece = piece[:cut].rstrip(), piece[cut:].strip()
        out.append(head)
    if piece.strip():
        out.append(piece)
    return out


def _figures_end(text: str, start: int, end: int) -> int | None:
    """Where a row's figures stop: the first character after them that is not part of a
    figure, if the figures begin right after the label (its notes allowed), else None."""
    rest = text[start:end]
    first = re.search(r"[\d０-９/／\\—－–―]|(?<![\w])-", rest)
    if first is None:
        return None
    if rest[: first.start()].strip(_SEPARATORS) and not _note_only(rest[: first.start()]):
        return None
    match = _FIGURES.match(rest, first.start())
    if match is None:
        return None
    stop = match.end()
    if rest[stop : stop + 1] in (".", "．", "、") and not rest[stop + 1 : stop + 2].isdigit():
        # "… | 4 4.保护第三方…": the last "figure" is the next row's numbering.
        last = max(rest.rfind(c, first.start(), stop) for c in _SEPARATORS)
        if last < first.start():
            return None
        stop = last + 1
    if not rest[stop:].strip(_SEPARATORS):
        return None
    return start + stop


def _note_only(text: str) -> bool:
    """Text between a label and its figures that is a note: “（…）”, "：…" or a unit."""
    text = text.strip(_SEPARATORS)
    return bool(re.fullmatch(r"[（(【\[].*[)）】\]]|[:：].{0,20}|(?:件|条|个|项|万元|元)", text))
