"""Checks on a published report as read: `Extracted` (one year, or a series) -> findings.

`check(report)` checks one report; `check_series(reports)` compares the reports of one
agency between years. Neither repeats the reader's own findings (`Extracted.findings`);
the caller shows both. Findings come in a fixed order: the report as a whole (format, legal
basis, period), then the tables in the order of the format, row by row, then the text.
Nothing here raises on odd input: what is missing is skipped, and said so when it matters.

Table cells. A cell that is not a number counts as 0 in a sum: BLANK, SLASH and DASH are
listed once per table (CELLS-READ-AS-ZERO: a warning when they stand in a sum beside
non-zero figures, since figures may have been left out, otherwise a note). A sum that
fails only because of an AMBIGUOUS cell (digits run together) or a cell missing from the
table as read is not an error but a note (IDENTITY-AMBIGUOUS, IDENTITY-SKIPPED); for a
single ambiguous cell the note gives the value the other figures imply.

What the extractor (figures.py) gives in `Extracted.narrative`, and how it is read here:

- Figures stated in the text: ``{key: {"value": int | Decimal, "quote": sentence}}``. Keys
  compared with the tables (TEXT-TABLE): applications_received, carried_over,
  carried_forward, applications_closed, reviews, lawsuits (2021 and 2019 formats: table 三
  总计 column, table 四 总计 cells; lawsuits = both kinds of 行政诉讼), and for the pre-2019
  table applications_received, applications_closed, closed_on_time, closed_extended,
  reviews, lawsuits, proactive_published and fees. Money ("fees") is in 元 as a plain
  number; the pre-2019 table gives 万元, compared within the table's printed precision.
- Percentages (PERCENT): a key ending in ``_rate``, or an entry with ``"percent": True``.
  "value" is the printed percentage (98.5 for "98.5%", as a Decimal so that its printed
  decimals are kept: the tolerance is half of the last printed digit). "numerator" and
  "denominator" say what it is a share of; each is a number stated in the text, a
  narrative key, a table cell "table.row.col" ("pre2019.item" for the pre-2019 table), or
  a list of these to add up, an entry starting with "-" being subtracted. Without them,
  the one known rate is on_time_rate (按时办结率): closed_on_time / applications_closed,
  or (applications_closed - closed_extended) / applications_closed.
- Breakdowns (BREAKDOWN-SUM): ``"<key>.parts": {"value": [(label, n), ...], "quote": ...}``
  beside ``"<key>"``, the stated total. The parts must add up to it; with ``"partial":
  True`` (a 其中 list that need not be complete) they must not exceed it.

Finding ids (severity): the report: FORMAT-UNKNOWN, NO-TABLES (info); FORMAT-YEAR,
LEGAL-BASIS, PERIOD (warning). Tables: TABLE-MISSING (info); ROW-MISSING, CELLS-MISSING
(warning); CELLS-READ-AS-ZERO (warning or info); the format's identities T3-BALANCE,
T3-RESULT-TOTAL, T3-ROW-TOTAL, T4-…-TOTAL, and PRE2019-SUM, PRE2019-PART, NONNEG,
LEVEL-REGULATIONS (error); IDENTITY-AMBIGUOUS, IDENTITY-SKIPPED, PRE2019-CHANNELS (info).
Text: TEXT-TABLE, PERCENT, BREAKDOWN-SUM (warning). Series: X-YEAR-CARRY, X-YEAR-IN-FORCE,
TEXT-REPEATED, TABLES-IDENTICAL (warning); DUPLICATE-YEAR (info).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.annual import narrative, validate
from gongkai.annual.checking.document import (
    AMBIGUOUS,
    BLANK,
    DASH,
    ERROR,
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
    INFO,
    SLASH,
    WARNING,
    Extracted,
    Finding,
)
from gongkai.lib.report_format import (
    APPLICATIONS_TABLE,
    REVIEW_TABLE,
    format_id_for_year,
    format_spec,
    format_table,
)

Number = int | Decimal
Cell = tuple[str, str, str]  # (table, row, column)

NUMBER, MISSING = "number", "missing"  # cell kinds besides the non-numbers of document.py
READ_AS_ZERO = (BLANK, SLASH, DASH)
PRE2019_TABLE, PRE2019_COLUMN = "pre2019", "value"
LISTED = 8  # cells named in a message before "and N more"
LARGEST = 10**15

# The level strings of orgs.models.Level that never make 规章 (《立法法》第九十三条: only the
# governments of provinces, autonomous regions, municipalities, 设区的市 and 自治州).
LEVELS_WITHOUT_REGULATIONS = ("township", "county")
LEVELS_WITH_REGULATIONS = ("province", "city")

# Narrative keys and the cells that state the same figure.
TEXT_CELLS: dict[str, tuple[Cell, ...]] = {
    "applications_received": ((APPLICATIONS_TABLE, "new_received", "total"),),
    "carried_over": ((APPLICATIONS_TABLE, "carried_over", "total"),),
    "carried_forward": ((APPLICATIONS_TABLE, "carried_forward", "total"),),
    "applications_closed": ((APPLICATIONS_TABLE, "total_processed", "total"),),
    "reviews": ((REVIEW_TABLE, "cases", "review_total"),),
    "lawsuits": (
        (REVIEW_TABLE, "cases", "lit_direct_total"),
        (REVIEW_TABLE, "cases", "lit_after_review_total"),
    ),
}
TEXT_ITEMS_PRE2019 = {
    "applications_received": "requests_received",
    "applications_closed": "requests_closed",
    "closed_on_time": "closed_on_time",
    "closed_extended": "closed_extended",
    "reviews": "reviews",
    "lawsuits": "lawsuits",
    "proactive_published": "proactive_total",
    "fees": "fees",
}
MONEY_KEYS = ("fees",)  # narrative money is in 元
UNIT_IN_YUAN = {"万元": 10000}
KNOWN_RATES: dict[str, tuple[tuple[Any, Any], ...]] = {
    "on_time_rate": (
        ("closed_on_time", "applications_closed"),
        (["applications_closed", "-closed_extended"], "applications_closed"),
    ),
}
PARTS_SUFFIX = ".parts"

# The pre-2019 JSON's "not_sums": an item published on several channels counts once in the
# total and once per channel, so the channels are compared with the total only as a note.
CHANNELS_GROUP, CHANNELS_TOTAL = "channels", "proactive_total"

# A 文号 of the formats' circulars in any bracket style: 〔2019〕, [2019], （2019）, 【2019】.
CIRCULAR = re.compile(r"国办公开办函〔(\d{4})〕第?(\d+)号")
OPENING, CLOSING = "[［(（【〔", "]］)）】〕"
BRACKETS = str.maketrans(OPENING + CLOSING, "〔" * len(OPENING) + "〕" * len(CLOSING))
# The 2019 format was issued as a trial (试行) format; reports cite it by that title too.
TRIAL_TITLE = re.compile(r"年度报告格式〔试行〕")

COPIED_MIN_CHARS = 50  # shorter sections (无。, a fee sentence) are alike every year
IDENTICAL_MIN_FIGURES, IDENTICAL_MIN_DISTINCT = 5, 3


# ---- the formats as data ------------------------------------------------------------------


@cache
def pre2019_statistics() -> dict[str, Any]:
    text = resources.files("gongkai.data").joinpath("pre2019_statistics.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _layout(format_id: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(table, data rows, columns) of a format, in the order of the report."""
    if format_id == FORMAT_PRE2019:
        items = tuple(i["key"] for i in pre2019_statistics()["items"] if i["kind"] == "data")
        return ((PRE2019_TABLE, items, (PRE2019_COLUMN,)),)
    if format_id not in (FORMAT_2021, FORMAT_2019):
        return ()
    return tuple(
        (
            t["id"],
            tuple(r["key"] for r in t["rows"] if r["kind"] == "data"),
            tuple(c["key"] for c in t["columns"]),
        )
        for t in format_spec(format_id)["tables"]
    )


