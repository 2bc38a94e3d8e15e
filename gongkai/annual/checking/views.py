"""Back-office pages that check reports agencies have published, and import one as an
agency's year (for the years before it used the system).

- `checks`: upload files and/or paste text; each is read, extracted and checked by its own
  background task (runs.py, annual.tasks.check_report_file); the results are stored in
  the `ReportCheck` and shown on its page, which follows the files' progress meanwhile
  (`check_run_progress`, polled with htmx).
- `check_run`: per report its findings, label edits and the figures as read.
- `check_xlsx`: the same as XLSX (batch.workbook).
- `check_import`: a 2021- or 2019-format report becomes the draft of the chosen agency's
  year through actions.import_checked_report (open_report, enter_figures, save_text).
- `check_import_history`: a pre-2019 report's statistics table becomes the chosen
  agency's historical year (actions.import_history), shown in the trends.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from gongkai.annual import actions
from gongkai.annual import tasks as annual_tasks
from gongkai.annual.checking import runs
from gongkai.annual.checking.batch import (
    Checked,
    checked_from_json,
    format_label,
    location,
    workbook,
)
from gongkai.annual.checking.checks import cell_name, table_name
from gongkai.annual.checking.document import (
    BLANK,
    ERROR,
    FORMAT_PRE2019,
    INFO,
    WARNING,
    Finding,
)
from gongkai.annual.checking.forms import CheckUploadForm, ImportForm
from gongkai.annual.checking.imports import history_blocker, import_blocker
from gongkai.annual.models import AnnualReport, HistoricalYear, ReportCheck
from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.errors import ActionError
from gongkai.lib.findings import SEVERITY_ORDER, severity_label
from gongkai.orgs.access import agencies_with_role
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency, AgencyQuerySet, Membership, Role, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_RUNS = 20


# ---- access ------------------------------------------------------------------------------


def may_check(user: User) -> bool:
    """Any staff user with a role in an agency (supervisors included): checking reads only
    what was uploaded. Importing needs a disclosure-staff role (staff_agencies)."""
    return user.is_superuser or Membership.objects.filter(user=user).exists()


def _require_checker(user: User) -> None:
    if not may_check(user):
        raise PermissionDenied(_("Checking published reports needs a role in an agency."))


def _administers(viewer: User, user_id: int) -> bool:
    """Whether `viewer` is an administrator of an agency where the user holds a role, or of
    one above it."""
    if viewer.is_superuser:
        return True
    administered = agencies_with_role(viewer, [Role.ADMIN])
    return Membership.objects.filter(agency__in=administered, user_id=user_id).exists()


def get_run_for_user(request: AuthenticatedHttpRequest, pk: int) -> ReportCheck:
    """One check run: its creator's, or an administrator's over the creator. Otherwise 404."""
    run = ReportCheck.objects.filter(pk=pk).first()
    if run is None or (
        run.created_by_id != request.user.pk and not _administers(request.user, run.created_by_id)
    ):
        raise Http404(_("No such check."))
    return run


def staff_agencies(user: User) -> AgencyQuerySet:
    """Agencies where `user` is disclosure staff (actions.STAFF; an administrator's role
    counts below its agency too, as in has_role): those a report may be imported into."""
    return agencies_with_role(user, actions.STAFF).order_by("path")


# ---- stored results ------------------------------------------------------------------------


# ---- pages ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checks(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_checker(request.user)
    form = CheckUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Each file is checked by its own background task (queued now that the run and its
        # files are committed); the run's page follows them.
        run = runs.start(
            form.cleaned_data["reports"], form.cleaned_data["text"], actor=request.user
        )
        for stored in runs.progress(run):
            annual_tasks.check_report_file.enqueue(stored.pk)
        return redirect("annual:check_run", pk=run.pk)
    recent = (
        ReportCheck.objects.filter(created_by=request.user)
        .defer("results")
        .order_by("-created_at", "-pk")[:RECENT_RUNS]
    )
    return render(
        request,
        "annual/checks.html",
        {"form": form, "runs": recent},
        status=400 if form.errors else 200,
    )


def _shown_value(value: Any) -> str:
    """A figure as printed: numbers plainly, "/" "-" "?" as they are, a blank cell named."""
    if value == BLANK:
        return _("(blank)")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _finding(result: Checked, finding: Finding) -> dict[str, Any]:
    where = location(result, finding)
    return {
        "finding": finding,
        "severity_name": severity_label(finding.severity),
        # Most messages start with the cell they are about: the location only when not.
        "where": where if where not in finding.message else "",
        "quote": finding.quote if finding.quote != where else "",
    }


def _card(
    index: int,
    data: dict[str, Any],
    agencies: list[Agency],
    imported: AnnualReport | None,
    form: ImportForm | None,
) -> dict[str, Any]:
    result = checked_from_json(data)
    format_id = result.extracted.format
    findings = [
        _finding(result, f)
        for f in sorted(result.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
    ]
    figures = [
        {
            "table": table_name(format_id, table_id),
            "cell": cell_name(format_id, table_id, row, col),
            "value": _shown_value(value),
            "number": not isinstance(value, str),
        }
        for table_id, rows in result.extracted.tables.items()
        for row, cells in rows.items()
        for col, value in cells.items()
    ]
    edits = [
        {"table": table_name(format_id, edit.table), "edit": edit}
        for edit in result.extracted.label_edits
    ]
    history = format_id == FORMAT_PRE2019
    blocker = history_blocker(data) if history else import_blocker(data)
    card: dict[str, Any] = {
        "history": history,
        "index": index,
        "result": result,
        "format": format_label(format_id),
        "errors": result.count(ERROR),
        "warnings": result.count(WARNING),
        "notes": result.count(INFO),
        "findings": findings,
        "edits": edits,
        "figures": figures,
        "import_blocker": blocker,
        "imported": imported,
        "imported_url": report_url(imported) if imported is not None else "",
    }
    if not blocker and agencies:
        if form is None:
            # The agency whose name the report prints, when the user may import into it.
            same = next((a for a in agencies if a.name == result.extracted.agency), None)
            form = ImportForm(agencies=Agency.objects.none(), prefix=f"r{index}")
            card["selected"] = same.pk if same is not None else None
        else:
            value = str(form["agency"].value() or "")
            card["selected"] = int(value) if value.isdigit() else None
        card["import_form"] = form
    return card


def _run_page(
    request: AuthenticatedHttpRequest,
    run: ReportCheck,
    *,
    bound: tuple[int, ImportForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    # The options of every card's agency select, read once (the template lists them).
    agencies = list(staff_agencies(request.user))
    reports = AnnualReport.objects.select_related("agency").in_bulk(run.imported.values())
    history = {
        (h.agency_id, h.year): h
        for h in HistoricalYear.objects.filter(check_run=run).select_related("agency")
    }
    cards = [
        _card(
            i,
            data,
            agencies,
            reports.get(run.imported.get(str(i))),
            bound[1] if bound and bound[0] == i else None,
        )
        for i, data in enumerate(run.results)
    ]
    for card in cards:
        if card["history"]:
            card["history_imported"] = [
                {"h": h, "url": trends_url(h.agency)}
                for (_agency, year), h in history.items()
                if year == card["result"].extracted.year
            ]
    totals = {
        "errors": sum(c["errors"] for c in cards),
        "warnings": sum(c["warnings"] for c in cards),
        "notes": sum(c["notes"] for c in cards),
    }
    return render(
        request,
        "annual/check_run.html",
        {"run": run, "cards": cards, "totals": totals, "agencies": agencies},
        status=status,
    )


@login_required
def check_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request, pk)
    if run.pending:
        return render(request, "annual/check_progress.html", _progress(run))
    return _run_page(request, run)


@login_required
def check_run_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The files' states, polled by the pending run's page (htmx); once the run is
    complete, the page reloads to show the results."""
    run = get_run_for_user(request, pk)
    if not run.pending:
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRefresh()
        return redirect("annual:check_run", pk=run.pk)
    return render(request, "annual/_check_progress.html", _progress(run))


def _progress(run: ReportCheck) -> dict[str, Any]:
    rows = []
    for stored in runs.progress(run):
        row: dict[str, Any] = {"file": stored, "finished": stored.status in runs.FINISHED}
        if stored.result is not None:
            result = checked_from_json(stored.result)
            row.update(
                errors=result.count(ERROR),
                warnings=result.count(WARNING),
                notes=result.count(INFO),
                format=format_label(result.extracted.format),
                unreadable=bool(result.error),
                message=result.error,
            )
        rows.append(row)
    done = sum(1 for r in rows if r["finished"])
    return {"run": run, "rows": rows, "done": done, "total": len(rows)}


@login_required
def check_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request, pk)
    record(
        Action.EXPORTED,
        actor=request.user,
        request=request,
        detail={"what": "annual.check_results", "run": run.pk},
    )
    content = workbook([checked_from_json(data) for data in run.results])
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime(run.created_at).strftime("%Y%m%d-%H%M")
    disposition = content_disposition_header(
        as_attachment=True, filename=_("report-check-%(stamp)s.xlsx") % {"stamp": stamp}
    )
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def _run_url(run: ReportCheck, index: int) -> str:
    return f"{reverse('annual:check_run', args=[run.pk])}#report-{index}"


@login_required
@require_POST
def check_import(request: AuthenticatedHttpRequest, pk: int, index: int) -> HttpResponse:
    """A checked report becomes the agency's year (actions.import_checked_report)."""
    run = get_run_for_user(request, pk)
    if not 0 <= index < len(run.results):
        raise Http404(_("No such report in this check."))
    data = run.results[index]
    blocker = import_blocker(data)
    if blocker:
        messages.error(request, blocker)
        return redirect(_run_url(run, index))
    form = ImportForm(request.POST, agencies=staff_agencies(request.user), prefix=f"r{index}")
    if not form.is_valid():
        return _run_page(request, run, bound=(index, form), status=400)
    agency: Agency = form.cleaned_data["agency"]
    year: int = data["year"]
    try:
        actions.import_checked_report(agency, year, run, actor=request.user, index=index)
    except ActionError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_run_url(run, index))
    messages.success(
        request,
        _("%(file)s was imported as the %(year)d report of %(agency)s.")
        % {"file": data["file"], "year": year, "agency": agency.name},
    )
    return redirect(_run_url(run, index))


