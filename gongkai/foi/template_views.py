"""Back-office pages of the letter templates (gongkai.foi.letter_templates).

/office/foi/letter-templates/ lists every letter and decision wording with where its
text comes from for the installation; …/agency/<code>/ does the same for one agency.
Each slot's page edits the text (starting from the one letters use now, with the
built-in text beside it), previews it filled with the specimen's sample case (as text,
or as the PDF of gongkai.foi.letter_files), saves it as a new version and restores an
earlier one. Viewing needs the agency to be visible (else 404); saving needs
letter_templates.may_edit (else 403).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gongkai.foi import letter_templates, letters
from gongkai.foi.letter_templates import PLACEHOLDER_HELP, Slot
from gongkai.foi.models import LetterTemplateVersion
from gongkai.lib.errors import ActionError
from gongkai.orgs.access import agencies_with_role, get_agency_for_user, visible_agencies
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency, Role


class TemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    body = forms.CharField(
        label=gettext_lazy("text"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        strip=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note on this change"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Why the text changes, shown in the history."),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if "{" in title or "}" in title:
            raise forms.ValidationError(
                _("The title is printed as it is: it cannot hold placeholders.")
            )
        return title

    def clean_body(self) -> str:
        body = letter_templates.clean_body(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("The letter needs a text."))
        problems = letters.placeholder_problems(body, self.kind)
        if problems:
            raise forms.ValidationError(problems)
        return body


def _scope(request: AuthenticatedHttpRequest, code: str | None) -> Agency | None:
    return get_agency_for_user(request.user, code) if code is not None else None


def _urls(agency: Agency | None, name: str = "") -> str:
    if agency is None:
        return (
            reverse("foi:letter_template_default", args=[name])
            if name
            else reverse("foi:letter_templates")
        )
    return (
        reverse("foi:letter_template_agency", args=[agency.code, name])
        if name
        else reverse("foi:letter_templates_agency", args=[agency.code])
    )


def _list(request: AuthenticatedHttpRequest, agency: Agency | None) -> HttpResponse:
    rows = [(row, _urls(agency, row.slot.name)) for row in letter_templates.overview(agency)]
    editable = agencies_with_role(request.user, [Role.OFFICE_HEAD, Role.ADMIN]).order_by("path")
    return render(
        request,
        "foi/letter_templates.html",
        {
            "agency": agency,
            "rows": rows,
            "may_edit": letter_templates.may_edit(request.user, agency),
            "agencies": [(a, _urls(a)) for a in editable] if agency is None else [],
        },
    )


@login_required
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _list(request, None)


@login_required
def template_list_agency(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _list(request, _scope(request, code))


def _sample_agency(request: AuthenticatedHttpRequest, agency: Agency | None) -> Agency | None:
    """Whose letter the preview is: the scope's agency, else one the user sees (one
    with its 机关代字 first, so that the sample 文号 is whole)."""
    if agency is not None:
        return agency
    seen = visible_agencies(request.user).order_by("path")
    return seen.exclude(doc_abbr="").first() or seen.first()


def _placeholders(target: Slot, body: str) -> dict[str, list[tuple[str, str]]]:
    """The placeholders with their meaning: those this letter's texts (built-in and now)
    use, then the others."""
    used = set(re.findall(r"\{([^{}]+)\}", target.builtin().body + body))
    rows: dict[str, list[tuple[str, str]]] = {"used": [], "other": []}
    for name in letters.PLACEHOLDERS:
        rows["used" if name in used else "other"].append(
            (f"{{{name}}}", str(PLACEHOLDER_HELP[name]))
        )
    return rows


def _edit(request: AuthenticatedHttpRequest, agency: Agency | None, name: str) -> HttpResponse:
    target = letter_templates.slot(name)
    if target is None:
        raise Http404(_("No such letter template."))
    now = letter_templates.current(target, agency)
    may_edit = letter_templates.may_edit(request.user, agency)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action in ("save", "restore") and not may_edit:
        raise PermissionDenied(
            _("Only the head of the disclosure office may change this agency's letter texts.")
            if agency is not None
            else _("Only an administrator of the installation may change the default texts.")
        )
    if action == "restore":
        template = now.template
        version = get_object_or_404(
            LetterTemplateVersion,
            pk=request.POST.get("version") if str(request.POST.get("version")).isdigit() else 0,
            template=template,
        )
        try:
            letter_templates.restore(version, actor=request.user, request=request)
        except ActionError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Version %(number)d was restored as the newest version.")
                % {"number": version.number},
            )
        return redirect(_urls(agency, name))
    initial = {"title": now.wording.title, "body": now.wording.body}
    form = TemplateForm(
        request.POST if action else None, initial=initial, kind=target.kind, prefix="template"
    )
    preview = None
    sample = _sample_agency(request, agency)
    if action and form.is_valid():
        title, body = form.cleaned_data["title"], form.cleaned_data["body"]
        if action == "save":
            try:
                version = letter_templates.save_template(
                    target,
                    agency=agency,
                    title=title,
                    body=body,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    request=request,
                )
            except ActionError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("Version %(number)d of “%(letter)s” was saved.")
                    % {"number": version.number, "letter": target.label},
                )
                return redirect(_urls(agency, name))
        elif action in ("preview", "pdf") and sample is None:
            form.add_error(None, _("There is no agency yet whose letter could be previewed."))
        elif action in ("preview", "pdf") and sample is not None:
            preview = letter_templates.preview(
                target, scope=agency, sample_agency=sample, title=title, body=body
            )
            if action == "pdf":
                response = HttpResponse(preview.pdf(), content_type="application/pdf")
                filename = quote(f"{_('Preview')}-{target.name}.pdf")
                response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
                return response
    return render(
        request,
        "foi/letter_template_edit.html",
        {
            "agency": agency,
            "slot": target,
            "current": now,
            "form": form,
            "preview": preview,
            "sample_agency": sample,
            "may_edit": may_edit,
            "builtin": target.builtin(),
            "placeholders": _placeholders(target, now.wording.body),
            "versions": (
                now.template.versions.select_related("created_by") if now.template else []
            ),
            "list_url": _urls(agency),
            "with_remedy": target.kind in letters.WITH_REMEDY,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    return _edit(request, None, name)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit_agency(request: AuthenticatedHttpRequest, code: str, name: str) -> HttpResponse:
    return _edit(request, _scope(request, code), name)
