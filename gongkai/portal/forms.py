from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.foi.forms import check_attachments
from gongkai.lib.forms import MultipleFileField
from gongkai.orgs.models import Agency
from gongkai.publishing.models import Category, Validity


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Application number"), max_length=64)
    code = forms.CharField(label=_("Query code"), max_length=16)


class ResendCodeForm(forms.Form):
    number = forms.CharField(label=_("Application number"), max_length=64)


class CorrectionAnswerForm(forms.Form):
    """The applicant's answer to a 补正 notice: text, and files as on the application."""

    text = forms.CharField(
        label=_("Your correction"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Answer each item the agency listed; you may also restate your request."),
        error_messages={"required": _("Write what you correct or add to your request.")},
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_(
            "PDF, JPEG or PNG, at most 3 files of 5 MB. After an error, choose the files again."
        ),
    )

    def clean_attachments(self) -> list[Any]:
        return check_attachments(self.cleaned_data.get("attachments") or [])


class SearchForm(forms.Form):
    """The catalog search's inputs. Nothing typed is an error for the query itself; a
    filter that makes no sense is reported and left out, and everything stays in the form."""

    q = forms.CharField(label=_("Search words"), required=False, strip=True)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int)
    year = forms.IntegerField(
        label=_("Year formed"), required=False, min_value=1949, max_value=2100
    )
    validity = forms.ChoiceField(label=_("Validity"), required=False)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=100)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("relevance", _("Most relevant first")), ("date", _("Newest first"))],
    )

    def __init__(
        self,
        *args: Any,
        agencies: Iterable[Agency],
        categories: Iterable[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agency_field = cast(forms.ChoiceField, self.fields["agency"])
        agency_field.choices = [("", _("All agencies"))] + [
            (a.code, "\u3000" * a.depth + a.name) for a in agencies
        ]
        category_field = cast(forms.TypedChoiceField, self.fields["category"])
        category_field.choices = [("", _("All categories"))] + [
            (c.pk, ("\u3000" if c.parent_id else "") + c.name) for c in categories
        ]
        validity_field = cast(forms.ChoiceField, self.fields["validity"])
        validity_field.choices = [("", _("Any validity")), *Validity.choices]

    def value(self, name: str) -> Any:
        """A field's cleaned value, or its empty value when it was not valid."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None