@login_required
@require_POST
def check_import_history(request: AuthenticatedHttpRequest, pk: int, index: int) -> HttpResponse:
    """A checked pre-2019 report becomes the agency's historical year (actions.import_history)."""
    run = get_run_for_user(request, pk)
    if not 0 <= index < len(run.results):
        raise Http404(_("No such report in this check."))
    data = run.results[index]
    blocker = history_blocker(data)
    if blocker:
        messages.error(request, blocker)
        return redirect(_run_url(run, index))
    form = ImportForm(request.POST, agencies=staff_agencies(request.user), prefix=f"r{index}")
    if not form.is_valid():
        return _run_page(request, run, bound=(index, form), status=400)
    agency: Agency = form.cleaned_data["agency"]
    try:
        found, replaced = actions.import_history(agency, data, actor=request.user, run=run)
    except ActionError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_run_url(run, index))
    text = (
        _(
            "The statistics table of %(file)s replaced the %(year)d figures of %(agency)s "
            "(%(count)d items); the trends show them."
        )
        if replaced
        else _(
            "The statistics table of %(file)s was imported as the %(year)d figures of "
            "%(agency)s (%(count)d items); the trends show them."
        )
    )
    messages.success(
        request,
        text
        % {
            "file": data["file"],
            "year": found.year,
            "agency": agency.name,
            "count": len(found.figures),
        },
    )
    return redirect(_run_url(run, index))


def trends_url(agency: Agency) -> str:
    """The agency's report page of last year, whose trends show the historical years."""
    year = timezone.localdate().year - 1
    return f"{reverse('annual:report')}?agency={quote(agency.code)}&year={year}#trend-h"


def report_url(report: AnnualReport) -> str:
    return f"{reverse('annual:report')}?agency={quote(report.agency.code)}&year={report.year}"
