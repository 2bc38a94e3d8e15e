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

from gongkai.annual.checking.document import AMBIGUOUS, BLANK, FORMAT_2019, FORMAT_2021
from gongkai.lib.report_format import format_id_for_year, format_spec

IMPORTABLE_FORMATS = (FORMAT_2021, FORMAT_2019)
# Text sections of a report, as AnnualReport stores them (actions.save_text).
TEXT_SECTIONS = ("overview", "problems", "other")


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