@cache
def _order(format_id: str) -> dict[tuple[str, ...], int]:
    """Sort positions of tables, (table, row) and (table, column)."""
    order: dict[tuple[str, ...], int] = {}
    for n, (table_id, rows, cols) in enumerate(_layout(format_id)):
        order[(table_id,)] = n
        order.update({(table_id, row): i for i, row in enumerate(rows)})
        order.update({(table_id, "", col): i for i, col in enumerate(cols)})
    return order


def _sort_key(format_id: str, finding: Finding) -> tuple[int, int, int]:
    order = _order(format_id)
    return (
        order.get((finding.table,), len(order) if finding.table else -1),
        order.get((finding.table, finding.row), -1),
        order.get((finding.table, "", finding.col), -1),
    )


@cache
def _pre2019_items() -> dict[str, dict[str, Any]]:
    return {i["key"]: i for i in pre2019_statistics()["items"]}


@cache
def cell_name(format_id: str, table_id: str, row: str, col: str) -> str:
    """A cell as printed: validate.cell_label, with the group where the label alone is not
    unique (（三）不予公开 1.属于国家秘密; 行政复议：总计)."""
    if format_id == FORMAT_PRE2019:
        item = _pre2019_items().get(row)
        return str(item["label"]) if item else row
    try:
        spec = format_table(format_id, table_id)
        name = validate.cell_label(table_id, row, col, format_id)
    except KeyError:
        return f"{table_id}.{row}.{col}"
    rows = {r["key"]: r for r in spec["rows"]}
    parent = rows.get(rows.get(row, {}).get("parent") or "")
    if parent is not None and parent.get("parent"):
        name = f"{parent['label']} {name}"
    columns = {c["key"]: c for c in spec["columns"]}
    column = columns.get(col)
    if column is not None and column.get("parent"):
        same = [c for c in spec["columns"] if c["label"] == column["label"]]
        groups = {g["key"]: g["label"] for g in spec.get("column_groups", [])}
        if len(same) > 1 and column["parent"] in groups:
            printed = f"（{column['label']}）"
            name = name.removesuffix(printed) + f"（{groups[column['parent']]}：{column['label']}）"
    return name


def table_name(format_id: str, table_id: str) -> str:
    if format_id == FORMAT_PRE2019:
        return str(pre2019_statistics()["title"])
    try:
        return str(format_table(format_id, table_id)["title"])
    except KeyError:
        return table_id


def _circular(text: str) -> tuple[int, int] | None:
    match = CIRCULAR.search(re.sub(r"\s+", "", text).translate(BRACKETS))
    return (int(match.group(1)), int(match.group(2))) if match else None


@cache
def _format_circulars() -> dict[str, tuple[int, int]]:
    """The 文号 of each format's circular, read from the format's "document"."""
    found = {f: _circular(format_spec(f)["document"]) for f in (FORMAT_2021, FORMAT_2019)}
    return {f: number for f, number in found.items() if number is not None}


def _circular_name(format_id: str) -> str:
    """国办公开办函〔2021〕30号; the pre-2019 table's title."""
    if format_id == FORMAT_PRE2019:
        return str(pre2019_statistics()["title"])
    number = _format_circulars().get(format_id)
    if number is None:
        return format_id
    return f"国办公开办函〔{number[0]}〕{number[1]}号"


# ---- values ------------------------------------------------------------------------------


