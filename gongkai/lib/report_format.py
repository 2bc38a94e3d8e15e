"""The official annual-report formats (国办公开办函〔2021〕30号, and 〔2019〕60号) as data.

gongkai/data/annual_report_format.json is a copy of the project's specification file and
the single source of report labels, outcome keys and applicant types: nobody retypes
them. This module only reads it; gongkai.lib.report_keys names the keys for code.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

APPLICATIONS_TABLE = "t3_applications"
REVIEW_TABLE = "t4_review_litigation"


@cache
def report_format() -> dict[str, Any]:
    data = resources.files("gongkai.data").joinpath("annual_report_format.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(data)
    return result


@cache
def table(table_id: str) -> dict[str, Any]:
    for item in report_format()["tables"]:
        if item["id"] == table_id:
            found: dict[str, Any] = item
            return found
    raise KeyError(table_id)


@cache
def outcome_rows() -> tuple[dict[str, Any], ...]:
    """Leaf rows under 三、本年度办理结果 except the total: the outcome of a closed case."""
    rows = table(APPLICATIONS_TABLE)["rows"]
    result_groups = {"results"} | {
        r["key"] for r in rows if r.get("parent") == "results" and r["kind"] == "group"
    }
    return tuple(
        r
        for r in rows
        if r["kind"] == "data"
        and r.get("parent") in result_groups
        and r["key"] != "total_processed"
    )


def outcome_choices() -> list[tuple[str, str]]:
    """(key, label) of every outcome, labelled as in the report, group first."""
    rows = {r["key"]: r for r in table(APPLICATIONS_TABLE)["rows"]}
    choices = []
    for row in outcome_rows():
        parent = rows.get(row["parent"])
        label = row["label"]
        if parent is not None and parent["key"] != "results":
            label = f"{parent['label']} {label}"
        choices.append((row["key"], label))
    return choices


# A row label's counting instruction for whoever fills the report, such as
# "（区分处理的，只计这一情形，不计其他情形）": not part of the outcome's name.
_COUNTING_NOTE = re.compile(r"（[^（）]*计[^（）]*）$")


def case_outcome_choices() -> list[tuple[str, str]]:
    """(key, label) of every outcome as a case shows it: the report's label without its
    counting instruction."""
    return [(key, _COUNTING_NOTE.sub("", label)) for key, label in outcome_choices()]


def outcome_legal_basis(key: str) -> str:
    for row in outcome_rows():
        if row["key"] == key:
            return str(row.get("legal_basis", ""))
    raise KeyError(key)


def applicant_type_choices() -> list[tuple[str, str]]:
    """The applicant columns of table 三 (without the total): 自然人 and five kinds of organisation."""
    spec = table(APPLICATIONS_TABLE)
    groups = {g["key"]: g["label"] for g in spec["column_groups"]}
    return [
        (c["key"], f"{groups[c['parent']]}（{c['label']}）" if c.get("parent") else c["label"])
        for c in spec["columns"]
        if c["key"] != "total"
    ]


def remedy_kind_choices() -> list[tuple[str, str]]:
    """行政复议, 未经复议直接起诉, 复议后起诉: the column groups of table 四."""
    groups = {g["key"]: g["label"] for g in table(REVIEW_TABLE)["column_groups"]}
    return [
        (key, groups[key])
        for key in ("administrative_review", "litigation_direct", "litigation_after_review")
    ]


def remedy_result_choices() -> list[tuple[str, str]]:
    """结果维持, 结果纠正, 其他结果, 尚未审结: the result columns of table 四 (without 总计)."""
    return [
        (c["key"].removeprefix("review_"), c["label"])
        for c in table(REVIEW_TABLE)["columns"]
        if c.get("parent") == "administrative_review" and c["key"] != "review_total"
    ]


# ---- the two official formats ----------------------------------------------------------
#
# The JSON describes the 2021 format (国办公开办函〔2021〕30号) at its top level and the 2019
# one (国办公开办函〔2019〕60号) by difference in "format_2019". format_spec() builds either
# as a whole, in the shape of the top level, so that a renderer or validator need not know
# which one it holds. report_format() and table() above stay the 2021 format.

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FORMATS = (FORMAT_2021, FORMAT_2019)

# Named in prose by format_2019.t3_differences: in 2019 （六）其他处理 is a single data row,
# so the 2021 rows under it are counted in it.
OTHER_HANDLING = "other_handling"
# Not in the JSON, which gives the 2019 columns no "type": 采购总金额 is an amount of money,
# not a count, so it may have decimals.
PROCUREMENT_AMOUNT_2019 = ("t2_2019_art20_9", "procurement_amount")
# Column note of the JSON marking a column whose values may be negative (本年增/减).
SIGNED_NOTE = "signed"
NONNEG = "NONNEG"


def format_id_for_year(year: int) -> str | None:
    """ "2021" for 2021 onwards, "2019" for 2019–2020, None before 2019 (pre-2019 reports had
    no national table format)."""
    years_2019 = report_format()["format_2019"]["used_for_report_years"]
    if year > max(years_2019):
        return FORMAT_2021
    if year >= min(years_2019):
        return FORMAT_2019
    return None


def _check_format(format_id: str) -> None:
    if format_id not in FORMATS:
        raise KeyError(format_id)


def row_in_format(format_id: str, key: str) -> str:
    """The row of `format_id`'s table 三 in which the 2021 row `key` is counted.

    The same key, except in 2019 for the rows under （六）其他处理, which count in it.
    """
    _check_format(format_id)
    rows = {r["key"]: r for r in table(APPLICATIONS_TABLE)["rows"]}
    if key not in rows:
        raise KeyError(key)
    if format_id == FORMAT_2019 and rows[key].get("parent") == OTHER_HANDLING:
        return OTHER_HANDLING
    return key


def fold_table_three(
    format_id: str, cells: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, int]]:
    """A 2021-shaped table 三 (row → column → value) in the shape of `format_id`.

    For 2019 the rows under （六）其他处理 are summed, column by column, into its single row;
    the rows come in the order of the format's table. The argument is not changed.
    """
    folded: dict[str, dict[str, int]] = {}
    for row, values in cells.items():
        target = folded.setdefault(row_in_format(format_id, row), {})
        for col, value in values.items():
            target[col] = target.get(col, 0) + value
    order = {r["key"]: n for n, r in enumerate(format_table(format_id, APPLICATIONS_TABLE)["rows"])}
    return {row: folded[row] for row in sorted(folded, key=order.__getitem__)}


def _column_cells(
    tables: list[dict[str, Any]], keep: Callable[[dict[str, Any]], bool]
) -> list[dict[str, str]]:
    """{"table", "row", "col"} of every data cell whose column satisfies `keep`."""
    return [
        {"table": t["id"], "row": r["key"], "col": c["key"]}
        for t in tables
        for c in t["columns"]
        if keep(c)
        for r in t["rows"]
        if r["kind"] == "data"
    ]


def _equation(identity: Mapping[str, Any]) -> str:
    """The equation of a lhs/rhs identity written as the JSON writes them: row[col] + …"""

    def side(refs: list[dict[str, str]]) -> str:
        return " + ".join(f"{ref['row']}[{ref['col']}]" for ref in refs)

    return f"{side(identity['lhs'])} = {side(identity['rhs'])}"


def _named_tables(identity: Mapping[str, Any], table_ids: list[str]) -> set[str]:
    """The tables an identity is over: its "table", its cells' tables, those its equation names."""
    named = {ref["table"] for side in ("lhs", "rhs") for ref in identity.get(side, [])}
    if "table" in identity:
        named.add(identity["table"])
    named.update(t for t in table_ids if t in identity.get("equation", ""))
    return named


