"""The supervising office's side of the self-evaluation: the review of a submitted
evaluation per indicator, and the rectification tasks (整改) — issued from the board or an
evaluation's weak indicator, answered by the agency with evidence, accepted or returned.

Access: a task is seen by its agency's staff and by the supervisors above (404 for anyone
else, through `rectification.visible_rectifications`); only a supervisor above issues,
accepts and returns, only the agency's staff answer (403 for what is seen but not theirs).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.evaluation import actions, rectification, results
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.models import (
    Indicator,
    Rectification,
    RectificationFile,
    RectificationStatus,
    SelfEvaluation,
)
from gongkai.evaluation.views import _download, _errors, _evaluation, _indicator, _page
from gongkai.lib.errors import ActionError
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency

# ---- the review ------------------------------------------------------------------------------


@login_required
@require_POST
def review_result(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    indicator = _indicator(evaluation, indicator_pk)
    if not actions.can_review(request.user, evaluation):
        raise PermissionDenied(_("Only the supervising office may review the self-evaluation."))
    typed = {"review": indicator.key, "reviewed_score": request.POST.get("reviewed_score", ""),
             "review_note": request.POST.get("review_note", "")}  # fmt: skip
    try:
        actions.review_result(evaluation, indicator, actor=request.user,
                              reviewed_score=typed["reviewed_score"],
                              review_note=typed["review_note"])  # fmt: skip
    except ActionError as error:
        return _page(request, evaluation, typed=typed, errors=_errors(error), status=400)
    messages.success(request, _("The review is saved."))
    return redirect(reverse("evaluation:detail", args=[pk]) + f"#i-{indicator.key}")


# ---- rectification tasks ---------------------------------------------------------------------


def _task(request: AuthenticatedHttpRequest, pk: int) -> Rectification:
    try:
        return (
            rectification.visible_rectifications(request.user)
            .select_related("agency", "evaluation", "indicator", "issued_by", "answered_by")
            .get(pk=pk)
        )
    except Rectification.DoesNotExist:
        raise Http404(_("Not found.")) from None


@login_required
def rectification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    related = ("agency", "indicator", "issued_by")
    return render(
        request,
        "evaluation/rectifications.html",
        {
            "addressed": rectification.addressed_to(request.user)
            .select_related(*related)
            .order_by("status", "deadline", "id")[:200],
            "issued": rectification.issued_below(request.user)
            .select_related(*related)
            .order_by("status", "deadline", "id")[:500],
            "can_issue": rectification.issuable_agencies(request.user).exists(),
            "today": today,
            "Status": RectificationStatus,
        },
    )


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _prefill(
    request: AuthenticatedHttpRequest, agencies: Any
) -> tuple[Agency | None, SelfEvaluation | None, Indicator | None, int | None]:
    """The agency, evaluation, indicator and year named by the query (or the form)."""
    source = request.POST if request.method == "POST" else request.GET
    agency = agencies.filter(pk=_int(source.get("agency", ""))).first()
    year = _int(source.get("year", ""))
    evaluation = None
    if agency is not None and year:
        evaluation = SelfEvaluation.objects.filter(agency=agency, year=year).first()
    key = source.get("indicator", "").strip()
    indicator = None
    if key:
        system = evaluation.system if evaluation is not None else load_default()
        indicator = Indicator.objects.filter(system=system, key=key).first()
    return agency, evaluation, indicator, year


def _suggested_finding(evaluation: SelfEvaluation | None, indicator: Indicator | None) -> str:
    if indicator is None:
        return ""
    if evaluation is not None:
        row = next((r for r in results.rows(evaluation) if r.key == indicator.key), None)
        if row is not None and row.score is not None:
            value = (
                ""
                if row.value is None
                else _(", value %(value)s%(unit)s") % {"value": row.value, "unit": row.unit}
            )
            return _("Self-evaluation of %(year)s: “%(indicator)s” scored %(score)s of %(max)s%(value)s.") % {
                "year": evaluation.year, "indicator": indicator.label, "score": row.score,
                "max": row.max, "value": value,
            }  # fmt: skip
    return _("“%(indicator)s”: ") % {"indicator": indicator.label}


@login_required
@require_http_methods(["GET", "POST"])
def rectification_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Issue a task; `?agency=<id>&indicator=<key>&year=<Y>` prefills it (the board, an
    evaluation's indicator row)."""
    agencies = rectification.issuable_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied(_("Only a supervising office issues rectification tasks."))
    agency, evaluation, indicator, year = _prefill(request, agencies)
    errors: dict[str, list[str]] = {}
    typed: dict[str, Any] = {
        "finding": _suggested_finding(evaluation, indicator),
        "deadline": "",
    }
    if request.method == "POST":
        typed = {k: request.POST.get(k, "") for k in ("finding", "deadline")}
        deadline: date | None = None
        if typed["deadline"].strip():
            try:
                deadline = date.fromisoformat(typed["deadline"].strip())
            except ValueError:
                errors["deadline"] = [_("Enter a date such as 2026-03-31.")]
        if request.POST.get("agency") and agency is None:
            errors["agency"] = [_("Choose the agency to rectify.")]
        if not errors:
            try:
                task = rectification.issue(
                    agency, actor=request.user, finding=typed["finding"], deadline=deadline,
                    evaluation=evaluation, indicator=indicator, year=year,
                )  # fmt: skip
            except ActionError as error:
                errors = _errors(error)
            else:
                messages.success(
                    request,
                    _("The rectification task is issued to %(agency)s.")
                    % {"agency": task.agency.name},
                )
                return redirect("evaluation:rectification", pk=task.pk)
    return render(
        request,
        "evaluation/rectification_new.html",
        {
            "agencies": agencies,
            "agency": agency,
            "evaluation": evaluation,
            "indicator": indicator,
            "year": year,
            "typed": typed,
            "errors": errors,
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


def _detail(
    request: AuthenticatedHttpRequest,
    task: Rectification,
    *,
    typed: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "evaluation/rectification.html",
        {
            "task": task,
            "files": task.files.select_related("uploaded_by"),
            "can_answer": task.awaiting_answer and rectification.can_answer(request.user, task),
            "can_decide": task.status == RectificationStatus.ANSWERED
            and rectification.can_issue(request.user, task.agency),
            "overdue": task.is_overdue(timezone.localdate()),
            "typed": typed or {},
            "errors": errors or {},
            "max_mb": actions.evidence_max_bytes() // (1024 * 1024),
            "Status": RectificationStatus,
        },
        status=status,
    )


@login_required
def rectification_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _task(request, pk))


@login_required
@require_POST
def rectification_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not rectification.can_answer(request.user, task):
        raise PermissionDenied(_("Only the agency's disclosure staff may answer the task."))
    typed = {"answer": request.POST.get("answer", "")}
    try:
        rectification.answer(task, actor=request.user, text=typed["answer"],
                             uploads=request.FILES.getlist("files"))  # fmt: skip
    except ActionError as error:
        return _detail(request, task, typed=typed, errors=_errors(error), status=400)
    messages.success(request, _("The answer is sent to the supervising office."))
    return redirect("evaluation:rectification", pk=pk)


@login_required
@require_POST
def rectification_decide(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in ("accept", "return"):
        raise Http404(_("Not found."))
    task = _task(request, pk)
    if not rectification.can_issue(request.user, task.agency):
        raise PermissionDenied(_("Only the supervising office may accept or return the answer."))
    typed = {k: request.POST.get(k, "") for k in ("note", "reason", "new_deadline")}
    try:
        if step == "accept":
            rectification.accept(task, actor=request.user, note=typed["note"])
            done = _("The rectification is accepted.")
        else:
            deadline = None
            if typed["new_deadline"].strip():
                try:
                    deadline = date.fromisoformat(typed["new_deadline"].strip())
                except ValueError:
                    raise ActionError(
                        {"new_deadline": _("Enter a date such as 2026-03-31.")}
                    ) from None
            rectification.return_answer(task, actor=request.user, reason=typed["reason"],
                                        deadline=deadline)  # fmt: skip
            done = _("The answer is returned to the agency.")
    except ActionError as error:
        return _detail(request, task, typed=typed, errors=_errors(error), status=400)
    messages.success(request, done)
    return redirect("evaluation:rectification", pk=pk)


@login_required
def rectification_file(request: AuthenticatedHttpRequest, pk: int, file_pk: int) -> HttpResponse:
    item = get_object_or_404(RectificationFile, pk=file_pk, rectification=_task(request, pk))
    with item.file.open("rb") as handle:
        return _download(handle.read(), item.content_type, item.original_name)
