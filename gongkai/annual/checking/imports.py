"""What of a checked report can become an agency's year: the formats and the figures.

Used by annual.actions.import_checked_report (which writes) and by the check page (which
says why a report cannot be imported). A checked report is what a `ReportCheck` run
stores of it (checking.batch.stored_result): JSON with its file, format, year, tables and
text sections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.annual.checking.checks.grid import PRE2019_COLUMN as PRE2019_VALUE
from gongkai.annual.checking.checks.grid import PRE2019_TABLE as PRE2019
from gongkai.annual.checking.document import (
    AMBIGUOUS,
    BLANK,
    ERROR,
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
)
from gongkai.annual.checking.labels import pre2019_statistics
from gongkai.lib.report_format import format_id_for_year, format_spec

IMPORTABLE_FORMATS = (FORMAT_2021, FORMAT_2019)
# Text sections of a report, as AnnualReport stores them (actions.save_text).
TEXT_SECTIONS = ("overview", "problems", "other")
FIRST_FORMAT_YEAR = 2019


def import_blocker(data: Mapping[str, Any]) -> str:
    """Why a checked report cannot be imported as an agency's year ("" when it can)."""
    if data.get("error"):
        return _("The file could not be read.")
    if data.get("format") not in IMPORTABLE_FORMATS:
        return _("Only reports in the 2021 or 2019 format can be imported.")
    year = data.get("year")
    if not year:
        return _("The report's year was not recognised.")
    if format_id_for_year(year) != data["format"]:
        return _(
            "The report for %(year)d is not in the format of that year; it cannot be imported."
        ) % {"year": year}
    if not data.get("tables"):
        return _("No table figures were read from the report.")
    if any(
        value == AMBIGUOUS
        for rows in data["tables"].values()
        for cells in rows.values()
        for value in cells.values()
    ):
        return _(
            "Some figures run together and can be read in more than one way (“?”); correct "
            "the report or enter the figures by hand."
        )
    return ""


def import_tables(data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The tables of a checked report as numbers, in the full shape of its format.

    A blank cell, "/", "-" and a cell the report does not have count as 0 (the second
    value says whether any did, for the reason recorded with the figures)."""
    spec = format_spec(data["format"])
    read: dict[str, Any] = data["tables"]
    zeroed = False
    tables: dict[str, Any] = {}
    for table in spec["tables"]:
        rows: dict[str, Any] = {}
        for row in table["rows"]:
            if row["kind"] != "data":
                continue
            cells: dict[str, Any] = {}
            for column in table["columns"]:
                value = read.get(table["id"], {}).get(row["key"], {}).get(column["key"], BLANK)
                if isinstance(value, str):  # BLANK, SLASH or DASH (AMBIGUOUS is refused)
                    zeroed = True
                    value = 0
                cells[column["key"]] = value
            rows[row["key"]] = cells
        tables[table["id"]] = rows
    return tables, zeroed


def history_blocker(data: Mapping[str, Any]) -> str:
    """Why a checked report cannot become an agency's historical year ("" when it can):
    only a pre-2019 report whose statistics table was read, adds up and is unambiguous."""
    if data.get("error"):
        return _("The file could not be read.")
    if data.get("format") != FORMAT_PRE2019:
        return _(
            "Only a report with the statistics table used before 2019 "
            "(政府信息公开情况统计表) can be imported as a historical year."
        )
    year = data.get("year")
    if not year:
        return _("The report's year was not recognised.")
    if year >= FIRST_FORMAT_YEAR:
        return _(
            "The report for %(year)d is in the statistics table used before 2019; a year "
            "from 2019 on is reported in the 2019 or 2021 format."
        ) % {"year": year}
    values = history_values(data)
    if not values:
        return _("No figures were read from the statistics table.")
    items = (data.get("tables") or {}).get(PRE2019, {})
    if any(cells.get(PRE2019_VALUE) == AMBIGUOUS for cells in items.values()):
        return _(
            "Some figures run together and can be read in more than one way (“?”); correct "
            "the report before importing it."
        )
    errors = [f for f in data.get("findings", []) if f.get("severity") == ERROR]
    if errors:
        return ngettext(
            "The checker found %(count)d error in the report (%(first)s); correct the report "
            "before importing it.",
            "The checker found %(count)d errors in the report (the first: %(first)s); correct "
            "the report before importing it.",
            len(errors),
        ) % {"count": len(errors), "first": errors[0].get("message", "")}
    return ""


def history_values(data: Mapping[str, Any]) -> dict[str, int | float]:
    """The numbers of a checked pre-2019 report's statistics table by item key (the keys of
    pre2019_statistics.json); blank, "/" and "-" items are left out."""
    known = {i["key"] for i in pre2019_statistics()["items"] if i["kind"] == "data"}
    items = (data.get("tables") or {}).get(PRE2019, {})
    return {
        key: cells[PRE2019_VALUE]
        for key, cells in items.items()
        if key in known
        and isinstance(cells, Mapping)
        and isinstance(cells.get(PRE2019_VALUE), int | float)
        and not isinstance(cells.get(PRE2019_VALUE), bool)
    }
