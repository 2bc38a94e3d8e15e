"""Back-office pages of the self-evaluation (自查自评) and of the indicator systems.

Agency side (`/office/evaluation/`): the year's evaluation of an agency — the scores,
a drill-down per computed indicator to the rows that made its value, the manual scores
and evidence of the evidence indicators, the report (edit, redraft, DOCX/PDF), approval by
the office head, submission, and for the supervising office the return. Administrators:
the indicator systems (copy, edit the tree, XLSX import and export).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.evaluation import actions, files, measures, rectification, results, scoring, xlsx
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.measures import Period
from gongkai.evaluation.models import (
    EvaluationStatus,
    EvidenceFile,
    Indicator,
    IndicatorResult,
    IndicatorSystem,
    Rule,
    SelfEvaluation,
    SourceKind,
)
from gongkai.lib.errors import ActionError
from gongkai.lib.safe_text import for_files
from gongkai.lib.spreadsheets import StructureError
from gongkai.orgs.access import (
    agencies_with_role,
    get_agency_for_user,
    has_role,
    is_administrator,
    visible_agencies,
)
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency, Role

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    return quote(for_files(name))


def _evaluation(request: AuthenticatedHttpRequest, pk: int) -> SelfEvaluation:
    try:
        return SelfEvaluation.objects.select_related("agency", "system").get(
            pk=pk, agency__in=visible_agencies(request.user)
        )
    except SelfEvaluation.DoesNotExist:
        raise Http404(_("Not found.")) from None


def _year(request: AuthenticatedHttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return max(2008, min(year, timezone.localdate().year))


def _messages(request: AuthenticatedHttpRequest, error: ActionError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    own = (
        agencies_with_role(request.user, actions.STAFF)
        .filter(pk__in=visible_agencies(request.user).values("pk"))
        .distinct()
        .order_by("path")
    )
    stored = {
        e.agency_id: e
        for e in SelfEvaluation.objects.filter(agency__in=own, year=year).select_related("system")
    }
    return render(
        request,
        "evaluation/index.html",
        {
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "lines": [(agency, stored.get(agency.pk)) for agency in own],
            "is_admin": is_administrator(request.user),
        },
    )


@login_required
@require_POST
def open_year(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, code)
    if not has_role(request.user, agency, *actions.STAFF):
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    evaluation = actions.open_evaluation(agency, year, actor=request.user)
    return redirect("evaluation:detail", pk=evaluation.pk)


def _page(
    request: AuthenticatedHttpRequest,
    evaluation: SelfEvaluation,
    *,
    typed: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = results.rows(evaluation)
    indicators = {i.key: i for i in evaluation.system.indicators.all()}
    stored = {r.indicator.key: r for r in evaluation.results.select_related("indicator")}
    evidence: dict[str, list[EvidenceFile]] = {}
    for item in evaluation.evidence.select_related("indicator").order_by("id"):
        evidence.setdefault(item.indicator.key, []).append(item)
    reviewed = results.reviewed_scores(evaluation)
    tasks = rectification.for_indicators(evaluation)
    lines = []
    for row in rows:
        indicator = indicators.get(row.key)
        lines.append(
            {
                "row": row,
                "indicator": indicator,
                "stored": stored.get(row.key),
                "evidence": evidence.get(row.key, []),
                "reviewed": reviewed.get(row.key),
                "weak": row.is_leaf
                and (
                    row.share < 1
                    or (row.key in reviewed and float(reviewed[row.key]) < float(row.max or 0))
                ),
                "tasks": tasks.get(indicator.pk, []) if indicator is not None else [],
                "manual": indicator is not None
                and (indicator.source != SourceKind.COMPUTED or indicator.rule == Rule.MANUAL),
                "drill": row.is_leaf and row.source == SourceKind.COMPUTED and bool(row.measure),
            }
        )
    user = request.user
    staff = has_role(user, evaluation.agency, *actions.STAFF)
    return render(
        request,
        "evaluation/detail.html",
        {
            "evaluation": evaluation,
            "lines": lines,
            "total": results.total(rows),
            "reviewed_total": results.reviewed_total(rows, reviewed),
            "can_review": evaluation.status == EvaluationStatus.SUBMITTED
            and actions.can_review(user, evaluation),
            "can_issue": rectification.can_issue(user, evaluation.agency),
            "other_tasks": tasks.get(0, []),
            "show_review": evaluation.status == EvaluationStatus.SUBMITTED or bool(reviewed),
            "today": timezone.localdate(),
            "system_total": evaluation.system.total,
            "staff": staff,
            "head": has_role(user, evaluation.agency, *actions.HEADS),
            "can_return": actions.can_return(user, evaluation),
            "editable": evaluation.editable and staff,
            "problems": actions.submission_problems(evaluation) if evaluation.editable else [],
            "typed": typed or {},
            "errors": errors or {},
            "revisions": evaluation.revisions.select_related("by"),
            "max_mb": actions.evidence_max_bytes() // (1024 * 1024),
            "Status": EvaluationStatus,
        },
        status=status,
    )


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, _evaluation(request, pk))


def _indicator(evaluation: SelfEvaluation, pk: int) -> Indicator:
    return get_object_or_404(Indicator, pk=pk, system=evaluation.system)


@login_required
@require_POST
def save_result(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    indicator = _indicator(evaluation, indicator_pk)
    typed = {"result": indicator.key, "manual_score": request.POST.get("manual_score", ""),
             "note": request.POST.get("note", "")}  # fmt: skip
    try:
        actions.save_result(evaluation, indicator, actor=request.user,
                            manual_score=typed["manual_score"], note=typed["note"])  # fmt: skip
    except ActionError as error:
        return _page(request, evaluation, typed=typed, errors=_errors(error), status=400)
    messages.success(request, _("Saved."))
    return redirect(reverse("evaluation:detail", args=[pk]) + f"#i-{indicator.key}")


def _errors(error: ActionError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: [str(m) for m in v] for k, v in error.message_dict.items()}
    return {"page": [str(m) for m in error.messages]}


@login_required
@require_POST
def add_evidence(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    indicator = _indicator(evaluation, indicator_pk)
    typed = {"evidence": indicator.key, "evidence_note": request.POST.get("note", "")}
    try:
        actions.add_evidence(evaluation, indicator, actor=request.user,
                             upload=request.FILES.get("file"), note=typed["evidence_note"])  # fmt: skip
    except ActionError as error:
        return _page(request, evaluation, typed=typed, errors=_errors(error), status=400)
    messages.success(request, _("The evidence is attached."))
    return redirect(reverse("evaluation:detail", args=[pk]) + f"#i-{indicator.key}")


def _evidence(request: AuthenticatedHttpRequest, pk: int, evidence_pk: int) -> EvidenceFile:
    evaluation = _evaluation(request, pk)
    return get_object_or_404(EvidenceFile, pk=evidence_pk, evaluation=evaluation)


@login_required
@require_POST
def remove_evidence(request: AuthenticatedHttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    try:
        actions.remove_evidence(_evidence(request, pk, evidence_pk), actor=request.user)
    except ActionError as error:
        _messages(request, error)
    return redirect("evaluation:detail", pk=pk)


@login_required
def evidence_file(request: AuthenticatedHttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    item = _evidence(request, pk, evidence_pk)
    if not item.file:
        raise Http404(_("Not found."))
    with item.file.open("rb") as handle:
        return _download(handle.read(), item.content_type, item.original_name)


@login_required
def evidence_zip(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    name = f"{evaluation.agency.name}{evaluation.year}年度自评佐证材料.zip"
    return _download(files.evidence_zip(evaluation), "application/zip", name)


@login_required
@require_POST
def save_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    typed = {k: request.POST.get(k, "") for k in ("recipient", "title", "text", "signed_on")}
    data: dict[str, Any] = dict(typed)
    data["signed_on"] = None
    if typed["signed_on"]:
        try:
            data["signed_on"] = date.fromisoformat(typed["signed_on"])
        except ValueError:
            return _page(request, evaluation, typed=typed,
                         errors={"signed_on": [_("Enter a date such as 2025-12-13.")]}, status=400)  # fmt: skip
    try:
        actions.save_report(evaluation, actor=request.user, data=data)
    except ActionError as error:
        return _page(request, evaluation, typed=typed, errors=_errors(error), status=400)
    messages.success(request, _("The report is saved."))
    return redirect(reverse("evaluation:detail", args=[pk]) + "#report")


def _step(name: str) -> Any:
    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        evaluation = _evaluation(request, pk)
        try:
            if name == "return":
                actions.return_evaluation(evaluation, actor=request.user,
                                          reason=request.POST.get("reason", ""))  # fmt: skip
            else:
                getattr(actions, name)(evaluation, actor=request.user)
        except ActionError as error:
            return _page(request, evaluation, typed={"reason": request.POST.get("reason", "")},
                         errors=_errors(error), status=400)  # fmt: skip
        messages.success(request, STEP_DONE[name])
        return redirect("evaluation:detail", pk=pk)

    view.__name__ = f"{name}_view"
    return view


STEP_DONE = {
    "approve": _("Approved."),
    "reopen": _("The approval is withdrawn."),
    "submit": _("Submitted to the supervising office."),
    "return": _("Returned to the agency."),
    "redraft_report": _("The report is drafted again from the records."),
}
approve = _step("approve")
reopen = _step("reopen")
submit = _step("submit")
return_evaluation = _step("return")
redraft = _step("redraft_report")


@login_required
def report_file(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    name = f"{evaluation.title or evaluation.agency.name}.{fmt}"
    if fmt == "pdf":
        return _download(files.render_pdf(evaluation), "application/pdf", name)
    return _download(files.render_docx(evaluation), DOCX, name)


@login_required
def drilldown(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """The rows that made a computed indicator's value (live: the records as they are)."""
    evaluation = _evaluation(request, pk)
    indicator = get_object_or_404(Indicator, system=evaluation.system, key=key)
    measure = measures.MEASURES.get(indicator.measure)
    if measure is None:
        raise Http404(_("Not found."))
    period = Period.year(evaluation.year)
    show_all = request.GET.get("all") == "1"
    rows = measures.drilldown(
        indicator.measure, [evaluation.agency_id], period, bad_only=not show_all
    )
    listed = [(row, measure.row_url(row)) for row in rows[:500]]
    return render(
        request,
        "evaluation/drilldown.html",
        {"evaluation": evaluation, "indicator": indicator, "measure": measure,
         "rows": listed, "count": rows.count(), "show_all": show_all,
         "reports": measures.annual_reports([evaluation.agency_id], period)
         if measure.model is Agency else []},
    )  # fmt: skip


