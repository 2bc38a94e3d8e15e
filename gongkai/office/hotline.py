"""Showing an answered hotline or mailbox message on the portal's monthly summary.

This page sits in the office layer because it spans two apps: the message is a record
(gongkai.records, whose actions write it) and its texts are checked with publishing's
personal-data detector (the same rules as catalog items and consultation comments),
which records does not import. What the detector finds is masked before the action
stores the texts, and the portal masks again when it shows them (gongkai.portal.hotline).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.orgs.access import get_object_for_user, has_role
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.publishing.detect import Finding, Kind, find_personal_data, mask_text
from gongkai.publishing.models import SensitiveWord
from gongkai.records import actions
from gongkai.records.forms import MessagePublishForm
from gongkai.records.models import Message


def sender_names(message: Message) -> list[str]:
    """The names the detector finds labelled (来电人：…) anywhere in the message: masked
    wherever they occur, also where no label stands before them (an answer that says
    "已电话回复王小明")."""
    texts = (message.subject, message.content, message.answer)
    return sorted({f.text for t in texts for f in find_personal_data(t) if f.kind == Kind.NAME})


def masked(text: str, names: list[str]) -> tuple[str, list[Finding]]:
    """`text` with the personal data, the sender's names and the sensitive words masked."""
    words = [*SensitiveWord.objects.values_list("word", flat=True), *names]
    findings = find_personal_data(text, words)
    return mask_text(text, findings), findings


def _message(request: AuthenticatedHttpRequest, pk: int) -> Message:
    found = get_object_for_user(Message.objects.select_related("agency"), request.user, pk=pk)
    if not has_role(request.user, found.agency, *actions.STAFF):
        raise PermissionDenied(_("Only the agency's disclosure staff may do this."))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def message_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    message = _message(request, pk)
    names = sender_names(message)
    if request.method == "POST":
        form = MessagePublishForm(request.POST)
        if form.is_valid():
            summary, in_summary = masked(form.cleaned_data["public_summary"], names)
            answer, in_answer = masked(form.cleaned_data["public_answer"], names)
            count = len(in_summary) + len(in_answer)
            try:
                actions.publish_message(
                    message, actor=request.user, summary=summary, answer=answer, masked=count
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("The message is shown on the portal's summary."))
                if count:
                    messages.warning(
                        request,
                        _("%(count)d items of personal data were masked; check the texts.")
                        % {"count": count},
                    )
                return redirect("office:message_publish", pk=message.pk)
        findings: list[Finding] = []
    else:
        summary, in_summary = masked(
            message.public_summary or message.content or message.subject, names
        )
        answer, in_answer = masked(message.public_answer or message.answer, names)
        findings = in_summary + in_answer
        form = MessagePublishForm(initial={"public_summary": summary, "public_answer": answer})
    return render(
        request,
        "office/message_publish.html",
        {"message": message, "form": form, "findings": findings, "agency": message.agency},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def message_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    message = _message(request, pk)
    try:
        actions.withdraw_message(message, actor=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The message is no longer shown on the portal."))
    return redirect("office:message_publish", pk=message.pk)
