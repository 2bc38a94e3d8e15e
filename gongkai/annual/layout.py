"""The printed layout of a report table from the format file: header rows with merged
cells (column groups, e.g. 申请人情况 › 法人或其他组织 › 商业企业) and data rows with
their indentation. Used by the pages and by the file formats, so labels are never typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.lib.report_format import FORMAT_2021, format_spec, format_table


@dataclass(frozen=True)
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1
    key: str = ""  # the column key of a leaf (data) column


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    kind: str  # "data" or "group"
    depth: int


class _Tree:
    def __init__(self, table_id: str, format_id: str) -> None:
        spec = format_table(format_id, table_id)
        self.spec = spec
        self.columns = {c["key"]: c for c in spec["columns"]}
        self.groups = {g["key"]: g for g in spec.get("column_groups", [])}
        children = {key for g in self.groups.values() for key in g["children"]}
        order = list(self.columns)
        roots = [g["key"] for g in self.groups.values() if g["key"] not in children]
        roots += [key for key in order if key not in children]
        self.roots = sorted(roots, key=lambda key: order.index(self.first_leaf(key)))

    def first_leaf(self, key: str) -> str:
        while key in self.groups:
            key = self.groups[key]["children"][0]
        return key

    def depth(self, key: str) -> int:
        if key not in self.groups:
            return 1
        return 1 + max(self.depth(k) for k in self.groups[key]["children"])

    def width(self, key: str) -> int:
        if key not in self.groups:
            return 1
        return sum(self.width(k) for k in self.groups[key]["children"])

    def leaves(self, key: str) -> list[str]:
        if key not in self.groups:
            return [key]
        return [leaf for k in self.groups[key]["children"] for leaf in self.leaves(k)]


def header_rows(table_id: str, format_id: str = FORMAT_2021) -> list[list[HeaderCell]]:
    """Header rows; the first cell of the first row is the row-header corner."""
    tree = _Tree(table_id, format_id)
    levels = max(tree.depth(k) for k in tree.roots)
    rows: list[list[HeaderCell]] = [[] for _ in range(levels)]

    def place(key: str, level: int) -> None:
        if key in tree.groups:
            rows[level].append(HeaderCell(tree.groups[key]["label"], colspan=tree.width(key)))
            for child in tree.groups[key]["children"]:
                place(child, level + 1)
        else:
            label = tree.columns[key]["label"]
            rows[level].append(HeaderCell(label, rowspan=levels - level, key=key))

    for root in tree.roots:
        place(root, 0)
    rows[0].insert(0, HeaderCell(tree.spec.get("row_header_label") or "", rowspan=levels))
    return rows


def leaf_columns(table_id: str, format_id: str = FORMAT_2021) -> list[str]:
    """Data column keys in printed order."""
    tree = _Tree(table_id, format_id)
    return [leaf for root in tree.roots for leaf in tree.leaves(root)]


def body_rows(table_id: str, format_id: str = FORMAT_2021) -> list[Row]:
    spec = format_table(format_id, table_id)
    parents: dict[str, Any] = {r["key"]: r.get("parent") for r in spec["rows"]}

    def depth(key: str) -> int:
        parent = parents.get(key)
        return 0 if not parent else 1 + depth(parent)

    return [Row(r["key"], r["label"], r["kind"], depth(r["key"])) for r in spec["rows"]]


def table_sections(
    tables: dict[str, Any], findings: list[dict[str, Any]], format_id: str = FORMAT_2021
) -> list[dict[str, Any]]:
    """The format's table sections with each table's header rows and body rows, every data
    cell with its value and its finding, if any (the office's and the portal's page)."""
    marks = {(f["table"], f["row"], f["col"]): f for f in findings}
    sections = []
    for section in format_spec(format_id)["sections"]:
        if section["form"] != "table":
            continue
        rendered = []
        for table_id in section["tables"]:
            columns = leaf_columns(table_id, format_id)
            rows = []
            for row in body_rows(table_id, format_id):
                cells = (
                    [
                        {
                            "col": col,
                            "value": tables[table_id][row.key][col],
                            "finding": marks.get((table_id, row.key, col)),
                        }
                        for col in columns
                    ]
                    if row.kind == "data"
                    else []
                )
                rows.append({"row": row, "cells": cells})
            rendered.append(
                {
                    "id": table_id,
                    "title": format_table(format_id, table_id)["title"],
                    "headers": header_rows(table_id, format_id),
                    "rows": rows,
                    "width": len(columns) + 1,
                }
            )
        sections.append({"no": section["no"], "title": section["title"], "tables": rendered})
    return sections
