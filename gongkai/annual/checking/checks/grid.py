"""What the checks share: the formats as data (tables, cells by their printed names, the
circulars), a report's figures as a grid of numbers, and the format's identities as sums."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.utils.translation import gettext as _

from gongkai.annual import validate
from gongkai.annual.checking.document import (
    AMBIGUOUS,
    BLANK,
    DASH,
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
    SLASH,
    Extracted,
    Finding,
)
from gongkai.annual.checking.formats import TEXT_CELLS_BY_FORMAT as TEXT_CELLS_BY_FORMAT
from gongkai.annual.checking.labels import pre2019_statistics as pre2019_statistics
from gongkai.lib.report_format import (
    APPLICATIONS_TABLE,
    REVIEW_TABLE,
    format_spec,
    format_table,
    identities,
)
from gongkai.orgs.models import Level

Number = int | Decimal
Cell = tuple[str, str, str]  # (table, row, column)

NUMBER, MISSING = "number", "missing"  # cell kinds besides the non-numbers of document.py
READ_AS_ZERO = (BLANK, SLASH, DASH)
PRE2019_TABLE, PRE2019_COLUMN = "pre2019", "value"
LISTED = 8  # cells named in a message before "and N more"
LARGEST = 10**15

# The levels (orgs.models.Level) that never make 规章 (《立法法》第九十三条: only the
# governments of provinces, autonomous regions, municipalities, 设区的市 and 自治州).
LEVELS_WITHOUT_REGULATIONS = (Level.TOWNSHIP, Level.COUNTY)
LEVELS_WITH_REGULATIONS = (Level.PROVINCE, Level.CITY)

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


def sort_key(format_id: str, finding: Finding) -> tuple[int, int, int]:
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


class Grid:
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
class Sum:
    """One instance of an identity: lhs = rhs, or lhs >= rhs (the pre-2019 table's 其中
    items, which report_format.Identity, being the official formats', does not have)."""

    id: str
    lhs: tuple[Cell, ...]
    rhs: tuple[Cell, ...]
    at_least: bool = False

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.lhs + self.rhs

    def sides(self, grid: Grid) -> tuple[Number, Number]:
        return sum(grid.value(c) for c in self.lhs), sum(grid.value(c) for c in self.rhs)

    def holds(self, grid: Grid) -> bool:
        left, right = self.sides(grid)
        return left >= right if self.at_least else left == right


@cache
def _sums(format_id: str) -> tuple[Sum, ...]:
    """The hard identities of a format (2021/2019: the JSON's, as report_format.identities()
    binds them; pre-2019: parent and children by "sum_of_children", and 其中 items not above
    their parent)."""
    if format_id in (FORMAT_2021, FORMAT_2019):
        return tuple(Sum(i.id, i.lhs, i.rhs) for i in identities(format_id))
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
            found.append(Sum("PRE2019-SUM", whole, children, at_least=rule == "at_least"))
        else:  # 其中 items: each a part of its parent
            found.extend(Sum("PRE2019-PART", whole, (child,), at_least=True) for child in children)
    return tuple(found)
