"""Back-office pages of disclosure requests: lists, one case with its steps, registration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from io import BytesIO
from typing import Any, cast
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.foi import actions, clock, delivery, letter_files, letters
from gongkai.foi import forms as step_forms
from gongkai.foi.access import (
    can_handle,
    get_application_for_user,
    mask_id,
    sees_personal_data,
    visible_applications,
)
from gongkai.foi.events import ConsultationClosedData, ConsultationSentData
from gongkai.foi.models import (
    OPEN_STATUSES,
    Application,
    ApplicationQuerySet,
    Delivery,
    EventKind,
    ExtensionRequest,
    ExtensionRequestStatus,
    Letter,
    LetterDelivery,
    LetterKind,
    LetterStatus,
    Status,
)
from gongkai.foi.reminders import DUE_SOON_DAYS
from gongkai.lib.report_keys import RemedyResult
from gongkai.lib.safe_text import cell_text, row_for_files
from gongkai.orgs.access import has_role, visible_agencies
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency, AgencyQuerySet, Role, User
from gongkai.workdays.loading import day_one, get_calendar

VIEWS = {
    "open": gettext_lazy("Open"),
    "mine": gettext_lazy("My cases"),
    "due_soon": gettext_lazy("Due within 3 working days"),
    "overdue": gettext_lazy("Overdue"),
    "paused": gettext_lazy("Paused"),
    "closed": gettext_lazy("Closed"),
    "replied_late": gettext_lazy("Answered late"),
    "all": gettext_lazy("All"),
}


def _listed(user: User, view: str, today: date) -> ApplicationQuerySet:
    applications = visible_applications(user)
    if view == "mine":
        return applications.open().filter(handler=user)
    if view == "due_soon":
        limit = get_calendar().provisional_add(today, DUE_SOON_DAYS, day_one()).value
        return applications.due_by(limit).filter(due_on__gte=today)
    if view == "overdue":
        return applications.overdue(today)
    if view == "paused":
        return applications.open().filter(paused=True)
    if view == "closed":
        return applications.exclude(status__in=OPEN_STATUSES)
    if view == "replied_late":
        return applications.replied_late()
    if view == "open":
        return applications.open()
    return applications


@login_required
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = request.GET.get("view", "open")
    if view not in VIEWS:
        view = "open"
    today = timezone.localdate()
    applications = _listed(request.user, view, today)
    form = step_forms.ListFilterForm(request.GET or None, agencies=visible_agencies(request.user))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            applications = applications.filter(
                Q(number__icontains=q) | Q(applicant_name__contains=q) | Q(description__contains=q)
            )
        for field in ("agency", "status", "channel", "applicant_type"):
            if data[field]:
                applications = applications.filter(**{field: data[field]})
        if data["received_from"]:
            applications = applications.filter(received_on__gte=data["received_from"])
        if data["received_to"]:
            applications = applications.filter(received_on__lte=data["received_to"])
    order = "due_on" if view in ("due_soon", "overdue", "open", "mine") else "-received_on"
    applications = applications.order_by(order, "-id")
    if request.GET.get("format") == "xlsx":
        record(
            Action.EXPORTED,
            actor=request.user,
            request=request,
            detail={"what": "foi.applications", "query": request.GET.urlencode()[:500]},
        )
        return _xlsx(applications)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "foi/application_list.html",
        {
            "page": page,
            "form": form,
            "view": view,
            "views": VIEWS,
            "today": today,
            "query": query.urlencode(),
            "can_register": _registration_agencies(request.user).exists(),
            # Shown on its tab: closed cases answered after their period (逾期答复).
            "replied_late_count": visible_applications(request.user).replied_late().count(),
        },
    )


def _cell_text(value: str) -> str:
    """Text that a spreadsheet must not run as a formula (applicants type these fields)."""
    return cell_text(value)


def _xlsx(applications: ApplicationQuerySet) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = _("Applications")
    sheet.append(
        [
            _("Application number"),
            _("Agency"),
            _("Date of receipt"),
            _("Channel"),
            _("Applicant type"),
            _("Applicant"),
            _("Identity document"),
            _("Information requested"),
            _("Status"),
            _("Due on"),
            _("Outcome"),
            _("Closed on"),
        ]
    )
    for a in applications.iterator(chunk_size=2000):
        sheet.append(
            row_for_files(
                [
                    a.number,
                    a.agency.name,
                    a.received_on,
                    a.get_channel_display(),
                    a.get_applicant_type_display(),
                    _cell_text(a.applicant_name),
                    mask_id(a.id_number) if a.id_number else a.credit_code,
                    _cell_text(a.description[:200]),
                    a.get_status_display(),
                    a.due_on,
                    a.get_outcome_display() if a.outcome else "",
                    a.closed_on,
                ]
            )
        )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="applications.xlsx"'
    return response


def _waiting_consultations(application: Application) -> list[tuple[str, str]]:
    events = list(
        application.events.filter(
            kind__in=[EventKind.CONSULTATION_SENT, EventKind.CONSULTATION_CLOSED]
        )
    )
    closed = {
        cast(ConsultationClosedData, e.data).get("ref")
        for e in events
        if e.kind == EventKind.CONSULTATION_CLOSED
    }
    sent = [
        (e, cast(ConsultationSentData, e.data))
        for e in events
        if e.kind == EventKind.CONSULTATION_SENT
    ]
    return [
        (data["ref"], f"{data.get('recipient', '')}（{e.on.isoformat()}）")
        for e, data in sent
        if data.get("ref") not in closed
    ]


def _handlers(application: Application) -> QuerySet[User]:
    return User.objects.filter(
        memberships__agency=application.agency,
        memberships__role__in=[Role.OFFICER, Role.OFFICE_HEAD],
        is_active=True,
    ).distinct()


# step name → (form class, action taking the cleaned data, statuses in which it is offered)
Step = tuple[
    type[forms.Form], Callable[[Application, User, dict[str, Any]], object], tuple[str, ...]
]
STEPS: dict[str, Step] = {
    "correction": (
        step_forms.CorrectionForm,
        lambda a, u, d: actions.request_correction(
            a,
            actor=u,
            late_approval_reason=d["late_approval_reason"],
            on=d["on"],
            items=d["items"].splitlines(),
            until=d["until"],
        ),
        (Status.OPEN,),
    ),
    "correction_received": (
        step_forms.ReceiveCorrectionForm,
        lambda a, u, d: actions.receive_correction(
            a, actor=u, late_approval_reason=d["late_approval_reason"], on=d["on"]
        ),
        (Status.AWAITING_CORRECTION,),
    ),
    "consultation": (
        step_forms.ConsultationForm,
        lambda a, u, d: actions.send_consultation(
            a,
            actor=u,
            on=d["on"],
            party=d["party"],
            recipient=d["recipient"],
            received_on=d["received_on"],
        ),
        (Status.OPEN, Status.CONSULTING),
    ),
    "consultation_closed": (
        step_forms.CloseConsultationForm,
        lambda a, u, d: actions.close_consultation(
            a,
            actor=u,
            late_approval_reason=d["late_approval_reason"],
            on=d["on"],
            ref=d["ref"],
            result=d["result"],
        ),
        (Status.CONSULTING, Status.OPEN),
    ),
    "extension": (
        step_forms.ExtensionForm,
        lambda a, u, d: actions.approve_extension(
            a,
            actor=u,
            late_approval_reason=d["late_approval_reason"],
            on=d["on"],
            days=d["days"],
            reason=d["reason"],
        ),
        (Status.OPEN, Status.CONSULTING),
    ),
    "fee_notice": (
        step_forms.FeeNoticeForm,
        lambda a, u, d: actions.send_fee_notice(
            a,
            actor=u,
            on=d["on"],
            method=d["method"],
            pages=d["pages"] or 0,
            received_on=d["received_on"],
        ),
        (Status.OPEN,),
    ),
    "fee_paid": (
        step_forms.FeePaidForm,
        lambda a, u, d: actions.record_fee_payment(
            a,
            actor=u,
            late_approval_reason=d["late_approval_reason"],
            on=d["on"],
            amount=d["amount"],
        ),
        (Status.AWAITING_FEE,),
    ),
    # Choosing the outcome drafts the decision letter; issuing it gives the reply.
    "reply": (
        step_forms.ReplyForm,
        lambda a, u, d: letters.draft_reply(
            a,
            actor=u,
            outcome=d["outcome"],
            basis=d["basis"],
            documents=d["documents"],
            facts={k: d[k] for k in step_forms.ReplyForm.FACTS if d.get(k)},
        ),
        (Status.OPEN, Status.CONSULTING),
    ),
    "withdraw": (
        step_forms.WithdrawForm,
        lambda a, u, d: actions.withdraw(
            a, actor=u, late_approval_reason=d["late_approval_reason"], on=d["on"], note=d["note"]
        ),
        OPEN_STATUSES,
    ),
    "transfer": (
        step_forms.TransferForm,
        lambda a, u, d: actions.transfer(
            a,
            actor=u,
            late_approval_reason=d["late_approval_reason"],
            on=d["on"],
            to_agency=d["to_agency"],
            reason=d["reason"],
        ),
        (Status.OPEN,),
    ),
    "extension_request": (
        step_forms.ExtensionRequestForm,
        lambda a, u, d: actions.request_extension(a, actor=u, days=d["days"], reason=d["reason"]),
        (Status.OPEN, Status.CONSULTING),
    ),
    "close_overdue": (
        step_forms.CloseOverdueForm,
        lambda a, u, d: actions.close_overdue(
            a, actor=u, late_approval_reason=d["late_approval_reason"], on=d["on"]
        ),
        (Status.AWAITING_CORRECTION, Status.AWAITING_FEE),
    ),
}


# step name → the event it records, whose EventKind.step_title is the step's title
STEP_EVENTS: dict[str, EventKind] = {
    "correction": EventKind.CORRECTION_REQUESTED,
    "correction_received": EventKind.CORRECTION_RECEIVED,
    "consultation": EventKind.CONSULTATION_SENT,
    "consultation_closed": EventKind.CONSULTATION_CLOSED,
    "extension": EventKind.EXTENSION_APPROVED,
    "fee_notice": EventKind.FEE_NOTICE_SENT,
    "fee_paid": EventKind.FEE_PAID,
    "reply": EventKind.REPLIED,
    "withdraw": EventKind.WITHDRAWN,
    "transfer": EventKind.TRANSFERRED,
    "close_overdue": EventKind.CLOSED_UNANSWERED,
}


def _step_form(name: str, application: Application, data: Any = None) -> forms.Form:
    form_class = STEPS[name][0]
    prefix = f"step-{name}"
    if form_class is step_forms.CloseConsultationForm:
        return form_class(data, prefix=prefix, waiting=_waiting_consultations(application))  # type: ignore[call-arg]
    if form_class is step_forms.TransferForm:
        return form_class(data, prefix=prefix, agencies=application.transfer_targets())  # type: ignore[call-arg]
    return form_class(data, prefix=prefix)


def _similar_requests(application: Application) -> list[Application]:
    """The applicant's earlier requests for similar information (第三十六条第六项, 第三十五条)."""
    earlier = (
        Application.objects.filter(agency=application.agency, **application.applicant_key())
        .exclude(pk=application.pk)
        .filter(received_on__lte=application.received_on)
        .order_by("-received_on")[:50]
    )
    return [
        other
        for other in earlier
        if SequenceMatcher(None, other.description, application.description).ratio() >= SIMILARITY
    ]


