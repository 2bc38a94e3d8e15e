"""The computed measures of the indicator systems: each a query over a period's records.

Contract (what the board and the self-evaluation build on):

- `MEASURES`: key → `Measure`. A measure names a base queryset (`base(period)`, the rows it
  counts: items, cases, letters, records …), the lookup from a row to its agency
  (`agency_field`) and a `Q` of the exceptions (`bad`: late, incomplete, missing …). Its
  `value_kind` says what the indicator's value is: ``"rate"`` — the share of good rows in
  per cent (None without rows), ``"count"`` — the number of rows.
- `values(keys, agency_ids, period)` → {key: {agency_id: Count(total, bad)}}: ONE grouped
  query per measure for any number of agencies (``GROUP BY agency``), never one per
  agency. Agencies without rows are absent (read them as `Count()`).
- `rollup(per_agency, ids)` sums a subtree's counts: a subtree's value is computed from
  the sum of its agencies' totals and exceptions, never as an average of rates.
- `drilldown(key, agency_ids, period, bad_only=True)` → the queryset of the rows that made
  the value: `drilldown(...).count() == Count.bad` (and with ``bad_only=False`` ==
  `Count.total`). `Measure.model` and `row_url()` say what a row is and where it opens.
- `Count.value(kind)`, `.occurrences` (the exceptions: what a deduction rule deducts for).
- Scoring of a whole system for many agencies: `gongkai.evaluation.scoring.evaluate`.

Periods are `Period(start, end)` dates, inclusive, in local time (Asia/Shanghai); date-time
fields are compared with the local-midnight bounds of `Period.bounds()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models import (
    Count as CountAgg,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.annual.actions import due_on
from gongkai.annual.models import AnnualReport, Revision
from gongkai.foi.clock import LateRule
from gongkai.foi.letters import WITH_REMEDY
from gongkai.foi.models import (
    OPEN_STATUSES,
    Application,
    Event,
    EventKind,
    Letter,
    LetterStatus,
    Remedy,
    Status,
)
from gongkai.lib.report_keys import OVERDUE_OUTCOMES, RemedyResult
from gongkai.orgs.models import Agency
from gongkai.publishing.models import (
    Category,
    Disclosure,
    InfoItem,
    Interpretation,
    ItemStatus,
    ReviewDecision,
    ReviewRecord,
)
from gongkai.records.models import (
    MESSAGE_REPLY_DAYS,
    Consultation,
    Message,
    Proposal,
    RecordSettings,
    ReplyDisclosure,
    Training,
    TrainingKind,
)
from gongkai.workdays.loading import day_one, get_calendar

PUBLISHED = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
TEXT = ("CharField", "TextField")
AWAITING = (ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.RETURNED, ItemStatus.APPROVED)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def bounds(self) -> tuple[datetime, datetime]:
        """[start 00:00, the day after end 00:00) in local time."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    def as_of(self) -> date:
        """The last day whose facts are known: the end, or yesterday for a running period."""
        return min(self.end, timezone.localdate() - timedelta(days=1))


@dataclass(frozen=True)
class Count:
    total: int = 0
    bad: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(self.total + other.total, self.bad + other.bad)

    @property
    def occurrences(self) -> int:
        return self.bad

    def value(self, kind: str) -> Decimal | None:
        if kind == "count":
            return Decimal(self.total)
        if not self.total:
            return None
        return (Decimal(100) * (self.total - self.bad) / self.total).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    model: type[Model]
    agency_field: str
    base: Callable[[Period], QuerySet[Any]]
    bad: Callable[[Period], Q]
    value_kind: str = "rate"  # "rate" | "count"
    unit: Any = "%"
    # The back-office page of one row ({pk}); empty when rows have no page of their own.
    url_name: str = ""

    def row_url(self, row: Any) -> str:
        if not self.url_name:
            return ""
        return reverse(self.url_name, args=[_url_arg(self.model, row)])


