"""Back-office pages of the catalog: list, draft, checks, review, publication."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.lib.html import clean_body, removed_markup
from gongkai.orgs.access import has_role, visible_agencies
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import AgencyQuerySet, Role
from gongkai.publishing import actions, changes, review
from gongkai.publishing.access import get_item_for_user, visible_items
from gongkai.publishing.forms import (
    AgencyChoiceForm,
    AttachmentForm,
    ChangeForm,
    ChannelForm,
    InterpretationEntryForm,
    ItemForm,
    KeepForm,
    MaskOneForm,
    ReasonForm,
    RereviewForm,
    ReviewForm,
)
from gongkai.publishing.models import (
    ChangeStatus,
    Disclosure,
    InfoItem,
    ItemAttachment,
    ItemStatus,
    RescanFinding,
)

VIEWS = {
    "mine": gettext_lazy("Awaiting my review"),
    "drafts": gettext_lazy("Drafts"),
    "due": gettext_lazy("Due for publication"),
    "review": gettext_lazy("In review"),
    "approved": gettext_lazy("Approved"),
    "overdue": gettext_lazy("Overdue for publication"),
    "published": gettext_lazy("Published"),
    "late": gettext_lazy("Published late"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "interpretation": gettext_lazy("Interpretation missing"),
    "interpretation_late": gettext_lazy("Interpretation late"),
    "rereview": gettext_lazy("Withheld: re-review due"),
    "rescan": gettext_lazy("Re-scan findings"),
}


@login_required
def item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = request.GET.get("view", "drafts")
    view = view if view in VIEWS else "drafts"
    items = visible_items(request.user)
    today = timezone.localdate()
    items = {
        "mine": review.items_awaiting_review(request.user) if view == "mine" else items,
        "drafts": items.filter(status__in=[ItemStatus.DRAFT, ItemStatus.RETURNED]),
        "due": items.awaiting_publication().filter(publish_due_on__gte=today),
        "review": items.filter(status=ItemStatus.IN_REVIEW),
        "approved": items.filter(status=ItemStatus.APPROVED),
        "overdue": items.publication_overdue(today),
        "published": items.filter(status=ItemStatus.PUBLISHED),
        "late": items.published_late(),
        "withdrawn": items.filter(status=ItemStatus.WITHDRAWN),
        "interpretation": items.interpretation_missing(),
        "interpretation_late": items.interpretation_late(),
        "rereview": items.rereview_due(today),
        "rescan": items.filter(
            Exists(RescanFinding.objects.filter(item=OuterRef("pk"), resolved_at=None))
        ),
    }[view]
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(
            Q(title__contains=query) | Q(index_no__icontains=query) | Q(doc_no__contains=query)
        )
    order = ("publish_due_on", "id") if view in ("due", "overdue") else ("-formed_on", "-id")
    if view == "rereview":
        order = ("rereview_due_on", "id")
    page = Paginator(items.order_by(*order), 50).get_page(request.GET.get("page"))
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


def _report_removed(request: AuthenticatedHttpRequest, body: str) -> None:
    """Say what the sanitiser took out of a pasted body (Word's styles, scripts …)."""
    removed = removed_markup(body or "")
    if removed:
        messages.warning(
            request,
            _(
                "The body was cleaned: %(list)s were removed (the text, paragraphs, headings, "
                "lists and tables are kept)."
            )
            % {"list": "、".join(removed[:12]) + ("……" if len(removed) > 12 else "")},
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
    """Draft an item; staff of several agencies first choose the agency (?agency=pk)."""
    agencies = _drafting_agencies(request)
    if not agencies.exists():
        raise PermissionDenied(_("Only the agency's disclosure staff may draft catalog items."))
    chooser = AgencyChoiceForm(request.GET or None, agencies=agencies)
    if agencies.count() > 1 and not chooser.is_valid():
        return render(request, "publishing/item_agency.html", {"chooser": chooser})
    agency = chooser.cleaned_data["agency"] if agencies.count() > 1 else agencies.get()
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
            _report_removed(request, form.cleaned_data.get("body", ""))
            return redirect("publishing:detail", pk=item.pk)
    return render(request, "publishing/item_form.html", {"form": form, "agency": agency})


def _detail(
    request: AuthenticatedHttpRequest, item: InfoItem, status: int = 200, **forms: Any
) -> HttpResponse:
    """The item page; `forms` are bound forms that failed, shown again with their input."""
    staff = has_role(request.user, item.agency, Role.OFFICER, Role.OFFICE_HEAD)
    is_reviewer = any(has_role(request.user, item.agency, s.role) for s in review.stages(item))
    open_findings = (
        review.findings(item)
        if item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.IN_REVIEW)
        else []
    )
    today = timezone.localdate()
    open_change = item.change_requests.filter(
        status__in=[ChangeStatus.IN_REVIEW, ChangeStatus.RETURNED]
    ).first()
    change_diff = changes.field_diffs(item, open_change.fields) if open_change else []
    context = {
        "item": item,
        "staff": staff,
        "is_reviewer": is_reviewer,
        "editable": item.status in actions.EDITABLE,
        "findings": [
            (f, f.label, KeepForm(initial={"kind": f.finding.kind, "text": f.finding.text}))
            for f in open_findings
        ],
        "rescan_findings": [
            (r, KeepForm(initial={"kind": r.kind, "text": r.text}))
            for r in item.rescan_findings.filter(resolved_at=None)
        ],
        "kept": item.kept_findings.select_related("by"),
        "attachment_findings": {f.attachment for f in open_findings if f.field == "attachment"},
        "stage": review.may_decide(item, request.user),
        "stages": review.stages(item),
        "due": review.current_stage(item),
        "open_change": open_change,
        "change_diff": change_diff,
        "same_person": item.reviews.filter(same_person=True).exists(),
        "review_form": ReviewForm(),
        "reason_form": ReasonForm(),
        "channel_form": ChannelForm(initial={"published_on": today}),
        "attachment_form": AttachmentForm(),
        "interpretation_form": InterpretationEntryForm(initial={"published_on": today}),
        "rereview_form": RereviewForm(),
        "can_rereview": item.disclosure == Disclosure.WITHHELD
        and has_role(
            request.user, item.agency, Role.OFFICER, Role.OFFICE_HEAD, Role.CONFIDENTIALITY
        ),
        "missing_interpretation": item.status == ItemStatus.PUBLISHED
        and actions.missing_interpretation(item),
        "reviews": item.reviews.select_related("reviewer", "change"),
        "versions": item.versions.all(),
        "channels": item.channels.all(),
        "attachments": item.attachments.all(),
        "interpretations": item.interpretations.select_related("catalog_item").prefetch_related(
            "elements"
        ),
        "sync_days": settings.INTERPRETATION_SYNC_WORKING_DAYS,
        "interprets": item.interprets.select_related("document"),
        "rereviews": item.rereviews.select_related("by"),
        "normative_records": item.normative_records.all(),
    }
    context.update(forms)
    return render(request, "publishing/item_detail.html", context, status=status)


@login_required
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_item_for_user(request.user, pk))


