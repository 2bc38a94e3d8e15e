"""Forms of the back-office page that checks published reports: the upload, and the choice
of agency when a checked report is imported as that agency's year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.lib.forms import MultipleFileField
from gongkai.orgs.models import Agency

MAX_FILES = 50
MAX_FILE_MB = 20
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
# Pasted text travels in the request body, which Django caps at DATA_UPLOAD_MAX_MEMORY_SIZE
# (2.5 MB); a whole report is a few tens of thousands of characters.
MAX_TEXT = 500_000
ACCEPT = ".pdf,.docx,.html,.htm,.shtml,.mht,.mhtml,.txt,.text"


class CheckUploadForm(forms.Form):
    reports = MultipleFileField(
        label=_("Report files"),
        required=False,
        allow_empty_file=True,  # an empty file is an unreadable report, not a form error
    )
    text = forms.CharField(
        label=_("Or paste the text of a report"),
        required=False,
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
        help_text=_("Copied from the report's web page, tables included."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reports"]
        field.widget.attrs.update({"class": "form-control", "accept": ACCEPT})
        field.help_text = gettext(
            "PDF, Word (DOCX), web page (HTML) or plain text; at most %(count)d files of "
            "%(size)d MB each. Choose several at once. After an error, choose the files again."
        ) % {"count": MAX_FILES, "size": MAX_FILE_MB}

    def clean_reports(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("reports") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                gettext("At most %(max)d files can be checked at once; %(count)d were chosen.")
                % {"max": MAX_FILES, "count": len(files)},
                code="too_many",
            )
        large = [f.name for f in files if f.size > MAX_FILE_BYTES]
        if large:
            raise forms.ValidationError(
                gettext("Larger than %(size)d MB: %(names)s. Each file may be at most %(size)d MB.")
                % {"size": MAX_FILE_MB, "names": "、".join(large)},
                code="too_large",
            )
        return files

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not data.get("reports") and not (data.get("text") or "").strip():
            raise forms.ValidationError(
                gettext("Choose report files or paste the text of a report."), code="empty"
            )
        return data


class ImportForm(forms.Form):
    """The agency whose year a checked report becomes (one where the user is disclosure staff)."""

    agency = forms.ModelChoiceField(
        label=_("Import as the report of"),
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = agencies