SIMILARITY = 0.6


def _detail(
    request: AuthenticatedHttpRequest,
    application: Application,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
    remedy_form: forms.Form | None = None,
    delivery_form: tuple[int, forms.Form] | None = None,
    issue_form: tuple[int, forms.Form] | None = None,
) -> HttpResponse:
    handler = can_handle(request.user, application)
    is_office_head = has_role(request.user, application.agency, Role.OFFICE_HEAD)
    pending_extension = application.extension_requests.filter(
        status=ExtensionRequestStatus.PENDING
    ).first()
    steps: dict[str, forms.Form] = {}
    if handler and application.is_open:
        waiting = _waiting_consultations(application)
        for name, (_form, _action, statuses) in STEPS.items():
            if application.status not in statuses:
                continue
            if name == "consultation_closed" and not waiting:
                continue
            if name == "transfer" and not application.transfer_targets().exists():
                continue
            if name in ("extension", "extension_request") and (
                application.events.filter(kind=EventKind.EXTENSION_APPROVED).exists()
                or pending_extension is not None
            ):
                continue
            # The head approves an extension; an officer asks the head for one.
            if name == "extension" and not is_office_head:
                continue
            if name == "extension_request" and is_office_head:
                continue
            steps[name] = _step_form(name, application)
    if bound is not None:
        steps[bound[0]] = bound[1]
    full_identity = sees_personal_data(request.user, application)
    if full_identity and application.id_number:
        record(Action.ID_NUMBER_VIEWED, actor=request.user, obj=application, request=request)
    return render(
        request,
        "foi/application_detail.html",
        {
            "application": application,
            "deadline": clock.deadline(application),
            "events": application.events.select_related("actor"),
            "steps": [(name, form_title(name), form) for name, form in steps.items()],
            "open_step": bound[0] if bound else "",
            "is_handler": handler,
            "is_office_head": handler and is_office_head,
            "pending_extension": pending_extension,
            # The request's own files; those sent with an online correction are on its step.
            "request_files": application.attachments.filter(correction=None),
            "extension_requests": application.extension_requests.select_related(
                "requested_by", "decided_by"
            ),
            "full_identity": full_identity,
            "masked_id": mask_id(application.id_number) if application.id_number else "",
            "assign_form": step_forms.AssignForm(handlers=_handlers(application))
            if handler and application.is_open
            else None,
            "similar": _similar_requests(application) if handler else [],
            "remedies": [
                (
                    r,
                    step_forms.RemedyDecisionForm(prefix=f"remedy-{r.pk}")
                    if r.result == RemedyResult.PENDING
                    else None,
                )
                for r in application.remedies.all()
            ],
            "remedy_form": (remedy_form or step_forms.RemedyForm()) if handler else None,
            "letters": _letter_rows(application, handler, delivery_form, issue_form),
            "letter_kinds": [(k, LetterKind(k).label) for k in letters.available_kinds(application)]
            if handler
            else [],
        },
        status=status,
    )


