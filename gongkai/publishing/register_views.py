"""Back-office pages of the register of normative documents, the entered figures of table
二, and an agency's catalog settings (monthly schedule, 索引号 template)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.lib.report_format import table
from gongkai.orgs.access import get_object_for_user, has_role, visible_agencies
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency, AgencyQuerySet, Membership, Role
from gongkai.publishing import actions, cleanup, library, register, review
from gongkai.publishing.access import visible_items
from gongkai.publishing.forms import (
    CleanupForm,
    FiguresForm,
    NormativeDocumentForm,
    ReviewPolicyForm,
    ScheduleForm,
    StageFormSet,
)
from gongkai.publishing.importer import StructureError, import_figures, import_items
from gongkai.publishing.index_numbers import template_problems
from gongkai.publishing.models import (
    STAGE_ROLES,
    CleanupResult,
    DecisionFigures,
    IndexRule,
    InfoItem,
    NormativeCleanup,
    NormativeDocument,
    NormativeKind,
    PublicationSchedule,
)

STAFF_ROLES = (Role.OFFICER, Role.OFFICE_HEAD)


def _staff_agencies(request: AuthenticatedHttpRequest, *roles: str) -> AgencyQuerySet:
    """Agencies where the user does the disclosure work (not those merely supervised)."""
    return (
        visible_agencies(request.user)
        .filter(memberships__user=request.user, memberships__role__in=roles or STAFF_ROLES)
        .distinct()
        .order_by("path")
    )


def _year(request: AuthenticatedHttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2008 <= year <= this_year + 1 else this_year


def _chosen_agency(request: AuthenticatedHttpRequest, agencies: AgencyQuerySet) -> Agency | None:
    code = request.GET.get("agency", "")
    if code:
        chosen = agencies.filter(code=code).first()
        if chosen is None:
            raise Http404(_("No such agency."))
        return chosen
    return agencies.first() if agencies.count() == 1 else None


def _t2_rows(counts: dict[str, dict[str, int]]) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """Table t2_art20_1 with its labels from the report format."""
    spec = table("t2_art20_1")
    rows = [
        [row["label"], *[counts[row["key"]][c["key"]] for c in spec["columns"]]]
        for row in spec["rows"]
    ]
    return spec["columns"], rows


@login_required
def normative_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    agencies = visible_agencies(request.user).order_by("path")
    agency = agencies.filter(code=request.GET.get("agency", "")).first()
    scope = [agency] if agency else list(agencies)
    year = _year(request)
    documents = NormativeDocument.objects.filter(agency__in=scope).select_related("agency")
    kind = request.GET.get("kind", "")
    if kind in NormativeKind.values:
        documents = documents.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        documents = documents.filter(title__contains=query) | documents.filter(
            doc_no__contains=query
        )
    columns, rows = _t2_rows(register.normative_counts([a.pk for a in scope], year))
    return render(
        request,
        "publishing/normative_list.html",
        {
            "page": Paginator(documents.order_by("-issued_on", "-id"), 50).get_page(
                request.GET.get("page")
            ),
            "agencies": agencies,
            "agency": agency,
            "year": year,
            "kind": kind,
            "kinds": NormativeKind.choices,
            "query": query,
            "columns": columns,
            "rows": rows,
            "t2_title": table("t2_art20_1")["title"],
            "can_register": _staff_agencies(request).exists(),
            "cleanups": NormativeCleanup.objects.filter(agency__in=scope)
            .select_related("agency")
            .prefetch_related("entries")[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def normative_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    agencies = _staff_agencies(request)
    if pk is not None:
        document = get_object_for_user(NormativeDocument.objects.all(), request.user, pk=pk)
        if not has_role(request.user, document.agency, *STAFF_ROLES):
            raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
        agency = document.agency
    else:
        if not agencies.exists():
            raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
        chosen = _chosen_agency(request, agencies)
        if chosen is None:
            return render(
                request,
                "publishing/choose_agency.html",
                {"agencies": agencies, "title": _("Register a normative document")},
            )
        agency = chosen
        document = NormativeDocument(agency=agency)
    if request.method == "POST" and request.POST.get("form") == "create_item" and document.pk:
        try:
            item = library.create_item_from(document, actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("publishing:normative_edit", pk=document.pk)
        messages.success(
            request,
            _("Catalog item %(index)s drafted from the register; complete its text and submit it.")
            % {"index": item.index_no},
        )
        return redirect("publishing:detail", pk=item.pk)
    initial: dict[str, Any] = {}
    source = request.GET.get("item", "")
    if document.pk is None and source.isdigit():
        found = visible_items(request.user).filter(pk=int(source), agency=agency).first()
        if found is not None:
            initial = {**library.initial_from_item(found), "catalog_index_no": found.index_no}
    form = NormativeDocumentForm(request.POST or None, instance=document, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.item = _catalog_item(form.instance, form.cleaned_data["catalog_index_no"])
            register.save_document(form.instance, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The register was updated."))
            return redirect(f"{reverse('publishing:normative_list')}?agency={agency.code}")
    return render(
        request,
        "publishing/normative_form.html",
        {"form": form, "agency": agency, "document": document},
        status=400 if request.method == "POST" else 200,
    )


def _catalog_item(document: NormativeDocument, index_no: str) -> InfoItem | None:
    """The catalog item an entry links to, by 索引号 (empty: none)."""
    index_no = index_no.strip()
    if not index_no:
        return None
    item = InfoItem.objects.filter(agency=document.agency, index_no=index_no).first()
    if item is None:
        raise ValidationError(
            {"catalog_index_no": _("The agency has no catalog item with this index number.")}
        )
    other = NormativeDocument.objects.filter(item=item).exclude(pk=document.pk).first()
    if other is not None:
        raise ValidationError(
            {
                "catalog_index_no": _("This catalog item is already linked to %(title)s.")
                % {"title": other.title}
            }
        )
    return item


@login_required
@require_http_methods(["GET", "POST"])
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Table 二 of one agency and year: the register's counts and the entered figures."""
    agencies = _staff_agencies(request)
    if not agencies.exists():
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    agency = _chosen_agency(request, agencies)
    if agency is None:
        return render(
            request,
            "publishing/choose_agency.html",
            {"agencies": agencies, "title": _("Decision and fee figures")},
        )
    year = _year(request)
    instance = DecisionFigures.objects.filter(agency=agency, year=year).first()
    form = FiguresForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            register.save_figures(agency, year, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The figures for %(year)d were saved.") % {"year": year})
            return redirect(f"{reverse('publishing:figures')}?agency={agency.code}&year={year}")
    columns, rows = _t2_rows(register.normative_counts([agency.pk], year))
    return render(
        request,
        "publishing/figures.html",
        {
            "form": form,
            "agency": agency,
            "agencies": agencies,
            "year": year,
            "years": range(timezone.localdate().year, 2018, -1),
            "columns": columns,
            "rows": rows,
            "t2_title": table("t2_art20_1")["title"],
        },
        status=400 if request.method == "POST" else 200,
    )


class IndexRuleForm(forms.ModelForm[IndexRule]):
    class Meta:
        model = IndexRule
        fields = ["template", "department_code"]

    def clean_template(self) -> str:
        template: str = self.cleaned_data["template"].strip()
        problems = template_problems(template)
        if problems:
            raise forms.ValidationError(
                _(
                    "The template must contain {seq}, {year} and one of {credit_code}, "
                    "{agency_code}, {department_code}, and may use only {credit_code}, {agency_code}, {year}, "
                    "{month}, {category_code}, {department_code}; the problem: %(names)s"
                )
                % {"names": "、".join(problems)}
            )
        return template


@login_required
@require_http_methods(["GET", "POST"])
def catalog_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office head's settings of the catalog: the monthly schedule and the 索引号."""
    agencies = _staff_agencies(request, Role.OFFICE_HEAD, Role.ADMIN)
    if not agencies.exists():
        raise PermissionDenied(_("Only the head of the disclosure office may change this."))
    agency = _chosen_agency(request, agencies)
    if agency is None:
        return render(
            request,
            "publishing/choose_agency.html",
            {"agencies": agencies, "title": _("Catalog settings")},
        )
    schedule = PublicationSchedule.objects.filter(agency=agency).first()
    rule = IndexRule.objects.filter(agency=agency).first() or IndexRule(agency=agency)
    which = request.POST.get("form", "")
    schedule_form = ScheduleForm(
        request.POST if which == "schedule" else None,
        instance=schedule or PublicationSchedule(agency=agency),
        prefix="schedule",
    )
    rule_form = IndexRuleForm(
        request.POST if which == "index" else None, instance=rule, prefix="index"
    )
    bound_forms: dict[str, forms.ModelForm[Any]] = {"schedule": schedule_form, "index": rule_form}
    bound = bound_forms.get(which)
    if request.method == "POST" and bound is not None and bound.is_valid():
        actions.save_settings(agency, bound.save(commit=False), actor=request.user)
        messages.success(request, _("Settings saved."))
        return redirect(f"{reverse('publishing:settings')}?agency={agency.code}")
    return render(
        request,
        "publishing/settings.html",
        {
            "agency": agency,
            "agencies": agencies,
            "schedule_form": schedule_form,
            "rule_form": rule_form,
            "schedule": schedule,
        },
        status=400 if request.method == "POST" else 200,
    )


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[
            ("items", _("Catalog items (drafts)")),
            ("figures", _("Decision and fee figures")),
        ],
        widget=forms.RadioSelect,
        initial="items",
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    file = forms.FileField(label=_("XLSX workbook or CSV file"))
    dry_run = forms.BooleanField(label=_("Check only, save nothing"), required=False)

    def __init__(self, *args: Any, agencies: AgencyQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = agencies
        field.help_text = _("For catalog items: the agency that issues them.")
        if agencies.count() == 1:
            field.initial = agencies.first()


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload an XLSX of catalog items or of table-二 figures; see every rejected row."""

    agencies = _staff_agencies(request)
    if not agencies.exists():
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    form = ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    result: Any = None
    structure_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            if form.cleaned_data["what"] == "items":
                result = import_items(
                    data,
                    upload.name,
                    agency=form.cleaned_data["agency"],
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            else:
                result = import_figures(
                    data,
                    upload.name,
                    actor=request.user,
                    agencies=agencies,
                    dry_run=form.cleaned_data["dry_run"],
                )
        except (StructureError, ValidationError) as exc:
            structure_error = "；".join(getattr(exc, "messages", None) or [str(exc)])
    return render(
        request,
        "publishing/import.html",
        {"form": form, "result": result, "structure_error": structure_error},
        status=400 if structure_error else 200,
    )


def _stage_rows(agency: Agency) -> list[dict[str, Any]]:
    """The rows the workflow page starts from: the agency's stages, and the 复审 stage
    offered (not used) when the workflow has none."""
    current = review.agency_stages(agency)
    rows = [
        {"use": True, "order": n, "name": s.name, "role": s.role}
        for n, s in enumerate(current, start=1)
    ]
    if not any(s.role == Role.REVIEWER_SECOND for s in current):
        second = review.SECOND_STAGE
        rows.insert(1, {"use": False, "order": 2, "name": second.name, "role": second.role})
        for n, row in enumerate(rows, start=1):
            row["order"] = n
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def review_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """系统管理 · the review stages of an agency, in order, and its separation policy."""
    agencies = _staff_agencies(request, Role.OFFICE_HEAD, Role.ADMIN)
    if not agencies.exists():
        raise PermissionDenied(_("Only the head of the disclosure office may change this."))
    agency = _chosen_agency(request, agencies)
    if agency is None:
        return render(
            request,
            "publishing/choose_agency.html",
            {"agencies": agencies, "title": _("Review stages")},
        )
    post = request.POST if request.method == "POST" else None
    formset = StageFormSet(post, initial=None if post else _stage_rows(agency), prefix="stage")
    policy = ReviewPolicyForm(
        post, initial={"one_person_office": review.one_person_office(agency)}, prefix="policy"
    )
    problems: list[str] = []
    if post is not None and formset.is_valid() and policy.is_valid():
        used = sorted(
            (f.cleaned_data for f in formset.forms if f.cleaned_data.get("use")),
            key=lambda d: d.get("order") or 99,
        )
        rows = [review.Stage(n, d["name"].strip(), d["role"]) for n, d in enumerate(used, 1)]
        try:
            actions.save_review_workflow(
                agency,
                rows,
                actor=request.user,
                one_person_office=policy.cleaned_data["one_person_office"],
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("Review stages saved."))
            return redirect(f"{reverse('publishing:review_settings')}?agency={agency.code}")
    held = set(Membership.objects.filter(agency=agency).values_list("role", flat=True).distinct())
    labels = dict(STAGE_ROLES)
    unstaffed = [
        (s.name, labels.get(s.role, s.role))
        for s in review.agency_stages(agency)
        if s.role not in held
    ]
    return render(
        request,
        "publishing/review_settings.html",
        {
            "agency": agency,
            "agencies": agencies,
            "formset": formset,
            "policy": policy,
            "problems": problems,
            "unstaffed": unstaffed,
        },
        status=400 if post is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cleanup_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Record a 清理: a result for every document of the agency in force."""
    agencies = _staff_agencies(request)
    if not agencies.exists():
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    agency = _chosen_agency(request, agencies)
    if agency is None:
        return render(
            request,
            "publishing/choose_agency.html",
            {"agencies": agencies, "title": _("Clean-up of normative documents")},
        )
    post = request.POST if request.method == "POST" else None
    form = CleanupForm(post, initial={"held_on": timezone.localdate()})
    documents = list(cleanup.in_force_on(agency, timezone.localdate()))
    problems: list[str] = []
    if post is not None and form.is_valid():
        held_on = form.cleaned_data["held_on"]
        documents = list(cleanup.in_force_on(agency, min(held_on, timezone.localdate())))
        results = {
            d.pk: (post.get(f"result-{d.pk}", ""), post.get(f"note-{d.pk}", "")[:300])
            for d in documents
            if post.get(f"result-{d.pk}")
        }
        try:
            cleanup.record_cleanup(
                agency,
                actor=request.user,
                title=form.cleaned_data["title"],
                held_on=held_on,
                basis=form.cleaned_data["basis"],
                results=results,
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("The clean-up was recorded."))
            return redirect(f"{reverse('publishing:normative_list')}?agency={agency.code}")
    rows = [
        (
            d,
            post.get(f"result-{d.pk}", "") if post else "",
            post.get(f"note-{d.pk}", "") if post else "",
        )
        for d in documents
    ]
    return render(
        request,
        "publishing/cleanup_form.html",
        {
            "agency": agency,
            "form": form,
            "rows": rows,
            "results": CleanupResult.choices,
            "problems": problems,
        },
        status=400 if post is not None else 200,
    )