def _url_arg(model: type[Model], row: Any) -> Any:
    if model is Application:
        return row.pk
    return row.pk


_NONE = Q(pk__in=[])
# Agency ids as a list, or as a queryset of agencies (a subquery in the SQL).
AgencyIds = Iterable[int] | QuerySet[Any, Any]


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# ---- 主动公开 ------------------------------------------------------------------------------


def _items_due(period: Period) -> QuerySet[InfoItem]:
    """Proactive items published in the period, and those still unpublished whose
    第二十六条 date fell in it (and has passed)."""
    start, end = period.bounds()
    return InfoItem.objects.filter(
        Q(status__in=PUBLISHED, published_at__gte=start, published_at__lt=end)
        | Q(
            status__in=AWAITING,
            publish_due_on__gte=period.start,
            publish_due_on__lte=period.as_of(),
        ),
        disclosure=Disclosure.PROACTIVE,
    )


def _published(period: Period) -> QuerySet[InfoItem]:
    start, end = period.bounds()
    return InfoItem.objects.filter(
        status__in=PUBLISHED, published_at__gte=start, published_at__lt=end
    )


def _metadata_missing(period: Period) -> Q:
    q = Q(pk__in=[])
    known = {f.name for f in InfoItem._meta.concrete_fields if f.get_internal_type() in TEXT}
    for name in _setting("EVALUATION_REQUIRED_METADATA", ("summary", "topic")):
        if name in known:  # a misspelt setting counts nothing rather than failing the page
            q |= Q(**{name: ""})
    return q


def _stale(period: Period) -> Q:
    months = int(_setting("EVALUATION_STALE_MONTHS", 6))
    cutoff = period.end - timedelta(days=round(months * 30.44))
    tz = timezone.get_current_timezone()
    since = datetime.combine(cutoff, time.min, tzinfo=tz)
    _start, end = period.bounds()
    recent = InfoItem.objects.filter(
        category=OuterRef("pk"),
        status=ItemStatus.PUBLISHED,
        published_at__gte=since,
        published_at__lt=end,
    )
    return Q(~Exists(recent))


def _reviews_missing(period: Period) -> Q:
    # 三审制: a published item without an approved review record of its own (imported or
    # published around the workflow) has no trace of its review.
    return Q(
        ~Exists(ReviewRecord.objects.filter(item=OuterRef("pk"), decision=ReviewDecision.APPROVE))
    )


# ---- 依申请公开 ----------------------------------------------------------------------------


def _requests_due(period: Period) -> QuerySet[Application]:
    """Cases closed by a reply in the period, and open cases whose period ran out in it."""
    return Application.objects.filter(
        (
            Q(status=Status.CLOSED, closed_on__gte=period.start, closed_on__lte=period.end)
            & ~Q(outcome__in=OVERDUE_OUTCOMES)
        )
        | Q(
            status__in=OPEN_STATUSES,
            paused=False,
            due_on__gte=period.start,
            due_on__lte=period.as_of(),
        )
    )


def _request_late(period: Period) -> Q:
    return Q(replied_late=True) | Q(status__in=OPEN_STATUSES)


def _corrections(period: Period) -> QuerySet[Event]:
    return Event.objects.filter(
        kind=EventKind.CORRECTION_REQUESTED, on__gte=period.start, on__lte=period.end
    )


def _letters(period: Period) -> QuerySet[Letter]:
    return Letter.objects.filter(
        kind__in=WITH_REMEDY,
        status=LetterStatus.ISSUED,
        issued_on__gte=period.start,
        issued_on__lte=period.end,
    )


def _clause_missing(period: Period) -> Q:
    # The three elements of 行政复议法第二十条第三款 that foi.remedy.clause_problems reads
    # (the right, 六十日; the named body is checked when the letter is issued).
    return ~(Q(body__contains="申请行政复议") & Q(body__contains="六十日"))