def _number(value: Any) -> Number | None:
    """An int or a Decimal; None for anything else, and for figures no report has (NaN,
    infinities, 10**15 and beyond), which could only come from a misreading."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, int):
        return value if abs(value) < LARGEST else None
    if isinstance(value, Decimal) and value.is_finite() and abs(value) < LARGEST:
        return value
    return None


def _kind(value: Any) -> tuple[str, Number]:
    """What a cell held (NUMBER or a non-number) and the number it counts as."""
    number = _number(value)
    if number is not None:
        return NUMBER, number
    if not isinstance(value, str):
        return AMBIGUOUS, 0
    text = value.strip()
    if text == BLANK:
        return BLANK, 0
    if text in (SLASH, "／"):
        return SLASH, 0
    if text and set(text) <= set("-—–－"):
        return DASH, 0
    try:
        parsed = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return AMBIGUOUS, 0
    if _number(parsed) is None:
        return AMBIGUOUS, 0
    return NUMBER, int(parsed) if parsed == parsed.to_integral_value() else parsed


def _show(value: Number) -> str:
    return str(value)


def _names(format_id: str, cells: Sequence[Cell]) -> str:
    """Printed names of cells, the first few, then "and N more"."""
    names = "、".join(cell_name(format_id, *cell) for cell in cells[:LISTED])
    if len(cells) > LISTED:
        return _("%(cells)s and %(count)d more") % {"cells": names, "count": len(cells) - LISTED}
    return names


class _Grid:
    """One report's figures in its format: every cell as a number (0 when it is not one)
    and what the cell held."""

    def __init__(self, report: Extracted) -> None:
        self.format = report.format if isinstance(report.format, str) else ""
        self.numeric: dict[str, dict[str, dict[str, Number]]] = {}
        self.kinds: dict[Cell, str] = {}
        self.present: list[str] = []
        tables = report.tables if isinstance(report.tables, Mapping) else {}
        for table_id, rows, cols in _layout(self.format):
            found = tables.get(table_id)
            found = found if isinstance(found, Mapping) else {}
            if found:
                self.present.append(table_id)
            grid = self.numeric.setdefault(table_id, {})
            for row in rows:
                cells = found.get(row)
                cells = cells if isinstance(cells, Mapping) else None
                grid[row] = {}
                for col in cols:
                    kind: str = MISSING
                    value: Number = 0
                    if cells is not None and col in cells:
                        kind, value = _kind(cells[col])
                    grid[row][col] = value
                    self.kinds[(table_id, row, col)] = kind

    def kind(self, cell: Cell) -> str:
        return self.kinds.get(cell, MISSING)

    def value(self, cell: Cell) -> Number:
        table_id, row, col = cell
        return self.numeric.get(table_id, {}).get(row, {}).get(col, 0)

    def readable(self, cells: Iterable[Cell]) -> bool:
        """All in tables found, none missing or ambiguous."""
        return all(c[0] in self.present and self.kind(c) not in (MISSING, AMBIGUOUS) for c in cells)

    def figures(self) -> dict[Cell, Number]:
        """The cells that hold numbers."""
        return {cell: self.value(cell) for cell, kind in self.kinds.items() if kind == NUMBER}


@dataclass(frozen=True)
class _Sum:
    """One instance of an identity: lhs = rhs, or lhs >= rhs."""

    id: str
    lhs: tuple[Cell, ...]
    rhs: tuple[Cell, ...]
    at_least: bool = False

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.lhs + self.rhs

    def sides(self, grid: _Grid) -> tuple[Number, Number]:
        return sum(grid.value(c) for c in self.lhs), sum(grid.value(c) for c in self.rhs)

    def holds(self, grid: _Grid) -> bool:
        left, right = self.sides(grid)
        return left >= right if self.at_least else left == right


@cache
def _sums(format_id: str) -> tuple[_Sum, ...]:
    """The hard identities of a format (2021/2019: the JSON's; pre-2019: parent and
    children by "sum_of_children", and 其中 items not above their parent)."""
    if format_id in (FORMAT_2021, FORMAT_2019):
        found = []
        for identity in format_spec(format_id)["identities"]:
            if "lhs" not in identity or not identity["strictness"].startswith("hard"):
                continue
            for binding in validate._expand(identity):
                lhs, rhs = (_bind(identity[side], binding) for side in ("lhs", "rhs"))
                found.append(_Sum(identity["id"], lhs, rhs))
        return tuple(found)
    if format_id != FORMAT_PRE2019:
        return ()
    items = pre2019_statistics()["items"]
    data = [i for i in items if i["kind"] == "data"]
    found = []
    for parent in data:
        children = tuple(
            (PRE2019_TABLE, c["key"], PRE2019_COLUMN) for c in data if c["parent"] == parent["key"]
        )
        if not children:
            continue
        whole = ((PRE2019_TABLE, parent["key"], PRE2019_COLUMN),)
        rule = parent.get("sum_of_children")
        if rule in ("equal", "at_least"):
            found.append(_Sum("PRE2019-SUM", whole, children, at_least=rule == "at_least"))
        else:  # 其中 items: each a part of its parent
            found.extend(_Sum("PRE2019-PART", whole, (child,), at_least=True) for child in children)
    return tuple(found)


def _bind(refs: list[dict[str, str]], binding: dict[str, str]) -> tuple[Cell, ...]:
    """The cells of one side of an identity, its placeholders ({col}, {row}) filled in."""
    return tuple(
        (r["table"], r["row"].format_map(binding), r["col"].format_map(binding)) for r in refs
    )


# ---- the agency's level ------------------------------------------------------------------

TOWNSHIP_NAME = re.compile(r"(镇|乡|苏木)(人民)?政府$|街道办事处$|街道办$")
COUNTY_GOVERNMENT = re.compile(r"(县|旗|(?<!自治)区)(人民)?政府$")
PROVINCE_GOVERNMENT = re.compile(r"(省|自治区|自治州)(人民)?政府$")
GOVERNMENT = re.compile(r"(人民)?政府$")
CENTRAL = re.compile(r"^(国家|国务院|中国|中华人民共和国|全国)")
LOCAL = re.compile(r"^\w+?(省|自治区|市|自治州|州|盟|县|旗|区)")


def may_issue_regulations(
    agency: str, level: str | None = None, can_issue_regulations: bool | None = None
) -> bool | None:
    """Whether the agency may make 规章: True, False, or None when that cannot be told.

    Only the governments of provinces, autonomous regions, municipalities, 设区的市 and 自治州
    make 规章 (and State Council ministries, 部门规章). A township or county never does; nor
    does a local department. A 市人民政府 may be a county-level city: None.
    """
    if can_issue_regulations is not None:
        return can_issue_regulations
    name = re.sub(r"\s+", "", agency) if isinstance(agency, str) else ""
    if level in LEVELS_WITHOUT_REGULATIONS or TOWNSHIP_NAME.search(name):
        return False
    if GOVERNMENT.search(name):
        if COUNTY_GOVERNMENT.search(name):
            return False
        if PROVINCE_GOVERNMENT.search(name) or level in LEVELS_WITH_REGULATIONS:
            return True
        return None
    if name and not CENTRAL.search(name) and LOCAL.search(name):
        return False  # a local department or office
    return None


# ---- one report ----------------------------------------------------------------------------


def check(
    report: Extracted, *, level: str | None = None, can_issue_regulations: bool | None = None
) -> list[Finding]:
    """The findings on one report, in a fixed order (see the module docstring).

    `level` is the agency's level (orgs.models.Level values) when known, and
    `can_issue_regulations` overrides what is inferred from it and from the agency's name.
    """
    findings = _whole_report(report)
    grid = _Grid(report)
    if report.format in (FORMAT_2021, FORMAT_2019, FORMAT_PRE2019):
        if not grid.present:
            findings.append(
                Finding(
                    "NO-TABLES",
                    INFO,
                    _("No tables were found in the report, so only its text was checked."),
                )
            )
        else:
            table_findings = _tables(grid)
            table_findings += _level(grid, report, level, can_issue_regulations)
            table_findings.sort(key=lambda f: _sort_key(grid.format, f))
            findings += table_findings
    findings += _text(report, grid)
    return findings


def _whole_report(report: Extracted) -> list[Finding]:
    findings: list[Finding] = []
    if report.format not in (FORMAT_2021, FORMAT_2019, FORMAT_PRE2019):
        findings.append(
            Finding(
                "FORMAT-UNKNOWN",
                INFO,
                _(
                    "The report's tables do not follow a format this system knows, so they "
                    "were not checked."
                ),
            )
        )
    year = report.year
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
        year = None
    if year is not None and report.format in (FORMAT_2021, FORMAT_2019, FORMAT_PRE2019):
        expected = format_id_for_year(year) or FORMAT_PRE2019
        if report.format != expected:
            findings.append(
                Finding(
                    "FORMAT-YEAR",
                    WARNING,
                    _(
                        "A report for %(year)d uses the tables of %(expected)s, but these "
                        "tables follow %(found)s."
                    )
                    % {
                        "year": year,
                        "expected": _circular_name(expected),
                        "found": _circular_name(report.format),
                    },
                )
            )
    if year is not None:
        findings += _legal_basis(report, year)
    findings += _period(report, year)
    return findings


def _legal_basis(report: Extracted, year: int) -> list[Finding]:
    expected = format_id_for_year(year)
    if expected is None:
        return []
    circulars = _format_circulars()
    cited: dict[str, str] = {}  # format -> the citation as printed
    documents = report.cited_documents if isinstance(report.cited_documents, list | tuple) else []
    for text in documents:
        if not isinstance(text, str):
            continue
        number = _circular(text)
        plain = re.sub(r"\s+", "", text).translate(BRACKETS)
        for format_id, circular in circulars.items():
            if number == circular or (format_id == FORMAT_2019 and TRIAL_TITLE.search(plain)):
                cited.setdefault(format_id, text.strip())
    if expected in cited or not cited:
        return []  # citing the right one beside the other is history, not the basis
    other = next(iter(cited))
    return [
        Finding(
            "LEGAL-BASIS",
            WARNING,
            _(
                "This report for %(year)d cites %(cited)s as the basis of its format, but "
                "reports for %(year)d follow %(document)s."
            )
            % {"year": year, "cited": cited[other], "document": format_spec(expected)["document"]},
            quote=cited[other],
        )
    ]


def _period(report: Extracted, year: int | None) -> list[Finding]:
    period = report.period
    if not isinstance(period, list | tuple) or len(period) != 2:
        return []
    try:
        start, end = date.fromisoformat(str(period[0])), date.fromisoformat(str(period[1]))
    except ValueError:
        return []
    year = year if year is not None else start.year
    if (start, end) == (date(year, 1, 1), date(year, 12, 31)):
        return []
    return [
        Finding(
            "PERIOD",
            WARNING,
            _(
                "The report covers %(start)s to %(end)s; a report for %(year)d covers "
                "%(year)d-01-01 to %(year)d-12-31."
            )
            % {"start": start.isoformat(), "end": end.isoformat(), "year": year},
        )
    ]


def _tables(grid: _Grid) -> list[Finding]:
    format_id = grid.format
    findings: list[Finding] = []
    absent = [t for t, _rows, _cols in _layout(format_id) if t not in grid.present]
    if absent:
        findings.append(
            Finding(
                "TABLE-MISSING",
                INFO,
                ngettext(
                    "The table %(tables)s was not found in the report, so it was not checked.",
                    "The tables %(tables)s were not found in the report, so they were not checked.",
                    len(absent),
                )
                % {"tables": "、".join(table_name(format_id, t) for t in absent)},
                table=absent[0] if len(absent) == 1 else "",
            )
        )
    for table_id, rows, cols in _layout(format_id):
        if table_id in absent:
            continue
        if format_id != FORMAT_PRE2019:  # pre-2019 tables varied by province
            findings += _missing(grid, table_id, rows, cols)
        findings += _read_as_zero(grid, table_id, rows, cols)
    findings += _identities(grid)
    findings += _nonnegative(grid)
    if format_id == FORMAT_PRE2019:
        findings += _channels(grid)
    return findings


def _missing(grid: _Grid, table_id: str, rows: Sequence[str], cols: Sequence[str]) -> list[Finding]:
    format_id = grid.format
    findings = []
    gone = [r for r in rows if all(grid.kind((table_id, r, c)) == MISSING for c in cols)]
    if gone:
        labels = {r["key"]: r["label"] for r in format_table(format_id, table_id)["rows"]}
        findings.append(
            Finding(
                "ROW-MISSING",
                WARNING,
                ngettext(
                    "%(table)s: the row %(rows)s is missing.",
                    "%(table)s: the rows %(rows)s are missing.",
                    len(gone),
                )
                % {
                    "table": table_name(format_id, table_id),
                    "rows": "、".join(labels.get(r) or r for r in gone),
                },
                table=table_id,
                row=gone[0] if len(gone) == 1 else "",
            )
        )
    partial = [
        (table_id, r, c)
        for r in rows
        if r not in gone
        for c in cols
        if grid.kind((table_id, r, c)) == MISSING
    ]
    if partial:
        findings.append(
            Finding(
                "CELLS-MISSING",
                WARNING,
                ngettext(
                    "%(table)s: the cell %(cells)s is missing.",
                    "%(table)s: the cells %(cells)s are missing.",
                    len(partial),
                )
                % {"table": table_name(format_id, table_id), "cells": _names(format_id, partial)},
                table=table_id,
            )
        )
    return findings


def _read_as_zero(
    grid: _Grid, table_id: str, rows: Sequence[str], cols: Sequence[str]
) -> list[Finding]:
    format_id = grid.format
    cells = [(table_id, r, c) for r in rows for c in cols]
    zeros = [c for c in cells if grid.kind(c) in READ_AS_ZERO]
    if not zeros:
        return []
    values = {
        "table": table_name(format_id, table_id),
        "count": len(zeros),
        "cells": _names(format_id, zeros),
    }
    if all(grid.kind(c) in (*READ_AS_ZERO, MISSING) for c in cells):
        return [
            Finding(
                "CELLS-READ-AS-ZERO",
                INFO,
                _("%(table)s is blank, “/” or “-” throughout; it was read as all 0.") % values,
                table=table_id,
            )
        ]
    zero_set = set(zeros)
    for identity in _sums(format_id):
        blank = [c for c in identity.cells if c in zero_set]
        nonzero = [c for c in identity.cells if grid.kind(c) == NUMBER and grid.value(c)]
        if blank and nonzero:
            values["example"] = _("%(cell)s is %(value)s, beside %(blank)s") % {
                "cell": cell_name(format_id, *nonzero[0]),
                "value": _show(grid.value(nonzero[0])),
                "blank": cell_name(format_id, *blank[0]),
            }
            return [
                Finding(
                    "CELLS-READ-AS-ZERO",
                    WARNING,
                    ngettext(
                        "%(table)s: %(count)d cell was blank, “/” or “-” and was read as 0 "
                        "(%(cells)s). It stands in a sum with non-zero figures (%(example)s), "
                        "so a figure may have been left out.",
                        "%(table)s: %(count)d cells were blank, “/” or “-” and were read as 0 "
                        "(%(cells)s). Some stand in sums with non-zero figures (%(example)s), "
                        "so figures may have been left out.",
                        len(zeros),
                    )
                    % values,
                    table=table_id,
                )
            ]
    return [
        Finding(
            "CELLS-READ-AS-ZERO",
            INFO,
            ngettext(
                "%(table)s: %(count)d cell was blank, “/” or “-” and was read as 0 (%(cells)s).",
                "%(table)s: %(count)d cells were blank, “/” or “-” and were read as 0 (%(cells)s).",
                len(zeros),
            )
            % values,
            table=table_id,
        )
    ]


def _identities(grid: _Grid) -> list[Finding]:
    format_id = grid.format
    if format_id == FORMAT_PRE2019:
        broken = [identity for identity in _sums(format_id) if not identity.holds(grid)]
    else:
        reported = {
            (found["id"], found["table"], found["row"], found["col"])
            for found in validate.check_identities(grid.numeric, format_id)
        }
        broken = [i for i in _sums(format_id) if (i.id, *i.lhs[0]) in reported]
    findings = []
    for identity in broken:
        table_id, row, col = identity.lhs[0]
        ambiguous = [c for c in identity.cells if grid.kind(c) == AMBIGUOUS]
        missing = [c for c in identity.cells if grid.kind(c) == MISSING]
        if (
            missing
            and format_id == FORMAT_PRE2019
            and (identity.lhs[0] in missing or all(c in missing for c in identity.rhs))
        ):
            continue  # the item or its whole breakdown is not in this variant of the table
        if ambiguous:
            findings.append(_ambiguous(grid, identity, ambiguous, missing))
        elif missing:
            findings.append(
                Finding(
                    "IDENTITY-SKIPPED",
                    INFO,
                    ngettext(
                        "%(equation)s was not checked: %(cells)s is missing from the table "
                        "as read.",
                        "%(equation)s was not checked: %(cells)s are missing from the table "
                        "as read.",
                        len(missing),
                    )
                    % {
                        "equation": _equation(format_id, identity),
                        "cells": _names(format_id, missing),
                    },
                    table=table_id,
                    row=row,
                    col=col,
                )
            )
        else:
            message = _broken(grid, identity)
            zeros = [c for c in identity.cells if grid.kind(c) in READ_AS_ZERO]
            if zeros:
                message += " " + _("Read as 0: %(cells)s.") % {"cells": _names(format_id, zeros)}
            findings.append(Finding(identity.id, ERROR, message, table_id, row, col))
    return findings


def _terms(format_id: str, cells: Sequence[Cell]) -> str:
    """Like validate's terms of an identity, with cell_name (which tells the three 总计 of
    table 四 apart) for cell_label."""
    if len(cells) > 4:
        return _("the sum of %(count)d cells from %(first)s to %(last)s") % {
            "count": len(cells),
            "first": cell_name(format_id, *cells[0]),
            "last": cell_name(format_id, *cells[-1]),
        }
    return " + ".join(cell_name(format_id, *c) for c in cells)


def _equation(format_id: str, identity: _Sum) -> str:
    relation = "≥" if identity.at_least else "="
    return f"{_terms(format_id, identity.lhs)} {relation} {_terms(format_id, identity.rhs)}"


def _broken(grid: _Grid, identity: _Sum) -> str:
    """What a broken identity states, with both sides' values."""
    format_id = grid.format
    left, right = identity.sides(grid)
    if format_id != FORMAT_PRE2019:  # validate.check_identities's wording
        return _("%(left_terms)s is %(left)s, but %(right_terms)s is %(right)s.") % {
            "left_terms": _terms(format_id, identity.lhs),
            "left": _show(left),
            "right_terms": _terms(format_id, identity.rhs),
            "right": _show(right),
        }
    parts = identity.rhs
    values = {
        "whole": cell_name(format_id, *identity.lhs[0]),
        "value": _show(left),
        "parts": " + ".join(cell_name(format_id, *c) for c in parts)
        if len(parts) <= 4
        else _("the %(count)d items from %(first)s to %(last)s")
        % {
            "count": len(parts),
            "first": cell_name(format_id, *parts[0]),
            "last": cell_name(format_id, *parts[-1]),
        },
        "sum": _show(right),
    }
    if identity.id == "PRE2019-PART":
        return _(
            "%(parts)s is %(sum)s, more than %(whole)s (%(value)s), of which it is a part."
        ) % (values)
    if identity.at_least:
        return _("%(whole)s is %(value)s, less than %(parts)s, which add up to %(sum)s.") % (values)
    return _("%(whole)s is %(value)s, but %(parts)s add up to %(sum)s.") % values


