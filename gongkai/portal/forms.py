from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Application number"), max_length=64)
    code = forms.CharField(label=_("Query code"), max_length=16)