def _remedies(period: Period) -> QuerySet[Remedy]:
    return Remedy.objects.filter(decided_on__gte=period.start, decided_on__lte=period.end)


# ---- 年度报告 ------------------------------------------------------------------------------


def _report_year(period: Period) -> int:
    # The report published during the evaluated year is the previous year's (第四十九条).
    return period.end.year - 1


def _agencies(period: Period) -> QuerySet[Agency]:
    return Agency.objects.all()


def _published_revision(period: Period, *, extra: Q | None = None) -> Exists:
    revisions = Revision.objects.filter(
        report__agency=OuterRef("pk"),
        report__year=_report_year(period),
        published_at__isnull=False,
    )
    if extra is not None:
        revisions = revisions.annotate(text=Cast("findings", TextField())).filter(extra)
    return Exists(revisions)


def _report_late(period: Period) -> Q:
    """No report published by its 第四十九条 date: 31 January for departments and townships,
    31 March for governments at county level and above (annual.actions.due_on)."""
    year = _report_year(period)
    tz = timezone.get_current_timezone()
    government = Agency(kind="government", level="county")
    department = Agency(kind="department", level="county")

    def published_by(day: date) -> Exists:
        limit = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
        return Exists(
            Revision.objects.filter(
                report__agency=OuterRef("pk"), report__year=year, published_at__lt=limit
            )
        )

    is_government = Q(kind="government") & ~Q(level="township")
    return ~(
        (is_government & published_by(due_on(government, year)))
        | (~is_government & published_by(due_on(department, year)))
    )


def _report_unbalanced(period: Period) -> Q:
    return ~_published_revision(period) | _published_revision(
        period, extra=Q(text__contains='"severity": "error"')
    )


def _report_copied(period: Period) -> Q:
    return ~_published_revision(period) | _published_revision(
        period, extra=Q(text__contains="TEXT-REPEATED")
    )


# ---- 其他法定工作 --------------------------------------------------------------------------


def _consultations(period: Period) -> QuerySet[Consultation]:
    return Consultation.objects.filter(
        published_at__isnull=False, opens_on__gte=period.start, opens_on__lte=period.end
    )


def _short_period(period: Period) -> Q:
    # records.actions.period_problem refuses a period shorter than the kind's rule unless
    # a reason is given: a stored reason is a shortened period.
    return ~Q(short_period_reason="")


def _consultations_closed(period: Period) -> QuerySet[Consultation]:
    return Consultation.objects.filter(
        published_at__isnull=False, closes_on__gte=period.start, closes_on__lte=period.as_of()
    )


def _no_feedback(period: Period) -> Q:
    return Q(feedback_published_at__isnull=True)


def _proposals(period: Period) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        answered_on__gte=period.start, answered_on__lte=period.end
    ).exclude(disclosure=ReplyDisclosure.NOT_PUBLIC)


def _not_published(period: Period) -> Q:
    return Q(published_on__isnull=True)


def proposal_publication_days() -> int:
    """皖政办〔2015〕2号 (provincial practice, notes §11.4): a public reply is published
    within 20 working days of answering the deputy or member. No national rule was found,
    hence a setting."""
    return int(_setting("EVALUATION_PROPOSAL_PUBLICATION_DAYS", 20))


def _proposals_due(period: Period) -> QuerySet[Proposal]:
    """The public replies answered in the period, each with the day its publication was
    due (`publish_due`). The working-day calendar is not in the database: the due day of
    each answer date present is computed here (one small query for the dates; at most one
    branch per distinct due day)."""
    rows = _proposals(period)
    answered = rows.values_list("answered_on", flat=True).order_by().distinct()
    calendar, start = get_calendar(), day_one()
    days = proposal_publication_days()
    by_due: dict[date, list[date]] = {}
    for day in sorted(d for d in answered if d is not None):
        by_due.setdefault(calendar.provisional_add(day, days, start).value, []).append(day)
    return rows.annotate(
        publish_due=Case(
            *[When(answered_on__in=group, then=Value(due)) for due, group in by_due.items()],
            default=Value(None),
            output_field=DateField(),
        )
    )