def _ambiguous(grid: _Grid, identity: _Sum, ambiguous: list[Cell], missing: list[Cell]) -> Finding:
    format_id = grid.format
    table_id, row, col = ambiguous[0]
    values = {"cells": _names(format_id, ambiguous), "equation": _equation(format_id, identity)}
    left, right = identity.sides(grid)
    implied = right - left if ambiguous[0] in identity.lhs else left - right
    if len(ambiguous) == 1 and not missing and not identity.at_least and implied >= 0:
        values["value"] = _show(implied)
        message = _(
            "%(cells)s could not be read unambiguously (digits run together), so "
            "%(equation)s was not checked; the other figures give %(value)s for it."
        )
    else:
        message = _(
            "%(cells)s could not be read unambiguously (digits run together), so "
            "%(equation)s was not checked."
        )
    return Finding("IDENTITY-AMBIGUOUS", INFO, message % values, table_id, row, col)


def _nonnegative(grid: _Grid) -> list[Finding]:
    format_id = grid.format
    problems: list[tuple[Cell, str]] = []
    if format_id in (FORMAT_2021, FORMAT_2019):
        for found in validate.check_identities(grid.numeric, format_id):
            if found["id"] == "NONNEG":
                problems.append(((found["table"], found["row"], found["col"]), found["message"]))
    else:
        items = _pre2019_items()
        for cell, value in grid.figures().items():
            money = items.get(cell[1], {}).get("unit") in UNIT_IN_YUAN
            if value < 0 and money:
                problems.append((cell, _("%(value)s is negative.") % {"value": _show(value)}))
            elif not money and (value < 0 or value != int(value)):
                problems.append(
                    (
                        cell,
                        _("%(value)s is not a non-negative whole number.")
                        % {"value": _show(value)},
                    )
                )
    return [
        Finding(
            "NONNEG",
            ERROR,
            _("%(cell)s: %(problem)s") % {"cell": cell_name(format_id, *cell), "problem": problem},
            *cell,
        )
        for cell, problem in problems
    ]


