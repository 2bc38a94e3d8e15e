"""The checks between the years of one agency's reports: carry-over, 规范性文件 in force,
text copied and tables repeated from an earlier year."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from gongkai.annual import narrative, validate
from gongkai.annual.checking.checks.grid import (
    COPIED_MIN_CHARS,
    IDENTICAL_MIN_DISTINCT,
    IDENTICAL_MIN_FIGURES,
    Grid,
    cell_name,
    sort_key,
)
from gongkai.annual.checking.checks.text import plain_text
from gongkai.annual.checking.document import (
    FORMAT_2019,
    FORMAT_2021,
    INFO,
    WARNING,
    Extracted,
    Finding,
)
from gongkai.lib.report_format import (
    APPLICATIONS_TABLE,
)

# ---- a series of years ---------------------------------------------------------------------


def check_series(reports: list[Extracted]) -> dict[int, list[Finding]]:
    """Cross-year findings among the reports of one agency, by index in `reports`.

    The reports are compared in order of year; where a year occurs twice, the first of
    them stands for it. Year Y's 上年结转 is compared with year Y-1's 结转下年度继续办理 (and
    现行有效件数 with last year's), and each report's sections and tables with those of
    every earlier year, the most alike being reported.
    """
    result: dict[int, list[Finding]] = {i: [] for i in range(len(reports))}
    by_year: dict[int, list[int]] = {}
    for i, report in enumerate(reports):
        if isinstance(report.year, int) and not isinstance(report.year, bool):
            by_year.setdefault(report.year, []).append(i)
    for year, indices in by_year.items():
        for i in indices[1:]:
            result[i].append(
                Finding(
                    "DUPLICATE-YEAR",
                    INFO,
                    _(
                        "%(file)s is also a report for %(year)d; only the first of them was "
                        "compared with other years."
                    )
                    % {"file": reports[indices[0]].file, "year": year},
                )
            )
    years = sorted((year, indices[0]) for year, indices in by_year.items())
    grids = {i: Grid(reports[i]) for _year, i in years}
    for position, (year, i) in enumerate(years):
        earlier = years[:position]
        if year - 1 in by_year:
            result[i] += _carry(grids[i], grids[by_year[year - 1][0]])
        result[i] += _copied_text(reports[i], [(y, reports[j]) for y, j in earlier])
        result[i] += _identical_tables(grids[i], [(y, grids[j]) for y, j in earlier])
    return result


def _carry(now: Grid, before: Grid) -> list[Finding]:
    formats = (FORMAT_2021, FORMAT_2019)
    if now.format not in formats or before.format not in formats:
        return []
    if APPLICATIONS_TABLE not in now.present or APPLICATIONS_TABLE not in before.present:
        return []
    in_force = "t2_art20_1"
    tables = {APPLICATIONS_TABLE: now.numeric[APPLICATIONS_TABLE]}
    last = {APPLICATIONS_TABLE: before.numeric[APPLICATIONS_TABLE]}
    if in_force in now.present and in_force in before.present:
        tables[in_force] = now.numeric[in_force]
        last[in_force] = before.numeric[in_force]
    findings = []
    for found in validate.check_against_last_year(tables, last):
        table_id, row, col = found.table, found.row, found.col
        if table_id == APPLICATIONS_TABLE:
            mine, theirs = [(table_id, row, col)], [(table_id, "carried_forward", col)]
        else:
            mine = [(table_id, row, c) for c in ("issued", "repealed", "in_force")]
            theirs = [(table_id, row, "in_force")]
        if not now.readable(mine) or not before.readable(theirs):
            continue
        findings.append(
            Finding(
                found.id,
                found.severity,
                _("%(cell)s: %(problem)s")
                % {"cell": cell_name(now.format, table_id, row, col), "problem": found.message},
                table_id,
                row,
                col,
            )
        )
    return sorted(findings, key=lambda f: sort_key(now.format, f))


def _copied_text(report: Extracted, earlier: list[tuple[int, Extracted]]) -> list[Finding]:
    sections = report.sections if isinstance(report.sections, Mapping) else {}
    titles = narrative.section_titles()
    findings = []
    for key, text in sections.items():
        if not isinstance(text, str) or len(plain_text(text)) < COPIED_MIN_CHARS:
            continue
        best: tuple[float, int] | None = None
        for year, other in earlier:
            before = other.sections.get(key) if isinstance(other.sections, Mapping) else None
            if not isinstance(before, str) or len(plain_text(before)) < COPIED_MIN_CHARS:
                continue
            ratio = narrative.similarity(text, before)
            if ratio >= narrative.REPEAT_THRESHOLD and (best is None or ratio >= best[0]):
                best = (ratio, year)
        if best is not None:
            findings.append(
                Finding(
                    "TEXT-REPEATED",
                    WARNING,
                    _(
                        "%(section)s is %(percent)d%% the same as in the %(year)d report. "
                        "Evaluators criticise text copied from an earlier year."
                    )
                    % {
                        "section": titles.get(key, key),
                        "percent": round(best[0] * 100),
                        "year": best[1],
                    },
                )
            )
    return findings


def _identical_tables(grid: Grid, earlier: list[tuple[int, Grid]]) -> list[Finding]:
    figures = grid.figures()
    nonzero = [v for v in figures.values() if v]
    if len(nonzero) < IDENTICAL_MIN_FIGURES or len(set(nonzero)) < IDENTICAL_MIN_DISTINCT:
        return []  # a few zeros and ones can well repeat
    for year, other in reversed(earlier):
        if other.format == grid.format and other.figures() == figures:
            return [
                Finding(
                    "TABLES-IDENTICAL",
                    WARNING,
                    _(
                        "Every figure in the tables (%(count)d figures) is the same as in the "
                        "%(year)d report."
                    )
                    % {"count": len(figures), "year": year},
                )
            ]
    return []
