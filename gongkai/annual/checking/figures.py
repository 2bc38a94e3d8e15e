"""Figures a report states in its text: 共收到申请N件, 主动公开政府信息N条, 行政复议N件 …

`narrative_figures(text)` returns {key: {"value": n, "quote": sentence}} for the figures
checks.py compares with the tables:

    applications_received  收到/受理/新收…申请 N 件, 收到 N 件…申请
    carried_over           上年结转 N 件
    carried_forward        结转下年度 N 件, N 件结转下一年度
    applications_closed    办结/答复/办理完毕 N 件
    proactive_published    主动公开…政府信息 N 条
    reviews, lawsuits      行政复议 N 件, 行政诉讼 N 件; 0 for "无行政复议", "未发生…行政诉讼"
    fees                   收取…费 N 元 / N 万元, in 元 ("unit": "元"); 0 for "未收取…费"
    on_time_rate           按时/按期/及时 办结/答复 率 N%, a Decimal; other rates as
                           "rate:<what>" (the words before 率)

Each figure is the first the text states. A breakdown that follows it ("其中，予以公开N件，
部分公开N件…", in the same sentence or the next one starting with 其中) is kept under
"<key>.parts" as {"value": [(label, n), …], "total": the figure broken down, "quote": …},
so that the checker can compare their sum with the total (which is the figure of that
sentence: it may differ from the first one stated, kept under <key>). Numbers may be Arabic (全角 too, with thousands separators) or
Chinese (一百二十三, 两千零五), with 万; "1200余条" gives 1200 and "approximate": True.

The rules are phrase patterns of a subject, a short gap within the clause, a number and a
unit; they are meant for any report, not for particular fixtures.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

NUMBER = r"(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)\s*(?P<wan>万)?\s*(?P<approx>余|多)?"
COUNT = r"\s*(?:件|条|宗|项|个|份|起|次)"
GAP = r"[^，。；;,：:\d]{0,%d}?"
NO = r"(?:无|未|没有|不存在|未曾|并未|均未)"

_TO_ASCII = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)} | {"．": ".", "％": "%", "　": " "}
)
# Sentences end at 。！？ and at line ends; a breakdown may run on over ；.
_WIDE = re.compile(r"[\uff10-\uff19．％　]")
_SENTENCES = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _rules(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in patterns]


_APPLICATION = r"申请(?!人)"
# 上年 or the year before written out ("2021年结转…" in a 2022 report), and 下年 likewise.
_LAST_YEAR = r"(?:上一?年度?|(?:19|20)\d{2}年度?)"
_NEXT_YEAR = r"(?:下一?年度?|(?:19|20)\d{2}年度?)"
_RECEIVE = r"(?:收到|受理|接收|接到|新收|登记)"
# key → patterns that capture the figure; a pattern without a number stands for 0.
RULES: dict[str, list[re.Pattern[str]]] = {
    "applications_received": _rules(
        _RECEIVE + GAP % 14 + _APPLICATION + GAP % 8 + NUMBER + COUNT,
        _RECEIVE + GAP % 10 + NUMBER + COUNT + GAP % 10 + _APPLICATION,
        # "依申请公开共受理2件": the noun before the verb.
        r"依?申请公开(?:件|事项)?"
        + GAP % 4
        + r"(?:共|累计|合计)?"
        + _RECEIVE
        + GAP % 4
        + NUMBER
        + COUNT,
        # "没有接到群众主动要求公开政府信息的申请": words in between.
        NO + r"(?:收到|受理|接到|接收)" + GAP % 24 + _APPLICATION,
    ),
    "carried_over": _rules(
        _LAST_YEAR + r"结转(?!至|到|入|下|(?:19|20)\d{2}年)" + GAP % 12 + NUMBER + COUNT,
        r"结转上一?年度?" + GAP % 12 + NUMBER + COUNT,
        NUMBER + COUNT + r"[^，。；;,：:\d（(]{0,6}?" + r"(?:为|系)?" + _LAST_YEAR + r"结转",
    ),
    "carried_forward": _rules(
        r"(?:结转|转入)(?:至|到|入)?" + _NEXT_YEAR + GAP % 12 + NUMBER + COUNT,
        NUMBER + COUNT + GAP % 8 + r"(?:结转|转入)(?:至|到|入)?" + _NEXT_YEAR,
    ),
    "applications_closed": _rules(
        r"(?:办结|答复|办理完毕|处理完毕|完成办理)" + GAP % 10 + NUMBER + COUNT,
        NUMBER + COUNT + r"已" + GAP % 16 + r"(?:答复|办结|办理完毕)",
    ),
    "proactive_published": _rules(
        r"主动公开(?P<what>" + GAP % 16 + r")" + NUMBER + r"\s*(?:条|件|篇|项)",
        # "共公布政府信息120条", "公开信息77条", "发布信息31条".
        r"(?:公布|发布|公开)(?P<what>"
        + GAP % 8
        + r"信息"
        + GAP % 2
        + r")"
        + NUMBER
        + r"\s*(?:条|篇)",
        # "在网站公开的40条政府信息中".
        r"(?:公布|发布|公开)(?P<what>的?)" + NUMBER + r"\s*条(?:政府|政务)?信息",
    ),
    "reviews": _rules(
        r"行政复议" + GAP % 8 + NUMBER + r"\s*(?:件|起|宗|次|个)",
        NO + r"[^，。；;\d]{0,6}?(?:发生|收到|有|出现|产生)?[^，。；;\d]{0,24}?行政复议",
    ),
    "lawsuits": _rules(
        r"行政诉讼" + GAP % 8 + NUMBER + r"\s*(?:件|起|宗|次|个)",
        # "行政复议7件，诉讼9件": 诉讼 alone (not 起诉).
        r"(?<![行起])诉讼(?:案件)?" + GAP % 3 + NUMBER + r"\s*(?:件|起|宗|次|个)",
        NO + r"[^，。；;\d]{0,6}?(?:发生|收到|有|出现|产生)?[^，。；;\d]{0,30}?行政诉讼",
    ),
    # Normative documents: "制发行政规范性文件2件", "现行有效行政规范性文件12件".
    "normative_issued": _rules(
        r"(?:制发|制定|印发|出台)(?:了)?(?:行政)?规范性文件" + GAP % 2 + NUMBER + COUNT,
    ),
    "normative_in_force": _rules(
        r"现行有效(?:的)?(?:行政)?规范性文件" + GAP % 2 + NUMBER + COUNT,
        r"(?:行政)?规范性文件" + GAP % 4 + r"现行有效" + GAP % 2 + NUMBER + COUNT,
    ),
    # "均获维持": every review and lawsuit upheld (compared with table 四).
    "all_upheld": _rules(r"(?:均|全部|都|皆)(?:获|被|予以|得到|依法)?(?:维持|支持)(?!率)"),
    "fees": _rules(
        r"(?:信息处理费|收取[^，。；;,\d]{0,14}?费用?)"
        + GAP % 8
        + NUMBER
        + r"\s*(?P<unit>万元|元)",
        r"(?:未|没有|无|不|免予?|均未)(?:收取|收缴|产生|收)" + GAP % 14 + r"费",
    ),
}
# Words one of a key's patterns needs: a sentence without any is skipped.
TRIGGERS = {
    "applications_received": ("申请",),
    "carried_over": ("结转",),
    "carried_forward": ("结转", "转入"),
    "applications_closed": ("办结", "答复", "完毕", "完成办理"),
    "proactive_published": ("公开", "公布", "发布"),
    "reviews": ("行政复议",),
    "lawsuits": ("诉讼",),
    "normative_issued": ("规范性文件",),
    "normative_in_force": ("规范性文件",),
    "all_upheld": ("维持", "支持"),
    "fees": ("费",),
}
_TRIGGER = re.compile("|".join(sorted({w for words in TRIGGERS.values() for w in words})))
# The subject of proactive_published must not be a part of it ("主动公开规范性文件数0条").
_NOT_PROACTIVE = re.compile(r"规范性文件|其中|申请|解读|政策")
_RATE = re.compile(
    r"(?P<what>[\u4e00-\u9fff]{1,10}?率)\s*(?:为|达到?|是|保持|均为|达)?\s*(?P<pct>\d+(?:\.\d+)?)\s*%"
)
_ON_TIME = re.compile(r"(?:按时|按期|及时|限时)(?:办结|答复|回复|办理|处理)率")
# A breakdown starts after 其中, or after "在…的N条政府信息中，".
_PARTS_START = re.compile(r"其中[，,：:]?|(?<=[信息申请件条项])中[，,：:]")
_SHARE = re.compile(
    r"\s*[，,]?\s*(?:占|占比|占总数的?|占全部的?)\s*(?:为|达)?\s*(?P<pct>\d+(?:\.\d+)?)\s*%"
)
# The figure of proactive_published that is the sentence's subject, not a category of it:
# "主动公开政府信息3400条" rather than "主动公开政府采购项目信息18条".
_PLAIN_PROACTIVE = re.compile(
    r"^(?:各类|各项)?(?:政府|政务)?(?:信息)?(?:数|总数)?(?:共|合计|累计|总计)?(?:计|达|为)?$"
)
_PART = re.compile(
    r"(?P<label>[^，,、；;。：:\d（）()]{1,30}?)\s*(?:共|为|计|有)?\s*"
    + NUMBER
    + r"\s*(?P<unit>件|条|个|次|篇|项|起|宗|人|份)"
)
_LABEL_NOISE = re.compile(r"^(?:其中|另有|以及|及|和|与|包括|分别为|分别是)+|[（）()“”\s]+")


def chinese_number(text: str) -> int:
    """一百二十三 → 123, 两千零五 → 2005, 十一 → 11, 三万五千 → 35000."""
    total = section = digit = 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10_000
            section = digit = 0
    return total + section + digit


def number(match: re.Match[str]) -> int | Decimal:
    """The figure a NUMBER group captured."""
    text = match.group("num").replace(",", "").replace("，", "")
    value: int | Decimal
    if text[0].isdigit():
        value = Decimal(text) if "." in text else int(text)
    else:
        value = chinese_number(text)
    if match.group("wan"):
        value = value * 10_000
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
    return value


def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence as printed, sentence with half-width digits) pairs."""
    # One character for one: the positions stay.
    plain = text.translate(_TO_ASCII) if _WIDE.search(text) else text
    pairs = []
    for match in _SENTENCES.finditer(plain):
        start, end = match.span()
        quote = text[start:end].strip()
        if quote:
            pairs.append((quote, plain[start:end].strip()))
    return pairs


