"""Back-office pages of the records: for each kind a list with filters and an XLSX
export, and a create/edit form; a consultation's own page (publish, moderate, feedback);
the hotline import; the agency's settings."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.lib.safe_text import for_files
from gongkai.lib.spreadsheets import StructureError
from gongkai.orgs.access import agencies_with_role, get_object_for_user, has_role, visible_agencies
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency, AgencyQuerySet
from gongkai.records import actions, importer
from gongkai.records.forms import (
    FeedbackForm,
    MessageImportForm,
    ModerationForm,
    SettingsForm,
    form_class,
)
from gongkai.records.kinds import KINDS, Kind, cell
from gongkai.records.models import Comment, CommentStatus, Consultation, Record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404(_("Not found.")) from None


def _staff_agencies(request: AuthenticatedHttpRequest, *roles: str) -> AgencyQuerySet:
    """Agencies where the user does this work (not those merely supervised)."""
    return (
        agencies_with_role(request.user, roles or actions.STAFF)
        .filter(pk__in=visible_agencies(request.user).values("pk"))
        .distinct()
        .order_by("path")
    )


def _chosen_agency(request: AuthenticatedHttpRequest, agencies: AgencyQuerySet) -> Agency | None:
    code = request.GET.get("agency", "")
    if code:
        chosen = agencies.filter(code=code).first()
        if chosen is None:
            raise Http404(_("No such agency."))
        return chosen
    return agencies.first() if agencies.count() == 1 else None


def _year(request: AuthenticatedHttpRequest) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 2008 <= year <= timezone.localdate().year + 1 else None


def _cell_text(value: Any) -> Any:
    """A cell a spreadsheet must not run as a formula (the public types some of these)."""
    if not isinstance(value, str):
        return value
    value = for_files(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _xlsx(kind: Kind, records: QuerySet[Any]) -> HttpResponse:
    from openpyxl import Workbook

    columns = (*kind.columns, *kind.export_extra)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = kind.title[:31]
    sheet.append([kind.label(c) for c in columns])
    for obj in records.iterator(chunk_size=2000):
        sheet.append([_cell_text(cell(obj, c)) for c in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind.slug}.xlsx"'
    return response


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    agencies = visible_agencies(request.user)
    year = _year(request) or timezone.localdate().year
    kinds = [
        (
            kind,
            kind.model._default_manager.filter(
                agency__in=agencies, **kind.year_lookup(year)
            ).count(),
        )
        for kind in KINDS.values()
    ]
    return render(
        request,
        "records/index.html",
        {
            "kinds": kinds,
            "year": year,
            "can_settings": _staff_agencies(request, *actions.HEADS).exists(),
        },
    )


@login_required
def record_list(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    agencies = visible_agencies(request.user).order_by("path")
    records = spec.model._default_manager.filter(agency__in=agencies).select_related("agency")
    agency = agencies.filter(code=request.GET.get("agency", "")).first()
    if agency is not None:
        records = records.filter(agency=agency)
    year = _year(request)
    if year is not None:
        records = records.filter(**spec.year_lookup(year))
    filters = []
    for name in spec.filters:
        field = spec.model._meta.get_field(name)
        choices = list(getattr(field, "choices", None) or [])
        value = request.GET.get(name, "")
        if value in {str(c[0]) for c in choices}:
            records = records.filter(**{name: value})
        else:
            value = ""
        filters.append(
            {"name": name, "label": spec.label(name), "choices": choices, "value": value}
        )
    query = request.GET.get("q", "").strip()
    if query and spec.search:
        condition = Q()
        for name in spec.search:
            condition |= Q(**{f"{name}__contains": query})
        records = records.filter(condition)
    records = records.order_by(f"-{spec.date_field}", "-id")
    if request.GET.get("format") == "xlsx":
        return _xlsx(spec, records)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    rows = [(obj, [cell(obj, c) for c in spec.columns]) for obj in page]
    params = request.GET.copy()
    params.pop("page", None)
    export = params.copy()
    export["format"] = "xlsx"
    return render(
        request,
        "records/list.html",
        {
            "kind": spec,
            "page": page,
            "rows": rows,
            "headers": [spec.label(c) for c in spec.columns],
            "agencies": agencies,
            "agency": agency,
            "year": year,
            "filters": filters,
            "query_text": query,
            "query": params.urlencode(),
            "export_query": export.urlencode(),
            "can_create": _staff_agencies(request).exists(),
        },
    )


def _detail_url(obj: Record, slug: str) -> str:
    if isinstance(obj, Consultation):
        return reverse("records:consultation", args=[obj.pk])
    return f"{reverse(f'records:{slug}_list')}?agency={obj.agency.code}"


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(
    request: AuthenticatedHttpRequest, kind: str, pk: int | None = None
) -> HttpResponse:
    spec = _kind(kind)
    if pk is not None:
        obj = get_object_for_user(
            spec.model._default_manager.select_related("agency"), request.user, pk=pk
        )
        if not has_role(request.user, obj.agency, *actions.STAFF):
            raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    else:
        agencies = _staff_agencies(request)
        if not agencies.exists():
            raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
        agency = _chosen_agency(request, agencies)
        if agency is None:
            return render(
                request,
                "publishing/choose_agency.html",
                {"agencies": agencies, "title": spec.singular},
            )
        obj = spec.model(agency=agency)
    form = form_class(spec)(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_record(form.instance, actor=request.user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_detail_url(form.instance, spec.slug))
    return render(
        request,
        "records/form.html",
        {"form": form, "kind": spec, "obj": obj, "agency": obj.agency},
        status=400 if request.method == "POST" else 200,
    )


# ---- a consultation's own page -------------------------------------------------------------


def _consultation(request: AuthenticatedHttpRequest, pk: int) -> Consultation:
    return get_object_for_user(Consultation.objects.select_related("agency"), request.user, pk=pk)


def _render_consultation(
    request: AuthenticatedHttpRequest,
    consultation: Consultation,
    feedback_form: FeedbackForm | None = None,
    status: int = 200,
) -> HttpResponse:
    comments = list(consultation.comments.all())
    initial_feedback = {
        "feedback": consultation.feedback
        or _(
            "%(count)d comments were received; %(adopted)d were adopted. (Say which and why "
            "the others were not.)"
        )
        % {
            "count": consultation.comment_count(),
            "adopted": sum(1 for c in comments if c.adopted),
        }
    }
    return render(
        request,
        "records/consultation.html",
        {
            "c": consultation,
            "kind": KINDS["consultations"],
            "comments": comments,
            "pending": sum(1 for c in comments if c.status == CommentStatus.PENDING),
            "can_handle": has_role(request.user, consultation.agency, *actions.STAFF),
            "feedback_form": feedback_form or FeedbackForm(initial=initial_feedback),
            "period_problem": actions.period_problem(consultation),
        },
        status=status,
    )


@login_required
def consultation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_consultation(request, _consultation(request, pk))


def _handled(request: AuthenticatedHttpRequest, pk: int) -> Consultation:
    found = _consultation(request, pk)
    if not has_role(request.user, found.agency, *actions.STAFF):
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    return found


def _refused(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def consultation_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = _handled(request, pk)
    try:
        actions.publish_consultation(found, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The draft is on the portal for comment."))
    return redirect("records:consultation", pk=found.pk)


@login_required
@require_POST
def comment_moderate(request: AuthenticatedHttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    found = _handled(request, pk)
    comment = found.comments.filter(pk=comment_pk).first()
    if comment is None:
        raise Http404(_("Not found."))
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to show the comment."))
        return redirect("records:consultation", pk=found.pk)
    try:
        actions.moderate_comment(
            comment,
            actor=request.user,
            show=form.cleaned_data["decision"] == "show",
            shown_text=form.cleaned_data["shown_text"] or None,
            adopted=form.cleaned_data["adopted"],
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The comment was moderated."))
    return redirect(f"{reverse('records:consultation', args=[found.pk])}#comment-{comment.pk}")


@login_required
@require_POST
def consultation_feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = _handled(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            actions.publish_feedback(
                found,
                actor=request.user,
                feedback=form.cleaned_data["feedback"],
                adopted=form.cleaned_data["adopted_comments"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The feedback is published on the portal."))
            return redirect("records:consultation", pk=found.pk)
    return _render_consultation(request, found, feedback_form=form, status=400)


# ---- the hotline import and the settings ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def messages_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    agencies = _staff_agencies(request)
    if not agencies.exists():
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    agency = _chosen_agency(request, agencies)
    if agency is None:
        return render(
            request,
            "publishing/choose_agency.html",
            {"agencies": agencies, "title": _("Import hotline and mailbox messages")},
        )
    form = MessageImportForm(request.POST or None, request.FILES or None)
    result = None
    structure_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importer.import_messages(
                upload.read(),
                upload.name,
                agency=agency,
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except (StructureError, ValidationError) as exc:
            structure_error = "；".join(getattr(exc, "messages", None) or [str(exc)])
    return render(
        request,
        "records/import.html",
        {
            "form": form,
            "agency": agency,
            "result": result,
            "structure_error": structure_error,
            "header": importer.sample_header(),
            "sample": importer.sample_row(),
        },
        status=400 if structure_error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    agencies = _staff_agencies(request, *actions.HEADS)
    if not agencies.exists():
        raise PermissionDenied(_("Only the head of the disclosure office may change this."))
    agency = _chosen_agency(request, agencies)
    if agency is None:
        return render(
            request,
            "publishing/choose_agency.html",
            {"agencies": agencies, "title": _("Settings of the other disclosure work")},
        )
    form = SettingsForm(request.POST or None, instance=actions.settings_for(agency))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_settings(form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect(f"{reverse('records:settings')}?agency={agency.code}")
    return render(
        request,
        "records/settings.html",
        {"form": form, "agency": agency},
        status=400 if request.method == "POST" else 200,
    )


def moderation_queue(agencies: AgencyQuerySet) -> QuerySet[Comment]:
    """Comments waiting for moderation in the agencies (for the lists' badge)."""
    return Comment.objects.filter(consultation__agency__in=agencies, status=CommentStatus.PENDING)
