"""The public side of 意见征集: the drafts open for comment, the comment form and, after
the period, the feedback on the same page.

A comment's text is checked here for personal data with publishing's detector (the same
rules as catalog items) and handed to gongkai.records.actions with what was found:
records sits beside publishing in the layers and does not import it; the portal sits
above both. Every comment waits for moderation; the masked text is what staff see
proposed for showing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.publishing.detect import find_personal_data, mask_text
from gongkai.publishing.models import SensitiveWord
from gongkai.records import actions
from gongkai.records.forms import CommentForm
from gongkai.records.models import CommentStatus, Consultation

SESSION_DONE = "consultation_comment_done"


def _public() -> QuerySet[Consultation]:
    return Consultation.objects.filter(published_at__isnull=False).select_related("agency")


def consultation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_public().order_by("-opens_on", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "portal/consultations.html", {"page": page})


@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(_public(), pk=pk)
    rules = actions.settings_for(found.agency)
    form = CommentForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        words = list(SensitiveWord.objects.values_list("word", flat=True))
        findings = find_personal_data(text, words)
        try:
            actions.submit_comment(
                found,
                actions.CommentInput(
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    text=text,
                    findings=[f.as_dict() for f in findings],
                    masked_text=mask_text(text, findings),
                ),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            request.session[SESSION_DONE] = found.pk
            return redirect("portal:consultation", pk=found.pk)
    done = request.session.pop(SESSION_DONE, None) == found.pk
    return render(
        request,
        "portal/consultation.html",
        {
            "c": found,
            "form": form,
            "done": done,
            "comments": found.comments.filter(status=CommentStatus.SHOWN),
            "rules": rules,
            "title": _("Public consultation"),
        },
        status=400 if request.method == "POST" and not done else 200,
    )