def narrative_figures(text: str) -> dict[str, dict[str, Any]]:
    """The figures stated in `text` by key, each with the sentence that states it."""
    found: dict[str, dict[str, Any]] = {}
    previous: list[tuple[int, str, Any]] = []  # the figures of the sentence before
    for quote, sentence in _sentences(text):
        hits: list[tuple[int, str, Any]] = []  # (position, key, value) in this sentence
        words = set(_TRIGGER.findall(sentence))
        for key, patterns in RULES.items():
            if words.isdisjoint(TRIGGERS[key]):
                continue
            hit = _first(key, patterns, sentence)
            if hit is None:
                continue
            position, figure = hit
            if key == "all_upheld" and "复议" not in sentence and "诉讼" not in sentence:
                continue
            hits.append((position, key, figure["value"]))
            # Every other figure of the key in the sentence may be the total of a breakdown
            # ("累计…3627条，本年度主动公开…898条。其中…" breaks down 898).
            hits += [(p, key, v) for p, v in _others(key, patterns, sentence, position)]
            plain = figure.pop("plain", True)
            if key not in found or (plain and found[key].get("qualified")):
                found[key] = {**figure, "quote": quote}
                if not plain:
                    found[key]["qualified"] = True
        for match in _RATE.finditer(sentence) if "%" in sentence else ():
            what = match.group("what")
            key = "on_time_rate" if _ON_TIME.search(what) else f"rate:{what[-6:]}"
            value = Decimal(match.group("pct"))
            hits.append((match.start(), key, value))
            found.setdefault(key, {"value": value, "quote": quote})
        hits.sort()
        _parts(sentence, quote, hits, previous, found)
        previous = hits
    return found


