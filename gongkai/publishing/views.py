"""Back-office pages of the catalog: list, draft, checks, review, publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.lib.http import AuthenticatedHttpRequest
from gongkai.orgs.access import has_role, visible_agencies
from gongkai.orgs.models import AgencyQuerySet, Role
from gongkai.publishing import actions, review
from gongkai.publishing.access import get_item_for_user, visible_items
from gongkai.publishing.forms import ItemForm, KeepForm, ReasonForm, ReviewForm
from gongkai.publishing.models import InfoItem, ItemStatus

VIEWS = {
    "drafts": gettext_lazy("Drafts"),
    "review": gettext_lazy("In review"),
    "approved": gettext_lazy("Approved"),
    "overdue": gettext_lazy("Overdue for publication"),
    "published": gettext_lazy("Published"),
    "late": gettext_lazy("Published late"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


@login_required
def item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = request.GET.get("view", "drafts")
    view = view if view in VIEWS else "drafts"
    items = visible_items(request.user)
    today = timezone.localdate()
    items = {
        "drafts": items.filter(status__in=[ItemStatus.DRAFT, ItemStatus.RETURNED]),
        "review": items.filter(status=ItemStatus.IN_REVIEW),
        "approved": items.filter(status=ItemStatus.APPROVED),
        "overdue": items.publication_overdue(today),
        "published": items.filter(status=ItemStatus.PUBLISHED),
        "late": items.published_late(),
        "withdrawn": items.filter(status=ItemStatus.WITHDRAWN),
    }[view]
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(
            Q(title__contains=query) | Q(index_no__icontains=query) | Q(doc_no__contains=query)
        )
    page = Paginator(items.order_by("-formed_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/item_list.html",
        {
            "page": page,
            "view": view,
            "views": VIEWS,
            "query": query,
            "today": today,
            "can_draft": _drafting_agencies(request).exists(),
        },
    )


def _drafting_agencies(request: AuthenticatedHttpRequest) -> AgencyQuerySet:
    return (
        visible_agencies(request.user)
        .filter(
            memberships__user=request.user, memberships__role__in=[Role.OFFICER, Role.OFFICE_HEAD]
        )
        .distinct()
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    agency = _drafting_agencies(request).first()
    if agency is None:
        raise PermissionDenied(_("Only the agency's disclosure staff may draft catalog items."))
    form = ItemForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("title", "category", "formed_on")
        }
        try:
            item = actions.create_item(
                agency,
                actor=request.user,
                category=form.cleaned_data["category"],
                formed_on=form.cleaned_data["formed_on"],
                title=form.cleaned_data["title"],
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Draft saved with index number %(index)s.") % {"index": item.index_no}
            )
            return redirect("publishing:detail", pk=item.pk)
    return render(request, "publishing/item_form.html", {"form": form, "agency": agency})


def _reviewer_stage(request: AuthenticatedHttpRequest, item: InfoItem) -> review.Stage | None:
    if item.status != ItemStatus.IN_REVIEW:
        return None
    current = next((s for s in review.stages(item) if s.order == item.review_stage), None)
    return current if current and has_role(request.user, item.agency, current.role) else None


@login_required
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    staff = has_role(request.user, item.agency, Role.OFFICER, Role.OFFICE_HEAD)
    is_reviewer = any(has_role(request.user, item.agency, s.role) for s in review.stages(item))
    open_findings = (
        review.findings(item)
        if item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.IN_REVIEW)
        else []
    )
    return render(
        request,
        "publishing/item_detail.html",
        {
            "item": item,
            "staff": staff,
            "is_reviewer": is_reviewer,
            "findings": [
                (
                    f,
                    f.label,
                    KeepForm(initial={"kind": f.finding.kind, "text": f.finding.text}),
                )
                for f in open_findings
            ],
            "stage": _reviewer_stage(request, item),
            "stages": review.stages(item),
            "review_form": ReviewForm(),
            "reason_form": ReasonForm(),
            "reviews": item.reviews.select_related("reviewer"),
            "versions": item.versions.all(),
        },
    )


@login_required
@require_POST
def item_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    try:
        if step == "mask":
            count = review.mask_findings(item, actor=request.user)
            messages.success(request, _("%(count)d findings masked.") % {"count": count})
        elif step == "keep":
            keep = KeepForm(request.POST)
            if not keep.is_valid():
                raise ValidationError(_("Give the reason for publishing this personal data."))
            review.keep_finding(item, actor=request.user, **keep.cleaned_data)
        elif step == "submit":
            review.submit_for_review(item, actor=request.user)
            messages.success(request, _("Submitted for review."))
        elif step == "review":
            decision = ReviewForm(request.POST)
            if not decision.is_valid():
                raise ValidationError(_("Choose approve or return."))
            review.review(item, actor=request.user, **decision.cleaned_data)
            messages.success(request, _("Your decision was recorded."))
        elif step == "publish":
            actions.publish_item(item, actor=request.user)
            messages.success(request, _("Published."))
        elif step == "withdraw":
            actions.withdraw_item(item, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Withdrawn; the notice is on the public page."))
        else:
            raise PermissionDenied(_("Unknown step."))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("publishing:detail", pk=item.pk)


@login_required
def approval_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """呈批单: the item and every reviewer's opinion, for printing."""
    item = get_item_for_user(request.user, pk)
    return render(
        request,
        "publishing/approval_sheet.html",
        {
            "item": item,
            "reviews": item.reviews.select_related("reviewer"),
            "printed": timezone.localdate(),
        },
    )
