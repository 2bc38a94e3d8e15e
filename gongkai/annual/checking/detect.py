"""Which format a published report follows, who issued it and for which year.

The format is read from the tables (the labels that only one format has), not from the
year: a 2021 report may still print the 2019 tables, and checks.py says so.

- 2021 (国办公开办函〔2021〕30号): the columns of 第二十条第（一）项 (本年制发件数 …) or the
  sub-rows of （六）其他处理 (逾期不补正 …);
- 2019 (〔2019〕60号): its own columns of section 二 (本年新制作数量, 本年增/减 …), its block
  第二十条第（九）项 (政府集中采购), or （六）其他处理 printed as a single row of figures;
- pre-2019: the items of the 政府信息公开情况统计表 (主动公开政府信息数, 收到申请数 …), or a
  narrative-only report of 2018 or before.

Without any of these the year decides (≤2018 pre-2019, 2019–2020 the 2019 format, later
the 2021 one), and `Detection.inferred` says so.

The year comes from the title ("青山县林业局2023年政府信息公开工作年度报告", "（2018年度）"),
else from the statistics period ("统计期限自2023年1月1日起至2023年12月31日止"); the agency
from the title or, failing that, the first line if it is a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gongkai.annual.checking.document import (
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
    Document,
    Paragraph,
)
from gongkai.annual.checking.labels import core, pre2019_statistics
from gongkai.annual.checking.segment import format_anchors
from gongkai.lib.report_format import OTHER_HANDLING, format_id_for_year, format_spec

TITLE_LINES = 12  # the title is among the first lines
PRE2019_ITEMS = 3  # distinct statistics-table items that make a pre-2019 table

_YEAR = r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})"
# "XX局2023年政府信息公开工作年度报告", "XX关于2023年度政府信息公开工作的年度报告".
_TITLE = re.compile(
    rf"^(?P<pre>.*?){_YEAR}年度?(?P<mid>.*?)(?:政府信息公开|政务公开|信息公开)(?:工作)?的?(?:年度)?(?:报告|年报)"
)
# "XX政府信息公开工作年度报告（2023年度）".
_TITLE_YEAR_AFTER = re.compile(
    rf"^(?P<pre>.*?)(?:政府信息公开|政务公开|信息公开)(?:工作)?的?(?:年度)?(?:报告|年报)[(（]{_YEAR}年度?[)）]"
)
_YEAR_OF_TABLE = re.compile(rf"[(（]\s*{_YEAR}\s*年度\s*[)）]")
_LEADING_YEAR = re.compile(rf"^\s*{_YEAR}\s*年")
_DATE = r"({y})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日?"
_PERIOD = re.compile(
    _DATE.format(y=r"(?:19|20)\d{2}")
    + r"\s*起?\s*[,，、]?\s*(?:至|到|—+|－|-|~|～)\s*"
    + r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
# A document number: issuer, 〔year〕 in any brackets, number, 号; the issuer is the run of
# Chinese characters before the bracket.
_CITED = re.compile(
    r"[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*(?P<no>\d{1,5})\s*号"
)
_ISSUER = re.compile(r"[\u4e00-\u9fff]{1,14}$")
# Words before an issuer's abbreviation: "依据国办公开办函〔2021〕30号".
_LEAD_IN = re.compile(
    r"^.*(?:依据|根据|按照|依照|参照|执行|印发|转发|落实|贯彻|对照|结合|关于|以及|通知|意见|办法|规定|的|和|及|与|即|见)"
)
# A sentence that names a report is not its title: "根据《…关于做好2020年政府信息公开年度报告…的通知》".
_NOT_TITLE = re.compile(r"《|根据|按照|依据|通知|。")
_PREFIX = re.compile(r"^.*[:：]")  # "第一篇:", "附件1："
_AGENCY = re.compile(
    r"^[\u4e00-\u9fff（）()]{1,30}?(?:人民政府|政府|办公室|办公厅|委员会|局|委|办|中心|院|厅|部|署|会|"
    r"街道办事处|街道|镇|乡|所|处|队|站|馆|集团|公司|机关|区|县|市|省|旗|州)$"
)
# A web page's title line: a breadcrumb before it ("当前位置：首页 > … > 正文"), the page's
# metadata after it ("来源：… 时间：… 分享"); the pieces of such a line are tried one by one.
_BREADCRUMB = re.compile(r"当前位置|您的位置|首页|[>›»]")
_PIECES = re.compile(
    r"\s+|[>›»|｜]|。|(?=(?:信息)?来源[:：])|(?=(?:发布|更新)?(?:时间|日期)[:：])|(?=分享|打印本页|【字体)"
)
# No title: "现公布XX局2023年度政府信息公开工作年度报告" in the first sentence.
_ANNOUNCED = re.compile(
    rf"(?:现公布|现将|现发布|现予公布|特公布|特发布|予以公布|公布)(?P<pre>[\u4e00-\u9fff（）()]{{2,30}}?){_YEAR}年度?"
    r"[^。，,]{0,12}?(?:政府信息公开|政务公开|信息公开)(?:工作)?的?(?:年度)?(?:报告|年报)"
)
# A title without a year: "XX街道办事处政府信息公开工作年度报告".
_TITLE_NO_YEAR = re.compile(
    r"^(?P<pre>[\u4e00-\u9fff（）()]{2,30}?)(?:政府信息公开|政务公开|信息公开)(?:工作)?的?年度(?:报告|年报)$"
)
# Besides 统计/数据, a sentence about the period: "本报告涵盖…期间", "报告期为…".
_PERIOD_WORDS = ("统计", "数据", "涵盖", "期间", "期限", "报告期", "起止")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_SEPARATORS = re.compile(r"[ \t\u3000\xa0]+")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class Detection:
    format: str
    agency: str = ""
    year: int | None = None
    inferred: bool = False  # the format comes from the year, not from the tables
    period: tuple[str, str] | None = None
    cited_documents: list[str] = field(default_factory=list)


def detect(document: Document) -> tuple[str, str, int | None]:
    """(format, agency, year): FORMAT_2021, FORMAT_2019, FORMAT_PRE2019 or ""."""
    found = detection(document)
    return found.format, found.agency, found.year


def detection(document: Document) -> Detection:
    text = document.text()
    lines = [
        block.text.strip()
        for block in document.blocks[: TITLE_LINES * 2]
        if isinstance(block, Paragraph) and block.text.strip()
    ][:TITLE_LINES]
    agency, year = _title(lines)
    period = statistics_period(text)
    if year is None and period is not None:
        year = int(period[1][:4])
    if year is None:
        year = _other_year(text, lines)
    normal = unicodedata.normalize("NFKC", text)
    compact = _NOT_WORD.sub("", normal)
    flat = _SEPARATORS.sub("|", normal)
    format_id = _format_of_tables(compact, flat, year, normal.split("\n"))
    inferred = False
    if not format_id and year is not None:
        format_id = format_id_for_year(year) or FORMAT_PRE2019
        inferred = True
    return Detection(
        format=format_id,
        agency=agency,
        year=year,
        inferred=inferred,
        period=period,
        cited_documents=cited_documents(text),
    )


# ---- year and agency ------------------------------------------------------------------


def _year(text: str) -> int | None:
    value = int("".join(_CN_DIGITS.get(c, c) for c in text))
    return value if 1990 <= value <= 2100 else None


def _clean_agency(text: str) -> str:
    text = _PREFIX.sub("", text).strip(" 《》“”\"'")
    return text.removesuffix("关于").strip()


def _title(lines: list[str]) -> tuple[str, int | None]:
    agency, year = _title_line(lines)
    if agency or year is not None:
        return agency, year
    # A title buried in a long line (a web page's, a whole report on one line).
    for line in lines[:3]:
        pieces = [p for p in _PIECES.split(line) if p and p.strip()]
        pieces = [_title_end(p) for p in pieces if not _BREADCRUMB.search(p)]
        agency, year = _title_line(pieces)
        if year is not None:
            return agency, year
    for line in lines[:3]:
        for sentence in _SENTENCE.findall(line)[:3]:
            match = _ANNOUNCED.search(_SEPARATORS.sub("", sentence))
            if match:
                return _clean_agency(match.group("pre")), _year(match.group(2))
    for line in lines[:3]:
        match = _TITLE_NO_YEAR.match(_SEPARATORS.sub("", line))
        if match and _AGENCY.match(match.group("pre")):
            return match.group("pre"), None
    if lines and _AGENCY.match(_SEPARATORS.sub("", lines[0])):
        return _SEPARATORS.sub("", lines[0]), None
    return "", None


_REPORT = re.compile(
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?的?(?:年度)?(?:报告|年报)(?:[(（][^)）]{0,8}[)）])?"
)


def _title_end(piece: str) -> str:
    """A piece of a long line up to the end of the first title in it ("…年度报告一、总体情况…"
    → "…年度报告")."""
    match = _REPORT.search(piece)
    return piece[: match.end()] if match else piece


def _title_line(lines: list[str]) -> tuple[str, int | None]:
    for n, line in enumerate(lines):
        match = None
        # A long title may be wrapped over two lines (a centred heading in a PDF).
        wrapped = n + 1 < len(lines) and not _TITLE.match(_SEPARATORS.sub("", lines[n + 1]))
        for text in (line, line + lines[n + 1]) if wrapped else (line,):
            compact = _SEPARATORS.sub("", text)
            if len(compact) > 80 or _NOT_TITLE.search(compact) or _BREADCRUMB.search(compact):
                continue
            match = _TITLE.match(compact) or _TITLE_YEAR_AFTER.match(compact)
            if match:
                break
        if not match:
            continue
        year = _year(match.group(2))
        agency = _clean_agency(match.group("pre"))
        if not agency and match.re is _TITLE:
            agency = _clean_agency(match.group("mid"))
        if not _AGENCY.match(agency):
            agency = _neighbour_agency(lines, n) or agency
        return agency, year
    return "", None


def _neighbour_agency(lines: list[str], n: int) -> str:
    """A title without the agency's name: the line before or after it, if it is one."""
    for other in (n - 1, n + 1):
        if 0 <= other < len(lines):
            compact = _SEPARATORS.sub("", lines[other])
            if _AGENCY.match(compact) and not _BREADCRUMB.search(compact):
                return compact
    return ""


