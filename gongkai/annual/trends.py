"""The main figures of an agency's reports over several years, for the trend charts.

Three groups of series:
- `requests`: tables 三 and 四 of the report. A year's figures are those of its published
  revision (the public pages use only these), else its hand-entered or imported figures,
  else — for staff — the computation from the records. Labels come from the format file.
- `catalog`: the items published and the policy interpretations of the year, counted from
  the catalog (as section 一 counts them).
- `records`: the counts of the other disclosure work (gongkai.records.counts.as_counts).

Years before the 2019 format come from an imported `HistoricalYear` (its 统计表 items):
each series takes the items of `HISTORY` that correspond to it; a series with no
corresponding item has no figure that year (a gap, "—" in the table), never a 0. The
correspondence is documented in docs/records.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongkai.annual.compute import compute, scope_for
from gongkai.annual.models import AnnualReport, HistoricalYear
from gongkai.annual.narrative import year_activity
from gongkai.annual.report import stored_tables
from gongkai.lib.report_format import table
from gongkai.lib.report_keys import Outcome, RemedyKind
from gongkai.orgs.models import Agency
from gongkai.records.counts import year_figures

FIRST_FORMAT_YEAR = 2019

# (series key, table, row, columns summed)
SERIES = (
    ("new_received", "t3_applications", "new_received", ("total",)),
    ("total_processed", "t3_applications", "total_processed", ("total",)),
    ("granted", "t3_applications", Outcome.GRANTED, ("total",)),
    ("carried_forward", "t3_applications", "carried_forward", ("total",)),
    ("reviews", "t4_review_litigation", "cases", ("review_total",)),
    ("lawsuits", "t4_review_litigation", "cases", ("lit_direct_total", "lit_after_review_total")),
)
CATALOG_SERIES = ("items", "interpretations")
RECORD_SERIES = ("consultations", "concerns", "messages", "press", "proposals", "training")
GROUPS = {
    "requests": tuple(key for key, *_rest in SERIES),
    "catalog": CATALOG_SERIES,
    "records": RECORD_SERIES,
}

# Series key -> the items of the pre-2019 统计表 (gongkai/data/pre2019_statistics.json)
# summed for it. 申请答复数 is the old table's count of replies (the 2019+ 办理结果 total);
# 同意公开答复数 its 予以公开. No item corresponds to 结转下年度, to consultations, to
# hotline messages or to NPC/CPPCC proposals.
HISTORY: dict[str, tuple[str, ...]] = {
    "new_received": ("requests_received",),
    "total_processed": ("requests_answered",),
    "granted": ("ans_granted",),
    "reviews": ("reviews",),
    "lawsuits": ("lawsuits",),
    "items": ("proactive_total",),
    "interpretations": ("interpretations",),
    "concerns": ("hot_topics",),
    "press": ("press_conferences", "online_interviews"),
    "training": ("meetings", "trainings"),
}


def series_labels() -> dict[str, str]:
    rows = {r["key"]: r["label"] for r in table("t3_applications")["rows"]}
    groups = {g["key"]: g["label"] for g in table("t4_review_litigation")["column_groups"]}
    labels = {key: rows[row] for key, t, row, _cols in SERIES if t == "t3_applications"}
    labels["reviews"] = groups[RemedyKind.ADMINISTRATIVE_REVIEW]
    labels["lawsuits"] = groups["administrative_litigation"]
    labels |= {
        "items": _("Items published"),
        "interpretations": _("Policy interpretations"),
        "consultations": _("Public consultations"),
        "concerns": _("Responses to public concern"),
        "messages": _("Hotline and mailbox messages"),
        "press": _("Press conferences and online interviews"),
        "proposals": _("NPC suggestions and CPPCC proposals"),
        "training": _("Meetings and training"),
    }
    return labels


def group_labels() -> dict[str, str]:
    return {
        "requests": _("Requests, reviews and lawsuits"),
        "catalog": _("Proactive disclosure"),
        "records": _("Other disclosure work"),
    }


@dataclass
class Point:
    year: int
    figures: dict[str, int]
    source: str  # "published", "entered", "computed" or "history"


def _table_figures(tables: Mapping[str, Any]) -> dict[str, int]:
    return {
        key: sum(int(tables[t][row][col]) for col in cols)
        for key, t, row, cols in SERIES
        if t in tables and row in tables[t]
    }


def _record_figures(agency: Agency, year: int, *, rollup: bool) -> dict[str, int]:
    scope = scope_for(agency, year, rollup=rollup)
    found = year_activity(scope)
    return {
        "items": found["items"],
        "interpretations": found["interpretations"],
        **year_figures(scope.agency_ids, year).as_counts(),
    }


def history_figures(items: Mapping[str, Any]) -> dict[str, int]:
    """The series of a pre-2019 year from its 统计表 items (those it has)."""
    found: dict[str, int] = {}
    for key, sources in HISTORY.items():
        values = [items[s] for s in sources if isinstance(items.get(s), int | float)]
        if values:
            found[key] = int(sum(values))
    return found


def points(agency: Agency, years: range, *, published_only: bool) -> list[Point]:
    """The years of `years` from 2019 on, preceded by the agency's imported years before."""
    history = HistoricalYear.objects.filter(agency=agency, year__lt=FIRST_FORMAT_YEAR)
    if history.exists():  # no hole between the old years and the first of the 2019 format
        years = range(min(years.start, FIRST_FORMAT_YEAR), years.stop)
    result = [
        Point(h.year, history_figures(h.figures), "history") for h in history.order_by("year")
    ]
    stored = {r.year: r for r in AnnualReport.objects.filter(agency=agency, year__in=list(years))}
    for year in years:
        if year < FIRST_FORMAT_YEAR:
            continue
        report = stored.get(year)
        rollup = report.rollup if report is not None else False
        revision = report.published_revision() if report is not None else None
        if revision is not None:
            figures, source = _table_figures(revision.tables), "published"
        elif published_only:
            continue
        elif (tables := stored_tables(report) if report is not None else None) is not None:
            figures, source = _table_figures(tables), "entered"
        else:
            figures = _table_figures(compute(scope_for(agency, year, rollup=rollup)))
            source = "computed"
        result.append(Point(year, figures | _record_figures(agency, year, rollup=rollup), source))
    return result


def chart_data(found: list[Point]) -> dict[str, Any]:
    """What trends.js draws: years, and one series per figure (labels from the format and
    the catalog); a figure a year does not have is null (a gap), and `rows` are the same
    figures for the table beside the chart."""
    labels = series_labels()
    names = group_labels()
    keys = [key for group in GROUPS.values() for key in group]
    return {
        "years": [p.year for p in found],
        "groups": [{"key": g, "name": names[g]} for g in GROUPS],
        "series": [
            {
                "key": key,
                "group": group,
                "name": labels[key],
                "data": [p.figures.get(key) for p in found],
            }
            for group, members in GROUPS.items()
            for key in members
        ],
        "rows": [
            {"year": p.year, "source": p.source, "cells": [p.figures.get(k) for k in keys]}
            for p in found
        ],
    }
