"""The supervisor's board (统计): every indicator of a system for the agencies below.

- `scope(user)`: the board's agencies — for a supervisor (or administrator) the agencies
  strictly below the agencies where the role is held; for other staff the agencies where
  they hold a role (their own scope; also a supervisor with nothing below); a superuser
  sees every agency.
- `compute(system, agencies, period, chart_key=…)` → `Board`: the results of
  `scoring.evaluate` per agency, ranked by total (equal totals share a rank), the
  scope's totals per indicator (summed counts, never an average of rates), the agencies
  whose self-evaluation of the year is not submitted, and the charts' data (scores by
  agency; one indicator over the months; late publications and late replies by month).
  The scope goes to SQL as a subquery (measures.values), never as a list of ids.
- `workbook(board)` → the board's table as XLSX (every cell through lib.safe_text).

A cell is *weak* when it got less than `WEAK_SHARE` of its points: it is marked and, for a
supervisor, offers the rectification (整改) form.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Q, When
from django.db.models import Count as CountAgg
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from gongkai.evaluation import measures, scoring
from gongkai.evaluation.measures import Count, Period
from gongkai.evaluation.models import (
    EvaluationStatus,
    Indicator,
    IndicatorSystem,
    Rule,
    SelfEvaluation,
    SourceKind,
)
from gongkai.evaluation.scoring import Result
from gongkai.foi.models import Status
from gongkai.lib.safe_text import cells
from gongkai.orgs.models import SUBTREE_ROLES, Agency, AgencyQuerySet, Membership, User

WEAK_SHARE = Decimal("0.6")
# The "late by month" chart: late proactive publications and late replies to requests.
LATE_KEYS = ("proactive_timeliness", "request_timeliness")
# The indicator over the months until the supervisor chooses another.
DEFAULT_CHART = "proactive_timeliness"


def _staff(user: User | AnonymousUser) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def supervises(user: User | AnonymousUser) -> bool:
    """Whether the board shows `user` the agencies below (and offers rectification)."""
    staff = _staff(user)
    if staff is None:
        return False
    return (
        staff.is_superuser or Membership.objects.filter(user=staff, role__in=SUBTREE_ROLES).exists()
    )


def scope(user: User | AnonymousUser) -> AgencyQuerySet:
    """The agencies of `user`'s board (see the module's docstring)."""
    staff = _staff(user)
    if staff is None:
        return Agency.objects.none()
    if staff.is_superuser:
        return Agency.objects.all()
    memberships = Membership.objects.filter(user=staff)
    own = Agency.objects.filter(pk__in=memberships.values("agency_id"))
    paths = list(memberships.filter(role__in=SUBTREE_ROLES).values_list("agency__path", flat=True))
    if not paths:
        return own
    below = Q(pk__in=[])
    for path in paths:
        below |= Q(path__startswith=path) & ~Q(path=path)
    agencies = Agency.objects.filter(below)
    # A supervisor of an agency with nothing below reads the own agency's board.
    return agencies if agencies.exists() else own


def months_of(period: Period) -> list[Period]:
    """The calendar months of a period (cut to the period)."""
    out: list[Period] = []
    year, month = period.start.year, period.start.month
    while date(year, month, 1) <= period.end:
        last = calendar.monthrange(year, month)[1]
        out.append(
            Period(
                max(period.start, date(year, month, 1)), min(period.end, date(year, month, last))
            )
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _month(field: str) -> Any:
    return ExtractMonth(field)


# The month a counted row belongs to, per measure: the date by which its base puts it in
# a period (measures.py). A measure not listed (categories_updated: a state at the end of
# each month) is counted month by month, one query per month.
MONTH_OF: dict[str, Callable[[], Any]] = {
    "proactive_timeliness": lambda: Case(
        When(status__in=measures.PUBLISHED, then=_month("published_at")),
        default=_month("publish_due_on"),
    ),
    "metadata_complete": lambda: _month("published_at"),
    "review_recorded": lambda: _month("published_at"),
    "interpretation_coverage": lambda: _month("published_at"),
    "interpretation_timeliness": lambda: _month("published_on"),
    "request_timeliness": lambda: Case(
        When(status=Status.CLOSED, then=_month("closed_on")), default=_month("due_on")
    ),
    "correction_timeliness": lambda: _month("on"),
    "remedy_clause": lambda: _month("issued_on"),
    "remedies_upheld": lambda: _month("decided_on"),
    "consultation_period": lambda: _month("opens_on"),
    "consultation_feedback": lambda: _month("closes_on"),
    "proposal_published": lambda: _month("answered_on"),
    "hotline_on_time": lambda: _month("received_at"),
    "meetings_held": lambda: _month("held_on"),
    "trainings_held": lambda: _month("held_on"),
}


def monthly(key: str, agencies: Any, period: Period) -> list[Count]:
    """The scope's Count of one measure for each month of the period (within one year):
    one query grouped by month over the scope (a subquery), or for a measure without a
    month (MONTH_OF) one aggregate query per month."""
    measure = measures.MEASURES[key]
    months = months_of(period)
    if key in MONTH_OF and period.start.year == period.end.year:
        rows = (
            measure.base(period)
            .filter(**{f"{measure.agency_field}__in": agencies})
            .annotate(board_month=MONTH_OF[key]())
            .values("board_month")
            .annotate(total=CountAgg("pk"), bad=CountAgg("pk", filter=measure.bad(period)))
            .order_by()
        )
        found = {row["board_month"]: Count(row["total"], row["bad"]) for row in rows}
        return [found.get(m.start.month, Count()) for m in months]
    return monthly_by_queries(key, agencies, period)


def monthly_by_queries(key: str, agencies: Any, period: Period) -> list[Count]:
    """`monthly` the slow way: the measure's own query for each month's period."""
    measure = measures.MEASURES[key]
    out = []
    for month in months_of(period):
        row = (
            measure.base(month)
            .filter(**{f"{measure.agency_field}__in": agencies})
            .aggregate(total=CountAgg("pk"), bad=CountAgg("pk", filter=measure.bad(month)))
        )
        out.append(Count(row["total"] or 0, row["bad"] or 0))
    return out


def chartable(indicator: Indicator) -> bool:
    """A computed leaf whose measure counts dated records (not agencies), so that it has
    a value per month."""
    measure = measures.MEASURES.get(indicator.measure)
    return (
        indicator.source == SourceKind.COMPUTED
        and indicator.rule != Rule.MANUAL
        and measure is not None
        and measure.model is not Agency
    )


@dataclass
class Column:
    indicator: Indicator
    heading: Indicator | None
    computed: bool
    value_kind: str
    summary: Decimal | None = None  # the scope's value (summed counts)
    count: Count | None = None


@dataclass
class Line:
    agency: Agency
    rank: int
    total: Decimal
    cells: list[Result]
    status: str = ""  # the self-evaluation's status, "" when none
    submitted_score: Decimal | None = None


@dataclass
class Board:
    system: IndicatorSystem
    period: Period
    columns: list[Column]
    headings: list[tuple[Indicator, int]]  # first-level indicators and their leaf count
    lines: list[Line]
    not_submitted: list[tuple[Agency, str]]
    chart_indicator: Indicator | None
    charts: dict[str, Any] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.period.end.year


def is_weak(result: Result) -> bool:
    return result.is_leaf and result.max > 0 and result.share < WEAK_SHARE


def _leaves(tree: list[tuple[Indicator, int]]) -> list[tuple[Indicator, Indicator | None]]:
    parents = {i.parent_id for i, _d in tree if i.parent_id}
    top: dict[int, Indicator] = {}
    by_id = {i.pk: i for i, _d in tree}
    out = []
    for indicator, _depth in tree:
        if indicator.pk in parents:
            continue
        root = indicator
        while root.parent_id and root.parent_id in by_id:
            root = by_id[root.parent_id]
        top[indicator.pk] = root
        out.append((indicator, root if root.pk != indicator.pk else None))
    return out


def _rank(lines: list[Line]) -> None:
    lines.sort(key=lambda line: (-line.total, line.agency.path))
    previous: Decimal | None = None
    rank = 0
    for n, line in enumerate(lines, start=1):
        if line.total != previous:
            rank, previous = n, line.total
        line.rank = rank


def compute(
    system: IndicatorSystem,
    agencies: AgencyQuerySet,
    period: Period,
    *,
    chart_key: str = "",
) -> Board:
    tree = scoring.ordered(system.indicators.all())
    leaves = _leaves(tree)
    subquery = agencies.values("pk")
    results = scoring.evaluate(system, subquery, period, tree=tree)
    by_pk = {
        a.pk: a for a in Agency.objects.filter(pk__in=subquery).only("pk", "code", "name", "path")
    }
    evaluations = {
        agency_id: (status, score)
        for agency_id, status, score in SelfEvaluation.objects.filter(
            agency__in=subquery, year=period.end.year
        ).values_list("agency_id", "status", "score")
    }
    positions = {i.pk: n for n, (i, _d) in enumerate(tree)}
    leaf_positions = [positions[i.pk] for i, _h in leaves]
    lines: list[Line] = []
    for agency_id, agency_results in results.items():
        agency = by_pk.get(agency_id)
        if agency is None:
            continue
        status, score = evaluations.get(agency_id, ("", None))
        lines.append(
            Line(agency, 0, scoring.total(agency_results),
                 [agency_results[p] for p in leaf_positions], status,
                 score if status == EvaluationStatus.SUBMITTED else None)
        )  # fmt: skip
    _rank(lines)
    columns: list[Column] = []
    for n, (indicator, heading) in enumerate(leaves):
        measure = measures.MEASURES.get(indicator.measure)
        computed = (
            indicator.source == SourceKind.COMPUTED
            and indicator.rule != Rule.MANUAL
            and measure is not None
        )
        column = Column(indicator, heading, computed, measure.value_kind if measure else "")
        if computed and measure is not None:
            summed = Count()
            for line in lines:
                summed += line.cells[n].count or Count()
            column.count = summed
            column.summary = (
                Decimal(summed.bad)
                if indicator.rule == Rule.DEDUCTION
                else summed.value(measure.value_kind)
            )
        columns.append(column)
    headings: list[tuple[Indicator, int]] = []
    for _indicator, heading in leaves:
        if heading is None:
            headings.append((_indicator, 1))
        elif headings and headings[-1][0].pk == heading.pk:
            headings[-1] = (heading, headings[-1][1] + 1)
        else:
            headings.append((heading, 1))
    not_submitted = [
        (line.agency, line.status)
        for line in sorted(lines, key=lambda line: line.agency.path)
        if line.status != EvaluationStatus.SUBMITTED
    ]
    chartable_leaves = [i for i, _h in leaves if chartable(i)]
    chart_indicator = next(
        (i for i in chartable_leaves if i.key == (chart_key or DEFAULT_CHART)),
        next(iter(chartable_leaves), None),
    )
    board = Board(system, period, columns, headings, lines, not_submitted, chart_indicator)
    board.charts = _charts(board, subquery)
    return board


def month_name(month: int) -> str:
    return _("Month %(month)d") % {"month": month}


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _charts(board: Board, subquery: Any) -> dict[str, Any]:
    months = [month_name(m.start.month) for m in months_of(board.period)]
    ranked = board.lines
    data: dict[str, Any] = {
        "scores": {
            "name": _("Total score"),
            "agencies": [line.agency.name for line in ranked],
            "scores": [_num(line.total) for line in ranked],
            "max": _num(board.system.total),
        },
        "months": months,
    }
    indicator = board.chart_indicator
    if indicator is not None:
        measure = measures.MEASURES[indicator.measure]
        counts = monthly(indicator.measure, subquery, board.period)
        data["indicator"] = {
            "name": indicator.label,
            "unit": str(measure.unit),
            "values": [_num(c.value(measure.value_kind)) for c in counts],
            "exceptions": [c.bad for c in counts],
            "exceptions_name": _("Exceptions"),
            "kind": measure.value_kind,
        }
    names = {
        "proactive_timeliness": _("Late publications"),
        "request_timeliness": _("Late replies to requests"),
    }
    data["late"] = [
        {"name": names[key], "data": [c.bad for c in monthly(key, subquery, board.period)]}
        for key in LATE_KEYS
    ]
    return data


# ---- XLSX -----------------------------------------------------------------------------------


def status_label(status: str) -> str:
    if not status:
        return _("Not started")
    return str(EvaluationStatus(status).label)


def workbook(board: Board) -> bytes:
    """Sheet 1: the ranked table (per indicator its value and its score); sheet 2: the
    agencies that have not submitted their self-evaluation."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # streamed: thousands of rows
    sheet = book.create_sheet(_("Scores"))
    header = [_("Rank"), _("Agency"), _("Code"), _("Total score"), _("Submitted score"),
              _("Self-evaluation")]  # fmt: skip
    for column in board.columns:
        unit = column.indicator.unit
        if column.computed:
            header.append(f"{column.indicator.label}（{_('value')}{'，' + unit if unit else ''}）")
        header.append(f"{column.indicator.label}（{_('score')}/{column.indicator.weight}）")
    sheet.append(cells(header))
    for line in board.lines:
        row: list[Any] = [line.rank, line.agency.name, line.agency.code, _num(line.total),
                          _num(line.submitted_score), status_label(line.status)]  # fmt: skip
        for column, result in zip(board.columns, line.cells, strict=True):
            if column.computed:
                row.append(_num(result.value))
            row.append(_num(result.score))
        sheet.append(cells(row))
    missing = book.create_sheet(_("Not submitted"))
    missing.append(cells([_("Agency"), _("Code"), _("Self-evaluation")]))
    for agency, status in board.not_submitted:
        missing.append(cells([agency.name, agency.code, status_label(status)]))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
