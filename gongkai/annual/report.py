"""One agency's (or a subtree's) report for a year: tables plus their findings.

`build` computes from the records. `for_report` gives what a stored report shows now:
its frozen revision when approved or published, its entered figures when they were
entered by hand or imported, the computation otherwise — with the text checks added.
Last year's figures for the cross-year checks come from last year's stored report when
there is one (what was published is what the reader compares with), else from the records.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongkai.annual import narrative, validate
from gongkai.annual.compute import Report, Tables, compute, scope_for, table_two
from gongkai.annual.models import AnnualReport, ReportStatus, Revision, Source
from gongkai.lib.findings import Finding, Severity
from gongkai.lib.report_format import (
    APPLICATIONS_TABLE,
    FORMAT_2021,
    fold_table_three,
    format_id_for_year,
    format_spec,
)
from gongkai.orgs.models import Agency
from gongkai.publishing.register import can_issue_regulations


def stored_tables(report: AnnualReport) -> Tables | None:
    """The tables a stored report stands for, when they are not to be computed."""
    revision = report.published_revision()
    if revision is not None:  # also while amended: the published figures stand until replaced
        return _numbers(revision.tables)
    if report.source != Source.COMPUTED:
        return _numbers(report.entered_tables)
    return None


def _numbers(tables: dict[str, Any]) -> Tables:
    """JSON numbers back to int, and to Decimal for the fee amount."""
    return {
        t: {
            r: {c: Decimal(str(v)) if isinstance(v, float) else v for c, v in cols.items()}
            for r, cols in rows.items()
        }
        for t, rows in tables.items()
    }


def _last_year(agency: Agency, year: int, rollup: bool) -> Tables:
    stored = AnnualReport.objects.filter(agency=agency, year=year - 1).first()
    if stored is not None and stored.rollup == rollup:
        tables = stored_tables(stored)
        if tables is not None:
            return tables
    return compute(scope_for(agency, year - 1, rollup=rollup))


def _checks(
    agency: Agency, year: int, rollup: bool, tables: Tables, format_id: str = FORMAT_2021
) -> list[dict[str, Any]]:
    findings = validate.check_identities(tables, format_id)
    findings += validate.check_against_last_year(tables, _last_year(agency, year, rollup))
    if not rollup and "t2_art20_1" in tables:
        findings += validate.check_level(tables, can_issue_regulations(agency))
    # A report's findings are stored and shown as JSON records (Revision.findings).
    return [finding.record() for finding in findings]


def in_format(tables: Tables, format_id: str) -> Tables:
    """Computed (2021-shaped) tables in the shape of `format_id`. The 2019 format's section 二
    counted things the records do not hold (上一年项目数量, 本年增/减 …): zeros to enter."""
    if format_id == FORMAT_2021:
        return tables
    spec = format_spec(format_id)
    shaped: Tables = {}
    for spec_table in spec["tables"]:
        table_id = spec_table["id"]
        if table_id == APPLICATIONS_TABLE:
            three: Any = tables[table_id]  # whole numbers: table 三 counts requests
            folded: Any = fold_table_three(format_id, three)
            shaped[table_id] = folded
        elif table_id in tables:
            shaped[table_id] = tables[table_id]
        else:
            shaped[table_id] = {
                r["key"]: {c["key"]: 0 for c in spec_table["columns"]}
                for r in spec_table["rows"]
                if r["kind"] == "data"
            }
    return shaped


def build(agency: Agency, year: int, *, rollup: bool = False) -> Report:
    scope = scope_for(agency, year, rollup=rollup)
    format_id = format_id_for_year(year) or FORMAT_2021
    tables = in_format(compute(scope), format_id)
    findings = _checks(agency, year, rollup, tables, format_id)
    if format_id != FORMAT_2021:
        findings.append(
            Finding(
                id="FORMAT-2019",
                severity=Severity.WARNING,
                message=_(
                    "%(year)d is reported in the 2019 format, whose section 二 the records "
                    "cannot give: enter the figures by hand."
                )
                % {"year": year},
            ).record()
        )
    elif not rollup:
        _two, entered = table_two(scope)
        if not entered:
            findings.append(
                Finding(
                    id="T2-FIGURES-MISSING",
                    severity=Severity.WARNING,
                    table="t2_art20_5",
                    row="administrative_licensing",
                    col="decisions",
                    message=_(
                        "The decision and fee figures of %(year)d have not been entered; they "
                        "count as 0."
                    )
                    % {"year": year},
                ).record()
            )
    return Report(
        agency=agency.name,
        agency_code=agency.code,
        year=year,
        rollup=rollup,
        tables=tables,
        findings=findings,
        format=format_id,
    )


def for_report(report: AnnualReport) -> Report:
    """What the report shows now (drafts: live; approved: the frozen revision)."""
    agency = report.agency
    if report.status in (ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        revision = report.revisions.order_by("-number").first()
        if revision is not None:
            return from_revision(report, revision)
    if report.source == Source.COMPUTED:
        built = build(agency, report.year, rollup=report.rollup)
    else:
        tables = _numbers(report.entered_tables)
        built = Report(
            agency=agency.name,
            agency_code=agency.code,
            year=report.year,
            rollup=report.rollup,
            tables=tables,
            findings=_checks(agency, report.year, report.rollup, tables, report.format),
            format=report.format,
        )
    built.findings += text_checks(report, built.tables)
    return built


def text_checks(report: AnnualReport, tables: Tables) -> list[dict[str, Any]]:
    findings = narrative.check_quoted_figures(report.narrative(), tables)
    last = AnnualReport.objects.filter(agency=report.agency, year=report.year - 1).first()
    if last is not None:
        findings += narrative.check_repeated(report.problems, last.problems, report.year)
    return findings


def from_revision(report: AnnualReport, revision: Revision) -> Report:
    return Report(
        agency=report.agency.name,
        agency_code=report.agency.code,
        year=report.year,
        rollup=report.rollup,
        tables=_numbers(revision.tables),
        findings=list(revision.findings),
        format=revision.format,
    )