def _channels(grid: _Grid) -> list[Finding]:
    items = pre2019_statistics()["items"]
    channels = [
        (PRE2019_TABLE, i["key"], PRE2019_COLUMN)
        for i in items
        if i["parent"] == CHANNELS_GROUP and i["kind"] == "data"
    ]
    total = (PRE2019_TABLE, CHANNELS_TOTAL, PRE2019_COLUMN)
    found = [c for c in channels if grid.kind(c) != MISSING]
    if not found or not grid.readable([total, *found]):
        return []
    added = sum(grid.value(c) for c in found)
    if added >= grid.value(total):
        return []
    group = _pre2019_items()[CHANNELS_GROUP]["label"]
    return [
        Finding(
            "PRE2019-CHANNELS",
            INFO,
            _(
                "The channels of %(group)s add up to %(sum)s, less than %(total)s (%(value)s). "
                "An item published on several channels counts once on each, so the channels "
                "usually add up to at least the total."
            )
            % {
                "group": group,
                "sum": _show(added),
                "total": cell_name(FORMAT_PRE2019, *total),
                "value": _show(grid.value(total)),
            },
            *total,
        )
    ]


def _level(
    grid: _Grid, report: Extracted, level: str | None, can_issue: bool | None
) -> list[Finding]:
    if grid.format not in (FORMAT_2021, FORMAT_2019):
        return []
    if may_issue_regulations(report.agency, level, can_issue) is not False:
        return []  # allowed, or cannot be told: say nothing
    row = "regulations"
    table_id = next((t for t, rows, _c in _layout(grid.format) if row in rows), "")
    if table_id not in grid.present:
        return []
    cells = grid.numeric[table_id][row]
    if grid.format == FORMAT_2019:
        # The 2019 columns 本年新公开数量 and 对外公开总数量 count 规章 published, which an
        # agency may do for rules it did not make; only 本年新制作数量 is impossible.
        cells = {c: v for c, v in cells.items() if c == "newly_made"}
    cells = {c: v for c, v in cells.items() if grid.kind((table_id, row, c)) == NUMBER}
    findings = []
    for found in validate.check_level({"t2_art20_1": {row: cells}}, False):
        cell = (table_id, row, found["col"])
        findings.append(
            Finding(
                found["id"],
                ERROR,
                _("%(cell)s is %(value)s. %(problem)s")
                % {
                    "cell": cell_name(grid.format, *cell),
                    "value": _show(grid.value(cell)),
                    "problem": found["message"],
                },
                *cell,
            )
        )
    return findings