def _fold_identity(identity: dict[str, Any]) -> dict[str, Any]:
    """A 2021 identity over table 三 with the rows under （六）其他处理 counted in it."""

    def row_of(ref_table: str, row: str) -> str:
        if ref_table != APPLICATIONS_TABLE or row.startswith("{"):
            return row
        return row_in_format(FORMAT_2019, row)

    result = copy.deepcopy(identity)
    for side in ("lhs", "rhs"):
        if side not in result:
            continue
        refs: list[dict[str, str]] = []
        for ref in result[side]:
            mapped = {**ref, "row": row_of(ref["table"], ref["row"])}
            # Three 2021 cells of one side become the one 2019 cell: counted once.
            if mapped["row"] != ref["row"] and mapped in refs:
                continue
            refs.append(mapped)
        result[side] = refs
    for_each = result.get("for_each", {})
    if "row" in for_each and result.get("table") == APPLICATIONS_TABLE:
        for_each["row"] = list(
            dict.fromkeys(row_of(APPLICATIONS_TABLE, r) for r in for_each["row"])
        )
    if "lhs" in result and result != identity:
        result["equation"] = _equation(result)
    return result


def _spec_2021() -> dict[str, Any]:
    data = report_format()
    tables = copy.deepcopy(data["tables"])
    return {
        "id": FORMAT_2021,
        "format": copy.deepcopy(data["format"]),
        "document": data["format"]["document"],
        "sections": copy.deepcopy(data["sections"]),
        "tables": tables,
        "identities": copy.deepcopy(data["identities"]),
        "signed_cells": _column_cells(tables, lambda c: c.get("note") == SIGNED_NOTE),
        "decimal_cells": _column_cells(tables, lambda c: c.get("type") == "decimal"),
    }


