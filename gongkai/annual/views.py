"""Back-office pages: a computed report with its findings, and the records behind a cell."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.annual import actions, files, layout, narrative, supervision, trends
from gongkai.annual.compute import Report, Scope, cell_records
from gongkai.annual.forms import FiguresForm, ReportTextForm
from gongkai.annual.models import AnnualReport, ReportStatus, Source
from gongkai.annual.report import build, for_report
from gongkai.lib.errors import ActionError
from gongkai.lib.headers import as_document
from gongkai.lib.report_format import table
from gongkai.orgs.access import get_agency_for_user, has_role, visible_agencies
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency

FIRST_YEAR = actions.FIRST_YEAR
FILE_FORMATS = ("docx", "pdf", "xlsx", "html")


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
        # A rollup for those who see the whole subtree (supervisors, administrators) and for
        # the agency's own office head, who prepares the area's report without seeing each
        # record below.
        every = tuple(Agency.objects.subtree_of(agency).values_list("pk", flat=True))
        seen = agencies.subtree_of(agency).count()
        if seen == len(every) or has_role(request.user, agency, *actions.ROLLUP_PRODUCERS):
            ids = every
        else:
            rollup = False
    return agency, year, rollup, Scope(ids, year)


def _tables_context(built: Report, agency: Agency, rollup: bool) -> dict[str, Any]:
    return {
        "report": built,
        "sections": layout.table_sections(built.tables, built.findings, built.format),
    }


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
    if agency is None or scope is None:
        return render(request, "annual/report.html", context)
    stored = AnnualReport.objects.filter(agency=agency, year=year).first()
    if stored is not None and "rollup" not in request.GET:
        context["rollup"] = rollup = stored.rollup
    if stored is not None and stored.rollup == rollup:
        built = for_report(stored)
        last = AnnualReport.objects.filter(agency=agency, year=year - 1).first()
        context |= {
            "stored": stored,
            "text_form": ReportTextForm(instance=stored),
            "last_year": last,
            "revisions": stored.revisions.select_related("approved_by", "published_by").order_by(
                "-number"
            ),
            "is_head": has_role(request.user, agency, *actions.HEADS),
            "is_staff": has_role(request.user, agency, *actions.producers(stored.rollup)),
            "live_differs": _live_differs(stored, built),
            "titles": narrative.section_titles(),
            "may_enter_by_hand": actions.may_enter_by_hand(agency, year),
            "similarity": (
                round(narrative.similarity(stored.problems, last.problems) * 100)
                if last is not None and stored.problems and last.problems
                else None
            ),
        }
    else:
        built = build(agency, year, rollup=rollup)
        context["can_open"] = has_role(request.user, agency, *actions.producers(rollup)) and (
            year <= timezone.localdate().year
        )
    context |= _tables_context(built, agency, rollup)
    if not rollup:  # a rollup's five years are for the supervising office's own page
        found = trends.points(agency, range(year - 4, year + 1), published_only=False)
        context |= {
            "trend": trends.chart_data(found),
            "trend_points": found,
        }
    context["due_on"] = actions.due_on(agency, year)
    context["file_formats"] = FILE_FORMATS
    return render(request, "annual/report.html", context)


def _live_differs(stored: AnnualReport, shown: Report) -> bool:
    """An approved or published computed report whose records have changed since (which the
    locks should prevent: a change of an agency's place in the tree, say). Never silent."""
    if not stored.locked or stored.source != Source.COMPUTED:
        return False
    live = build(stored.agency, stored.year, rollup=stored.rollup)
    return bool(live.as_json()["tables"] != shown.as_json()["tables"])


def _stored(request: AuthenticatedHttpRequest, code: str, year: int) -> AnnualReport:
    agency = get_agency_for_user(request.user, code)
    return get_object_or_404(AnnualReport, agency=agency, year=year)


def _back(report: AnnualReport) -> HttpResponse:
    return redirect(
        f"{reverse('annual:report')}?agency={quote(report.agency.code)}&year={report.year}"
    )


@login_required
@require_POST
def open_report(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, code)
    rollup = request.POST.get("rollup") == "1" if "rollup" in request.POST else None
    try:
        stored = actions.open_report(agency, year, actor=request.user, rollup=rollup)
    except ActionError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('annual:report')}?agency={quote(agency.code)}&year={year}")
    messages.success(request, _("The report was started with a first draft of its text."))
    return _back(stored)


