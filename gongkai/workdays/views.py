"""Back-office pages of the working-day calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.http import AuthenticatedHttpRequest
from gongkai.workdays.forms import (
    CalculatorForm,
    HolidayRangeFormSet,
    MakeUpDayFormSet,
    NoticeForm,
    expand,
)
from gongkai.workdays.loading import day_one, get_calendar, missing_next_year
from gongkai.workdays.models import CalendarDay, HolidayYear, Origin
from gongkai.workdays.seed import HOLIDAY_NAMES

FIRST_EDITABLE_YEAR = 2004


def _require_calendar_admin(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied(
            _("Only the system administrator of the installation may change the calendar.")
        )


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


def _initial_rows(
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


def _cross_check(
    year: int, ranges: list[dict[str, Any]], make_up: list[dict[str, Any]]
) -> tuple[list[tuple[date, bool, str]], list[str]]:
    """All days of the form, or the problems that stop saving them."""
    problems: list[str] = []
    days: dict[date, tuple[bool, str]] = {}
    for row in ranges:
        for day in expand(row["first"], row["last"]):
            if day in days:
                problems.append(_("%(date)s is in two holiday blocks.") % {"date": day.isoformat()})
            days[day] = (False, row["name"])
    for row in make_up:
        day = row["date"]
        if day in days:
            problems.append(
                _("%(date)s cannot be both a day off and a make-up working day.")
                % {"date": day.isoformat()}
            )
        days[day] = (True, row.get("name") or "")
    for day in days:
        # A block may reach into the last days of December before or January after.
        if not (
            day.year == year
            or (day.year == year - 1 and day.month == 12)
            or (day.year == year + 1 and day.month == 1)
        ):
            problems.append(
                _("%(date)s does not belong to the %(year)d arrangement.")
                % {"date": day.isoformat(), "year": year}
            )
    clashes = (
        CalendarDay.objects.filter(date__in=list(days))
        .exclude(year__year=year)
        .select_related("year")
    )
    for clash in clashes:
        problems.append(
            _("%(date)s is already set by the %(year)d arrangement.")
            % {"date": clash.date.isoformat(), "year": clash.year.year}
        )
    return sorted((d, w, n) for d, (w, n) in days.items()), problems


@transaction.atomic
def _save_year(
    request: AuthenticatedHttpRequest,
    notice: NoticeForm,
    year: int,
    days: list[tuple[date, bool, str]],
) -> HolidayYear:
    """Replace the year's days with the form's, as an administrator's entry."""
    saved = notice.save(commit=False)
    saved.year = year
    saved.origin = Origin.ADMIN
    saved.updated_by = request.user
    saved.save()
    saved.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(year=saved, date=d, is_working_day=w, name=n) for d, w, n in days
    )
    record(
        Action.CALENDAR_CHANGED,
        actor=request.user,
        obj=saved,
        request=request,
        detail={"notice": saved.notice_no, "days": [[d.isoformat(), w, n] for d, w, n in days]},
    )
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    _require_calendar_admin(request)
    if not FIRST_EDITABLE_YEAR <= year <= timezone.localdate().year + 2:
        raise PermissionDenied(_("This year cannot be entered."))
    holiday_year = HolidayYear.objects.filter(year=year).first()
    ranges_initial, make_up_initial = _initial_rows(holiday_year)
    data = request.POST if request.method == "POST" else None
    notice = NoticeForm(data, instance=holiday_year, year=year)
    ranges = HolidayRangeFormSet(data, initial=ranges_initial, prefix="ranges")
    make_up = MakeUpDayFormSet(data, initial=make_up_initial, prefix="makeup")
    problems: list[str] = []
    if request.method == "POST" and notice.is_valid() and ranges.is_valid() and make_up.is_valid():
        range_rows = [f.cleaned_data for f in ranges if f.cleaned_data.get("first")]
        make_up_rows = [f.cleaned_data for f in make_up if f.cleaned_data.get("date")]
        days, problems = _cross_check(year, range_rows, make_up_rows)
        if not range_rows:
            problems.append(_("Enter at least one holiday block."))
        if not problems:
            before = get_calendar()
            try:
                _save_year(request, notice, year, days)
            except IntegrityError:
                # Another administrator saved the same year a moment ago.
                messages.error(
                    request,
                    _(
                        "The %(year)d arrangement was changed meanwhile; please check it and save again."
                    )
                    % {"year": year},
                )
                return redirect("workdays:year_edit", year=year)
            after = get_calendar()
            # Every open case's due date follows the new calendar at once.
            from gongkai.foi.actions import recompute_open_cases

            moved = recompute_open_cases()
            if moved:
                shown = "、".join(
                    f"{c.number}（{c.before or '—'} → {c.after or '—'}）" for c in moved[:20]
                )
                messages.info(
                    request,
                    _("Due dates of %(count)d open applications changed: %(list)s")
                    % {"count": len(moved), "list": shown + ("……" if len(moved) > 20 else "")},
                )
            changed = [
                d.isoformat()
                for d in expand(date(year, 1, 1), date(year, 12, 31))
                if before.is_known(year) and before.is_working_day(d) != after.is_working_day(d)
            ]
            if before.is_known(year):
                messages.success(
                    request,
                    _("The %(year)d arrangement was saved. %(count)d days changed: %(days)s")
                    % {"year": year, "count": len(changed), "days": "、".join(changed) or "—"},
                )
            else:
                messages.success(
                    request,
                    _(
                        "The %(year)d arrangement was saved; deadlines in %(year)d are no longer provisional."
                    )
                    % {"year": year},
                )
            return redirect("workdays:year_list")
    return render(
        request,
        "workdays/year_edit.html",
        {
            "year": year,
            "notice": notice,
            "ranges": ranges,
            "make_up": make_up,
            "problems": problems,
            "holiday_year": holiday_year,
            "holiday_names": HOLIDAY_NAMES.values(),
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
