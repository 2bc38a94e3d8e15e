from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gongkai.orgs.models import Agency


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Incorrect user name or password."),
        "inactive": _("This account has been disabled. Please contact the system administrator."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})

    def get_invalid_login_error(self) -> forms.ValidationError:
        error = super().get_invalid_login_error()
        username = self.cleaned_data.get("username") or ""
        if self.request is None or not username:
            return error
        failures = AxesProxyHandler.get_failures(self.request, {"username": username})
        remaining = settings.LOGIN_FAILURE_LIMIT - failures
        if remaining <= 0:
            return error
        warning = ngettext(
            "%(count)d attempt left before the account is locked for %(minutes)d minutes.",
            "%(count)d attempts left before the account is locked for %(minutes)d minutes.",
            remaining,
        ) % {"count": remaining, "minutes": settings.LOGIN_LOCKOUT_MINUTES}
        return forms.ValidationError(f"{error.messages[0]}{warning}", code="invalid_login")


class AgencyContactForm(forms.ModelForm[Agency]):
    """What an agency's office head may change: the guide's contact details (第十二条)."""

    class Meta:
        model = Agency
        fields = [
            "office_name",
            "office_address",
            "office_hours",
            "office_phone",
            "office_fax",
            "office_email",
            "office_postcode",
            "guide_text",
            "rules_text",
        ]
        widgets = {
            "guide_text": forms.Textarea(attrs={"rows": 8}),
            "rules_text": forms.Textarea(attrs={"rows": 12}),
        }


class AgencyImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8 or GB18030) or XLSX with the columns code, name, parent_code, "
            "level, kind, credit_code."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, do not import"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