@login_required
@require_POST
def save_text(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    stored = _stored(request, code, year)
    form = ReportTextForm(request.POST, instance=stored)
    if form.is_valid():
        try:
            actions.save_text(stored, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The text was saved."))
            return _back(stored)
    # Nothing typed is lost: the page comes back with the form as it was sent.
    return _with_form(request, stored, form)


def _with_form(
    request: AuthenticatedHttpRequest, stored: AnnualReport, form: ReportTextForm
) -> HttpResponse:
    built = for_report(stored)
    last = AnnualReport.objects.filter(agency=stored.agency, year=stored.year - 1).first()
    context = {
        "agencies": visible_agencies(request.user).order_by("path"),
        "agency": stored.agency,
        "year": stored.year,
        "rollup": stored.rollup,
        "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1),
        "stored": stored,
        "text_form": form,
        "last_year": last,
        "revisions": stored.revisions.order_by("-number"),
        "is_head": has_role(request.user, stored.agency, *actions.HEADS),
        "is_staff": has_role(request.user, stored.agency, *actions.producers(stored.rollup)),
        "titles": narrative.section_titles(),
        "due_on": actions.due_on(stored.agency, stored.year),
        "file_formats": FILE_FORMATS,
        **_tables_context(built, stored.agency, stored.rollup),
    }
    return render(request, "annual/report.html", context, status=400)


STEPS = {
    "approve": (actions.approve, gettext_lazy("The report was approved; its figures are frozen.")),
    "return": (actions.return_to_draft, gettext_lazy("The report is a draft again.")),
    "publish": (actions.publish, gettext_lazy("The report is published on the portal.")),
    "computed": (
        actions.use_computed,
        gettext_lazy("The figures are computed from the records again."),
    ),
}


@login_required
@require_POST
def step(request: AuthenticatedHttpRequest, code: str, year: int, name: str) -> HttpResponse:
    stored = _stored(request, code, year)
    try:
        if name == "amend":
            actions.start_amendment(
                stored, actor=request.user, reason=request.POST.get("reason", "")
            )
            done = _(
                "The amendment is open; the published report stays public until the new "
                "revision is published."
            )
        elif name in STEPS:
            action, success = STEPS[name]
            action(stored, actor=request.user)
            done = str(success)
        else:
            raise Http404(_("No such step."))
    except ActionError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _back(stored)


@login_required
def download(request: AuthenticatedHttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The report as a file for staff: the draft as it stands, or the approved revision."""
    stored = _stored(request, code, year)
    if fmt not in FILE_FORMATS:
        raise Http404(_("No such file format."))

    built = for_report(stored)
    revision = stored.revisions.order_by("-number").first() if stored.locked else None
    text = revision.narrative if revision is not None else stored.narrative()
    content = files.render(built, text, fmt, draft=stored.status != ReportStatus.PUBLISHED)
    response = HttpResponse(content, content_type=files.CONTENT_TYPES[fmt])
    disposition = content_disposition_header(
        as_attachment=fmt != "html", filename=files.filename(built, fmt)
    )
    if disposition:
        response["Content-Disposition"] = disposition
    if fmt == "html":  # a self-contained document with its own styles
        as_document(response)
    return response


@login_required
def cell(request: AuthenticatedHttpRequest) -> HttpResponse:
    agency, year, rollup, scope = _params(request)
    table_id, row, col = (request.GET.get(k, "") for k in ("table", "row", "col"))
    if scope is None:
        raise Http404(_("No such agency."))
    # The records listed are those the user may see (an office head's rollup counts more).
    visible = set(visible_agencies(request.user).values_list("pk", flat=True))
    scope = Scope(tuple(i for i in scope.agency_ids if i in visible), scope.year)
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


@login_required
def status(request: AuthenticatedHttpRequest) -> HttpResponse:
    """For a supervising office: the breakdown of its rollup and its agencies' reports."""
    agency, year, _rollup, _scope = _params(request)
    if agency is None:
        raise Http404(_("No such agency."))
    subtree = Agency.objects.subtree_of(agency)
    if visible_agencies(request.user).filter(pk__in=subtree).count() != subtree.count():
        raise Http404(_("No such agency."))
    lines = supervision.breakdown(agency, year)
    rows = supervision.standings(agency, year, problems_only=request.GET.get("all") != "1")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "annual/status.html",
        {
            "agency": agency,
            "year": year,
            "lines": lines,
            "totals": supervision.totals(lines),
            "total_on_time_rate": supervision.on_time_rate(supervision.totals(lines)),
            "page": page,
            "show_all": request.GET.get("all") == "1",
            "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1),
            "agencies": visible_agencies(request.user).filter(is_supervising=True).order_by("path"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def figures(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    """Figures by hand for a year before the agency used the system."""
    stored = _stored(request, code, year)
    if not actions.may_enter_by_hand(stored.agency, year):
        raise Http404(_("This year's figures are computed from the records."))
    form = FiguresForm(
        request.POST or None,
        initial_tables=stored.entered_tables or for_report(stored).as_json()["tables"],
        reason=stored.source_note,
        format_id=stored.format,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_figures(
                stored, form.tables(), actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The figures were saved; check the findings below."))
            return _back(stored)
    return render(
        request,
        "annual/figures.html",
        {"stored": stored, "form": form, "tables": form.layout()},
        status=400 if form.errors else 200,
    )
