"""Plain text: the encoding found (UTF-8, GB18030, Big5; UTF-16 with its BOM), implausible
decodings refused."""

from __future__ import annotations

import re

from gongkai.annual.checking.document import Document
from gongkai.annual.checking.reading.cleaning import (
    _newlines,
)
from gongkai.annual.checking.reading.errors import (
    ENCODING,
    UNSUPPORTED,
    ReadError,
    read_error,
)

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
            raise read_error(ENCODING) from exc
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
    raise read_error(ENCODING)


def _read_plain(data: bytes, name: str) -> Document:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise read_error(UNSUPPORTED)  # a binary file (an image, an archive ...)
    try:
        text = _decode(data)
    except ReadError:
        import filetype

        if filetype.guess(data[:8192]) is not None:
            raise read_error(UNSUPPORTED) from None
        raise
    return Document.from_text(_newlines(text), name)
