"""The identities of the report format, checked on a report's tables.

Hard identities (the table-三 balance per column, the results total, row totals, the
table-四 totals, non-negative cells) are read from annual_report_format.json and
evaluated generically; the soft checks compare with last year's report and with what the
agency's level allows. Each finding names its identity, severity and cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongkai.lib.report_format import FORMAT_2021, format_spec, format_table, table

ERROR, WARNING, INFO = "error", "warning", "info"


def _expand(identity: Mapping[str, Any]) -> list[dict[str, str]]:
    """The bindings of the identity's placeholders ({col}, {row}); one empty binding if none."""
    bindings: list[dict[str, str]] = [{}]
    for name, values in identity.get("for_each", {}).items():
        bindings = [{**b, name: v} for b in bindings for v in values]
    return bindings


def _cell(tables: Mapping[str, Any], ref: Mapping[str, str], binding: Mapping[str, str]) -> Any:
    def fill(text: str) -> str:
        for name, value in binding.items():
            text = text.replace("{" + name + "}", value)
        return text

    return (
        tables[ref["table"]][fill(ref["row"])][fill(ref["col"])],
        fill(ref["row"]),
        fill(ref["col"]),
    )


def cell_label(table_id: str, row: str, col: str, format_id: str = FORMAT_2021) -> str:
    """「row label（column label）」 as printed in the report."""
    spec = format_table(format_id, table_id)
    rows = {r["key"]: r["label"] for r in spec["rows"]}
    columns = {c["key"]: c["label"] for c in spec["columns"]}
    row_label = rows.get(row, "") or spec.get("title", "")
    return f"{row_label}（{columns.get(col, col)}）"


def _terms(table_id: str, cells: list[tuple[Any, str, str]], format_id: str) -> str:
    if len(cells) > 4:
        return _("the sum of %(count)d cells from %(first)s to %(last)s") % {
            "count": len(cells),
            "first": cell_label(table_id, cells[0][1], cells[0][2], format_id),
            "last": cell_label(table_id, cells[-1][1], cells[-1][2], format_id),
        }
    return " + ".join(cell_label(table_id, row, col, format_id) for _v, row, col in cells)


def check_identities(
    tables: Mapping[str, Any], format_id: str = FORMAT_2021
) -> list[dict[str, Any]]:
    """Hard identities of the format and non-negativity; [] when the tables are coherent."""
    spec = format_spec(format_id)
    findings: list[dict[str, Any]] = []
    for identity in spec["identities"]:
        if "lhs" not in identity or not identity["strictness"].startswith("hard"):
            continue
        for binding in _expand(identity):
            lhs = [_cell(tables, ref, binding) for ref in identity["lhs"]]
            rhs = [_cell(tables, ref, binding) for ref in identity["rhs"]]
            left, right = sum(v for v, _r, _c in lhs), sum(v for v, _r, _c in rhs)
            if left != right:
                table_id = identity["lhs"][0]["table"]
                _value, row, col = lhs[0]
                findings.append(
                    {
                        "id": identity["id"],
                        "severity": ERROR,
                        "table": table_id,
                        "row": row,
                        "col": col,
                        "message": _(
                            "%(left_terms)s is %(left)s, but %(right_terms)s is %(right)s."
                        )
                        % {
                            "left_terms": _terms(table_id, lhs, format_id),
                            "left": left,
                            "right_terms": _terms(table_id, rhs, format_id),
                            "right": right,
                        },
                    }
                )
    signed = {(c["table"], c["row"], c["col"]) for c in spec["signed_cells"]}
    decimal = {(c["table"], c["row"], c["col"]) for c in spec["decimal_cells"]}
    decimal |= {
        ("t2_art20_8", row, col)
        for row, cols in tables.get("t2_art20_8", {}).items()
        for col in cols
    }
    for table_id, rows in tables.items():
        for row, cells in rows.items():
            for col, value in cells.items():
                cell = (table_id, row, col)
                number = isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)
                whole = number and (cell in decimal or value == int(value))
                if not number or not whole or (value < 0 and cell not in signed):
                    findings.append(
                        {
                            "id": "NONNEG",
                            "severity": ERROR,
                            "table": table_id,
                            "row": row,
                            "col": col,
                            "message": _("%(value)s is not a non-negative whole number.")
                            % {"value": value},
                        }
                    )
    return findings


def check_against_last_year(
    tables: Mapping[str, Any], last_year: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """X-YEAR-CARRY and X-YEAR-IN-FORCE: warnings, since last year's report may differ."""
    if last_year is None or "t3_applications" not in last_year:
        return []
    findings: list[dict[str, Any]] = []
    three = table("t3_applications")
    for column in three["columns"]:
        key = column["key"]
        now = tables["t3_applications"]["carried_over"][key]
        before = last_year["t3_applications"]["carried_forward"][key]
        if now != before:
            findings.append(
                {
                    "id": "X-YEAR-CARRY",
                    "severity": WARNING,
                    "table": "t3_applications",
                    "row": "carried_over",
                    "col": key,
                    "message": _(
                        "Carried over from last year: %(now)d, but last year's report carried "
                        "%(before)d forward."
                    )
                    % {"now": now, "before": before},
                }
            )
    if "t2_art20_1" not in last_year or "t2_art20_1" not in tables:  # 2019 format: not counted
        return findings
    for row in ("regulations", "normative_documents"):
        cells, previous = tables["t2_art20_1"][row], last_year["t2_art20_1"][row]
        expected = previous["in_force"] + cells["issued"] - cells["repealed"]
        if cells["in_force"] != expected:
            findings.append(
                {
                    "id": "X-YEAR-IN-FORCE",
                    "severity": WARNING,
                    "table": "t2_art20_1",
                    "row": row,
                    "col": "in_force",
                    "message": _(
                        "In force: %(now)d; last year's %(before)d plus %(issued)d issued minus "
                        "%(repealed)d repealed gives %(expected)d."
                    )
                    % {
                        "now": cells["in_force"],
                        "before": previous["in_force"],
                        "issued": cells["issued"],
                        "repealed": cells["repealed"],
                        "expected": expected,
                    },
                }
            )
    return findings


def check_level(tables: Mapping[str, Any], can_issue_regulations: bool) -> list[dict[str, Any]]:
    """An agency that cannot make 规章 reports none."""
    cells = tables["t2_art20_1"]["regulations"]
    if can_issue_regulations or not any(cells.values()):
        return []
    return [
        {
            "id": "LEVEL-REGULATIONS",
            "severity": ERROR,
            "table": "t2_art20_1",
            "row": "regulations",
            "col": col,
            "message": _("Only provincial and city governments make 规章; this agency cannot."),
        }
        for col, value in cells.items()
        if value
    ]
