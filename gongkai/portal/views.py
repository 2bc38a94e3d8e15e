"""The public portal (政府信息公开专栏): no login."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gongkai.foi import actions, letter_files, query_codes
from gongkai.foi.forms import PublicApplicationForm
from gongkai.foi.models import Application
from gongkai.foi.receipt import Channel
from gongkai.orgs.models import Agency
from gongkai.portal import case, limits, papers
from gongkai.portal.cache import public_page
from gongkai.portal.forms import CorrectionAnswerForm, ResendCodeForm, TrackForm
from gongkai.publishing.models import InfoItem, ItemAttachment, PublicationAction, is_public

SESSION_RECEIPT = "gongkai_receipt"
# The cases this browser has opened with their number and query code: {number: pk}.
SESSION_CASES = "gongkai_cases"
NO_MATCH = gettext_lazy("The application number and query code do not match.")
EXPIRED = gettext_lazy(
    "Your session has ended and the correction was not sent. Enter the number and query code again; your text is below to copy."
)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the site's icon."""
    return redirect(static("gongkai/favicon.svg"), permanent=True)


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
            fields = form.application_fields()
            submitted = actions.submit_application(
                target,
                fields,
                channel=Channel.ONLINE,
                submitted_on=timezone.localdate(),
                token=form.cleaned_data["token"],
                attachments=form.cleaned_data["attachments"],
            )
            application = submitted.application
            request.session[SESSION_RECEIPT] = {
                "number": application.number,
                "code": submitted.query_code,
                "agency": target.name,
                "received_on": application.received_on.isoformat(),
                "due_on": application.due_on.isoformat() if application.due_on else "",
                "phone": target.office_phone,
                "address": target.office_address,
            }
            return redirect("portal:apply_done")
    else:
        # The token ties a retry or a double click to the first submission.
        form = PublicApplicationForm(initial={"token": secrets.token_urlsafe(24)})
    return render(request, "portal/apply.html", {"agency": target, "form": form})


def apply_done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.pop(SESSION_RECEIPT, None)
    # The 回执 holds the query code: made here once and handed over inside the page.
    pdf_url = papers.receipt_data_url(receipt) if receipt else ""
    return render(request, "portal/apply_done.html", {"receipt": receipt, "receipt_pdf": pdf_url})


def _agency_file(code: str) -> Agency:
    return get_object_or_404(Agency.objects.active(), code=code)


def application_form_file(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The agency's paper application form (申请表), for post and in-person applications."""
    agency = _agency_file(code)
    if fmt == "pdf":
        body, content_type = papers.application_form_pdf(agency), "application/pdf"
    elif fmt == "docx":
        body = papers.application_form_docx(agency)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404(_("No such file."))
    name = f"{papers.form_title()}-{agency.code}.{fmt}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def find_case(number: str, code: str) -> Application | None:
    """The case with this number whose query code is `code`; None for either mismatch."""
    found = Application.objects.select_related("agency").filter(number=number.strip()).first()
    if found is not None and actions.check_query_code(found, code):
        return found
    return None


def _opened_or_none(request: HttpRequest, number: str) -> Application | None:
    pk = request.session.get(SESSION_CASES, {}).get(number)
    if pk is None:
        return None
    return Application.objects.select_related("agency", "handler").filter(pk=pk).first()


def _opened(request: HttpRequest, number: str) -> Application:
    """A case this session opened with its number and code; otherwise 404 (not 403: a
    stranger learns nothing of which numbers exist)."""
    application = _opened_or_none(request, number)
    if application is None:
        raise Http404(_("Open your application with its number and query code first."))
    return application


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Number and query code in; the case page of whoever holds both out."""
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        # Guessing is limited per number and per address (gongkai.portal.limits).
        wait = limits.wait_message(request, number)
        application = None if wait else find_case(number, form.cleaned_data["code"])
        if application is not None:
            cases = request.session.get(SESSION_CASES, {})
            cases[application.number] = application.pk
            request.session[SESSION_CASES] = cases
            request.session.cycle_key()
            return redirect("portal:track_case", number=application.number)
        wait = wait or limits.failed(request, number)
        status = 429 if wait else 200
        form.add_error(None, wait or str(NO_MATCH))
    return render(request, "portal/track.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def resend_code(request: HttpRequest) -> HttpResponse:
    """Send a lost code to the contact given in the application. The answer is the same
    whether the number exists or not."""
    form = ResendCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip()
        wait = limits.resend_wait_message(request, number)
        if wait:
            form.add_error(None, wait)
            return render(request, "portal/resend_code.html", {"form": form}, status=429)
        limits.resent(request, number)
        found = Application.objects.select_related("agency").filter(number=number)
        application = found.first()
        if application is not None:
            query_codes.resend_code(application)
        messages.info(
            request,
            _(
                "If an application with this number exists and gave an e-mail address or mobile number, its query code has been sent there."
            ),
        )
        return redirect("portal:track")
    return render(
        request,
        "portal/resend_code.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _case_page(
    request: HttpRequest, application: Application, form: CorrectionAnswerForm | None = None
) -> HttpResponse:
    page = case.build(application)
    if form is None and page.open_correction is not None:
        form = CorrectionAnswerForm()
    return render(
        request,
        "portal/case.html",
        {"page": page, "application": application, "correction_form": form},
        status=400 if form is not None and form.is_bound else 200,
    )


@require_http_methods(["GET"])
def track_case(request: HttpRequest, number: str) -> HttpResponse:
    return _case_page(request, _opened(request, number))


@require_http_methods(["POST"])
def track_correction(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant's online answer to a 补正 notice (actions.answer_correction)."""
    application = _opened_or_none(request, number)
    if application is None:
        # The session ended while the answer was typed: nothing is recorded, and the text
        # comes back to be copied while the person opens the case again.
        messages.warning(request, str(EXPIRED))
        return render(
            request,
            "portal/track.html",
            {
                "form": TrackForm(initial={"number": number}),
                "kept_text": request.POST.get("text", ""),
            },
            status=403,
        )
    form = CorrectionAnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            answer = actions.answer_correction(
                application,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Your correction was received on %(date)s. The reply period starts again from that day."
                )
                % {"date": answer.received_on.isoformat()},
            )
            if answer.late:
                messages.warning(
                    request,
                    _(
                        "It was sent after the deadline of %(deadline)s. It has been recorded with its date; the agency decides whether it can still be handled."
                    )
                    % {"deadline": answer.deadline.isoformat() if answer.deadline else "—"},
                )
            return redirect("portal:track_case", number=application.number)
    application.refresh_from_db()
    return _case_page(request, application, form)


def track_letter(request: HttpRequest, number: str, letter: int) -> HttpResponse:
    """An issued letter of a case this session opened, as the PDF the office issued."""
    application = _opened(request, number)
    found = get_object_or_404(case.issued_letters(application), pk=letter)
    name = (found.doc_no or f"{application.number}-{found.kind}").replace("/", "-")
    response = HttpResponse(letter_files.render_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.pdf"
    return response


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
            # One document: its interpretations in their Meta order without the join to
            # order by the document itself.
            "interpretations": found.interpretations.filter(
                Q(catalog_item=None) | is_public("catalog_item")
            )
            .select_related("catalog_item")
            .order_by("published_on", "id")
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
