"""Find personal data and sensitive words in text before it is published.

Pure functions. Each kind of finding is confirmed by its own rule, not by its shape only,
to keep false alarms on 文号, dates, amounts and 统一社会信用代码 low:
- 居民身份证 numbers: 18 characters with a valid check character and birth date
  (python-stdnum);
- bank card numbers: 16–19 digits (groups of four may be spaced) with a card-scheme
  prefix and a valid Luhn digit, and not a valid 统一社会信用代码;
- mobile numbers: 11 digits starting 13–19; landlines: an area code with a separator;
- e-mail addresses;
- names only where a label introduces them (姓名：张三);
- words from the administrator's sensitive-word list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stdnum import luhn
from stdnum.cn import ric, uscc


class Kind:
    ID_NUMBER = "id_number"
    BANK_CARD = "bank_card"
    MOBILE = "mobile"
    LANDLINE = "landline"
    EMAIL = "email"
    NAME = "name"
    SENSITIVE = "sensitive_word"


# Earlier kinds win where matches overlap (an ID number contains mobile-like runs).
PRIORITY = [
    Kind.ID_NUMBER,
    Kind.BANK_CARD,
    Kind.EMAIL,
    Kind.MOBILE,
    Kind.LANDLINE,
    Kind.NAME,
    Kind.SENSITIVE,
]


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int

    @property
    def masked(self) -> str:
        return mask(self.kind, self.text)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}


_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9A-Za-z])")
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(?:0\d{2,3}-|[（(]0\d{2,3}[)）]\s?)\d{7,8}(?:-\d{1,6})?(?![0-9A-Za-z])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_NAME = re.compile(r"(?:姓名|申请人|联系人|当事人|被处罚人)\s*[:：]\s*([\u4e00-\u9fa5·]{2,5})")
_CARD_PREFIX = re.compile(r"^(?:62|4|5[1-5]|2[2-7]|3[47]|35|6011|65)")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _id_numbers(text: str) -> Iterable[Finding]:
    for m in _ID.finditer(text):
        if ric.is_valid(m.group()):
            yield Finding(Kind.ID_NUMBER, m.group(), m.start(), m.end())


def _bank_cards(text: str) -> Iterable[Finding]:
    for m in _CARD.finditer(text):
        digits = _digits(m.group())
        if not 16 <= len(digits) <= 19 or not _CARD_PREFIX.match(digits):
            continue
        if len(digits) == 18 and (uscc.is_valid(digits) or ric.is_valid(digits)):
            continue
        if luhn.is_valid(digits):
            yield Finding(Kind.BANK_CARD, m.group(), m.start(), m.end())


def _simple(pattern: re.Pattern[str], kind: str, text: str) -> Iterable[Finding]:
    for m in pattern.finditer(text):
        yield Finding(kind, m.group(), m.start(), m.end())


def _names(text: str) -> Iterable[Finding]:
    for m in _NAME.finditer(text):
        yield Finding(Kind.NAME, m.group(1), m.start(1), m.end(1))


def _words(text: str, words: Iterable[str]) -> Iterable[Finding]:
    for word in {w.strip() for w in words if w.strip()}:
        start = text.find(word)
        while start != -1:
            yield Finding(Kind.SENSITIVE, word, start, start + len(word))
            start = text.find(word, start + len(word))


def find_personal_data(text: str, sensitive_words: Iterable[str] = ()) -> list[Finding]:
    """Every finding in `text`, in reading order, overlapping matches resolved by PRIORITY."""
    candidates = [
        *_id_numbers(text),
        *_bank_cards(text),
        *_simple(_EMAIL, Kind.EMAIL, text),
        *_simple(_MOBILE, Kind.MOBILE, text),
        *_simple(_LANDLINE, Kind.LANDLINE, text),
        *_names(text),
        *_words(text, sensitive_words),
    ]
    candidates.sort(key=lambda f: (PRIORITY.index(f.kind), f.start))
    taken: list[Finding] = []
    for finding in candidates:
        if all(finding.end <= t.start or finding.start >= t.end for t in taken):
            taken.append(finding)
    return sorted(taken, key=lambda f: f.start)


def mask(kind: str, text: str) -> str:
    """去标识化: keep just enough to tell items apart."""
    if kind == Kind.ID_NUMBER:
        return text[:4] + "*" * (len(text) - 8) + text[-4:]
    if kind == Kind.BANK_CARD:
        digits = _digits(text)
        return "*" * (len(digits) - 4) + digits[-4:]
    if kind == Kind.MOBILE:
        digits = _digits(text)[-11:]
        return digits[:3] + "****" + digits[-4:]
    if kind == Kind.LANDLINE:
        return text[:-4] + "****"
    if kind == Kind.EMAIL:
        local, _, domain = text.partition("@")
        return local[:1] + "***@" + domain
    if kind == Kind.NAME:
        return text[:1] + "*" * (len(text) - 1)
    return "*" * len(text)


def mask_text(text: str, findings: Iterable[Finding]) -> str:
    """`text` with the given findings replaced by their masked forms."""
    result, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        result.append(text[position : finding.start])
        result.append(finding.masked)
        position = finding.end
    result.append(text[position:])
    return "".join(result)