def _link_interpretation(
    request: AuthenticatedHttpRequest, item: InfoItem, data: dict[str, Any]
) -> str:
    index_no = data.pop("catalog_index_no").strip()
    catalog_item = None
    if index_no:
        catalog_item = visible_items(request.user).filter(index_no=index_no).first()
        if catalog_item is None:
            raise ValidationError({"catalog_index_no": _("No catalog item has this index number.")})
    actions.add_interpretation(item, actor=request.user, catalog_item=catalog_item, **data)
    return _("Interpretation linked.")


def _attach(request: AuthenticatedHttpRequest, item: InfoItem, data: dict[str, Any]) -> str:
    attachment = actions.add_attachment(item, actor=request.user, upload=data["file"])
    return _("%(name)s attached.") % {"name": attachment.original_name}


def _channel(request: AuthenticatedHttpRequest, item: InfoItem, data: dict[str, Any]) -> str:
    actions.record_channel(item, actor=request.user, **data)
    return _("Channel recorded.")


def _rereview(request: AuthenticatedHttpRequest, item: InfoItem, data: dict[str, Any]) -> str:
    actions.rereview_withheld(item, actor=request.user, **data)
    return _("The re-review was recorded.")


def _withdraw(request: AuthenticatedHttpRequest, item: InfoItem, data: dict[str, Any]) -> str:
    change = actions.withdraw_item(item, actor=request.user, reason=data["reason"])
    if change.status == ChangeStatus.APPLIED:
        return _("Withdrawn; the notice is on the public page.")
    return _(
        "The withdrawal awaits the office head's approval; the item stays on the portal until then."
    )


