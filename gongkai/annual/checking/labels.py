"""Printed labels matched against the format's, tolerant of the variants reports print.

Reports retype the fixed labels of the format: full- or half-width brackets, spaces inside
words ("商业 企业"), numbering kept or dropped ("（一）予以公开" / "予以公开"), 、 for ，,
one character changed (情况 for 情形, 内容 for 内部), an explanatory note added (Hubei 2020:
"规章（设区的市、自治州人民政府应提供相关数据）", "现行有效件数 (历史累计)"), a long label
cut short where it wraps. A `LabelSet` finds the official label in that order:

1. the same words: `core()` drops width, spaces, punctuation and the leading numbering;
   a label without its official note ("（二）部分公开") counts as the same words;
2. a number alone ("3.") under the current group: that group's third row;
3. the same words once the printed note is dropped (an edit: the note was added; with
   `loose`, a note after a colon too); a note cut short where it wraps is no edit;
4. a few characters different (an edit), by edit distance on the core, more allowed for
   longer labels (none below four characters: 规章, 总计, 其他 must be exact);
5. (loose, for rows that carry figures) the printed core inside the official one or the
   reverse ("规范性文件" for "行政规范性文件": an edit; a cut-short label: not an edit).

A match is an *edit* when the printed words differ from the official ones; differences of
width, spaces, punctuation and numbering, and a cut-short label, are not edits.

Where several official labels fit (pre-2019 "（二）被依法纠错数" under both 行政复议 and
行政诉讼), the one under the current group (`scope`, the last group label seen) wins.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from gongkai.lib.report_format import format_spec

_SPACES = re.compile(r"\s+")
# Leading numbering, after normalize(): 一、 (一) 1. 1、 (1) and 其中: (repeated: "三、(一)").
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.,]"
    r"|\([一二三四五六七八九十]{1,3}\)[、.,]?"
    r"|\(\d{1,2}\)[、.,]?"
    r"|\d{1,2}(?:[、,]|\.(?!\d))"
    r"|其中[:,]?)+"
)
_ARABIC_NUMBER = re.compile(r"(\d{1,2})\D*$")
_NOTE = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]")
_OPEN_NOTE = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*$")
_COLON_NOTE = re.compile(r"[:：].*$")
_NOT_WORD = re.compile(r"[\W_]+")
# Characters NFKC leaves alone but reports use interchangeably.
_FOLD = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "、": ",", "“": "", "”": ""})
_CACHE_LIMIT = 50_000


def normalize(label: str) -> str:
    """Half-width, without spaces, brackets folded to ( ), 、 to ",", quotes dropped."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", label).translate(_FOLD))


def split_numbering(label: str) -> tuple[str, str]:
    """(numbering, rest) of a normalized label: ("(一)", "予以公开")."""
    match = _NUMBERING.match(label)
    if not match:
        return "", label
    return match.group(0), label[match.end() :]


def strip_notes(text: str) -> str:
    """A normalized label without its parenthesised notes (an unclosed one included)."""
    previous = None
    while previous != text:
        previous, text = text, _NOTE.sub("", text)
    return _OPEN_NOTE.sub("", text)


@lru_cache(maxsize=8192)
def core(label: str) -> str:
    """The words of a label: no width, spaces, punctuation or leading numbering."""
    return _NOT_WORD.sub("", split_numbering(normalize(label))[1])


def _short(label: str) -> str:
    """The words of a label without its notes."""
    return _NOT_WORD.sub("", strip_notes(split_numbering(normalize(label))[1]))


def short_words(label: str) -> str:
    """The words of a label without its notes ("（二）部分公开（区分处理的…）" → 部分公开)."""
    return _short(label)


def allowed_edits(length: int) -> int:
    """How many characters a printed label may differ by, for an official core this long."""
    if length < 4:
        return 0
    if length < 10:
        return 1
    if length < 20:
        return 2
    return 3


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance of a and b, two neighbours swapped counting as one edit ("秘国家"
    for "国家秘": optimal string alignment), or limit + 1 once it is known to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        best = i
        for j, other in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other and char != other:
                value = min(value, before[j - 2] + 1)
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class Label:
    """An official label: a row, a column (or column group), a section title, an item."""

    key: str
    official: str
    table: str = ""
    parent: str | None = None
    kind: str = "data"  # "data" or "group"
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    label: Label
    printed: str
    edited: bool  # the printed words differ from the official ones

    @property
    def key(self) -> str:
        return self.label.key