def _first(
    key: str, patterns: list[re.Pattern[str]], sentence: str
) -> tuple[int, dict[str, Any]] | None:
    best: tuple[int, dict[str, Any]] | None = None
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            what = match.group("what") if "what" in pattern.groupindex else ""
            if key == "proactive_published" and _NOT_PROACTIVE.search(what):
                continue
            if "num" not in pattern.groupindex:
                figure: dict[str, Any] = {"value": 0}
            else:
                figure = {"value": number(match)}
                if match.group("approx"):
                    figure["approximate"] = True
                if key == "fees":
                    figure["unit"] = "元"
                    if match.group("unit") == "万元":
                        figure["value"] = Decimal(figure["value"]) * 10_000
                    figure["value"] = Decimal(figure["value"])
            if key == "fees" and "unit" not in figure:
                figure["value"] = Decimal(0)
                figure["unit"] = "元"
            if key == "proactive_published":
                figure["plain"] = bool(
                    _PLAIN_PROACTIVE.match(
                        re.sub(r"通过[^，。]{0,12}?(?:网站|平台|网|栏目)", "", what)
                    )
                )
            if best is None or match.start() < best[0]:
                best = (match.start(), figure)
            break
    if best is None:
        return None
    return best


def _others(
    key: str, patterns: list[re.Pattern[str]], sentence: str, first: int
) -> list[tuple[int, Any]]:
    """The later figures of `key` in the sentence, after the first one (at `first`)."""
    found: dict[int, Any] = {}
    for pattern in patterns:
        if "num" not in pattern.groupindex:
            continue
        for match in pattern.finditer(sentence, first + 1):
            what = match.group("what") if "what" in pattern.groupindex else ""
            if key == "proactive_published" and _NOT_PROACTIVE.search(what):
                continue
            if key != "fees":
                found.setdefault(match.start(), number(match))
    return sorted(found.items())


