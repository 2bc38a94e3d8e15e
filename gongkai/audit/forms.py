from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.audit.models import Action
from gongkai.lib.forms import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User name"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    agency = forms.CharField(label=_("Agency code"), required=False)
    success = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("All")), ("1", _("Succeeded")), ("0", _("Failed"))],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