# ---- the text --------------------------------------------------------------------------------


def _text(report: Extracted, grid: _Grid) -> list[Finding]:
    entries = report.narrative if isinstance(report.narrative, Mapping) else {}
    findings: list[Finding] = []
    quotes: list[str] = []
    for key, entry in entries.items():
        if not isinstance(entry, Mapping) or not isinstance(key, str):
            continue
        if key.endswith(PARTS_SUFFIX):
            found = _breakdown(entries, key, entry)
        elif key.endswith("_rate") or entry.get("percent") is True:
            found = _percent(report, grid, key, entry)
        else:
            found = _text_vs_table(grid, key, entry)
        if found is not None:
            findings.append(found)
            quotes.append(found.quote)
    findings += _quoted_figures(report, grid, quotes)
    return findings


def _cells_for(grid: _Grid, key: str) -> tuple[Cell, ...]:
    if grid.format == FORMAT_PRE2019:
        item = TEXT_ITEMS_PRE2019.get(key)
        return ((PRE2019_TABLE, item, PRE2019_COLUMN),) if item else ()
    if grid.format in (FORMAT_2021, FORMAT_2019):
        return TEXT_CELLS.get(key, ())
    return ()


def _table_value(grid: _Grid, key: str) -> tuple[Number, Number] | None:
    """The table's figure for a narrative key in the text's unit, and the tolerance."""
    cells = _cells_for(grid, key)
    if not cells or not grid.readable(cells):
        return None
    total: Number = sum(grid.value(c) for c in cells)
    tolerance: Number = 0
    if key in MONEY_KEYS and grid.format == FORMAT_PRE2019:
        unit = _pre2019_items().get(cells[0][1], {}).get("unit", "")
        scale = UNIT_IN_YUAN.get(unit, 1)
        exponent = Decimal(total).as_tuple().exponent
        digits = exponent if isinstance(exponent, int) else 0
        tolerance = Decimal(5).scaleb(digits - 1) * scale
        total = total * scale
    return total, tolerance


