"""The public portal (政府信息公开专栏): no login."""

from __future__ import annotations

import secrets

from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.foi import actions, clock
from gongkai.foi.forms import ApplicationForm, PublicApplicationForm
from gongkai.foi.models import Application, EventKind
from gongkai.foi.receipt import Channel
from gongkai.orgs.models import Agency
from gongkai.portal import limits
from gongkai.portal.cache import public_page
from gongkai.portal.forms import TrackForm
from gongkai.publishing.models import InfoItem, ItemAttachment, PublicationAction, is_public

SESSION_RECEIPT = "gongkai_receipt"
# Steps the applicant sees on the tracking page; internal steps (assignment) are not shown.
PUBLIC_STEPS = {
    EventKind.RECEIVED,
    EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTION_RECEIVED,
    EventKind.CONSULTATION_SENT,
    EventKind.CONSULTATION_CLOSED,
    EventKind.EXTENSION_APPROVED,
    EventKind.FEE_NOTICE_SENT,
    EventKind.FEE_PAID,
    EventKind.REPLIED,
    EventKind.WITHDRAWN,
    EventKind.CLOSED_UNANSWERED,
}


def apply_choose(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/apply_choose.html", {"agencies": Agency.objects.active().order_by("path")}
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The online application form (第二十九条). Stored before anything is sent."""
    target = get_object_or_404(Agency.objects.active(), code=code)
    if request.method == "POST":
        form = PublicApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in ApplicationForm.Meta.fields}
            submitted = actions.submit_application(
                target,
                fields,
                channel=Channel.ONLINE,
                submitted_on=timezone.localdate(),
                token=form.cleaned_data["token"],
                attachments=form.cleaned_data["attachments"],
            )
            request.session[SESSION_RECEIPT] = {
                "number": submitted.application.number,
                "code": submitted.query_code,
                "agency": target.name,
            }
            return redirect("portal:apply_done")
    else:
        # The token ties a retry or a double click to the first submission.
        form = PublicApplicationForm(initial={"token": secrets.token_urlsafe(24)})
    return render(request, "portal/apply.html", {"agency": target, "form": form})


def apply_done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.pop(SESSION_RECEIPT, None)
    return render(request, "portal/apply_done.html", {"receipt": receipt})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Status of one application for whoever holds its number and query code."""
    form = TrackForm(request.POST or None)
    application = None
    status = 200
    if request.method == "POST" and form.is_valid():
        # Guessing is limited per number and per address (gongkai.portal.limits).
        wait = limits.wait_message(request, form.cleaned_data["number"])
        found = (
            None
            if wait
            else Application.objects.select_related("agency")
            .filter(number=form.cleaned_data["number"].strip())
            .first()
        )
        if found is not None and actions.check_query_code(found, form.cleaned_data["code"]):
            application = found
        else:
            wait = wait or limits.failed(request, form.cleaned_data["number"])
            status = 429 if wait else 200
            form.add_error(None, wait or _("The application number and query code do not match."))
    context: dict[str, object] = {"form": form, "application": application}
    if application is not None:
        context["events"] = [e for e in application.events.all() if e.kind in PUBLIC_STEPS]
        context["deadline"] = clock.deadline(application, explain=False)
    return render(request, "portal/track.html", context, status=status)


@public_page
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """A published catalog item with its version history; a withdrawn one shows the notice."""
    found = get_object_or_404(
        InfoItem.objects.on_portal().select_related("agency", "category"), pk=pk
    )
    published = found.is_public
    return render(
        request,
        "portal/item.html",
        {
            "item": found,
            "versions": found.versions.all(),
            "attachments": found.attachments.all() if published else [],
            "interpretations": found.interpretations.filter(
                Q(catalog_item=None) | is_public("catalog_item")
            ).select_related("catalog_item")
            if published
            else [],
            "interprets": found.interprets.filter(is_public("document")).select_related("document")
            if published
            else [],
        },
    )


@public_page
def item_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """An earlier version's text, as the public saw it (only while the item is published:
    a withdrawal takes every version off the portal)."""
    found = get_object_or_404(InfoItem.objects.public().select_related("agency"), pk=pk)
    versions = list(found.versions.all())
    version = next((v for v in versions if v.number == number), None)
    if version is None or version.action == PublicationAction.WITHDRAWN:
        raise Http404(_("No such version."))
    return render(
        request,
        "portal/item_version.html",
        {
            "item": found,
            "version": version,
            "data": version.snapshot,
            "is_current": version == versions[-1],
        },
    )


def item_attachment(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """An attachment of a published item; a withdrawn item's files are no longer served."""
    found = get_object_or_404(
        ItemAttachment.objects.filter(is_public("item")), pk=attachment, item_id=pk
    )
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
