"""Back-office pages: a computed report with its findings, and the records behind a cell."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.annual.compute import Scope, cell_records
from gongkai.annual.layout import body_rows, header_rows, leaf_columns
from gongkai.annual.report import build
from gongkai.lib.http import AuthenticatedHttpRequest
from gongkai.lib.report_format import report_format, table
from gongkai.orgs.access import visible_agencies
from gongkai.orgs.models import Agency

FIRST_YEAR = 2008


def _params(request: AuthenticatedHttpRequest) -> tuple[Agency | None, int, bool, Scope | None]:
    agencies = visible_agencies(request.user)
    code = request.GET.get("agency", "")
    agency = agencies.filter(code=code).first()
    if code and agency is None:
        raise Http404(_("No such agency."))
    if agency is None and agencies.count() == 1:
        agency = agencies.first()
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year - 1))
    except ValueError:
        year = this_year - 1
    year = min(max(year, FIRST_YEAR), this_year)
    rollup = request.GET.get("rollup") == "1"
    if agency is None:
        return None, year, rollup, None
    ids: tuple[int, ...] = (agency.pk,)
    if rollup:
        seen = tuple(agencies.filter(path__startswith=agency.path).values_list("pk", flat=True))
        # A rollup only for those who see the whole subtree (supervisors, administrators).
        if len(seen) == Agency.objects.filter(path__startswith=agency.path).count():
            ids = seen
        else:
            rollup = False
    return agency, year, rollup, Scope(ids, year)


def _sections(tables: dict[str, Any], findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    marks = {(f["table"], f["row"], f["col"]): f for f in findings}
    sections = []
    for section in report_format()["sections"]:
        if section["form"] != "table":
            continue
        rendered = []
        for table_id in section["tables"]:
            columns = leaf_columns(table_id)
            rows = []
            for row in body_rows(table_id):
                cells = (
                    [
                        {
                            "col": col,
                            "value": tables[table_id][row.key][col],
                            "finding": marks.get((table_id, row.key, col)),
                        }
                        for col in columns
                    ]
                    if row.kind == "data"
                    else []
                )
                rows.append({"row": row, "cells": cells})
            rendered.append(
                {
                    "id": table_id,
                    "title": table(table_id)["title"],
                    "headers": header_rows(table_id),
                    "rows": rows,
                    "width": len(columns) + 1,
                }
            )
        sections.append({"no": section["no"], "title": section["title"], "tables": rendered})
    return sections


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    agency, year, rollup, scope = _params(request)
    context: dict[str, Any] = {
        "agencies": visible_agencies(request.user).order_by("path"),
        "agency": agency,
        "year": year,
        "rollup": rollup,
        "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1),
    }
    if agency is not None and scope is not None:
        built = build(agency, year, rollup=rollup)
        context["report"] = built
        context["sections"] = _sections(built.tables, built.findings)
    return render(request, "annual/report.html", context)


@login_required
def cell(request: AuthenticatedHttpRequest) -> HttpResponse:
    agency, year, rollup, scope = _params(request)
    table_id, row, col = (request.GET.get(k, "") for k in ("table", "row", "col"))
    if scope is None:
        raise Http404(_("No such agency."))
    try:
        spec = table(table_id)
        row_label = next(r["label"] for r in spec["rows"] if r["key"] == row)
        col_label = next(c["label"] for c in spec["columns"] if c["key"] == col)
        records = cell_records(scope, table_id, row, col)
    except (KeyError, StopIteration):
        raise Http404(_("No such cell.")) from None
    page = Paginator(records.order_by("pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "annual/cell.html",
        {
            "agency": agency,
            "year": year,
            "rollup": rollup,
            "table_title": spec["title"],
            "row_label": row_label,
            "col_label": col_label,
            "table_id": table_id,
            "page": page,
            "count": page.paginator.count,
        },
    )
