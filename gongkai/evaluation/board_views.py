"""The supervisor's board (`/office/evaluation/board/`, the back office's 统计 menu): the
page, the drill-down of one cell and the XLSX of the table. Queries: evaluation.board."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.evaluation import board, measures
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.measures import Period
from gongkai.evaluation.models import Indicator, IndicatorSystem
from gongkai.evaluation.views import XLSX, _download
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency, AgencyQuerySet

# The page lists this many agencies of the ranking (the XLSX has them all).
PAGE_ROWS = 200
FIRST_YEAR = 2008


@dataclass
class Choice:
    """What the board's form asks for, as typed, and what it means."""

    typed: dict[str, str]
    year: int
    system: IndicatorSystem
    first_month: int = 1
    last_month: int = 12
    errors: list[str] = field(default_factory=list)

    @property
    def period(self) -> Period:
        last = calendar.monthrange(self.year, self.last_month)[1]
        return Period(date(self.year, self.first_month, 1), date(self.year, self.last_month, last))

    def query(self, **extra: str) -> str:
        params = {"year": str(self.year), "system": str(self.system.pk)}
        if (self.first_month, self.last_month) != (1, 12):
            params.update({"from": str(self.first_month), "to": str(self.last_month)})
        params.update(extra)
        return urlencode(params)


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def choice(request: AuthenticatedHttpRequest) -> Choice:
    get = request.GET
    typed = {k: get.get(k, "").strip() for k in ("year", "system", "from", "to", "indicator")}
    today = timezone.localdate()
    errors: list[str] = []
    year = _int(typed["year"]) if typed["year"] else today.year - 1
    if year is None or not FIRST_YEAR <= year <= today.year:
        errors.append(
            _("Choose a year between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": today.year}
        )
        year = today.year - 1
    system = None
    if typed["system"]:
        pk = _int(typed["system"])
        system = IndicatorSystem.objects.filter(pk=pk).first() if pk is not None else None
        if system is None:
            errors.append(_("The indicator system chosen does not exist; the default is shown."))
    system = system or load_default()
    first, last = _int(typed["from"] or "1"), _int(typed["to"] or "12")
    if first is None or last is None or not 1 <= first <= last <= 12:
        errors.append(
            _("Choose the months from January to December, the first not after the last.")
        )
        first, last = 1, 12
    return Choice(typed, year, system, first, last, errors)


def _scope(request: AuthenticatedHttpRequest) -> tuple[bool, AgencyQuerySet]:
    agencies = board.scope(request.user)
    if not agencies.exists():
        raise PermissionDenied(_("The board shows the agencies you supervise or work for."))
    return board.supervises(request.user), agencies


@login_required
def board_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    supervisor, agencies = _scope(request)
    chosen = choice(request)
    data = board.compute(
        chosen.system, agencies, chosen.period, chart_key=chosen.typed["indicator"]
    )
    ascending = request.GET.get("order") == "asc"
    lines = list(reversed(data.lines)) if ascending else data.lines
    today = timezone.localdate()
    return render(
        request,
        "evaluation/board.html",
        {
            "board": data,
            "choice": chosen,
            "lines": lines[:PAGE_ROWS],
            "more": max(0, len(lines) - PAGE_ROWS),
            "ascending": ascending,
            "supervisor": supervisor,
            "systems": IndicatorSystem.objects.all(),
            "years": list(range(today.year, max(FIRST_YEAR, today.year - 6) - 1, -1)),
            "months": [(m, board.month_name(m)) for m in range(1, 13)],
            "table": [
                (
                    line,
                    [
                        (c, r, board.is_weak(r), r.share < 1)
                        for c, r in zip(data.columns, line.cells, strict=True)
                    ],
                )
                for line in lines[:PAGE_ROWS]
            ],
            "weak_percent": int(board.WEAK_SHARE * 100),
            "chart_indicators": [c.indicator for c in data.columns if board.chartable(c.indicator)],
            "query": chosen.query(),
            "not_submitted_shown": [
                (agency, board.status_label(status)) for agency, status in data.not_submitted[:100]
            ],
        },
    )


@login_required
def board_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _supervisor, agencies = _scope(request)
    chosen = choice(request)
    data = board.compute(chosen.system, agencies, chosen.period)
    months = ""
    if (chosen.first_month, chosen.last_month) != (1, 12):
        months = f"{chosen.first_month}-{chosen.last_month}月"
    name = f"{chosen.year}年{months}政务公开指标统计.xlsx"
    return _download(board.workbook(data), XLSX, name)


@login_required
def board_drill(request: AuthenticatedHttpRequest, code: str, key: str) -> HttpResponse:
    """The rows behind one cell of the board (the evaluation's drill-down template)."""
    supervisor, agencies = _scope(request)
    try:
        agency = agencies.get(code=code)
    except Agency.DoesNotExist:
        raise Http404(_("No such agency.")) from None
    chosen = choice(request)
    indicator = get_object_or_404(Indicator, system=chosen.system, key=key)
    measure = measures.MEASURES.get(indicator.measure)
    if measure is None:
        raise Http404(_("Not found."))
    show_all = request.GET.get("all") == "1"
    rows = measures.drilldown(indicator.measure, [agency.pk], chosen.period, bad_only=not show_all)
    return render(
        request,
        "evaluation/drilldown.html",
        {"evaluation": None, "agency": agency, "indicator": indicator, "measure": measure,
         "rows": [(row, measure.row_url(row)) for row in rows[:500]], "count": rows.count(),
         "show_all": show_all, "keep": chosen.query(), "supervisor": supervisor,
         "year": chosen.year,
         "back_url": reverse("evaluation:board") + "?" + chosen.query(),
         "reports": measures.annual_reports([agency.pk], chosen.period)
         if measure.model is Agency else []},
    )  # fmt: skip
