"""The official annual-report format (国办公开办函〔2021〕30号) as data.

gongkai/data/annual_report_format.json is a copy of the project's specification file and
the single source of report labels, outcome keys and applicant types: nobody retypes
them. This module only reads it.
"""

from __future__ import annotations

import json
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


ORGANISATION = "legal_person_or_other_org"
NATURAL_PERSON = "natural_person"


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
