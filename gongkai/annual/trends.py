"""The main figures of an agency's reports over several years, for the trend charts.

A year's figures are those of its published revision (the public pages use only these),
else its hand-entered or imported figures, else — for staff — the computation from the
records. Series labels come from the format file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongkai.annual.compute import compute, scope_for
from gongkai.annual.models import AnnualReport
from gongkai.annual.report import stored_tables
from gongkai.lib.report_format import table
from gongkai.lib.report_keys import Outcome, RemedyKind
from gongkai.orgs.models import Agency

# (series key, table, row, columns summed)
SERIES = (
    ("new_received", "t3_applications", "new_received", ("total",)),
    ("total_processed", "t3_applications", "total_processed", ("total",)),
    ("granted", "t3_applications", Outcome.GRANTED, ("total",)),
    ("carried_forward", "t3_applications", "carried_forward", ("total",)),
    ("reviews", "t4_review_litigation", "cases", ("review_total",)),
    ("lawsuits", "t4_review_litigation", "cases", ("lit_direct_total", "lit_after_review_total")),
)


def series_labels() -> dict[str, str]:
    rows = {r["key"]: r["label"] for r in table("t3_applications")["rows"]}
    groups = {g["key"]: g["label"] for g in table("t4_review_litigation")["column_groups"]}
    labels = {key: rows[row] for key, t, row, _cols in SERIES if t == "t3_applications"}
    labels["reviews"] = groups[RemedyKind.ADMINISTRATIVE_REVIEW]
    labels["lawsuits"] = groups["administrative_litigation"]
    return labels


@dataclass
class Point:
    year: int
    figures: dict[str, int]
    source: str  # "published", "entered" or "computed"


def _figures(tables: Mapping[str, Any]) -> dict[str, int]:
    return {
        key: sum(int(tables[t][row][col]) for col in cols)
        for key, t, row, cols in SERIES
        if t in tables and row in tables[t]
    }


def points(agency: Agency, years: range, *, published_only: bool) -> list[Point]:
    stored = {r.year: r for r in AnnualReport.objects.filter(agency=agency, year__in=list(years))}
    result = []
    for year in years:
        report = stored.get(year)
        revision = report.published_revision() if report is not None else None
        if revision is not None:
            result.append(Point(year, _figures(revision.tables), "published"))
            continue
        if published_only:
            continue
        tables = stored_tables(report) if report is not None else None
        if tables is not None:
            result.append(Point(year, _figures(tables), "entered"))
        else:
            rollup = report.rollup if report is not None else False
            result.append(
                Point(year, _figures(compute(scope_for(agency, year, rollup=rollup))), "computed")
            )
    return result


def chart_data(found: list[Point]) -> dict[str, Any]:
    """What trends.js draws: years, and one series per figure (labels from the format)."""
    labels = series_labels()
    return {
        "years": [p.year for p in found],
        "series": [
            {"key": key, "name": labels[key], "data": [p.figures.get(key, 0) for p in found]}
            for key, *_rest in SERIES
        ],
    }
