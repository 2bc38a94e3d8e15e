"""Back-office pages that span apps: the home page, and the holiday-year entry whose save
moves the dates of applications and catalog items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_tasks import TaskResult, TaskResultStatus

from gongkai.annual import supervision
from gongkai.lib.errors import ActionError
from gongkai.office import calendar, queues
from gongkai.office import tasks as office_tasks
from gongkai.orgs.access import is_administrator, visible_agencies
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Membership
from gongkai.workdays.actions import (
    CalendarChange,
    ConcurrentChange,
    is_editable,
    require_calendar_admin,
)
from gongkai.workdays.forms import (
    HolidayRangeFormSet,
    MakeUpDayFormSet,
    NoticeForm,
    initial_rows,
)
from gongkai.workdays.loading import missing_next_year
from gongkai.workdays.models import HolidayYear
from gongkai.workdays.seed import HOLIDAY_NAMES

LISTED_CHANGES = 20  # changed dates named in a message before "……"


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("agency")
        .order_by("agency__path", "role")
    )
    agencies = visible_agencies(request.user)
    return render(
        request,
        "office/home.html",
        {
            "memberships": memberships,
            "agency_count": agencies.count(),
            "incomplete_contacts": agencies.active().contact_incomplete()[:20],
            # 1 October onwards, administrators are reminded to enter next year's holidays.
            "missing_year": is_administrator(request.user)
            and missing_next_year(timezone.localdate()),
            "annual": supervision.for_user(request.user, timezone.localdate()),
            "queues": queues.for_user(request.user, timezone.localdate()),
        },
    )


def _listed(names: list[str]) -> str:
    shown = "、".join(names[:LISTED_CHANGES])
    return shown + ("……" if len(names) > LISTED_CHANGES else "")


@login_required
@require_http_methods(["GET", "POST"])
def calendar_year_edit(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    """An administrator enters (or corrects) a year's holiday arrangement."""
    require_calendar_admin(request.user)
    if not is_editable(year):
        raise PermissionDenied(_("This year cannot be entered."))
    holiday_year = HolidayYear.objects.filter(year=year).first()
    ranges_initial, make_up_initial = initial_rows(holiday_year)
    data = request.POST if request.method == "POST" else None
    notice = NoticeForm(data, instance=holiday_year, year=year)
    ranges = HolidayRangeFormSet(data, initial=ranges_initial, prefix="ranges")
    make_up = MakeUpDayFormSet(data, initial=make_up_initial, prefix="makeup")
    problems: list[str] = []
    if request.method == "POST" and notice.is_valid() and ranges.is_valid() and make_up.is_valid():
        try:
            change = calendar.save_holiday_year(
                notice.save(commit=False),
                year=year,
                ranges=[f.cleaned_data for f in ranges if f.cleaned_data.get("first")],
                make_up=[f.cleaned_data for f in make_up if f.cleaned_data.get("date")],
                actor=request.user,
                request=request,
            )
        except ConcurrentChange as exc:
            messages.error(request, exc.messages[0])
            return redirect("office:calendar_year_edit", year=year)
        except ActionError as exc:
            problems = exc.messages
        else:
            # Committed: the dates follow in the background (at once with the immediate
            # backend, whose result is then reported here).
            _report(request, change, office_tasks.follow_calendar.enqueue())
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


def _report(
    request: AuthenticatedHttpRequest,
    change: CalendarChange,
    following: TaskResult[dict[str, list[list[Any]]]],
) -> None:
    """What the save changed: days, then the dates of open cases and of catalog items."""
    if change.was_known:
        days = [d.isoformat() for d in change.changed_days]
        messages.success(
            request,
            _("The %(year)d arrangement was saved. %(count)d days changed: %(days)s")
            % {"year": change.year, "count": len(days), "days": "、".join(days) or "—"},
        )
    else:
        messages.success(
            request,
            _(
                "The %(year)d arrangement was saved; deadlines in %(year)d are no longer provisional."
            )
            % {"year": change.year},
        )
    if following.status != TaskResultStatus.SUCCESSFUL:
        messages.info(
            request,
            _(
                "The due dates of open applications and the publish-by dates of catalog items are being recomputed in the background; they change within minutes."
            ),
        )
        return
    moved = following.return_value or {}
    applications = moved.get("applications", [])
    items = moved.get("items", [])
    if applications:
        messages.info(
            request,
            _("Due dates of %(count)d open applications changed: %(list)s")
            % {
                "count": len(applications),
                "list": _listed(
                    [
                        f"{number}（{before or '—'} → {after or '—'}）"
                        for number, before, after in applications
                    ]
                ),
            },
        )
    if items:
        messages.info(
            request,
            _("Publish-by dates of %(count)d catalog items changed: %(list)s")
            % {
                "count": len(items),
                "list": _listed(
                    [
                        f"{index_no}（{before or '—'} → {after or '—'}）"
                        for index_no, before, after in items
                    ]
                ),
            },
        )