class LabelSet:
    """Official labels, indexed once by their words, matched by `match()`."""

    def __init__(self, labels: Iterable[Label]) -> None:
        self.labels = tuple(labels)
        self.exact: dict[str, list[Label]] = {}
        self.shorts: set[tuple[str, str]] = set()  # (core, key) of a label's note-less form
        self.cores: list[tuple[str, Label]] = []
        self.parents = {label.key: label.parent for label in self.labels}
        self.words = {label: core(label.official) for label in self.labels}
        self.children: dict[str | None, list[Label]] = {}
        for label in self.labels:
            self.children.setdefault(label.parent, []).append(label)
            words = {core(label.official)} | {core(v) for v in label.variants}
            words.discard("")
            for word in sorted(words):
                self._add(word, label)
                self.cores.append((word, label))
            short = _short(label.official)
            if short and short not in words:
                self._add(short, label)
                self.shorts.add((short, label.key))
                self.cores.append((short, label))
        self.longest = max((len(word) for word, _ in self.cores), default=0)
        self._cache: dict[tuple[str, str | None, int], Match | None] = {}

    def _add(self, word: str, label: Label) -> None:
        found = self.exact.setdefault(word, [])
        if label not in found:
            found.append(label)

    def ancestors(self, scope: str | None) -> list[str]:
        chain: list[str] = []
        while scope is not None and scope not in chain:
            chain.append(scope)
            scope = self.parents.get(scope)
        return chain

    def _pick(self, found: list[Label], scope: str | None) -> Label | None:
        """One of several fitting labels: the one nearest the scope, else the first."""
        if not found:
            return None
        if len(found) == 1 or scope is None:
            return found[0]
        for ancestor in self.ancestors(scope):
            for label in found:
                if label.parent == ancestor or label.key == ancestor:
                    return label
        return found[0]

    def match(
        self, printed: str, scope: str | None = None, *, loose: bool = False, exact: bool = False
    ) -> Match | None:
        """The official label `printed` stands for; `exact`: the same words only (steps 1
        and 2), `loose`: step 5 too."""
        key = (printed, scope, 2 if loose else 0 if exact else 1)
        if key in self._cache:
            return self._cache[key]
        result = self._match(printed, scope, loose, exact)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _match(self, printed: str, scope: str | None, loose: bool, exact: bool) -> Match | None:
        text = normalize(printed)
        numbering, rest = split_numbering(text)
        words = _NOT_WORD.sub("", rest)
        printed = printed.strip()
        if not words:
            return self._numbered(numbering, printed, scope)
        label = self._pick(self.exact.get(words, []), scope)
        if label is not None:
            return Match(label, printed, edited=False)
        if exact:
            return None
        short = _NOT_WORD.sub("", strip_notes(rest))
        if short and short != words:
            label = self._pick(self.exact.get(short, []), scope)
            if label is not None:
                # A note cut short where the label wraps is no edit; another note is.
                return Match(label, printed, edited=not self.words[label].startswith(words))
        if loose:
            # A note after a colon: "行政许可：含…".
            head = _NOT_WORD.sub("", _COLON_NOTE.sub("", strip_notes(rest)))
            if head and head not in (words, short):
                label = self._pick(self.exact.get(head, []), scope)
                if label is not None:
                    return Match(label, printed, edited=True)
        if len(words) > self.longest + 3:
            return None
        label = self._nearest(words, scope)
        if label is not None:
            return Match(label, printed, edited=True)
        if loose:
            return self._contained(words, printed, scope)
        return None

    def _numbered(self, numbering: str, printed: str, scope: str | None) -> Match | None:
        number = _ARABIC_NUMBER.search(numbering)
        if not number or scope is None:
            return None
        children = [c for c in self.children.get(scope, []) if c.kind == "data"]
        index = int(number.group(1)) - 1
        if 0 <= index < len(children):
            return Match(children[index], printed, edited=False)
        return None

    def _nearest(self, words: str, scope: str | None) -> Label | None:
        best: list[Label] = []
        best_distance = 0
        for word, label in self.cores:
            limit = allowed_edits(len(word))
            if not limit or abs(len(word) - len(words)) > limit:
                continue
            found = distance(words, word, limit)
            if found > limit:
                continue
            if not best or found < best_distance:
                best, best_distance = [label], found
            elif found == best_distance and label not in best:
                best.append(label)
        if len(best) > 1:
            chain = self.ancestors(scope)
            near = [label for label in best if label.parent in chain]
            return near[0] if len(near) == 1 else None
        return best[0] if best else None

    def _contained(self, words: str, printed: str, scope: str | None) -> Match | None:
        if len(words) < 3:
            return None
        found: list[tuple[Label, bool]] = []
        for word, label in self.cores:
            if words in word and len(words) * 2 >= len(word):
                found.append((label, word.startswith(words)))
            elif word in words and len(word) >= 3 and len(word) * 2 >= len(words):
                found.append((label, False))
        labels = list(dict.fromkeys(label for label, _ in found))
        if not labels:
            return None
        if len(labels) > 1:
            near = [label for label in labels if label.parent in self.ancestors(scope)]
            if len(near) != 1:
                return None
            labels = near
        label = labels[0]
        cut_short = any(lab == label and prefix for lab, prefix in found)
        return Match(label, printed, edited=not cut_short)


