"""Back-office pages of the working-day calendar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.workdays.forms import (
    CalculatorForm,
)
from gongkai.workdays.loading import day_one, get_calendar, missing_next_year
from gongkai.workdays.models import HolidayYear


@login_required
def year_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    years = HolidayYear.objects.annotate(
        days_off=Count("days", filter=Q(days__is_working_day=False)),
        make_up=Count("days", filter=Q(days__is_working_day=True)),
    ).order_by("-year")
    today = timezone.localdate()
    return render(
        request,
        "workdays/year_list.html",
        {
            "years": years,
            "missing_year": missing_next_year(today),
            "next_year": today.year + 1,
            "can_edit": request.user.is_superuser,
        },
    )


@login_required
def calculator(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add working days to a date, with the explanation and any provisional mark."""
    form = CalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        calendar = get_calendar()
        start, days = form.cleaned_data["start"], form.cleaned_data["days"]
        result = calendar.provisional_add(start, days, day_one())
    return render(
        request,
        "workdays/calculator.html",
        {"form": form, "result": result, "day_one": day_one()},
    )