def _proposal_late(period: Period) -> Q:
    """Published after the due day, or unpublished with the due day passed."""
    return Q(published_on__gt=F("publish_due")) | Q(
        published_on__isnull=True, publish_due__lt=period.as_of()
    )


def _messages(period: Period) -> QuerySet[Message]:
    start, end = period.bounds()
    return Message.objects.filter(received_at__gte=start, received_at__lt=end).annotate(
        limit_days=Coalesce(
            F("agency__record_settings__message_reply_days"), Value(MESSAGE_REPLY_DAYS)
        )
    )


def _message_late(period: Period) -> Q:
    """Answered after the agency's limit (records.Message.is_late), or unanswered past it.

    SQLite cannot multiply a duration, so each limit in use is its own branch: an agency
    sets its limit in days, and installations use few different values."""
    now = timezone.now()
    days = set(RecordSettings.objects.values_list("message_reply_days", flat=True).distinct())
    late = _NONE
    for d in sorted(days | {MESSAGE_REPLY_DAYS}):
        limit = F("received_at") + timedelta(days=d)
        late |= Q(limit_days=d) & (
            Q(answered_at__gt=limit)
            | Q(answered_at__isnull=True, received_at__lt=now - timedelta(days=d))
        )
    return late


def _meetings(period: Period) -> QuerySet[Training]:
    return Training.objects.filter(
        kind=TrainingKind.MEETING, held_on__gte=period.start, held_on__lte=period.end
    )


def _trainings(period: Period) -> QuerySet[Training]:
    return Training.objects.filter(
        kind=TrainingKind.TRAINING, held_on__gte=period.start, held_on__lte=period.end
    )


def _categories(period: Period) -> QuerySet[Category]:
    return Category.objects.filter(is_active=True, agency__isnull=False)


def _interpretations(period: Period) -> QuerySet[Interpretation]:
    return Interpretation.objects.filter(
        published_on__gte=period.start, published_on__lte=period.end
    )


def _needs_interpretation(period: Period) -> QuerySet[InfoItem]:
    return _published(period).filter(needs_interpretation=True)


def _no_interpretation(period: Period) -> Q:
    return Q(~Exists(Interpretation.objects.filter(document=OuterRef("pk"))))


