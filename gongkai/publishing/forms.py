from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.lib.forms import DateInput
from gongkai.orgs.models import Agency
from gongkai.publishing.models import Category, InfoItem, ReviewDecision


class ItemForm(forms.ModelForm[InfoItem]):
    class Meta:
        model = InfoItem
        fields = [
            "title",
            "category",
            "formed_on",
            "doc_no",
            "topic",
            "genre",
            "summary",
            "body",
            "keywords",
            "disclosure",
            "withheld_reason",
            "validity",
            "effective_on",
            "needs_interpretation",
        ]
        widgets = {
            "formed_on": DateInput(),
            "effective_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {"body": _("HTML is allowed; scripts and styles are removed.")}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = Q(levels="") | Q(levels__contains=agency.level)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = Category.objects.filter(
            Q(agency=None) & levels | Q(agency=agency), is_active=True
        ).order_by("sort_order", "code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("disclosure") == "withheld" and not data.get("withheld_reason"):
            self.add_error(
                "withheld_reason", _("Give the legal reason for not disclosing (Articles 14–16).")
            )
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("Opinion"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class KeepForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.HiddenInput, max_length=100)
    reason = forms.CharField(label=_("Reason for publishing it"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the public)"), max_length=500)