PUBLISHED_OR_WITHDRAWN = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
STAFF = (Role.OFFICER, Role.OFFICE_HEAD)


@dataclass(frozen=True)
class FormStep:
    form_class: type[forms.Form]
    context_name: str  # the form's name in the item page's context
    handler: Any  # (request, item, cleaned data) → success message
    roles: tuple[str, ...]
    shown: Any  # item → whether the page shows this form now


# The steps with a form of their own (see item_detail.html for where each form is shown).
FORM_STEPS: dict[str, FormStep] = {
    "channel": FormStep(
        ChannelForm, "channel_form", _channel, STAFF, lambda i: i.status in PUBLISHED_OR_WITHDRAWN
    ),
    "attach": FormStep(
        AttachmentForm, "attachment_form", _attach, STAFF, lambda i: i.status in actions.EDITABLE
    ),
    "interpretation": FormStep(
        InterpretationEntryForm,
        "interpretation_form",
        _link_interpretation,
        STAFF,
        lambda i: i.status in PUBLISHED_OR_WITHDRAWN,
    ),
    "rereview": FormStep(
        RereviewForm,
        "rereview_form",
        _rereview,
        (*STAFF, Role.CONFIDENTIALITY),
        lambda i: i.disclosure == Disclosure.WITHHELD,
    ),
    "withdraw": FormStep(
        ReasonForm, "reason_form", _withdraw, STAFF, lambda i: i.status == ItemStatus.PUBLISHED
    ),
}


def _form_step(request: AuthenticatedHttpRequest, item: InfoItem, step: str) -> HttpResponse:
    """A step with a form of its own: bad input comes back on the page with the input kept;
    a step the item's state no longer allows says why at the top of the page."""
    spec = FORM_STEPS[step]
    if not has_role(request.user, item.agency, *spec.roles):
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    form = spec.form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            messages.success(request, spec.handler(request, item, dict(form.cleaned_data)))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("publishing:detail", pk=item.pk)
    if not spec.shown(item):
        messages.error(request, "；".join(str(m) for e in form.errors.values() for m in e))
        return redirect("publishing:detail", pk=item.pk)
    return _detail(request, item, 400, **{spec.context_name: form})


@login_required
@require_POST
def item_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    try:
        if step in FORM_STEPS:
            return _form_step(request, item, step)
        if step == "mask":
            one = MaskOneForm(request.POST)
            only = (one.cleaned_data["kind"], one.cleaned_data["text"]) if one.is_valid() else None
            count = actions.mask_findings(item, actor=request.user, only=only)
            messages.success(request, _("%(count)d findings masked.") % {"count": count})
        elif step == "keep":
            keep = KeepForm(request.POST)
            if not keep.is_valid():
                raise ValidationError(_("Give the reason for publishing this personal data."))
            actions.keep_finding(item, actor=request.user, **keep.cleaned_data)
        elif step == "submit":
            actions.submit_for_review(item, actor=request.user)
            messages.success(request, _("Submitted for review."))
        elif step == "review":
            decision = ReviewForm(request.POST)
            if not decision.is_valid():
                raise ValidationError(_("Choose approve or return."))
            actions.review(item, actor=request.user, **decision.cleaned_data)
            messages.success(request, _("Your decision was recorded."))
        elif step == "cancel_change":
            actions.cancel_change(item, actor=request.user)
            messages.success(request, _("The returned change was dropped."))
        elif step == "publish":
            actions.publish_item(item, actor=request.user)
            messages.success(request, _("Published."))
            item.refresh_from_db()
            if actions.missing_interpretation(item):
                messages.warning(
                    request,
                    _(
                        "This document needs a policy interpretation published with it (同步发布); "
                        "link one below."
                    ),
                )
        else:
            raise PermissionDenied(_("Unknown step."))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("publishing:detail", pk=item.pk)