def _spec_2019() -> dict[str, Any]:
    data = report_format()
    old = data["format_2019"]
    # Section 二 is where the 2021 tables of the same titles as the 2019 blocks stand.
    titles = {b["title"] for b in old["t2_blocks"]}
    (section_no,) = {t["section"] for t in data["tables"] if t["title"] in titles}
    section_two = next(s for s in data["sections"] if s["no"] == section_no)
    # Section 二: the 2019 blocks, with the keys a 2021 table has.
    two = []
    for block in copy.deepcopy(old["t2_blocks"]):
        for column in block["columns"]:
            decimal = (block["id"], column["key"]) == PROCUREMENT_AMOUNT_2019
            column.setdefault("parent", None)
            column.setdefault("type", "decimal" if decimal else "integer")
        two.append({"id": block.pop("id"), "section": section_two["no"], **block})
    # Table 三: the rows under （六）其他处理 go; （六）其他处理 becomes a data row.
    three = copy.deepcopy(table(APPLICATIONS_TABLE))
    three["rows"] = [r for r in three["rows"] if r.get("parent") != OTHER_HANDLING]
    for row in three["rows"]:
        if row["key"] == OTHER_HANDLING:
            row["kind"] = "data"
    # Table 四: identical.
    four = copy.deepcopy(table(REVIEW_TABLE))
    tables = [*two, three, four]
    sections = copy.deepcopy(data["sections"])
    for section in sections:
        if section["key"] == section_two["key"]:
            section["tables"] = [t["id"] for t in two]
    table_ids = [t["id"] for t in tables]
    all_ids = [t["id"] for t in data["tables"]] + table_ids
    signed_cells = _column_cells(tables, lambda c: c.get("note") == SIGNED_NOTE)
    decimal_cells = _column_cells(tables, lambda c: c.get("type") == "decimal")
    identities = []
    for identity in data["identities"]:
        if not _named_tables(identity, all_ids) <= set(table_ids):
            continue  # over a 2021 table that 2019 does not have
        folded = _fold_identity(identity)
        if folded["id"] == NONNEG:
            folded["description"] = (
                "All cells are non-negative whole numbers, except the format's "
                "signed_cells (本年增/减), which may be negative, and its decimal_cells, "
                "which may have decimals"
            )
        identities.append(folded)
    return {
        "id": FORMAT_2019,
        "format": {k: copy.deepcopy(v) for k, v in old.items() if k != "t2_blocks"},
        "document": old["document"],
        "sections": sections,
        "tables": tables,
        "identities": identities,
        "signed_cells": signed_cells,
        "decimal_cells": decimal_cells,
    }


