"""The portal's annual-report column (政府信息公开年报): published revisions only.

A report's page shows its latest published revision; earlier revisions stay listed with
the reason for each amendment, and each can be opened and downloaded (never a silent
change). The figures and files come from the frozen revision, not from the records.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gongkai.annual import files, trends
from gongkai.annual.layout import table_sections
from gongkai.annual.models import AnnualReport, Revision
from gongkai.annual.published import DOWNLOADS
from gongkai.annual.report import from_revision
from gongkai.lib.headers import as_document
from gongkai.lib.report_format import format_spec
from gongkai.orgs.models import Agency
from gongkai.portal.cache import public_page


@public_page
def report_list(request: HttpRequest) -> HttpResponse:
    reports = (
        AnnualReport.objects.filter(revisions__published_at__isnull=False, agency__is_active=True)
        .distinct()
        .select_related("agency")
        .order_by("-year", "agency__path")
    )
    agency = None
    code = request.GET.get("agency", "")
    if code:
        agency = get_object_or_404(Agency.objects.active(), code=code)
        reports = reports.filter(agency=agency)
    year = request.GET.get("year", "")
    if year.isdigit():
        reports = reports.filter(year=int(year))
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    years = (
        AnnualReport.objects.filter(revisions__published_at__isnull=False)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return render(
        request,
        "annual/public_list.html",
        {"page": page, "agency": agency, "year": year, "years": list(years)},
    )


def _revision(report: AnnualReport, number: str | None) -> Revision:
    published = report.revisions.filter(published_at__isnull=False)
    if number:
        if not number.isdigit():
            raise Http404(_("No such revision."))
        return get_object_or_404(published, number=int(number))
    found = published.order_by("-number").first()
    if found is None:
        raise Http404(_("This report has not been published."))
    return found


@public_page
def report_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = get_object_or_404(
        AnnualReport.objects.select_related("agency"), agency__code=code, year=year
    )
    revision = _revision(report, request.GET.get("revision"))
    shown = from_revision(report, revision)
    found = trends.points(report.agency, range(year - 4, year + 1), published_only=True)
    context: dict[str, Any] = {
        "report": report,
        "revision": revision,
        "title": files.title(shown),
        "revisions": report.revisions.filter(published_at__isnull=False).order_by("-number"),
        "latest": report.revisions.filter(published_at__isnull=False).order_by("-number").first(),
        "sections": table_sections(shown.tables, [], shown.format),
        "texts": [
            (f"{s['no']}、{s['title']}", revision.narrative.get(s["key"], ""))
            for s in format_spec(shown.format)["sections"]
            if s["form"] == "text"
        ],
        "downloads": DOWNLOADS,
        "trend": trends.chart_data(found) if len(found) > 1 else None,
        "trend_points": found,
    }
    return render(request, "annual/public_report.html", context)


def report_file(request: HttpRequest, code: str, year: int, number: int, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404(_("No such file format."))
    report = get_object_or_404(
        AnnualReport.objects.select_related("agency"), agency__code=code, year=year
    )
    revision = _revision(report, str(number))
    shown = from_revision(report, revision)
    note = (
        _("Revision %(number)d: %(reason)s")
        % {"number": revision.number, "reason": revision.reason}
        if revision.reason
        else ""
    )
    content = files.render(shown, revision.narrative, fmt, note=note)
    response = HttpResponse(content, content_type=files.CONTENT_TYPES[fmt])
    disposition = content_disposition_header(
        as_attachment=True, filename=files.filename(shown, fmt)
    )
    if disposition:
        response["Content-Disposition"] = disposition
    if fmt == "html":  # a self-contained document with its own styles
        as_document(response)
    return response