def _parts(
    sentence: str,
    quote: str,
    hits: list[tuple[int, str, Any]],
    previous: list[tuple[int, str, Any]],
    found: dict[str, dict[str, Any]],
) -> None:
    """A breakdown after 其中: the parts of a figure stated before it in the sentence, or
    in the sentence before if this one starts with 其中. Of several such figures, the one
    the parts add up to, else the nearest."""
    start = _PARTS_START.search(sentence)
    if start is None:
        return
    # A rate ("办结率100%") is never the total of a breakdown.
    hits = [hit for hit in hits if not _is_rate(hit[1])]
    previous = [hit for hit in previous if not _is_rate(hit[1])]
    candidates = [
        (key, value)
        for position, key, value in hits
        if position < start.start() and key != "all_upheld"
    ]
    if not candidates and not sentence[: start.start()].strip(" ，,、"):
        candidates = [(key, value) for _, key, value in previous if key != "all_upheld"]
    if not candidates:
        return
    opening = sentence[: start.start()].rstrip()[-1:]
    closing = (
        sentence.find("）" if opening == "（" else ")", start.end()) if opening in "（(" else -1
    )
    if opening and closing >= 0:
        end = closing  # "(其中本年度新收45件,上年结转5件)": the list in the brackets
    else:
        # The breakdown ends where another figure of the sentence begins.
        # The breakdown ends where another figure of the sentence begins (a part stated
        # like the total, "通过网站发布信息31条", does not end it).
        keys = {key for key, _value in candidates}
        later = [p for p, key, _v in hits if p > start.end() and key not in keys]
        end = min([*later, len(sentence)])
    parts = []
    shares = []
    for match in _PART.finditer(sentence, start.end(), end):
        label = _LABEL_NOISE.sub("", match.group("label"))
        if label:
            parts.append((label, number(match)))
            share = _SHARE.match(sentence, match.end())
            if share:
                shares.append((label, number(match), Decimal(share.group("pct"))))
    if not parts:
        return
    total = sum(n for _, n in parts)
    adding_up = [(key, value) for key, value in candidates if value == total]
    key, whole = adding_up[-1] if adding_up else candidates[-1]
    entry: dict[str, Any] = {"value": parts, "total": whole, "quote": quote}
    if shares:
        entry["shares"] = shares
    if parts[-1][0].startswith("其他"):
        entry["complete"] = True  # a list ending in a catch-all claims to be the whole
    name = f"{key}.parts"
    n = 1
    while name in found:  # a second breakdown of the same figure is checked too
        n += 1
        name = f"{key}:{n}.parts"
    found[name] = entry


def _is_rate(key: str) -> bool:
    return key == "on_time_rate" or key.startswith("rate:")