def _other_year(text: str, lines: list[str]) -> int | None:
    """The year of a report without a title: "（2018年度）" of its table, or the year it
    opens with ("2018年，我局…")."""
    match = _YEAR_OF_TABLE.search(text)
    if match:
        return _year(match.group(1))
    for line in lines[:4]:
        match = _LEADING_YEAR.match(line)
        if match:
            return _year(match.group(1))
    return None


def statistics_period(text: str) -> tuple[str, str] | None:
    """The statistics period a report states, as ISO dates, from a sentence about its data."""
    for sentence in _SENTENCE.finditer(text):
        words = sentence.group(0)
        if not any(word in words for word in _PERIOD_WORDS):
            continue
        match = _PERIOD.search(words)
        if match:
            y1, m1, d1, y2, m2, d2 = match.groups()
            y2 = y2 or y1
            return f"{y1}-{int(m1):02d}-{int(d1):02d}", f"{y2}-{int(m2):02d}-{int(d2):02d}"
    return None


def cited_documents(text: str) -> list[str]:
    """Every document number cited, brackets made 〔〕: "国办公开办函〔2021〕30号"."""
    found: dict[str, None] = {}
    for match in _CITED.finditer(text):
        before = _ISSUER.search(text[max(0, match.start() - 16) : match.start()].rstrip())
        issuer = _LEAD_IN.sub("", before.group(0)) if before else ""
        if not issuer:
            continue
        found[f"{issuer}〔{match.group('year')}〕{int(match.group('no'))}号"] = None
    return list(found)


