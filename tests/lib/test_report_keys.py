"""The enums of gongkai.lib.report_keys name exactly the keys annual_report_format.json lists.

The JSON is read here apart from the modules under test, so that neither an enum nor the
reader can drift from the law's data unnoticed. No database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import models

from gongkai.lib import report_format
from gongkai.lib.report_keys import (
    OVERDUE_OUTCOMES,
    ApplicantType,
    Outcome,
    RemedyKind,
    RemedyResult,
)

RAW = json.loads(
    (Path(__file__).resolve().parents[2] / "gongkai/data/annual_report_format.json").read_text(
        "utf-8"
    )
)


def _table(table_id: str) -> dict[str, Any]:
    return next(t for t in RAW["tables"] if t["id"] == table_id)


def test_outcomes_are_the_result_rows_of_table_three():
    rows = _table("t3_applications")["rows"]
    groups = {"results"} | {
        r["key"] for r in rows if r["parent"] == "results" and r["kind"] == "group"
    }
    leaves = [
        r["key"]
        for r in rows
        if r["kind"] == "data" and r["parent"] in groups and r["key"] != "total_processed"
    ]
    assert Outcome.values == leaves
    assert len(leaves) == 21


def test_applicant_types_are_the_columns_of_table_three():
    columns = [c["key"] for c in _table("t3_applications")["columns"] if c["key"] != "total"]
    assert ApplicantType.values == columns


def test_remedy_kinds_are_the_column_groups_of_table_four():
    groups = _table("t4_review_litigation")["column_groups"]
    with_cells = [g["key"] for g in groups if all(g["key"] != c.get("parent") for c in groups)]
    assert RemedyKind.values == with_cells


def test_remedy_results_are_the_columns_of_each_group_of_table_four():
    columns = _table("t4_review_litigation")["columns"]
    prefixes = {"administrative_review": "review_", "litigation_direct": "lit_direct_"}
    prefixes["litigation_after_review"] = "lit_after_review_"
    for kind, prefix in prefixes.items():
        keys = [
            c["key"].removeprefix(prefix)
            for c in columns
            if c["parent"] == kind and c["key"] != f"{prefix}total"
        ]
        assert RemedyResult.values == keys, kind


def test_labels_are_the_report_s_own():
    assert Outcome.choices == report_format.outcome_choices()
    assert ApplicantType.choices == report_format.applicant_type_choices()
    assert RemedyKind.choices == report_format.remedy_kind_choices()
    assert RemedyResult.choices == report_format.remedy_result_choices()
    assert Outcome.OTHER_MISC.label == "（六）其他处理 3.其他"
    assert ApplicantType.NATURAL_PERSON.label == "自然人"


def test_members_are_the_strings_stored_in_the_database():
    assert Outcome.OTHER_MISC == "other_misc"
    assert RemedyResult.PENDING == "pending"
    assert ApplicantType("natural_person") is ApplicantType.NATURAL_PERSON
    assert all(issubclass(e, models.TextChoices) for e in (Outcome, ApplicantType, RemedyKind))
    assert set(OVERDUE_OUTCOMES) == {"other_overdue_correction", "other_overdue_fee"}
