"""The annual report's tables, computed from the records (DESIGN principle 2).

Table 二 comes from the register of normative documents and the entered figures, table
三 from applications and their timeline events, table 四 from reviews and lawsuits. All
counting is done in SQL, one query per table; the same predicates select the records
behind each cell (`cell_records`), so a drill-down always lists what the cell counts.

Rules (regulation-notes §2–3):
- 本年新收: received in the year (its 第三十一条 date of receipt);
- 上年结转: received before the year and not closed before it started;
- 本年度办理结果: closed in the year, in the row of the closing event's outcome
  (a withdrawal counts under （六）其他处理 3.其他) and the column of the applicant type;
- 结转下年度: received by the end of the year and not closed by then;
- table 四: reviews and lawsuits filed in the year, with their result at the year's end
  (尚未审结 when undecided by 31 December).
A request transferred to another department is counted by the agency that has it now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.fields.json import KeyTextTransform

from gongkai.foi.models import Application, Event, EventKind, Remedy
from gongkai.lib.report_format import APPLICATIONS_TABLE, REVIEW_TABLE, report_format, table
from gongkai.lib.report_keys import Outcome, RemedyKind, RemedyResult
from gongkai.orgs.models import Agency
from gongkai.publishing.models import DecisionFigures
from gongkai.publishing.register import FIGURE_FIELDS, normative_counts, normative_records

FORMAT = "2021"
CLOSING_KINDS = (EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.CLOSED_UNANSWERED)
WITHDRAWN_OUTCOME = Outcome.OTHER_MISC  # （六）其他处理 3.其他
REMEDY_PREFIX = {
    RemedyKind.ADMINISTRATIVE_REVIEW: "review",
    RemedyKind.LITIGATION_DIRECT: "lit_direct",
    RemedyKind.LITIGATION_AFTER_REVIEW: "lit_after_review",
}

Cell = int | Decimal
Tables = dict[str, dict[str, dict[str, Cell]]]


@dataclass(frozen=True)
class Scope:
    """Whose records and which year: one agency, or a subtree for a rollup."""

    agency_ids: tuple[int, ...]
    year: int

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)


@dataclass
class Report:
    agency: str
    agency_code: str
    year: int
    rollup: bool
    tables: Tables
    findings: list[dict[str, Any]] = field(default_factory=list)
    format: str = FORMAT

    def as_json(self) -> dict[str, Any]:
        def plain(value: Cell) -> int | float:
            return float(value) if isinstance(value, Decimal) else value

        return {
            "format": self.format,
            "agency": self.agency,
            "agency_code": self.agency_code,
            "year": self.year,
            "rollup": self.rollup,
            "tables": {
                t: {r: {c: plain(v) for c, v in cols.items()} for r, cols in rows.items()}
                for t, rows in self.tables.items()
            },
            "findings": self.findings,
        }


def empty_table(table_id: str) -> dict[str, dict[str, Cell]]:
    spec = table(table_id)
    return {
        r["key"]: {c["key"]: 0 for c in spec["columns"]}
        for r in spec["rows"]
        if r["kind"] == "data"
    }


# ---- table 三 ----------------------------------------------------------------------------


def _closing_event() -> FilteredRelation:
    """The request's closing event: the first of its closing events by date, then by id.

    A join (the event of a closing kind with no closing event before it) rather than a
    correlated subquery per column: PostgreSQL plans it as an anti-join, hashed over a
    whole province or probed through foi_event_closing_idx for one agency (bench/annual.py).
    The NOT EXISTS refers to the joined event's application, not to the outer request's,
    so that PostgreSQL can pull it into the outer join's nullable side.
    """
    earlier = Event.objects.filter(
        application=OuterRef("closing__application"), kind__in=CLOSING_KINDS
    ).filter(
        Q(on__lt=OuterRef("closing__on"))
        | Q(on=OuterRef("closing__on"), id__lt=OuterRef("closing__id"))
    )
    return FilteredRelation("events", condition=Q(~Exists(earlier), events__kind__in=CLOSING_KINDS))


def applications_with_closing(agency_ids: Iterable[int]) -> QuerySet[Application]:
    """Applications of the agencies, annotated with their closing event's date, kind and
    outcome (all None while the case is open)."""
    return (
        Application.objects.filter(agency_id__in=list(agency_ids))
        .annotate(closing=_closing_event())
        .annotate(
            closing_on=F("closing__on"),
            closing_kind=F("closing__kind"),
            # Compared as text, not with the JSON lookups of a key transform.
            closing_outcome=ExpressionWrapper(
                KeyTextTransform("outcome", "closing__data"), output_field=CharField()
            ),
        )
    )


def _t3_predicates(scope: Scope) -> dict[str, Q]:
    start, end = scope.start, scope.end
    return {
        "new_received": Q(received_on__range=(start, end)),
        "carried_over": Q(received_on__lt=start)
        & (Q(closing_on__isnull=True) | Q(closing_on__gte=start)),
        "total_processed": Q(closing_on__range=(start, end)),
        "carried_forward": Q(received_on__lte=end)
        & (Q(closing_on__isnull=True) | Q(closing_on__gt=end)),
    }


def _outcome(kind: str | None, outcome: Any) -> str:
    if kind == EventKind.WITHDRAWN or not outcome:
        return WITHDRAWN_OUTCOME
    return str(outcome)


def table_three(scope: Scope) -> dict[str, dict[str, Cell]]:
    result = empty_table(APPLICATIONS_TABLE)
    predicates = _t3_predicates(scope)
    annotated: QuerySet[Any] = applications_with_closing(scope.agency_ids)
    rows = (
        annotated.filter(received_on__lte=scope.end)
        .values("applicant_type", "closing_kind", "closing_outcome")
        .annotate(**{name: Count("id", filter=q) for name, q in predicates.items()})
        .order_by()
    )
    for row in rows:
        column = row["applicant_type"]
        for name in predicates:
            result[name][column] += row[name]
        if row["total_processed"]:
            key = _outcome(row["closing_kind"], row["closing_outcome"])
            result[key][column] += row["total_processed"]
    for cells in result.values():
        cells["total"] = sum(v for k, v in cells.items() if k != "total")
    return result


# ---- table 四 ----------------------------------------------------------------------------


def remedies(scope: Scope) -> QuerySet[Remedy]:
    return Remedy.objects.filter(
        application__agency_id__in=list(scope.agency_ids), filed_on__range=(scope.start, scope.end)
    )


def _decided_by(scope: Scope) -> Q:
    return Q(decided_on__isnull=False, decided_on__lte=scope.end) & ~Q(result=RemedyResult.PENDING)


def table_four(scope: Scope) -> dict[str, dict[str, Cell]]:
    result = empty_table(REVIEW_TABLE)
    cells = result["cases"]
    decided = _decided_by(scope)
    rows = (
        remedies(scope)
        .values("kind", "result")
        .annotate(decided=Count("id", filter=decided), pending=Count("id", filter=~decided))
        .order_by()
    )
    for row in rows:
        prefix = REMEDY_PREFIX[row["kind"]]
        if row["decided"]:
            cells[f"{prefix}_{row['result']}"] += row["decided"]
        cells[f"{prefix}_pending"] += row["pending"]
        cells[f"{prefix}_total"] += row["decided"] + row["pending"]
    return result


# ---- table 二 ----------------------------------------------------------------------------


def table_two(scope: Scope) -> tuple[dict[str, dict[str, dict[str, Cell]]], bool]:
    """The four tables of section 二, and whether the entered figures exist for the year."""
    tables: dict[str, dict[str, dict[str, Cell]]] = {
        "t2_art20_1": {
            row: dict(cells)
            for row, cells in normative_counts(scope.agency_ids, scope.year).items()
        }
    }
    figures = DecisionFigures.objects.filter(agency_id__in=scope.agency_ids, year=scope.year)
    sums = figures.aggregate(
        entered=Count("id"), **{name: Sum(name) for name in FIGURE_FIELDS.values()}
    )
    for (table_id, row_key), name in FIGURE_FIELDS.items():
        column = table(table_id)["columns"][0]["key"]
        value = sums[name] or 0
        tables.setdefault(table_id, {})[row_key] = {column: value}
    return tables, bool(sums["entered"])


# ---- the report ----------------------------------------------------------------------------


def compute(scope: Scope) -> Tables:
    """Every table of the 2021 format, in the order of the format file."""
    two, _entered = table_two(scope)
    computed = {**two, APPLICATIONS_TABLE: table_three(scope), REVIEW_TABLE: table_four(scope)}
    return {t["id"]: computed[t["id"]] for t in report_format()["tables"]}


def cell_records(scope: Scope, table_id: str, row: str, column: str) -> QuerySet[Any]:
    """The records one cell counts (for the drill-down), selected by the same predicates."""
    if table_id == APPLICATIONS_TABLE:
        queryset: QuerySet[Any] = applications_with_closing(scope.agency_ids).filter(
            received_on__lte=scope.end
        )
        if column != "total":
            queryset = queryset.filter(applicant_type=column)
        predicates = _t3_predicates(scope)
        if row in predicates:
            return queryset.filter(predicates[row])
        closed: QuerySet[Any] = queryset.filter(predicates["total_processed"])
        if row == WITHDRAWN_OUTCOME:
            return closed.filter(
                Q(closing_kind=EventKind.WITHDRAWN)
                | Q(closing_outcome=WITHDRAWN_OUTCOME)
                | Q(closing_outcome__isnull=True)
            )
        return closed.filter(closing_outcome=row).exclude(closing_kind=EventKind.WITHDRAWN)
    if table_id == REVIEW_TABLE:
        prefix, _sep, result = column.rpartition("_")
        kind = next(k for k, p in REMEDY_PREFIX.items() if p == prefix)
        cases: QuerySet[Any] = remedies(scope).filter(kind=kind)
        if result == "total":
            return cases
        if result == RemedyResult.PENDING:
            return cases.exclude(_decided_by(scope))
        return cases.filter(_decided_by(scope), result=result)
    if table_id == "t2_art20_1":
        return normative_records(scope.agency_ids, scope.year, row, column)
    raise KeyError(table_id)


def scope_for(agency: Any, year: int, *, rollup: bool = False) -> Scope:

    if rollup:
        ids: Sequence[int] = list(Agency.objects.subtree_of(agency).values_list("pk", flat=True))
    else:
        ids = [agency.pk]
    return Scope(tuple(ids), year)