@dataclass
class LetterRow:
    """A letter on the case page with its deliveries and the forms its state offers."""

    letter: Letter
    deliveries: list[LetterDelivery]
    issue_form: forms.Form | None
    delivery_form: forms.Form | None


def _letter_rows(
    application: Application,
    handler: bool,
    bound: tuple[int, forms.Form] | None,
    bound_issue: tuple[int, forms.Form] | None = None,
) -> list[LetterRow]:
    rows = []
    for letter in application.letters.select_related("approved_by").prefetch_related("deliveries"):
        issued = letter.status == LetterStatus.ISSUED
        delivery_form: forms.Form | None = None
        if handler and issued:
            delivery_form = (
                bound[1]
                if bound and bound[0] == letter.pk
                else step_forms.DeliveryForm(
                    prefix=f"delivery-{letter.pk}",
                    initial={
                        "method": delivery.CHOSEN_METHOD.get(Delivery(application.delivery))
                        if application.delivery in Delivery.values and delivery.to_applicant(letter)
                        else "",
                    },
                )
            )
        rows.append(
            LetterRow(
                letter,
                list(letter.deliveries.all()),
                (
                    bound_issue[1]
                    if bound_issue and bound_issue[0] == letter.pk
                    else step_forms.IssueLetterForm(prefix=f"issue-{letter.pk}")
                )
                if handler and letter.status == LetterStatus.APPROVED
                else None,
                delivery_form,
            )
        )
    return rows


