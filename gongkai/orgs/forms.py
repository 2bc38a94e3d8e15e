from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gongkai.orgs import login_limits
from gongkai.orgs.models import Agency


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Incorrect user name or password."),
        "inactive": _("This account has been disabled. Please contact the system administrator."),
    }

    # Seconds of the lock the last failure started (gongkai.orgs.login_limits), or 0.
    locked_seconds = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})

    def get_invalid_login_error(self) -> forms.ValidationError:
        error = super().get_invalid_login_error()
        username = self.cleaned_data.get("username") or ""
        if self.request is None or not username:
            return error
        self.locked_seconds = login_limits.record_failure(self.request, username)
        remaining = login_limits.attempts_left(self.request, username)
        if self.locked_seconds or remaining <= 0:
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


class AgencyLetterSettingsForm(forms.ModelForm[Agency]):
    """The agency's letters: the 机关代字 and numbering of the 文号 (GB/T 9704-2012), and
    what the remedy clause names (行政复议法第二十四、二十七条). Set by the office head on
    the same page as the contact details, saved by orgs.actions.update_letter_settings."""

    # Declared for assume_scheme: an address typed without a scheme is taken as https.
    review_online_url = forms.URLField(
        label=Agency._meta.get_field("review_online_url").verbose_name,
        help_text=Agency._meta.get_field("review_online_url").help_text,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Agency
        fields = [
            "doc_abbr",
            "letter_series",
            "vertical",
            "review_body",
            "review_online_url",
            "court_name",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("vertical") and not (data.get("review_body") or "").strip():
            self.add_error(
                "review_body",
                _(
                    "An agency under vertical leadership is reviewed by its next higher "
                    "authority: enter its name."
                ),
            )
        return data


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