def _text_vs_table(grid: _Grid, key: str, entry: Mapping[str, Any]) -> Finding | None:
    stated = _number(entry.get("value"))
    table = _table_value(grid, key)
    if stated is None or table is None:
        return None
    expected, tolerance = table
    if abs(Decimal(stated) - Decimal(expected)) <= tolerance:
        return None
    cells = _cells_for(grid, key)
    quote = str(entry.get("quote") or "")
    return Finding(
        "TEXT-TABLE",
        WARNING,
        _("The text gives %(value)s (“%(quote)s”), but the table gives %(expected)s (%(cells)s).")
        % {
            "value": _show(stated),
            "quote": quote,
            "expected": _show(expected),
            "cells": " + ".join(cell_name(grid.format, *c) for c in cells),
        },
        *cells[0],
        quote=quote,
    )


def _resolve(report: Extracted, grid: _Grid, ref: Any) -> Number | None:
    """A number from a percentage's numerator or denominator (see the module docstring)."""
    number = _number(ref)
    if number is not None:
        return number
    if isinstance(ref, list | tuple):
        parts = [_resolve(report, grid, r) for r in ref]
        known = [p for p in parts if p is not None]
        return sum(known) if len(known) == len(parts) and parts else None
    if not isinstance(ref, str) or not ref:
        return None
    if ref.startswith("-"):
        value = _resolve(report, grid, ref[1:])
        return None if value is None else -value
    entry = report.narrative.get(ref) if isinstance(report.narrative, Mapping) else None
    if isinstance(entry, Mapping) and _number(entry.get("value")) is not None:
        return _number(entry.get("value"))
    if "." in ref:
        table_id, _dot, rest = ref.partition(".")
        row, _dot, col = rest.partition(".")
        cell = (table_id, row, col or PRE2019_COLUMN)
        return grid.value(cell) if grid.readable([cell]) else None
    table = _table_value(grid, ref)
    return table[0] if table is not None else None


def _percent(report: Extracted, grid: _Grid, key: str, entry: Mapping[str, Any]) -> Finding | None:
    printed = _number(entry.get("value"))
    if printed is None:
        return None
    pairs: tuple[tuple[Any, Any], ...] = KNOWN_RATES.get(key, ())
    if "numerator" in entry and "denominator" in entry:
        pairs = ((entry["numerator"], entry["denominator"]),)
    for numerator_ref, denominator_ref in pairs:
        numerator = _resolve(report, grid, numerator_ref)
        denominator = _resolve(report, grid, denominator_ref)
        if numerator is None or denominator is None:
            continue
        if not denominator:
            return None
        try:
            computed = Decimal(numerator) * 100 / Decimal(denominator)
            exponent = Decimal(printed).as_tuple().exponent
            digits = exponent if isinstance(exponent, int) else 0
            if abs(Decimal(printed) - computed) <= Decimal(5).scaleb(digits - 1):
                return None
        except ArithmeticError:  # figures no report prints (1E-999999): nothing to compare
            return None
        quote = str(entry.get("quote") or "")
        return Finding(
            "PERCENT",
            WARNING,
            _(
                "The text gives %(percent)s%% (“%(quote)s”), but %(numerator)s of "
                "%(denominator)s is %(computed)s%%."
            )
            % {
                "percent": _show(printed),
                "quote": quote,
                "numerator": _show(numerator),
                "denominator": _show(denominator),
                "computed": f"{computed:.2f}" if abs(computed) < 10**6 else f"{computed:.4g}",
            },
            quote=quote,
        )
    return None


def _breakdown(entries: Mapping[str, Any], key: str, entry: Mapping[str, Any]) -> Finding | None:
    total_entry = entries.get(key.removesuffix(PARTS_SUFFIX))
    total = _number(total_entry.get("value")) if isinstance(total_entry, Mapping) else None
    if _number(entry.get("total")) is not None:  # the figure the sentence breaks down
        total = _number(entry.get("total"))
    parts = entry.get("value")
    if isinstance(parts, Mapping):
        parts = list(parts.items())
    if total is None or not isinstance(parts, list | tuple) or not parts:
        return None
    numbers = [
        _number(p[1]) if isinstance(p, list | tuple) and len(p) == 2 else _number(p) for p in parts
    ]
    known = [n for n in numbers if n is not None]
    if len(known) != len(numbers):
        return None
    added: Number = sum(known)
    partial = entry.get("partial") is True
    if added == total or (partial and added < total):
        return None
    quote = str(entry.get("quote") or "")
    values = {"sum": _show(added), "total": _show(total), "quote": quote}
    message = (
        _(
            "The parts listed add up to %(sum)s, more than the stated total of %(total)s (“%(quote)s”)."
        )
        if added > total
        else _(
            "The parts listed add up to %(sum)s, not to the stated total of %(total)s (“%(quote)s”)."
        )
    )
    # A list after 其中 may name only some parts: less than the total is a note, more is
    # a real disagreement.
    severity = WARNING if added > total else INFO
    return Finding("BREAKDOWN-SUM", severity, message % values, quote=quote)


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quoted_figures(report: Extracted, grid: _Grid, quotes: list[str]) -> list[Finding]:
    """narrative.check_quoted_figures over the sections, for the 2021 and 2019 tables, less
    the sentences the extractor's figures were already found wrong in."""
    if grid.format not in (FORMAT_2021, FORMAT_2019):
        return []
    # The figures it knows are totals: table 三's 总计 column and table 四.
    needed = [
        (table_id, row, col)
        for table_id, row, col in grid.kinds
        if table_id == REVIEW_TABLE or (table_id == APPLICATIONS_TABLE and col == "total")
    ]
    if not grid.readable(needed):
        return []
    sections = report.sections if isinstance(report.sections, Mapping) else {}
    reported = [_plain(q) for q in quotes if q]
    findings = []
    for key, text in sections.items():
        if not isinstance(text, str):
            continue
        sentences = [s for _w, _n, s in narrative.quoted_figures(text)]
        for found in narrative.check_quoted_figures({key: text}, grid.numeric):
            message = str(found["message"])
            quote = next((s for s in sentences if s and s in message), "")
            plain = _plain(quote)
            if plain and any(plain in q or q in plain for q in reported):
                continue
            findings.append(Finding("TEXT-TABLE", WARNING, message, quote=quote))
    return findings