# ---- format ----------------------------------------------------------------------------


@cache
def _markers() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Words only one format prints in its tables: (2021, 2019, pre-2019)."""
    new, old = format_spec(FORMAT_2021), format_spec(FORMAT_2019)

    def words(spec: dict[str, Any], everything: bool) -> set[str]:
        found: set[str] = set()
        for t in spec["tables"]:
            if t["section"] == "二":
                found |= {core(c["label"]) for c in t["columns"]}
                if everything:
                    found |= {core(t["title"])} | {core(r["label"]) for r in t["rows"]}
            found |= {core(r["label"]) for r in t["rows"] if r.get("parent") == OTHER_HANDLING}
            if everything:
                found |= {core(r["label"]) for r in t["rows"]} | {
                    core(c["label"]) for c in t["columns"]
                }
        return found

    every_2021 = " ".join(words(new, everything=True))
    every_2019 = " ".join(words(old, everything=True))
    only_2021 = tuple(sorted(w for w in words(new, everything=False) if w not in every_2019))
    old_words = {w for t in old["tables"] if t["section"] == "二" for w in _table_words(t)}
    only_2019 = tuple(sorted(w for w in old_words if w and w not in every_2021))
    statistics = pre2019_statistics()
    items = {core(i["label"]) for i in statistics["items"] if i["kind"] == "data"}
    items |= {core(v) for i in statistics["items"] for v in i.get("label_variants", ())}
    items.add(core(statistics["title"]))
    pre = tuple(sorted(w for w in items if len(w) >= 5))
    return only_2021, only_2019, pre


def _table_words(table: dict[str, Any]) -> set[str]:
    return (
        {core(table["title"])}
        | {core(c["label"]) for c in table["columns"]}
        | {core(r["label"]) for r in table["rows"]}
    )


@cache
def _single_other_handling() -> re.Pattern[str]:
    """（六）其他处理 followed by a figure: the 2019 single row (in 2021 a sub-row follows)."""
    tables = format_spec(FORMAT_2021)["tables"]
    label = next(r["label"] for t in tables for r in t["rows"] if r["key"] == OTHER_HANDLING)
    words = re.escape(core(label))
    return re.compile(rf"{words}[|\n]+(?:\d+|[/—－-]+)(?=[|\n]|$)")


def _format_of_tables(
    compact: str, flat: str, year: int | None, lines: list[str] | None = None
) -> str:
    only_2021, only_2019, pre = _markers()
    compact_lines = [_NOT_WORD.sub("", line) for line in lines] if lines is not None else None
    new = sum(1 for word in only_2021 if _as_label(word, compact, compact_lines))
    old = sum(1 for word in only_2019 if _as_label(word, compact, compact_lines))
    if _single_other_handling().search(_flat_words(flat)):
        old += 1
    if new or old:
        if new > old:
            return FORMAT_2021
        if old > new:
            return FORMAT_2019
        return (
            FORMAT_2019
            if year is not None and format_id_for_year(year) == FORMAT_2019
            else FORMAT_2021
        )
    if year is None or year <= 2018:
        items = set(_alternatives(pre).findall(compact))
        if len(items) >= PRE2019_ITEMS:
            return FORMAT_PRE2019
    return ""


_PROSE_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:条|件|个|项|次|篇|份|宗)")


def _as_label(word: str, compact: str, lines: list[str] | None) -> bool:
    """`word` is printed as a table's label: followed by a figure, the end of its line or
    another label of a format, not by running text ("政府集中采购等项目由上级部门统一公开",
    "政府集中采购项目类信息55条" are prose)."""
    if word not in compact:
        return False
    if lines is None:
        return True
    for line in lines:
        at = line.find(word)
        while at >= 0:
            after = line[at + len(word) :]
            if not after or (after[0].isdigit() and not _PROSE_FIGURE.match(after)):
                return True
            if _starts_label(after):
                return True
            at = line.find(word, at + 1)
    return False


def _starts_label(text: str) -> bool:
    for format_id in (FORMAT_2021, FORMAT_2019):
        for anchor in format_anchors(format_id).by_start.get(text[:2], ()):
            if text.startswith(anchor.words):
                return True
    return False


@cache
def _alternatives(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _flat_words(flat: str) -> str:
    """Cells separated by | and lines by newlines, brackets out of the way:
    "（六）其他处理|0|0" → "六其他处理|0|0" ("1." of a sub-row keeps its dot)."""
    return re.sub(r"[()（）“”\"]", "", flat)
