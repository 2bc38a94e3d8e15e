"""Checks on a published report as read: `Extracted` (one year, or a series) -> findings.

`check(report)` checks one report; `check_series(reports)` compares the reports of one
agency between years. Neither repeats the reader's own findings (`Extracted.findings`);
the caller shows both. Findings come in a fixed order: the report as a whole (format, legal
basis, period), then the tables in the order of the format, row by row, then the text.
Nothing here raises on odd input: what is missing is skipped, and said so when it matters.

Table cells. A cell that is not a number counts as 0 in a sum: BLANK, SLASH and DASH are
listed once per table (CELLS-READ-AS-ZERO: a warning when they stand in a sum beside
non-zero figures, since figures may have been left out, otherwise a note). A sum that
fails only because of an AMBIGUOUS cell (digits run together) or a cell missing from the
table as read is not an error but a note (IDENTITY-AMBIGUOUS, IDENTITY-SKIPPED); for a
single ambiguous cell the note gives the value the other figures imply.

What the extractor (figures.py) gives in `Extracted.narrative`, and how it is read here:

- Figures stated in the text: ``{key: {"value": int | Decimal, "quote": sentence}}``. Keys
  compared with the tables (TEXT-TABLE): applications_received, carried_over,
  carried_forward, applications_closed, reviews, lawsuits (2021 and 2019 formats: table 三
  总计 column, table 四 总计 cells; lawsuits = both kinds of 行政诉讼), and for the pre-2019
  table applications_received, applications_closed, closed_on_time, closed_extended,
  reviews, lawsuits, proactive_published and fees. Money ("fees") is in 元 as a plain
  number; the pre-2019 table gives 万元, compared within the table's printed precision.
- Percentages (PERCENT): a key ending in ``_rate``, or an entry with ``"percent": True``.
  "value" is the printed percentage (98.5 for "98.5%", as a Decimal so that its printed
  decimals are kept: the tolerance is half of the last printed digit). "numerator" and
  "denominator" say what it is a share of; each is a number stated in the text, a
  narrative key, a table cell "table.row.col" ("pre2019.item" for the pre-2019 table), or
  a list of these to add up, an entry starting with "-" being subtracted. Without them,
  the one known rate is on_time_rate (按时办结率): closed_on_time / applications_closed,
  or (applications_closed - closed_extended) / applications_closed.
- Breakdowns (BREAKDOWN-SUM): ``"<key>.parts": {"value": [(label, n), ...], "quote": ...}``
  beside ``"<key>"``, the stated total. The parts must add up to it; with ``"partial":
  True`` (a 其中 list that need not be complete) they must not exceed it.

Finding ids (severity): the report: FORMAT-UNKNOWN, NO-TABLES (info); FORMAT-YEAR,
LEGAL-BASIS, PERIOD (warning). Tables: TABLE-MISSING (info); ROW-MISSING, CELLS-MISSING
(warning); CELLS-READ-AS-ZERO (warning or info); the format's identities T3-BALANCE,
T3-RESULT-TOTAL, T3-ROW-TOTAL, T4-…-TOTAL, and PRE2019-SUM, PRE2019-PART, NONNEG,
LEVEL-REGULATIONS (error); IDENTITY-AMBIGUOUS, IDENTITY-SKIPPED, PRE2019-CHANNELS (info).
Text: TEXT-TABLE, PERCENT, BREAKDOWN-SUM (warning). Series: X-YEAR-CARRY, X-YEAR-IN-FORCE,
TEXT-REPEATED, TABLES-IDENTICAL (warning); DUPLICATE-YEAR (info).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongkai.annual.checking.checks.grid import (
    Grid,
    cell_name,
    pre2019_statistics,
    sort_key,
    table_name,
)
from gongkai.annual.checking.checks.series import check_series
from gongkai.annual.checking.checks.tables import (
    check_regulations,
    check_tables,
    may_issue_regulations,
)
from gongkai.annual.checking.checks.text import check_text, check_whole_report
from gongkai.annual.checking.document import (
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
    INFO,
    Extracted,
    Finding,
)


def check(
    report: Extracted, *, level: str | None = None, can_issue_regulations: bool | None = None
) -> list[Finding]:
    """The findings on one report, in a fixed order (see the module docstring).

    `level` is the agency's level (orgs.models.Level values) when known, and
    `can_issue_regulations` overrides what is inferred from it and from the agency's name.
    """
    findings = check_whole_report(report)
    grid = Grid(report)
    if report.format in (FORMAT_2021, FORMAT_2019, FORMAT_PRE2019):
        if not grid.present:
            findings.append(
                Finding(
                    "NO-TABLES",
                    INFO,
                    _("No tables were found in the report, so only its text was checked."),
                )
            )
        else:
            table_findings = check_tables(grid)
            table_findings += check_regulations(grid, report, level, can_issue_regulations)
            table_findings.sort(key=lambda f: sort_key(grid.format, f))
            findings += table_findings
    findings += check_text(report, grid)
    return findings


__all__ = [
    "cell_name",
    "check",
    "check_series",
    "may_issue_regulations",
    "pre2019_statistics",
    "table_name",
]