# ---- indicator systems ----------------------------------------------------------------------


def _require_admin(request: AuthenticatedHttpRequest) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied(_("Only administrators manage indicator systems."))


def _system(request: AuthenticatedHttpRequest, pk: int) -> IndicatorSystem:
    _require_admin(request)
    return get_object_or_404(IndicatorSystem, pk=pk)


@login_required
def systems(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_admin(request)
    load_default()
    owners = agencies_with_role(request.user, [Role.ADMIN]).order_by("path")
    return render(
        request,
        "evaluation/systems.html",
        {"systems": IndicatorSystem.objects.select_related("owner", "copy_of"),
         "owners": owners, "year": timezone.localdate().year},
    )  # fmt: skip


@login_required
@require_POST
def copy_system(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    owner_code = request.POST.get("owner", "")
    owner = Agency.objects.filter(code=owner_code).first() if owner_code else None
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    try:
        copy = actions.copy_system(system, actor=request.user, name=request.POST.get("name", ""),
                                   year=year, owner=owner)  # fmt: skip
    except ActionError as error:
        _messages(request, error)
        return redirect("evaluation:systems")
    messages.success(request, _("The indicator system is copied; adapt it below."))
    return redirect("evaluation:system", pk=copy.pk)


def _system_page(request: AuthenticatedHttpRequest, system: IndicatorSystem, *,
                 typed: dict[str, Any] | None = None, errors: dict[str, list[str]] | None = None,
                 import_problems: list[str] | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    tree = scoring.ordered(system.indicators.all())
    return render(
        request,
        "evaluation/system.html",
        {"system": system, "tree": tree, "problems": scoring.problems(system),
         "editable": actions.can_edit_system(request.user, system),
         "typed": typed or {}, "errors": errors or {}, "import_problems": import_problems or [],
         "rules": Rule.choices, "sources": SourceKind.choices,
         "measures": sorted(measures.MEASURES.values(), key=lambda m: m.key)},
        status=status,
    )  # fmt: skip


@login_required
def system(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _system_page(request, _system(request, pk))


def _params(post: Any) -> dict[str, Any]:
    params: dict[str, Any] = {}
    text = post.get("thresholds", "").strip()
    if text:
        pairs = []
        for part in text.replace("；", ";").split(";"):
            if part.strip():
                value, _sep, share = part.replace("：", ":").partition(":")
                pairs.append([value.strip(), share.strip()])
        params["thresholds"] = pairs
    for name in ("per", "cap"):
        if post.get(name, "").strip():
            params[name] = post[name].strip()
    if post.get("when_empty") in ("full", "zero"):
        params["when_empty"] = post["when_empty"]
    return params


@login_required
@require_POST
def save_indicator(
    request: AuthenticatedHttpRequest, pk: int, indicator_pk: int = 0
) -> HttpResponse:
    system = _system(request, pk)
    indicator = (get_object_or_404(Indicator, pk=indicator_pk, system=system) if indicator_pk
                 else Indicator(system=system))  # fmt: skip
    post = request.POST
    typed: dict[str, Any] = {k: post.get(k, "") for k in ("key", "label", "parent", "weight", "rule", "source",
             "measure", "thresholds", "per", "cap", "unit", "target", "guidance", "sort_order")}  # fmt: skip
    typed["indicator"] = indicator_pk
    errors: dict[str, list[str]] = {}
    indicator.key, indicator.label = typed["key"].strip(), typed["label"].strip()
    if not indicator.key:
        errors["key"] = [_("Enter the indicator's key.")]
    if not indicator.label:
        errors["label"] = [_("Enter the indicator's name.")]
    try:
        indicator.weight = Decimal(typed["weight"] or "0")
        indicator.target = Decimal(typed["target"]) if typed["target"] else None
        indicator.sort_order = int(typed["sort_order"] or indicator.sort_order or 0)
    except (InvalidOperation, ValueError):
        errors["weight"] = [_("Enter a number.")]
    indicator.parent = (Indicator.objects.filter(system=system, key=typed["parent"]).first()
                        if typed["parent"] else None)  # fmt: skip
    indicator.rule, indicator.source = typed["rule"], typed["source"] or SourceKind.COMPUTED
    indicator.measure, indicator.unit, indicator.guidance = (
        typed["measure"], typed["unit"], typed["guidance"])  # fmt: skip
    indicator.evidence_required = post.get("evidence_required") == "on"
    indicator.params = _params(post)
    if not errors:
        try:
            actions.save_indicator(indicator, actor=request.user)
        except ActionError as error:
            errors = _errors(error)
    if errors:
        return _system_page(request, system, typed=typed, errors=errors, status=400)
    messages.success(request, _("Saved."))
    return redirect(reverse("evaluation:system", args=[pk]) + f"#i-{indicator.key}")


@login_required
@require_POST
def delete_indicator(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    system = _system(request, pk)
    try:
        actions.delete_indicator(get_object_or_404(Indicator, pk=indicator_pk, system=system),
                                 actor=request.user)  # fmt: skip
    except ActionError as error:
        _messages(request, error)
    return redirect("evaluation:system", pk=pk)


@login_required
def export_system(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    return _download(xlsx.export(system), XLSX, f"{system.name}.xlsx")


@login_required
@require_POST
def import_system(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _system_page(
            request, system, import_problems=[_("Choose the XLSX file to import.")], status=400
        )
    try:
        rows, problems = xlsx.read(system, upload.read(), upload.name or "")
        if not problems:
            actions.replace_tree(system, rows, actor=request.user)
    except StructureError as error:
        problems = [str(error)]
    except ActionError as error:
        problems = [str(m) for m in error.messages]
    if problems:
        return _system_page(request, system, import_problems=problems, status=400)
    messages.success(request, _("%(count)d indicators imported.") % {"count": len(rows)})
    return redirect("evaluation:system", pk=pk)


__all__ = ["IndicatorResult"]
