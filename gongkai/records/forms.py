"""Forms of the records: one ModelForm per kind, the agency settings, the comment form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.lib.forms import DateInput
from gongkai.records.kinds import Kind
from gongkai.records.models import Record, RecordSettings


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (its value is ISO: YYYY-MM-DDTHH:MM)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def form_class(kind: Kind) -> type[forms.ModelForm[Record]]:
    widgets: dict[str, type[forms.Widget] | forms.Widget] = {}
    for name in kind.fields:
        field = kind.model._meta.get_field(name)
        if isinstance(field, models.DateTimeField):
            widgets[name] = DateTimeInput()
        elif isinstance(field, models.DateField):
            widgets[name] = DateInput()
        elif isinstance(field, models.TextField):
            widgets[name] = forms.Textarea(attrs={"rows": 8 if name == "draft" else 3})
    return forms.modelform_factory(kind.model, fields=list(kind.fields), widgets=widgets)


class SettingsForm(forms.ModelForm[RecordSettings]):
    class Meta:
        model = RecordSettings
        fields = [
            "comment_name_required",
            "comment_contact_required",
            "severe_response_hours",
            "other_response_hours",
            "message_reply_days",
        ]


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback on the comments"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("How many comments, which were adopted and why the others were not."),
    )
    adopted_comments = forms.IntegerField(
        label=_("Comments adopted"),
        min_value=0,
        required=False,
        help_text=_("Empty: the comments marked as adopted."),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("show", _("Show")), ("hide", _("Do not show"))], widget=forms.RadioSelect
    )
    shown_text = forms.CharField(
        label=_("Text shown"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    adopted = forms.NullBooleanField(
        label=_("Adopted"),
        required=False,
        widget=forms.Select(
            choices=[
                ("unknown", _("Not decided")),
                ("true", _("Adopted")),
                ("false", _("Not adopted")),
            ]
        ),
    )


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("Contact (telephone or e-mail)"), max_length=200, required=False
    )
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, rules: RecordSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = rules.comment_name_required
        self.fields["contact"].required = rules.comment_contact_required


class MessageImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX workbook or CSV file"))
    dry_run = forms.BooleanField(label=_("Check only, save nothing"), required=False)


class MessagePublishForm(forms.Form):
    """The texts of a message shown on the portal's monthly summary."""

    public_summary = forms.CharField(
        label=_("The message as shown on the portal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Without the sender's name, telephone, ID number or address."),
    )
    public_answer = forms.CharField(
        label=_("The answer as shown on the portal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )
