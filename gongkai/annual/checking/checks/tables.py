"""The checks on a report's tables: cells missing or read as zero, the format's identities,
non-negative cells, the pre-2019 channels, and 规章 by an agency that cannot make them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.annual import validate
from gongkai.annual.checking.checks.grid import (
    CHANNELS_GROUP,
    CHANNELS_TOTAL,
    LEVELS_WITH_REGULATIONS,
    LEVELS_WITHOUT_REGULATIONS,
    MISSING,
    NUMBER,
    PRE2019_COLUMN,
    PRE2019_TABLE,
    READ_AS_ZERO,
    UNIT_IN_YUAN,
    Cell,
    Grid,
    Sum,
    _layout,
    _names,
    _pre2019_items,
    _show,
    _sums,
    cell_name,
    pre2019_statistics,
    table_name,
)
from gongkai.annual.checking.document import (
    AMBIGUOUS,
    ERROR,
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
    INFO,
    WARNING,
    Extracted,
    Finding,
)
from gongkai.lib.report_format import (
    format_table,
)

# ---- the agency's level ------------------------------------------------------------------

TOWNSHIP_NAME = re.compile(r"(镇|乡|苏木)(人民)?政府$|街道办事处$|街道办$")
COUNTY_GOVERNMENT = re.compile(r"(县|旗|(?<!自治)区)(人民)?政府$")
PROVINCE_GOVERNMENT = re.compile(r"(省|自治区|自治州)(人民)?政府$")
GOVERNMENT = re.compile(r"(人民)?政府$")
GOVERNMENT_OFFICE = re.compile(r"政府(办公厅|办公室)$")
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
    office = GOVERNMENT_OFFICE.search(name)
    if office:
        # A government's 办公厅/办公室 reports that government's 规章: its level is the
        # government's.
        return may_issue_regulations(name[: office.start(1)], level)
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


def check_tables(grid: Grid) -> list[Finding]:
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


def _missing(grid: Grid, table_id: str, rows: Sequence[str], cols: Sequence[str]) -> list[Finding]:
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
    grid: Grid, table_id: str, rows: Sequence[str], cols: Sequence[str]
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
        # Blanks for 0 in a sum that adds up with them as 0 are a way of printing 0.
        if blank and nonzero and not identity.holds(grid):
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


def _identities(grid: Grid) -> list[Finding]:
    format_id = grid.format
    if format_id == FORMAT_PRE2019:
        broken = [identity for identity in _sums(format_id) if not identity.holds(grid)]
    else:
        reported = {
            (found.id, found.table, found.row, found.col)
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


def _equation(format_id: str, identity: Sum) -> str:
    relation = "≥" if identity.at_least else "="
    return f"{_terms(format_id, identity.lhs)} {relation} {_terms(format_id, identity.rhs)}"


def _broken(grid: Grid, identity: Sum) -> str:
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


def _ambiguous(grid: Grid, identity: Sum, ambiguous: list[Cell], missing: list[Cell]) -> Finding:
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


def _nonnegative(grid: Grid) -> list[Finding]:
    format_id = grid.format
    problems: list[tuple[Cell, str]] = []
    if format_id in (FORMAT_2021, FORMAT_2019):
        for found in validate.check_identities(grid.numeric, format_id):
            if found.id == "NONNEG":
                problems.append(((found.table, found.row, found.col), found.message))
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


def _channels(grid: Grid) -> list[Finding]:
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


def check_regulations(
    grid: Grid, report: Extracted, level: str | None, can_issue: bool | None
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
        cell = (table_id, row, found.col)
        findings.append(
            Finding(
                found.id,
                ERROR,
                _("%(cell)s is %(value)s. %(problem)s")
                % {
                    "cell": cell_name(grid.format, *cell),
                    "value": _show(grid.value(cell)),
                    "problem": found.message,
                },
                *cell,
            )
        )
    return findings
