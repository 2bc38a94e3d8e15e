"""One agency's (or a subtree's) report for a year: computed tables plus their findings."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongkai.annual import validate
from gongkai.annual.compute import Report, compute, scope_for, table_two
from gongkai.orgs.models import Agency
from gongkai.publishing.register import can_issue_regulations


def build(agency: Agency, year: int, *, rollup: bool = False) -> Report:
    scope = scope_for(agency, year, rollup=rollup)
    tables = compute(scope)
    last_year = compute(scope_for(agency, year - 1, rollup=rollup))
    findings = validate.check_identities(tables)
    findings += validate.check_against_last_year(tables, last_year)
    if not rollup:
        findings += validate.check_level(tables, can_issue_regulations(agency))
        _two, entered = table_two(scope)
        if not entered:
            findings.append(
                {
                    "id": "T2-FIGURES-MISSING",
                    "severity": validate.WARNING,
                    "table": "t2_art20_5",
                    "row": "administrative_licensing",
                    "col": "decisions",
                    "message": _(
                        "The decision and fee figures of %(year)d have not been entered; they "
                        "count as 0."
                    )
                    % {"year": year},
                }
            )
    return Report(
        agency=agency.name,
        agency_code=agency.code,
        year=year,
        rollup=rollup,
        tables=tables,
        findings=findings,
    )
