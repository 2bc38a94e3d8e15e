from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongkai.audit.admin_mixins import AuditedAdminMixin
from gongkai.foi.letters import PLACEHOLDERS, unknown_placeholders
from gongkai.foi.models import LetterTemplate


class LetterTemplateForm(forms.ModelForm[LetterTemplate]):
    class Meta:
        model = LetterTemplate
        fields = ["kind", "variant", "title", "body"]
        help_texts = {
            "variant": _(
                "Replies only: granted, partially_granted, denied, unable, not_processed or other. Empty for all."
            ),
        }

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        unknown = unknown_placeholders(body)
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholders: %(names)s. Available: %(available)s")
                % {
                    "names": "、".join(unknown),
                    "available": "、".join(f"{{{p}}}" for p in PLACEHOLDERS),
                }
            )
        return body


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin[LetterTemplate]):
    form = LetterTemplateForm
    list_display = ["kind", "variant", "title", "updated_at"]
