"""Find personal data and sensitive words in text before it is published.

Pure functions. Each kind of finding is confirmed by its own rule, or by the label in
front of it, not by its shape only, to keep false alarms on 文号, dates, amounts and
统一社会信用代码 low:
- 居民身份证 numbers: 18 characters with a valid check character and birth date
  (python-stdnum), or 15 digits (first generation) with a valid birth date; after an ID
  label (身份证号, 公民身份号码, 证件号码 …) any 15 or 18-character number, whatever its
  checksum (a typo in the check digit is still personal data);
- passports and other certificates (通行证, 军官证, 驾驶证, 社会保障卡 …) after their labels;
- addresses after 住址, 家庭住址, 现住址, 户籍地址, 居住地址, to the end of the address;
- bank card numbers: 16–19 digits (spaces or dashes between groups allowed) with a
  card-scheme prefix and a valid Luhn digit, and not a valid 统一社会信用代码; after a card
  label (银行卡号, 卡号) whatever the Luhn digit;
- mobile numbers: 11 digits starting 13–19, spaces or dashes allowed between digit groups;
  landlines: an area code with a separator;
- e-mail addresses;
- names only where a label introduces them (姓名：张三, 来电人：张三);
- words from the administrator's sensitive-word list.

A label that says a number is something else (档案号, 案卷号, 文号, 统一社会信用代码,
不动产单元号 …) suppresses a number match in front of which it stands, unless a personal
label stands closer: a checksum alone is weak evidence (one random number in eleven with
a plausible date passes it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from stdnum import luhn
from stdnum.cn import ric, uscc


class Kind:
    ID_NUMBER = "id_number"
    PASSPORT = "passport"
    CERTIFICATE = "certificate"
    BANK_CARD = "bank_card"
    MOBILE = "mobile"
    LANDLINE = "landline"
    EMAIL = "email"
    ADDRESS = "address"
    NAME = "name"
    SENSITIVE = "sensitive_word"


# Earlier kinds win where matches overlap (an ID number contains mobile-like runs).
PRIORITY = [
    Kind.ID_NUMBER,
    Kind.PASSPORT,
    Kind.CERTIFICATE,
    Kind.BANK_CARD,
    Kind.EMAIL,
    Kind.MOBILE,
    Kind.LANDLINE,
    Kind.ADDRESS,
    Kind.NAME,
    Kind.SENSITIVE,
]
# Kinds whose match is a number that a negative label may explain away.
NUMBER_KINDS = {Kind.ID_NUMBER, Kind.BANK_CARD, Kind.MOBILE, Kind.LANDLINE}


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


# Between a label and its value: spaces, a colon, 为/是, a bracketed note like （18位）.
_GAP = r"[ \t\u3000]*(?:[（(][^）)\n]{0,8}[）)])?[ \t\u3000]*(?:[:：]|为|是)?[ \t\u3000]*"
_ID_LABEL = r"(?:公民身份号码|身份证编号|居民身份证号码|居民身份证号|身份证号码|身份证件号码|身份证号|身份证|身份号码|证件号码|证件号)"
_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_LABELLED_ID = re.compile(
    _ID_LABEL + _GAP + r"(?P<value>\d{6} ?\d{8} ?\d{3}[\dXx]|\d{6} ?\d{6} ?\d{3})(?![0-9A-Za-z])"
)
_PASSPORT = re.compile(
    r"(?:护照号码|护照号|护照)" + _GAP + r"(?P<value>[A-Za-z]{1,2}\d{7,8})(?![0-9A-Za-z])"
)
_CERTIFICATE = re.compile(
    r"(?:港澳居民来往内地通行证|往来港澳通行证|港澳通行证|台湾居民来往大陆通行证|台胞证|"
    r"军官证|士兵证|警官证|机动车驾驶证|驾驶证号|驾驶证|社会保障卡号|社保卡号|社会保障号码|"
    r"居住证号|居住证|残疾人证号?|出生医学证明编号)(?:号码|编号|号)?"
    + _GAP
    + r"(?P<value>[A-Za-z]{0,2}\d[\dA-Za-z]{5,19})(?![0-9A-Za-z])"
)
_ADDRESS = re.compile(
    r"(?:家庭住址|现住址|户籍地址|户籍所在地|居住地址|现居住地|住址)"
    + _GAP
    + r"(?P<value>[\u4e00-\u9fa5A-Za-z0-9\-－—#＃（）()·]{3,80})"
)
# Where an address ends although no punctuation says so: the next label.
_ADDRESS_END = re.compile(
    r"(?:联系电话|电话|手机|联系方式|身份证|公民身份|证件号|邮编|邮政编码|邮箱|电子邮箱|性别|出生|民族)"
)
_CARD = re.compile(r"(?<![0-9A-Za-z])\d{4,6}(?:[ -]?\d{2,6}){2,5}(?![0-9A-Za-z])")
_CARD_LABEL = re.compile(r"(?:银行卡号|银行卡|借记卡号|信用卡号|卡号)" + _GAP + r"$")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d){8}(?![0-9A-Za-z])")
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(?:0\d{2,3}[- ]|[（(]0\d{2,3}[)）]\s?)\d{3,4}[- ]?\d{4}(?:-\d{1,6})?"
    r"(?![0-9A-Za-z])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 来电人, 来信人 … introduce the sender of a hotline or mailbox message (records.Message).
_NAME = re.compile(
    r"(?:姓名|申请人|联系人|当事人|被处罚人|来电人|来信人|留言人|反映人|诉求人|投诉人|举报人)"
    r"\s*[:：]\s*([\u4e00-\u9fa5·]{2,5})"
)
_CARD_PREFIX = re.compile(r"^(?:62|4|5[1-5]|2[2-7]|3[47]|35|6011|65)")
# Labels that say the number after them is not personal data.
_NEGATIVE_LABEL = re.compile(
    r"(?:档案号|档案编号|案卷号|卷宗号|文号|发文字号|批准文号|统一社会信用代码|信用代码|"
    r"组织机构代码|纳税人识别号|税号|不动产单元号|不动产权证号|不动产权证书号|宗地号|宗地代码|"
    r"索引号|合同编号|合同号|项目编号|项目代码|订单号|流水号|许可证号|许可证编号|登记证号|"
    r"注册号|备案号|证书编号|标段编号|采购编号|批次号|编号|序列号|条形码)" + _GAP + r"$"
)
_POSITIVE_LABEL = re.compile(
    r"(?:" + _ID_LABEL[3:-1] + r"|银行卡号|卡号|手机号码|手机号|手机|电话|联系方式)" + _GAP + r"$"
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _before(text: str, start: int, span: int = 24) -> str:
    """The text on the same line just before `start`."""
    head = text[max(0, start - span) : start]
    return head.rsplit("\n", 1)[-1]


def _explained_away(text: str, start: int) -> bool:
    """A negative label (档案号 …) stands right before `start`, and no personal label."""
    head = _before(text, start)
    return bool(_NEGATIVE_LABEL.search(head)) and not _POSITIVE_LABEL.search(head)


def _valid_15(number: str) -> bool:
    """A first-generation ID: a region code and a birth date 19YYMMDD."""
    if number[0] == "0":
        return False
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def _labelled(pattern: re.Pattern[str], kind: str, text: str) -> Iterable[Finding]:
    for m in pattern.finditer(text):
        yield Finding(kind, m.group("value"), m.start("value"), m.end("value"))


def _id_numbers(text: str) -> Iterable[Finding]:
    yield from _labelled(_LABELLED_ID, Kind.ID_NUMBER, text)
    for m in _ID.finditer(text):
        if ric.is_valid(m.group()):
            yield Finding(Kind.ID_NUMBER, m.group(), m.start(), m.end())
    for m in _ID15.finditer(text):
        if _valid_15(m.group()):
            yield Finding(Kind.ID_NUMBER, m.group(), m.start(), m.end())


def _addresses(text: str) -> Iterable[Finding]:
    for m in _ADDRESS.finditer(text):
        value, start = m.group("value"), m.start("value")
        cut = _ADDRESS_END.search(value)
        if cut is not None:
            value = value[: cut.start()]
        elif text[m.end("value") : m.end("value") + 1] in ("*", "＊"):
            continue  # masked already (青山县****)
        if len(value) >= 3:
            yield Finding(Kind.ADDRESS, value, start, start + len(value))


def _bank_cards(text: str) -> Iterable[Finding]:
    for m in _CARD.finditer(text):
        digits = _digits(m.group())
        if not 16 <= len(digits) <= 19:
            continue
        if _CARD_LABEL.search(_before(text, m.start())):
            yield Finding(Kind.BANK_CARD, m.group(), m.start(), m.end())
            continue
        if not _CARD_PREFIX.match(digits):
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
        *_labelled(_PASSPORT, Kind.PASSPORT, text),
        *_labelled(_CERTIFICATE, Kind.CERTIFICATE, text),
        *_bank_cards(text),
        *_simple(_EMAIL, Kind.EMAIL, text),
        *_simple(_MOBILE, Kind.MOBILE, text),
        *_simple(_LANDLINE, Kind.LANDLINE, text),
        *_addresses(text),
        *_names(text),
        *_words(text, sensitive_words),
    ]
    candidates = [
        f for f in candidates if f.kind not in NUMBER_KINDS or not _explained_away(text, f.start)
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
    if kind in (Kind.PASSPORT, Kind.CERTIFICATE):
        return text[:1] + "*" * (len(text) - 3) + text[-2:]
    if kind == Kind.ADDRESS:
        # Keep the county or district (青山县…), hide the street and the number.
        unit = re.search(r"^.{0,12}?[省市区县旗镇乡]", text)
        keep = unit.group() if unit else text[:2]
        return keep + "****"
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