@login_required
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_application_for_user(request.user, pk))


@login_required
@require_POST
def application_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    if step not in STEPS:
        raise PermissionDenied(_("Unknown step."))
    if not can_handle(request.user, application):
        raise PermissionDenied(_("Only the agency's disclosure staff may handle this application."))
    form = _step_form(step, application, request.POST)
    status = 400
    if form.is_valid():
        try:
            done = STEPS[step][1](application, request.user, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            # Refused for the role: say why on the form, keeping what was typed.
            form.add_error(None, str(exc) or _("You do not have the role needed for this action."))
            status = 403
        else:
            if isinstance(done, Letter):  # the reply: its decision letter was drafted
                messages.success(
                    request,
                    _(
                        "The decision letter was drafted. Check its text and have the office head approve it; the reply is given when the letter is issued."
                    ),
                )
                return redirect(f"{reverse('foi:detail', args=[application.pk])}#letter-{done.pk}")
            messages.success(request, _("Saved: %(step)s.") % {"step": form_title(step)})
            return redirect("foi:detail", pk=application.pk)
    application.refresh_from_db()
    return _detail(request, application, bound=(step, form), status=status)


@login_required
@require_POST
def extension_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The office head approves or refuses an officer's extension request (from the home
    page's queue or the case page); back to where the head came from."""
    asked = get_object_or_404(
        ExtensionRequest.objects.filter(application__in=visible_applications(request.user)),
        pk=pk,
    )
    form = step_forms.ExtensionDecisionForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("foi:detail", args=[asked.application_id])
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse the extension."))
        return redirect(back)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.decide_extension(
            asked,
            actor=request.user,
            approve=approve,
            refusal_reason=form.cleaned_data["refusal_reason"],
            late_approval_reason=form.cleaned_data["late_approval_reason"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            (
                _("Extension of %(number)s by %(days)d working days approved.")
                if approve
                else _("Extension of %(number)s refused.")
            )
            % {"number": asked.application.number, "days": asked.days},
        )
    return redirect(back)


# Steps that record no event of their own.
STEP_TITLES: dict[str, StrOrPromise] = {
    "extension_request": gettext_lazy("Request an extension from the office head"),
}


def form_title(step: str) -> StrOrPromise:
    if step in STEP_TITLES:
        return STEP_TITLES[step]
    return STEP_EVENTS[step].step_title


@login_required
@require_POST
def remedy_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    form = step_forms.RemedyForm(request.POST)
    if form.is_valid():
        try:
            actions.record_remedy(application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The review or lawsuit was recorded."))
            return redirect("foi:detail", pk=application.pk)
    return _detail(request, application, remedy_form=form, status=400)


@login_required
@require_POST
def remedy_decide(request: AuthenticatedHttpRequest, pk: int, remedy_pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    remedy = get_object_or_404(application.remedies, pk=remedy_pk)
    form = step_forms.RemedyDecisionForm(request.POST, prefix=f"remedy-{remedy.pk}")
    if form.is_valid():
        try:
            actions.decide_remedy(remedy, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("The decision was recorded."))
    else:
        messages.error(request, _("Give the date and the result of the decision."))
    return redirect("foi:detail", pk=application.pk)


@login_required
@require_POST
def application_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    form = step_forms.AssignForm(request.POST, handlers=_handlers(application))
    if form.is_valid():
        try:
            actions.assign(application, actor=request.user, handler=form.cleaned_data["handler"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("Assigned to %(name)s.") % {"name": form.cleaned_data["handler"].display_name},
            )
    return redirect("foi:detail", pk=application.pk)


def _registration_agencies(user: User) -> AgencyQuerySet:
    return (
        visible_agencies(user)
        .filter(memberships__user=user, memberships__role__in=[Role.OFFICER, Role.OFFICE_HEAD])
        .distinct()
    )


class RegistrationAgencyForm(step_forms.ErrorSummaryMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"),
        queryset=Agency.objects.none(),
        empty_label=gettext_lazy("Please choose"),
        error_messages={"required": gettext_lazy("Choose the agency that received it.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff register a request received in person, by post, fax or e-mail, or orally."""
    agencies = _registration_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied(_("Only the agency's disclosure staff may register applications."))
    data = request.POST if request.method == "POST" else None
    agency_form = RegistrationAgencyForm(data)
    agency_form.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
    if agencies.count() == 1:
        agency_form.fields["agency"].initial = agencies.first()
    form = step_forms.StaffRegistrationForm(data)
    if request.method == "POST" and agency_form.is_valid() and form.is_valid():
        cleaned = form.cleaned_data
        fields = form.application_fields()
        try:
            submitted = actions.submit_application(
                agency_form.cleaned_data["agency"],
                fields,
                channel=cleaned["channel"],
                submitted_on=cleaned["submitted_on"],
                signed_on=cleaned.get("signed_on"),
                confirmed_on=cleaned.get("confirmed_on"),
                oral=cleaned["oral"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Application %(number)s registered. Give the applicant the query code %(code)s; it is shown only once."
                )
                % {"number": submitted.application.number, "code": submitted.query_code},
            )
            return redirect("foi:detail", pk=submitted.application.pk)
    return render(
        request,
        "foi/application_register.html",
        {
            "form": form,
            "agency_form": agency_form,
            "error_links": agency_form.error_links() + form.error_links(),
        },
    )


def _letter(
    request: AuthenticatedHttpRequest, pk: int, letter_pk: int
) -> tuple[Application, Letter]:
    application = get_application_for_user(request.user, pk)
    return application, get_object_or_404(application.letters, pk=letter_pk)


@login_required
@require_POST
def letter_draft(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    try:
        letter = letters.draft_letter(
            application, actor=request.user, kind=request.POST.get("kind", "")
        )
    except (ValidationError, KeyError, ValueError) as exc:
        messages.error(
            request,
            "；".join(exc.messages) if isinstance(exc, ValidationError) else _("Choose a letter."),
        )
        return redirect("foi:detail", pk=application.pk)
    messages.success(
        request,
        _("Draft written: %(title)s. Check the text, then ask the office head to approve it.")
        % {"title": letter.title},
    )
    return redirect(f"{reverse('foi:detail', args=[application.pk])}#letter-{letter.pk}")


@login_required
@require_POST
def letter_action(
    request: AuthenticatedHttpRequest, pk: int, letter_pk: int, action: str
) -> HttpResponse:
    application, letter = _letter(request, pk, letter_pk)
    try:
        if action == "edit":
            letters.edit_letter(letter, actor=request.user, body=request.POST.get("body", ""))
            done = _("The text of %(title)s was saved.") % {"title": letter.title}
        elif action == "approve":
            letters.approve_letter(letter, actor=request.user)
            done = _("%(title)s was approved and can be issued.") % {"title": letter.title}
        elif action == "issue":
            form = step_forms.IssueLetterForm(request.POST, prefix=f"issue-{letter.pk}")
            try:
                if not form.is_valid():
                    raise ValidationError(_("Check the date of the letter."))
                issued = letters.issue_letter(
                    letter,
                    actor=request.user,
                    on=form.cleaned_data["on"],
                    late_approval_reason=form.cleaned_data["late_approval_reason"],
                )
            except ValidationError as exc:
                # Refused (no 机关代字, late without the head's reason …): say why on the
                # case page, with the date and reason as typed.
                form.add_error(None, exc)
                return _detail(request, application, issue_form=(letter.pk, form), status=400)
            done = _("%(title)s was issued as %(number)s.") % {
                "title": issued.title,
                "number": issued.doc_no,
            }
            if issued.kind == LetterKind.REPLY and issued.event_id is not None:
                done += _(" The reply is given and the case is closed on %(date)s.") % {
                    "date": issued.issued_on.isoformat() if issued.issued_on else ""
                }
        else:
            raise PermissionDenied(_("Unknown step."))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(f"{reverse('foi:detail', args=[application.pk])}#letter-{letter.pk}")


@login_required
@require_POST
def letter_delivery(request: AuthenticatedHttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    """The office records how and when an issued letter was delivered (送达)."""
    application, letter = _letter(request, pk, letter_pk)
    form = step_forms.DeliveryForm(request.POST, request.FILES, prefix=f"delivery-{letter.pk}")
    if form.is_valid():
        try:
            delivery.record_delivery(letter, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The delivery of %(title)s was recorded.") % {"title": letter.title}
            )
            return redirect(f"{reverse('foi:detail', args=[application.pk])}#letter-{letter.pk}")
    return _detail(request, application, delivery_form=(letter.pk, form), status=400)


@login_required
@require_POST
def letter_delivery_retry(
    request: AuthenticatedHttpRequest, pk: int, letter_pk: int, delivery_pk: int
) -> HttpResponse:
    application, letter = _letter(request, pk, letter_pk)
    attempt = get_object_or_404(letter.deliveries, pk=delivery_pk)
    try:
        sent = delivery.retry(attempt, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if sent:
            messages.success(
                request, _("The letter was e-mailed to %(address)s.") % {"address": attempt.address}
            )
        else:
            messages.error(
                request,
                _("The e-mail could not be sent again; the error is shown with the delivery."),
            )
    return redirect(f"{reverse('foi:detail', args=[application.pk])}#letter-{letter.pk}")


@login_required
def letter_file(
    request: AuthenticatedHttpRequest, pk: int, letter_pk: int, fmt: str
) -> HttpResponse:
    _application, letter = _letter(request, pk, letter_pk)
    name = (letter.doc_no or f"{letter.application.number}-{letter.kind}-draft").replace("/", "-")
    if fmt == "pdf":
        response = HttpResponse(letter_files.render_pdf(letter), content_type="application/pdf")
    elif fmt == "docx":
        response = HttpResponse(
            letter_files.render_docx(letter),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        raise Http404(_("Not found."))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response


@login_required
def attachment_file(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An applicant's file, for staff who may see the case (never public)."""
    application = get_application_for_user(request.user, pk)
    if not sees_personal_data(request.user, application):
        raise PermissionDenied(
            _("Identity documents are for the case's handler and the office head.")
        )
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    record(
        Action.ID_SCAN_VIEWED,
        actor=request.user,
        obj=application,
        request=request,
        detail={"attachment": attachment.pk},
    )
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(attachment.original_name)}"
    )
    return response
