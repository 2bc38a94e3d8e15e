"""The 2021 and 2019 report formats built from annual_report_format.json, and table 三's fold.

No database: the formats are data. Identities are evaluated here by a small evaluator of
their own, independent of gongkai.annual.validate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.lib.report_format import (
    APPLICATIONS_TABLE,
    REVIEW_TABLE,
    fold_table_three,
    format_id_for_year,
    format_spec,
    format_table,
    identities,
    report_format,
    row_in_format,
    table,
)

FORMATS = ["2021", "2019"]
# The JSON file itself, read apart from the module under test.
RAW = json.loads(
    (Path(__file__).resolve().parents[2] / "gongkai/data/annual_report_format.json").read_text(
        "utf-8"
    )
)
OLD = RAW["format_2019"]


def identity(spec: dict[str, Any], identity_id: str) -> dict[str, Any]:
    return next(i for i in spec["identities"] if i["id"] == identity_id)


def data_rows(table_spec: dict[str, Any]) -> list[str]:
    return [r["key"] for r in table_spec["rows"] if r["kind"] == "data"]


def columns(table_spec: dict[str, Any]) -> list[str]:
    return [c["key"] for c in table_spec["columns"]]


# ---- a tiny evaluator of the JSON's lhs/rhs identities ---------------------------------


def bindings(item: dict[str, Any]) -> list[dict[str, str]]:
    result: list[dict[str, str]] = [{}]
    for name, values in item.get("for_each", {}).items():
        result = [{**b, name: v} for b in result for v in values]
    return result


def fill(text: str, binding: dict[str, str]) -> str:
    for name, value in binding.items():
        text = text.replace("{" + name + "}", value)
    return text


def bound_refs(item: dict[str, Any], side: str, binding: dict[str, str]) -> list[tuple[str, ...]]:
    return [
        (ref["table"], fill(ref["row"], binding), fill(ref["col"], binding)) for ref in item[side]
    ]


def violations(spec: dict[str, Any], tables: dict[str, Any]) -> list[tuple[str, str]]:
    """(identity id, binding) of every hard lhs/rhs identity over `tables` that fails."""
    failed = []
    for item in spec["identities"]:
        if "lhs" not in item or not item["strictness"].startswith("hard"):
            continue
        if {ref["table"] for ref in item["lhs"] + item["rhs"]} - tables.keys():
            continue
        for binding in bindings(item):
            left, right = (
                sum(tables[t][r][c] for t, r, c in bound_refs(item, side, binding))
                for side in ("lhs", "rhs")
            )
            if left != right:
                failed.append((item["id"], json.dumps(binding)))
    return failed


# ---- years -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2007, None), (2018, None), (2019, "2019"), (2020, "2019"), (2021, "2021"), (2026, "2021")],
)
def test_format_for_year(year, expected):
    assert format_id_for_year(year) == expected


def test_unknown_format_is_refused():
    with pytest.raises(KeyError):
        format_spec("2008")
    with pytest.raises(KeyError):
        format_table("2019", "t2_art20_1")  # a 2021 table only
    with pytest.raises(KeyError):
        row_in_format("2019", "no_such_row")


# ---- the 2021 format is the top level of the JSON, unchanged ---------------------------


def test_2021_is_the_top_level():
    spec = format_spec("2021")
    assert spec["id"] == "2021"
    for key in ("format", "sections", "tables", "identities"):
        assert spec[key] == RAW[key]
        assert report_format()[key] == RAW[key]  # the old entry point is unchanged
    assert spec["document"] == RAW["format"]["document"]
    for item in RAW["tables"]:
        assert format_table("2021", item["id"]) == item == table(item["id"])
    assert spec["signed_cells"] == []
    decimal = [(c["table"], c["col"]) for c in spec["decimal_cells"]]
    assert decimal == [
        (t["id"], c["key"]) for t in RAW["tables"] for c in t["columns"] if c["type"] == "decimal"
    ]
    assert decimal == [("t2_art20_8", "fee_amount")]  # 本年收费金额（万元）


def test_2021_spec_does_not_leak_into_report_format():
    spec = format_spec("2019")
    spec_three = format_table("2019", APPLICATIONS_TABLE)
    assert len(spec_three["rows"]) < len(table(APPLICATIONS_TABLE)["rows"])
    assert len(table(APPLICATIONS_TABLE)["rows"]) == len(
        next(t for t in RAW["tables"] if t["id"] == APPLICATIONS_TABLE)["rows"]
    )
    assert spec["identities"] != report_format()["identities"]
    assert report_format()["identities"] == RAW["identities"]


# ---- the 2019 format -------------------------------------------------------------------


def test_2019_section_two_is_the_2019_blocks():
    spec = format_spec("2019")
    assert spec["id"] == "2019"
    assert spec["document"] == OLD["document"]
    section_two = next(s for s in spec["sections"] if s["no"] == "二")
    assert section_two["tables"] == [b["id"] for b in OLD["t2_blocks"]]
    assert len(section_two["tables"]) == 5
    for block in OLD["t2_blocks"]:
        built = format_table("2019", block["id"])
        assert built["section"] == "二"
        assert built["title"] == block["title"]
        assert built["row_header_label"] == block["row_header_label"]
        assert [(c["key"], c["label"]) for c in built["columns"]] == [
            (c["key"], c["label"]) for c in block["columns"]
        ]
        assert [(r["key"], r["label"], r["kind"]) for r in built["rows"]] == [
            (r["key"], r["label"], r["kind"]) for r in block["rows"]
        ]
    # No 2021 section-二 table is left in 2019.
    ids = {t["id"] for t in spec["tables"]}
    assert not ids & {t["id"] for t in RAW["tables"] if t["section"] == "二"}


def test_every_table_is_in_exactly_one_section():
    for format_id in FORMATS:
        spec = format_spec(format_id)
        listed = [t for s in spec["sections"] for t in s.get("tables", [])]
        assert sorted(listed) == sorted(t["id"] for t in spec["tables"])
        for item in spec["tables"]:
            section = next(s for s in spec["sections"] if item["id"] in s.get("tables", []))
            assert item["section"] == section["no"]


def test_2019_table_three_has_other_handling_as_one_data_row():
    old = {r["key"]: r for r in format_table("2019", APPLICATIONS_TABLE)["rows"]}
    new = table(APPLICATIONS_TABLE)
    assert old["other_handling"]["kind"] == "data"
    assert old["other_handling"]["label"] == "（六）其他处理"
    assert "other_overdue_correction" not in old
    sub_rows = [r["key"] for r in new["rows"] if r.get("parent") == "other_handling"]
    assert sub_rows == ["other_overdue_correction", "other_overdue_fee", "other_misc"]
    # Every other row as in 2021, in the same order, with the same label.
    assert [(k, r["label"]) for k, r in old.items()] == [
        (r["key"], r["label"]) for r in new["rows"] if r["key"] not in sub_rows
    ]
    assert format_table("2019", APPLICATIONS_TABLE)["columns"] == new["columns"]
    assert format_table("2019", APPLICATIONS_TABLE)["corner_note"] == new["corner_note"]


def test_2019_table_four_is_the_2021_one():
    assert format_table("2019", REVIEW_TABLE) == table(REVIEW_TABLE)
    labels = [c["label"] for c in format_table("2019", REVIEW_TABLE)["columns"]]
    assert labels == [c["label"] for c in table(REVIEW_TABLE)["columns"]]


def test_2019_identities():
    spec = format_spec("2019")
    ids = [i["id"] for i in spec["identities"]]
    # X-YEAR-IN-FORCE is over t2_art20_1, which 2019 does not have.
    assert ids == [i["id"] for i in RAW["identities"] if i["id"] != "X-YEAR-IN-FORCE"]
    result_total = identity(spec, "T3-RESULT-TOTAL")
    rhs_rows = [ref["row"] for ref in result_total["rhs"]]
    assert rhs_rows[-1] == "other_handling"
    assert rhs_rows.count("other_handling") == 1
    assert not {"other_overdue_correction", "other_overdue_fee", "other_misc"} & set(rhs_rows)
    assert len(rhs_rows) == len(identity(RAW, "T3-RESULT-TOTAL")["rhs"]) - 2
    assert "other_handling[{col}]" in result_total["equation"]
    assert "other_misc" not in result_total["equation"]
    row_total = identity(spec, "T3-ROW-TOTAL")["for_each"]["row"]
    assert row_total.count("other_handling") == 1
    assert "other_misc" not in row_total
    # Identities over tables that did not change are the 2021 ones.
    for same in ("T3-BALANCE", "T4-REVIEW-TOTAL", "X-YEAR-CARRY"):
        assert identity(spec, same) == identity(RAW, same)
    assert identity(spec, "NONNEG")["equation"] == identity(RAW, "NONNEG")["equation"]


def test_2019_signed_and_decimal_cells():
    spec = format_spec("2019")
    signed = {(c["table"], c["col"]) for c in spec["signed_cells"]}
    assert signed == {
        (b["id"], c["key"])
        for b in OLD["t2_blocks"]
        for c in b["columns"]
        if c.get("note") == "signed"
    }
    assert {col for _t, col in signed} == {"change"}
    assert len(spec["signed_cells"]) == 5  # one per row of the three blocks
    decimal = {(c["table"], c["row"], c["col"]) for c in spec["decimal_cells"]}
    assert decimal == {("t2_2019_art20_9", "centralized_procurement", "procurement_amount")}
    for cell in spec["signed_cells"] + spec["decimal_cells"]:
        spec_table = format_table("2019", cell["table"])
        assert cell["row"] in data_rows(spec_table)
        assert cell["col"] in columns(spec_table)
    types = {
        (t["id"], c["key"]): c["type"]
        for t in spec["tables"]
        for c in t["columns"]
        if t["section"] == "二"
    }
    assert {k for k, v in types.items() if v == "decimal"} == {
        ("t2_2019_art20_9", "procurement_amount")
    }
    assert set(types.values()) == {"integer", "decimal"}


@pytest.mark.parametrize("format_id", FORMATS)
def test_identities_name_only_cells_of_their_format(format_id):
    spec = format_spec(format_id)
    tables = {t["id"]: t for t in spec["tables"]}
    checked = 0
    for item in spec["identities"]:
        if "table" in item:
            assert item["table"] in tables, item["id"]
        for name, values in item.get("for_each", {}).items():
            assert len(values) == len(set(values)), item["id"]
            homes = [tables[item["table"]]] if "table" in item else list(tables.values())
            keys = {k for t in homes for k in (data_rows(t) if name == "row" else columns(t))}
            assert set(values) <= keys, (item["id"], set(values) - keys)
        if "lhs" not in item:
            continue
        for binding in bindings(item):
            for side in ("lhs", "rhs"):
                refs = bound_refs(item, side, binding)
                assert len(refs) == len(set(refs)), (item["id"], side)
                for table_id, row, col in refs:
                    assert table_id in tables, item["id"]
                    assert row in data_rows(tables[table_id]), (item["id"], row)
                    assert col in columns(tables[table_id]), (item["id"], col)
                    checked += 1
    assert checked > 300  # 372 cells in 2021


def test_row_in_format():
    for row in table(APPLICATIONS_TABLE)["rows"]:
        assert row_in_format("2021", row["key"]) == row["key"]
    for key in ("other_overdue_correction", "other_overdue_fee", "other_misc"):
        assert row_in_format("2019", key) == "other_handling"
    for key in ("granted", "np_confirm_or_reissue", "total_processed", "other_handling"):
        assert row_in_format("2019", key) == key
    with pytest.raises(KeyError):
        row_in_format("2018", "granted")


# ---- folding a computed 2021 table 三 into the 2019 one -------------------------------

THREE = table(APPLICATIONS_TABLE)
ROW_TOTAL = identity(RAW, "T3-ROW-TOTAL")
TOTAL_COLUMN = ROW_TOTAL["lhs"][0]["col"]
APPLICANTS = [ref["col"] for ref in ROW_TOTAL["rhs"]]
RESULT_TOTAL = identity(RAW, "T3-RESULT-TOTAL")
PROCESSED = RESULT_TOTAL["lhs"][0]["row"]
OUTCOMES = [ref["row"] for ref in RESULT_TOTAL["rhs"]]
BALANCE = identity(RAW, "T3-BALANCE")
NEW, CARRIED_OVER = (ref["row"] for ref in BALANCE["lhs"])
CARRIED_FORWARD = BALANCE["rhs"][1]["row"]

counts = st.integers(min_value=0, max_value=50)


@st.composite
def tables_2021(draw: Any) -> dict[str, dict[str, int]]:
    """A 2021-shaped table 三 (every data row, every column) satisfying the identities."""
    result: dict[str, dict[str, int]] = {}
    for row in OUTCOMES:
        result[row] = {col: draw(counts) for col in APPLICANTS}
    result[PROCESSED] = {col: sum(result[r][col] for r in OUTCOMES) for col in APPLICANTS}
    result[CARRIED_FORWARD] = {col: draw(counts) for col in APPLICANTS}
    result[CARRIED_OVER] = {}
    result[NEW] = {}
    for col in APPLICANTS:
        closing = result[PROCESSED][col] + result[CARRIED_FORWARD][col]
        result[CARRIED_OVER][col] = draw(st.integers(min_value=0, max_value=closing))
        result[NEW][col] = closing - result[CARRIED_OVER][col]
    for cells in result.values():
        cells[TOTAL_COLUMN] = sum(cells[col] for col in APPLICANTS)
    assert sorted(result) == sorted(data_rows(THREE))
    return result


@given(tables_2021())
def test_fold_keeps_the_identities(cells):
    before = json.dumps(cells, sort_keys=True)
    assert violations(format_spec("2021"), {APPLICATIONS_TABLE: cells}) == []
    folded = fold_table_three("2019", cells)
    assert json.dumps(cells, sort_keys=True) == before  # the argument is untouched
    three_2019 = format_table("2019", APPLICATIONS_TABLE)
    assert list(folded) == data_rows(three_2019)
    for values in folded.values():
        assert list(values) == columns(three_2019)
        assert all(v >= 0 for v in values.values())
    assert violations(format_spec("2019"), {APPLICATIONS_TABLE: folded}) == []
    parts = [r["key"] for r in THREE["rows"] if r.get("parent") == "other_handling"]
    for col in columns(three_2019):
        assert folded["other_handling"][col] == sum(cells[p][col] for p in parts)
    assert fold_table_three("2021", cells) == cells
    assert list(fold_table_three("2021", cells)) == data_rows(THREE)


@given(
    tables_2021(),
    st.sampled_from(OUTCOMES),
    st.sampled_from(APPLICANTS),
    st.integers(1, 5),
)
def test_a_broken_table_fails_after_folding(cells, row, col, extra):
    cells[row][col] += extra  # counted in no total
    broken = violations(format_spec("2021"), {APPLICATIONS_TABLE: cells})
    assert {name for name, _binding in broken} == {"T3-RESULT-TOTAL", "T3-ROW-TOTAL"}
    failed = violations(format_spec("2019"), {APPLICATIONS_TABLE: fold_table_three("2019", cells)})
    assert {name for name, _binding in failed} == {"T3-RESULT-TOTAL", "T3-ROW-TOTAL"}


def test_fold_counts_each_part_once():
    cells = {row: dict.fromkeys([*APPLICANTS, TOTAL_COLUMN], 0) for row in data_rows(THREE)}
    for n, row in enumerate(("other_overdue_correction", "other_overdue_fee", "other_misc")):
        cells[row][APPLICANTS[0]] = 10**n
        cells[row][TOTAL_COLUMN] = 10**n
    for row in (PROCESSED, NEW):
        cells[row][APPLICANTS[0]] = cells[row][TOTAL_COLUMN] = 111
    assert violations(format_spec("2021"), {APPLICATIONS_TABLE: cells}) == []
    folded = fold_table_three("2019", cells)
    assert folded["other_handling"] == {
        **dict.fromkeys([*APPLICANTS, TOTAL_COLUMN], 0),
        APPLICANTS[0]: 111,
        TOTAL_COLUMN: 111,
    }
    assert violations(format_spec("2019"), {APPLICATIONS_TABLE: folded}) == []
    folded["other_handling"][APPLICANTS[0]] -= 1
    assert {name for name, _b in violations(format_spec("2019"), {APPLICATIONS_TABLE: folded})} == {
        "T3-RESULT-TOTAL",
        "T3-ROW-TOTAL",
    }


# ---- the identities, bound (report_format.identities) ------------------------------------


@pytest.mark.parametrize("format_id", FORMATS)
def test_identities_are_every_binding_of_the_hard_identities(format_id):
    spec = format_spec(format_id)
    expected = [
        (item["id"], bound_refs(item, "lhs", binding), bound_refs(item, "rhs", binding))
        for item in spec["identities"]
        if "lhs" in item and item["strictness"].startswith("hard")
        for binding in bindings(item)
    ]
    found = identities(format_id)
    assert [(i.id, list(i.lhs), list(i.rhs)) for i in found] == [
        (name, [tuple(c) for c in lhs], [tuple(c) for c in rhs]) for name, lhs, rhs in expected
    ]
    assert {i.format for i in found} == {format_id}
    assert all(i.table == i.total[0] for i in found)


def test_an_identity_is_a_total_and_signed_addends():
    balance = next(i for i in identities("2021") if i.id == "T3-BALANCE")
    assert balance.total == (APPLICATIONS_TABLE, "new_received", "natural_person")
    assert balance.addends == (
        ((APPLICATIONS_TABLE, "carried_over", "natural_person"), -1),
        ((APPLICATIONS_TABLE, "total_processed", "natural_person"), 1),
        ((APPLICATIONS_TABLE, "carried_forward", "natural_person"), 1),
    )
    assert balance.description == identity(RAW, "T3-BALANCE")["description"]
    review = next(i for i in identities("2021") if i.id == "T4-REVIEW-TOTAL")
    assert review.total == (REVIEW_TABLE, "cases", "review_total")
    assert [sign for _cell, sign in review.addends] == [1, 1, 1, 1]


@given(
    tables_2021(),
    st.sampled_from(OUTCOMES),
    st.sampled_from(APPLICANTS),
    st.integers(0, 5),
)
def test_the_bound_identities_fail_where_the_json_says(cells, row, col, extra):
    cells[row][col] += extra
    tables = {APPLICATIONS_TABLE: cells}
    failed = {
        i.id
        for i in identities("2021")
        if i.table == APPLICATIONS_TABLE
        and tables[i.table][i.total[1]][i.total[2]]
        != sum(sign * tables[t][r][c] for (t, r, c), sign in i.addends)
    }
    assert failed == {name for name, _binding in violations(format_spec("2021"), tables)}