def match_row(
    printed: str, candidates: LabelSet, scope: str | None = None, *, loose: bool = False
) -> tuple[str, str | None] | None:
    """(key, the official label if the printed one is an edit of it, else None), or None."""
    found = candidates.match(printed, scope, loose=loose)
    if found is None:
        return None
    return found.key, found.label.official if found.edited else None


# ---- the labels of the formats -------------------------------------------------------


def _row_labels(table: dict[str, Any]) -> list[Label]:
    return [
        Label(
            key=row["key"],
            official=row["label"],
            table=table["id"],
            parent=row.get("parent"),
            kind=row.get("kind", "data"),
            variants=tuple(row.get("label_variants", ())),
        )
        for row in table["rows"]
        if row["label"]
    ]


@cache
def table_rows(format_id: str, table_id: str) -> LabelSet:
    """The row labels of one table of a format ("2021" or "2019")."""
    table = next(t for t in format_spec(format_id)["tables"] if t["id"] == table_id)
    return LabelSet(_row_labels(table))


@cache
def format_rows(format_id: str) -> LabelSet:
    """The row labels of every table of a format, each with its table."""
    return LabelSet(
        label for table in format_spec(format_id)["tables"] for label in _row_labels(table)
    )


def _header_labels(table: dict[str, Any]) -> list[Label]:
    labels = [
        Label(key=c["key"], official=c["label"], table=table["id"], parent=c.get("parent"))
        for c in table["columns"]
    ]
    labels += [
        Label(key=g["key"], official=g["label"], table=table["id"], kind="group")
        for g in table.get("column_groups", [])
    ]
    for extra in ("row_header_label", "corner_note"):
        if table.get(extra):
            labels.append(Label(key="", official=table[extra], table=table["id"], kind="group"))
    return labels


@cache
def table_headers(format_id: str, table_id: str) -> LabelSet:
    """The column headers of one table: columns, column groups, the corner cells."""
    table = next(t for t in format_spec(format_id)["tables"] if t["id"] == table_id)
    return LabelSet(_header_labels(table))


@cache
def format_headers(format_id: str) -> LabelSet:
    return LabelSet(
        label for table in format_spec(format_id)["tables"] for label in _header_labels(table)
    )


@cache
def section_titles(format_id: str) -> LabelSet:
    """The six section titles and their variants, keyed by section key."""
    return LabelSet(
        Label(key=s["key"], official=s["title"], variants=tuple(s.get("title_variants", ())))
        for s in format_spec(format_id)["sections"]
    )


@cache
def table_captions(format_id: str) -> LabelSet:
    """The captions of the blocks of section 二 (第二十条第（一）项 …), keyed by table id."""
    spec = format_spec(format_id)
    two = next(s for s in spec["sections"] if s["key"] == "proactive")
    return LabelSet(
        Label(key=t["id"], official=t["title"], table=t["id"])
        for t in spec["tables"]
        if t["id"] in two["tables"]
    )


# ---- the pre-2019 statistics table (政府信息公开情况统计表) ---------------------------

PRE2019 = "pre2019"


@cache
def pre2019_statistics() -> dict[str, Any]:
    """gongkai/data/pre2019_statistics.json: the items of the table, keys and labels."""
    text = resources.files("gongkai.data").joinpath("pre2019_statistics.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def pre2019_items() -> LabelSet:
    return LabelSet(
        Label(
            key=item["key"],
            official=item["label"],
            table=PRE2019,
            parent=item.get("parent"),
            kind=item.get("kind", "data"),
            variants=tuple(item.get("label_variants", ())),
        )
        for item in pre2019_statistics()["items"]
    )