@login_required
@require_POST
def attachment_remove(request: AuthenticatedHttpRequest, pk: int, attachment: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    entry = get_object_or_404(ItemAttachment, pk=attachment, item=item)
    try:
        actions.remove_attachment(entry, actor=request.user)
        messages.success(request, _("%(name)s removed.") % {"name": entry.original_name})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("publishing:detail", pk=item.pk)


@login_required
@require_POST
def attachment_replace(request: AuthenticatedHttpRequest, pk: int, attachment: int) -> HttpResponse:
    """Replace an attachment with findings by a de-identified file."""
    item = get_item_for_user(request.user, pk)
    entry = get_object_or_404(ItemAttachment, pk=attachment, item=item)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([m for e in form.errors.values() for m in e])
        new = actions.replace_attachment(
            entry, actor=request.user, upload=form.cleaned_data["file"]
        )
        messages.success(
            request,
            _("%(old)s was replaced by %(new)s.")
            % {"old": entry.original_name, "new": new.original_name},
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("publishing:detail", pk=item.pk)


@login_required
def attachment_download(
    request: AuthenticatedHttpRequest, pk: int, attachment: int
) -> FileResponse:
    item = get_item_for_user(request.user, pk)
    entry = get_object_or_404(ItemAttachment, pk=attachment, item=item)
    return FileResponse(
        entry.file.open("rb"),
        as_attachment=True,
        filename=entry.original_name,
        content_type=entry.content_type,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned item, or change a published one (with a reason)."""
    item = get_item_for_user(request.user, pk)
    if not has_role(request.user, item.agency, Role.OFFICER, Role.OFFICE_HEAD):
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    published = item.status == ItemStatus.PUBLISHED
    if not published and item.status not in actions.EDITABLE:
        messages.error(request, _("Only a draft, a returned or a published item can be edited."))
        return redirect("publishing:detail", pk=item.pk)
    form: ItemForm | ChangeForm
    if published:
        returned = item.change_requests.filter(status=ChangeStatus.RETURNED, kind="change").first()
        form = ChangeForm(
            request.POST or None,
            instance=InfoItem.objects.get(pk=item.pk),
            initial=returned.fields if returned else None,
        )
    else:
        form = ItemForm(
            request.POST or None, instance=InfoItem.objects.get(pk=item.pk), agency=item.agency
        )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            if published:
                fresh = InfoItem.objects.get(pk=item.pk)
                changed = {
                    k: v
                    for k, v in data.items()
                    if getattr(fresh, k) != (clean_body(v) if k == "body" else v)
                }
                actions.change_item(
                    item, actor=request.user, reason=form.cleaned_data["reason"], **changed
                )
                messages.success(
                    request,
                    _(
                        "The change went into review; the published version stays on the "
                        "public page until the change is approved."
                    ),
                )
            else:
                actions.update_draft(item, actor=request.user, **data)
                messages.success(request, _("Draft saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _report_removed(request, form.cleaned_data.get("body", ""))
            return redirect("publishing:detail", pk=item.pk)
    return render(
        request,
        "publishing/item_edit.html",
        {"form": form, "item": item, "published": published},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def approval_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """呈批单: the item and every reviewer's opinion, for printing."""
    item = get_item_for_user(request.user, pk)
    return render(
        request,
        "publishing/approval_sheet.html",
        {
            "item": item,
            "reviews": item.reviews.select_related("reviewer", "change"),
            "kept": item.kept_findings.select_related("by"),
            "same_person": item.reviews.filter(same_person=True).exists(),
            "printed": timezone.localdate(),
        },
    )


@login_required
def version_diff(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    """What one version changed against the version before it."""
    item = get_item_for_user(request.user, pk)
    versions = {v.number: v for v in item.versions.all()}
    version = versions.get(number)
    if version is None:
        raise Http404(_("No such version."))
    before = versions.get(number - 1)
    diffs = changes.snapshot_diffs(before.snapshot if before else {}, version.snapshot)
    return render(
        request,
        "publishing/version_diff.html",
        {"item": item, "version": version, "before": before, "diffs": diffs},
    )
