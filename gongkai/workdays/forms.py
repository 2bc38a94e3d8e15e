from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.lib.forms import DateInput
from gongkai.workdays.models import HolidayYear

MAX_BLOCK_DAYS = 15  # the longest holiday block so far is 9 days (Spring Festival 2026)


class NoticeForm(forms.ModelForm[HolidayYear]):
    class Meta:
        model = HolidayYear
        fields = ["notice_title", "notice_no", "notice_date"]
        widgets = {"notice_date": DateInput()}

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["notice_title"].required = True
        self.fields["notice_title"].help_text = _(
            "e.g. 国务院办公厅关于%(year)d年部分节假日安排的通知"
        ) % {"year": year}
        self.fields["notice_no"].help_text = _("e.g. 国办发明电〔%(year)d〕12号") % {
            "year": year - 1
        }


class HolidayRangeForm(forms.Form):
    name = forms.CharField(label=_("Holiday"), max_length=50, required=False)
    first = forms.DateField(label=_("First day off"), required=False, widget=DateInput())
    last = forms.DateField(label=_("Last day off"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, first, last = data.get("name"), data.get("first"), data.get("last")
        if not (name or first or last):
            return data
        if not name:
            self.add_error("name", _("Give the holiday's name."))
        if first is None:
            self.add_error("first", _("Give the first day off."))
        if last is None:
            last = data["last"] = first
        if first and last:
            if last < first:
                self.add_error("last", _("The last day is before the first day."))
            elif (last - first).days >= MAX_BLOCK_DAYS:
                self.add_error(
                    "last",
                    _("A holiday block of more than %(days)d days is not plausible.")
                    % {"days": MAX_BLOCK_DAYS},
                )
        return data


class MakeUpDayForm(forms.Form):
    date = forms.DateField(
        label=_("Make-up working day"),
        required=False,
        widget=DateInput(),
    )
    name = forms.CharField(label=_("For the holiday"), max_length=50, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("date")
        if day is None:
            if data.get("name"):
                self.add_error("date", _("Give the date."))
            return data
        if day.weekday() < 5:
            self.add_error("date", _("A make-up working day is a Saturday or a Sunday."))
        return data


HolidayRangeFormSet = formset_factory(HolidayRangeForm, extra=0, min_num=0)
MakeUpDayFormSet = formset_factory(MakeUpDayForm, extra=0, min_num=0)


def expand(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class CalculatorForm(forms.Form):
    start = forms.DateField(label=_("Start date (the event)"), widget=DateInput())
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=250, initial=20)

    def clean_start(self) -> date:
        start: date = self.cleaned_data["start"]
        if not date(2000, 1, 1) <= start <= timezone.localdate() + timedelta(days=5 * 366):
            raise forms.ValidationError(_("Give a date between 2000 and five years from now."))
        return start


def initial_rows(
    holiday_year: HolidayYear | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Turn stored days back into the form's holiday ranges and make-up days."""
    if holiday_year is None:
        return [], []
    ranges: list[dict[str, Any]] = []
    make_up: list[dict[str, Any]] = []
    for day in holiday_year.days.order_by("date"):
        if day.is_working_day:
            make_up.append({"date": day.date, "name": day.name})
        elif (
            ranges and ranges[-1]["name"] == day.name and (day.date - ranges[-1]["last"]).days == 1
        ):
            ranges[-1]["last"] = day.date
        else:
            ranges.append({"name": day.name, "first": day.date, "last": day.date})
    return ranges, make_up