_ITEM_URL = "publishing:detail"
MEASURES: dict[str, Measure] = {
    m.key: m
    for m in [
        Measure("proactive_timeliness", _("Proactive items published on time (Article 26)"),
                InfoItem, "agency_id", _items_due, lambda p: Q(published_late=True) | Q(status__in=AWAITING),
                url_name=_ITEM_URL),
        Measure("metadata_complete", _("Published items with complete metadata"),
                InfoItem, "agency_id", _published, _metadata_missing, url_name=_ITEM_URL),
        Measure("categories_updated", _("Own catalog categories updated within the period"),
                Category, "agency_id", _categories, _stale),
        Measure("review_recorded", _("Published items with their review recorded"),
                InfoItem, "agency_id", _published, _reviews_missing, url_name=_ITEM_URL),
        Measure("interpretation_coverage", _("Documents needing an interpretation that have one"),
                InfoItem, "agency_id", _needs_interpretation, _no_interpretation, url_name=_ITEM_URL),
        Measure("interpretation_timeliness", _("Interpretations published with their document"),
                Interpretation, "document__agency_id", _interpretations, lambda p: Q(late=True)),
        Measure("request_timeliness", _("Requests answered within the period (Article 33)"),
                Application, "agency_id", _requests_due, _request_late, url_name="foi:detail"),
        Measure("correction_timeliness", _("Correction notices within 7 working days (Article 30)"),
                Event, "application__agency_id", _corrections,
                lambda p: Q(data__late__rule=LateRule.CORRECTION_NOTICE)),
        Measure("remedy_clause", _("Decision letters with the remedy clause"),
                Letter, "application__agency_id", _letters, _clause_missing),
        Measure("remedies_upheld", _("Reviews and lawsuits decided without correction"),
                Remedy, "application__agency_id", _remedies,
                lambda p: Q(result=RemedyResult.CORRECTED)),
        Measure("annual_report_on_time", _("Annual report published on time (Article 49)"),
                Agency, "id", _agencies, _report_late),
        Measure("annual_report_balanced", _("Annual report published with balanced tables"),
                Agency, "id", _agencies, _report_unbalanced),
        Measure("annual_report_not_copied", _("Annual report not copied from the year before"),
                Agency, "id", _agencies, _report_copied),
        Measure("consultation_period", _("Consultations with the full comment period"),
                Consultation, "agency_id", _consultations, _short_period),
        Measure("consultation_feedback", _("Closed consultations with published feedback"),
                Consultation, "agency_id", _consultations_closed, _no_feedback),
        Measure("proposal_published", _("Public NPC/CPPCC replies published"),
                Proposal, "agency_id", _proposals, _not_published),
        Measure("proposal_timeliness",
                _("Public NPC/CPPCC replies published within 20 working days"),
                Proposal, "agency_id", _proposals_due, _proposal_late),
        Measure("hotline_on_time", _("Hotline and mailbox messages answered on time"),
                Message, "agency_id", _messages, _message_late),
        Measure("meetings_held", _("Meetings on disclosure work held"),
                Training, "agency_id", _meetings, lambda p: _NONE, value_kind="count", unit=_("times")),
        Measure("trainings_held", _("Training sessions held"),
                Training, "agency_id", _trainings, lambda p: _NONE, value_kind="count", unit=_("times")),
    ]
}  # fmt: skip


def values(
    keys: Iterable[str], agency_ids: AgencyIds, period: Period
) -> dict[str, dict[int, Count]]:
    """{measure key: {agency id: Count}} — one GROUP BY query per measure.

    `agency_ids` may be a queryset of agency ids (``values("pk")``): it is then a
    subquery of each measure's query, which for thousands of agencies is much faster
    than a list of ids sent as parameters (the board passes its scope so)."""
    ids = _ids(agency_ids)
    result: dict[str, dict[int, Count]] = {}
    for key in dict.fromkeys(keys):
        measure = MEASURES[key]
        field = measure.agency_field
        rows = (
            measure.base(period)
            .filter(**{f"{field}__in": ids})
            .values(field)
            .annotate(total=CountAgg("pk"), bad=CountAgg("pk", filter=measure.bad(period)))
            .order_by()
        )
        result[key] = {row[field]: Count(row["total"], row["bad"]) for row in rows}
    return result


def _ids(agency_ids: AgencyIds) -> Any:
    """A queryset stays a (lazy) subquery; anything else becomes a list."""
    return agency_ids if isinstance(agency_ids, QuerySet) else list(agency_ids)


def rollup(per_agency: dict[int, Count], ids: Iterable[int]) -> Count:
    total = Count()
    for pk in ids:
        total += per_agency.get(pk, Count())
    return total


def drilldown(
    key: str, agency_ids: AgencyIds, period: Period, *, bad_only: bool = True
) -> QuerySet[Any]:
    """The rows that made the measure's value for these agencies."""
    measure = MEASURES[key]
    rows = measure.base(period).filter(**{f"{measure.agency_field}__in": _ids(agency_ids)})
    if bad_only:
        rows = rows.filter(measure.bad(period))
    return rows.order_by("pk")


def annual_reports(agency_ids: Iterable[int], period: Period) -> QuerySet[AnnualReport]:
    """The annual reports the report measures read (the drill-down of an agency row)."""
    return AnnualReport.objects.filter(agency_id__in=list(agency_ids), year=_report_year(period))