# ---- a series of years ---------------------------------------------------------------------


def check_series(reports: list[Extracted]) -> dict[int, list[Finding]]:
    """Cross-year findings among the reports of one agency, by index in `reports`.

    The reports are compared in order of year; where a year occurs twice, the first of
    them stands for it. Year Y's 上年结转 is compared with year Y-1's 结转下年度继续办理 (and
    现行有效件数 with last year's), and each report's sections and tables with those of
    every earlier year, the most alike being reported.
    """
    result: dict[int, list[Finding]] = {i: [] for i in range(len(reports))}
    by_year: dict[int, list[int]] = {}
    for i, report in enumerate(reports):
        if isinstance(report.year, int) and not isinstance(report.year, bool):
            by_year.setdefault(report.year, []).append(i)
    for year, indices in by_year.items():
        for i in indices[1:]:
            result[i].append(
                Finding(
                    "DUPLICATE-YEAR",
                    INFO,
                    _(
                        "%(file)s is also a report for %(year)d; only the first of them was "
                        "compared with other years."
                    )
                    % {"file": reports[indices[0]].file, "year": year},
                )
            )
    years = sorted((year, indices[0]) for year, indices in by_year.items())
    grids = {i: _Grid(reports[i]) for _year, i in years}
    for position, (year, i) in enumerate(years):
        earlier = years[:position]
        if year - 1 in by_year:
            result[i] += _carry(grids[i], grids[by_year[year - 1][0]])
        result[i] += _copied_text(reports[i], [(y, reports[j]) for y, j in earlier])
        result[i] += _identical_tables(grids[i], [(y, grids[j]) for y, j in earlier])
    return result


def _carry(now: _Grid, before: _Grid) -> list[Finding]:
    formats = (FORMAT_2021, FORMAT_2019)
    if now.format not in formats or before.format not in formats:
        return []
    if APPLICATIONS_TABLE not in now.present or APPLICATIONS_TABLE not in before.present:
        return []
    in_force = "t2_art20_1"
    tables = {APPLICATIONS_TABLE: now.numeric[APPLICATIONS_TABLE]}
    last = {APPLICATIONS_TABLE: before.numeric[APPLICATIONS_TABLE]}
    if in_force in now.present and in_force in before.present:
        tables[in_force] = now.numeric[in_force]
        last[in_force] = before.numeric[in_force]
    findings = []
    for found in validate.check_against_last_year(tables, last):
        table_id, row, col = found["table"], found["row"], found["col"]
        if table_id == APPLICATIONS_TABLE:
            mine, theirs = [(table_id, row, col)], [(table_id, "carried_forward", col)]
        else:
            mine = [(table_id, row, c) for c in ("issued", "repealed", "in_force")]
            theirs = [(table_id, row, "in_force")]
        if not now.readable(mine) or not before.readable(theirs):
            continue
        findings.append(
            Finding(
                found["id"],
                found["severity"],
                _("%(cell)s: %(problem)s")
                % {"cell": cell_name(now.format, table_id, row, col), "problem": found["message"]},
                table_id,
                row,
                col,
            )
        )
    return sorted(findings, key=lambda f: _sort_key(now.format, f))


def _copied_text(report: Extracted, earlier: list[tuple[int, Extracted]]) -> list[Finding]:
    sections = report.sections if isinstance(report.sections, Mapping) else {}
    titles = narrative.section_titles()
    findings = []
    for key, text in sections.items():
        if not isinstance(text, str) or len(_plain(text)) < COPIED_MIN_CHARS:
            continue
        best: tuple[float, int] | None = None
        for year, other in earlier:
            before = other.sections.get(key) if isinstance(other.sections, Mapping) else None
            if not isinstance(before, str) or len(_plain(before)) < COPIED_MIN_CHARS:
                continue
            ratio = narrative.similarity(text, before)
            if ratio >= narrative.REPEAT_THRESHOLD and (best is None or ratio >= best[0]):
                best = (ratio, year)
        if best is not None:
            findings.append(
                Finding(
                    "TEXT-REPEATED",
                    WARNING,
                    _(
                        "%(section)s is %(percent)d%% the same as in the %(year)d report. "
                        "Evaluators criticise text copied from an earlier year."
                    )
                    % {
                        "section": titles.get(key, key),
                        "percent": round(best[0] * 100),
                        "year": best[1],
                    },
                )
            )
    return findings


def _identical_tables(grid: _Grid, earlier: list[tuple[int, _Grid]]) -> list[Finding]:
    figures = grid.figures()
    nonzero = [v for v in figures.values() if v]
    if len(nonzero) < IDENTICAL_MIN_FIGURES or len(set(nonzero)) < IDENTICAL_MIN_DISTINCT:
        return []  # a few zeros and ones can well repeat
    for year, other in reversed(earlier):
        if other.format == grid.format and other.figures() == figures:
            return [
                Finding(
                    "TABLES-IDENTICAL",
                    WARNING,
                    _(
                        "Every figure in the tables (%(count)d figures) is the same as in the "
                        "%(year)d report."
                    )
                    % {"count": len(figures), "year": year},
                )
            ]
    return []