@cache
def format_spec(format_id: str) -> dict[str, Any]:
    """A complete format in the shape of the 2021 top level of the JSON.

    {"id", "format", "document", "sections", "tables", "identities", "signed_cells",
    "decimal_cells"}: for "2021" the top level itself; for "2019" section 二 holds the 2019
    blocks, table 三 has （六）其他处理 as a single data row, table 四 is the 2021 one, and the
    identities are the 2021 ones over the tables 2019 has, with the rows under （六）其他处理
    counted in it. signed_cells and decimal_cells ({"table", "row", "col"}) are the cells a
    validator must allow to be negative, or fractional. Treat the result as read-only: it
    is cached.
    """
    _check_format(format_id)
    return _spec_2021() if format_id == FORMAT_2021 else _spec_2019()


def format_table(format_id: str, table_id: str) -> dict[str, Any]:
    for item in format_spec(format_id)["tables"]:
        if item["id"] == table_id:
            found: dict[str, Any] = item
            return found
    raise KeyError(table_id)


# ---- the identities ----------------------------------------------------------------------
#
# The JSON writes an identity once, with placeholders ({col}, {row}) bound by "for_each":
# "lhs = rhs" over cell references. Everything that checks tables (annual.validate on the
# system's own reports, the checker on published ones, the checker's reader when it splits
# digits run together) reads them through identities() below, one bound instance at a time.

CellRef = tuple[str, str, str]  # (table, row, column)


@dataclass(frozen=True)
class Identity:
    """One bound instance of a hard identity of a format: total = Σ sign · addend.

    `total` is the first cell of the JSON's left-hand side; the other left-hand cells are
    addends with sign -1, the right-hand ones addends with sign +1 (T3-BALANCE:
    new_received + carried_over = total_processed + carried_forward). `lhs` and `rhs` give
    the two sides back in the JSON's order, for messages that print the equation as the
    format writes it.
    """

    id: str
    format: str
    table: str
    total: CellRef
    addends: tuple[tuple[CellRef, int], ...]
    description: str = ""

    @property
    def lhs(self) -> tuple[CellRef, ...]:
        return (self.total, *(cell for cell, sign in self.addends if sign < 0))

    @property
    def rhs(self) -> tuple[CellRef, ...]:
        return tuple(cell for cell, sign in self.addends if sign > 0)

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return self.lhs + self.rhs


def _bindings(identity: Mapping[str, Any]) -> list[dict[str, str]]:
    """The bindings of the identity's placeholders ({col}, {row}); one empty binding if none."""
    bindings: list[dict[str, str]] = [{}]
    for name, values in identity.get("for_each", {}).items():
        bindings = [{**b, name: v} for b in bindings for v in values]
    return bindings


def _bind(ref: Mapping[str, str], binding: Mapping[str, str]) -> CellRef:
    return (ref["table"], ref["row"].format_map(binding), ref["col"].format_map(binding))


@cache
def identities(format_id: str) -> tuple[Identity, ...]:
    """The hard lhs = rhs identities of a format, every binding of their placeholders, in the
    order of the JSON (identity by identity, bindings in the order of "for_each")."""
    found: list[Identity] = []
    for identity in format_spec(format_id)["identities"]:
        if "lhs" not in identity or not identity["strictness"].startswith("hard"):
            continue
        for binding in _bindings(identity):
            lhs = [_bind(ref, binding) for ref in identity["lhs"]]
            rhs = [_bind(ref, binding) for ref in identity["rhs"]]
            found.append(
                Identity(
                    id=identity["id"],
                    format=format_id,
                    table=identity["lhs"][0]["table"],
                    total=lhs[0],
                    addends=(*((c, -1) for c in lhs[1:]), *((c, 1) for c in rhs)),
                    description=identity.get("description", ""),
                )
            )
    return tuple(found)
