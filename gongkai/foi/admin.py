from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.audit.admin_mixins import AuditedAdminMixin
from gongkai.foi.letter_templates import clean_body
from gongkai.foi.letters import placeholder_problems
from gongkai.foi.models import LetterTemplate, LetterTemplateVersion
from gongkai.orgs.models import User


class LetterTemplateForm(forms.ModelForm[LetterTemplate]):
    class Meta:
        model = LetterTemplate
        fields = ["agency", "kind", "variant", "title", "body"]
        help_texts = {
            "variant": gettext_lazy(
                "Replies: the outcome key (e.g. denied_process_info, granted_published); "
                "the older groups granted, partially_granted, denied, unable, not_processed "
                "and other are still read. Notices of abandonment: the outcome key. "
                "Empty for all. The back office's letter-template pages fill this in."
            ),
        }

    def clean_body(self) -> str:
        body = clean_body(self.cleaned_data["body"])
        problems = placeholder_problems(body, self.cleaned_data.get("kind", ""))
        if problems:
            raise forms.ValidationError(problems)
        return body


class LetterTemplateVersionInline(admin.TabularInline[LetterTemplateVersion, LetterTemplate]):
    model = LetterTemplateVersion
    extra = 0
    can_delete = False
    fields = ["number", "created_at", "created_by", "note", "title"]
    readonly_fields = ["number", "created_at", "created_by", "note", "title"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin[LetterTemplate]):
    form = LetterTemplateForm
    list_display = ["kind", "variant", "agency", "title", "updated_at"]
    list_filter = ["kind", ("agency", admin.EmptyFieldListFilter)]
    inlines = [LetterTemplateVersionInline]

    def save_model(
        self, request: HttpRequest, obj: LetterTemplate, form: Any, change: bool
    ) -> None:
        """Every save is a version, as on the back office's pages."""
        super().save_model(request, obj, form, change)
        top = obj.versions.aggregate(top=Max("number"))["top"] or 0
        LetterTemplateVersion.objects.create(
            template=obj,
            number=top + 1,
            title=obj.title,
            body=obj.body,
            note=_("Changed in the administration site"),
            created_by=request.user if isinstance(request.user, User) else None,
        )
