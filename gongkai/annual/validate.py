"""The identities of the report format, checked on a report's tables.

Hard identities (the table-三 balance per column, the results total, row totals, the
table-四 totals, non-negative cells) are read from annual_report_format.json through
report_format.identities() and evaluated generically; the soft checks compare with last
year's report and with what the agency's level allows. Each finding (gongkai.lib.findings)
names its identity, severity and cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongkai.lib.findings import Finding, Severity
from gongkai.lib.report_format import (
    FORMAT_2021,
    CellRef,
    format_spec,
    format_table,
    identities,
    table,
)

# The severities by their old names; the type is gongkai.lib.findings.Severity.
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

Term = tuple[Any, str, str]  # (value, row, column) of a cell in an identity


def _value(tables: Mapping[str, Any], cell: CellRef) -> Term:
    table_id, row, col = cell
    return tables[table_id][row][col], row, col


def cell_label(table_id: str, row: str, col: str, format_id: str = FORMAT_2021) -> str:
    """「row label（column label）」 as printed in the report."""
    spec = format_table(format_id, table_id)
    rows = {r["key"]: r["label"] for r in spec["rows"]}
    columns = {c["key"]: c["label"] for c in spec["columns"]}
    row_label = rows.get(row, "") or spec.get("title", "")
    return f"{row_label}（{columns.get(col, col)}）"


def _terms(table_id: str, cells: list[Term], format_id: str) -> str:
    if len(cells) > 4:
        return _("the sum of %(count)d cells from %(first)s to %(last)s") % {
            "count": len(cells),
            "first": cell_label(table_id, cells[0][1], cells[0][2], format_id),
            "last": cell_label(table_id, cells[-1][1], cells[-1][2], format_id),
        }
    return " + ".join(cell_label(table_id, row, col, format_id) for _v, row, col in cells)


def check_identities(tables: Mapping[str, Any], format_id: str = FORMAT_2021) -> list[Finding]:
    """Hard identities of the format and non-negativity; [] when the tables are coherent."""
    spec = format_spec(format_id)
    findings: list[Finding] = []
    for identity in identities(format_id):
        lhs = [_value(tables, cell) for cell in identity.lhs]
        rhs = [_value(tables, cell) for cell in identity.rhs]
        left, right = sum(v for v, _r, _c in lhs), sum(v for v, _r, _c in rhs)
        if left != right:
            _total, row, col = lhs[0]
            findings.append(
                Finding(
                    id=identity.id,
                    severity=ERROR,
                    table=identity.table,
                    row=row,
                    col=col,
                    message=_("%(left_terms)s is %(left)s, but %(right_terms)s is %(right)s.")
                    % {
                        "left_terms": _terms(identity.table, lhs, format_id),
                        "left": left,
                        "right_terms": _terms(identity.table, rhs, format_id),
                        "right": right,
                    },
                )
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
                        Finding(
                            id="NONNEG",
                            severity=ERROR,
                            table=table_id,
                            row=row,
                            col=col,
                            message=_("%(value)s is not a non-negative whole number.")
                            % {"value": value},
                        )
                    )
    return findings


def check_against_last_year(
    tables: Mapping[str, Any], last_year: Mapping[str, Any] | None
) -> list[Finding]:
    """X-YEAR-CARRY and X-YEAR-IN-FORCE: warnings, since last year's report may differ."""
    if last_year is None or "t3_applications" not in last_year:
        return []
    findings: list[Finding] = []
    three = table("t3_applications")
    for column in three["columns"]:
        key = column["key"]
        now = tables["t3_applications"]["carried_over"][key]
        before = last_year["t3_applications"]["carried_forward"][key]
        if now != before:
            findings.append(
                Finding(
                    id="X-YEAR-CARRY",
                    severity=WARNING,
                    table="t3_applications",
                    row="carried_over",
                    col=key,
                    message=_(
                        "Carried over from last year: %(now)d, but last year's report carried "
                        "%(before)d forward."
                    )
                    % {"now": now, "before": before},
                )
            )
    if "t2_art20_1" not in last_year or "t2_art20_1" not in tables:  # 2019 format: not counted
        return findings
    for row in ("regulations", "normative_documents"):
        cells, previous = tables["t2_art20_1"][row], last_year["t2_art20_1"][row]
        expected = previous["in_force"] + cells["issued"] - cells["repealed"]
        if cells["in_force"] != expected:
            findings.append(
                Finding(
                    id="X-YEAR-IN-FORCE",
                    severity=WARNING,
                    table="t2_art20_1",
                    row=row,
                    col="in_force",
                    message=_(
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
                )
            )
    return findings


def check_level(tables: Mapping[str, Any], can_issue_regulations: bool) -> list[Finding]:
    """An agency that cannot make 规章 reports none."""
    cells = tables["t2_art20_1"]["regulations"]
    if can_issue_regulations or not any(cells.values()):
        return []
    return [
        Finding(
            id="LEVEL-REGULATIONS",
            severity=ERROR,
            table="t2_art20_1",
            row="regulations",
            col=col,
            message=_("Only provincial and city governments make 规章; this agency cannot."),
        )
        for col, value in cells.items()
        if value
    ]
