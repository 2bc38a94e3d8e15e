"""A year's figures of the records for one agency or a subtree: what the annual report's
sections 一 and 六 say about them (gongkai.annual.narrative), and the trends."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from gongkai.records.models import (
    MESSAGE_REPLY_DAYS,
    Comment,
    Concern,
    Consultation,
    Handling,
    Message,
    MessageCategory,
    MessageChannel,
    PressEvent,
    PressKind,
    Proposal,
    ProposalKind,
    RecordSettings,
    ReplyDisclosure,
    Staffing,
    Training,
    TrainingKind,
)


@dataclass
class YearFigures:
    consultations: int = 0
    comments: int = 0
    adopted: int = 0
    feedback_published: int = 0
    concerns: int = 0
    concerns_late: int = 0
    concern_topics: list[str] = field(default_factory=list)
    messages: int = 0
    messages_answered: int = 0
    messages_on_time: int = 0
    messages_by_channel: dict[str, int] = field(default_factory=dict)
    press_conferences: int = 0
    interviews: int = 0
    principal_leader: int = 0
    press_topics: list[str] = field(default_factory=list)
    npc: int = 0
    cppcc: int = 0
    proposals_lead: int = 0
    proposals_co: int = 0
    proposals_answered: int = 0
    proposals_published: int = 0
    meetings: int = 0
    trainings: int = 0
    participants: int = 0
    training_titles: list[str] = field(default_factory=list)
    staffing_years: int = 0
    full_time: int = 0
    part_time: int = 0
    budget: Decimal = Decimal(0)

    def as_counts(self) -> dict[str, int]:
        """The counts of each kind (the trends)."""
        return {
            "consultations": self.consultations,
            "concerns": self.concerns,
            "messages": self.messages,
            "press": self.press_conferences + self.interviews,
            "proposals": self.npc + self.cppcc,
            "training": self.meetings + self.trainings,
        }


def year_figures(agency_ids: Iterable[int], year: int) -> YearFigures:
    ids = list(agency_ids)
    f = YearFigures()
    consultations = Consultation.objects.filter(agency_id__in=ids, opens_on__year=year)
    f.consultations = consultations.count()
    online = Comment.objects.filter(consultation__in=consultations).count()
    sums = consultations.aggregate(
        offline=Sum("offline_comments"),
        adopted=Sum("adopted_comments", filter=Q(feedback_published_at__isnull=False)),
        feedback=Count("id", filter=Q(feedback_published_at__isnull=False)),
    )
    f.comments = online + (sums["offline"] or 0)
    f.adopted = sums["adopted"] or 0
    f.feedback_published = sums["feedback"]

    rules = {r.agency_id: r for r in RecordSettings.objects.filter(agency_id__in=ids)}
    concerns = list(
        Concern.objects.filter(agency_id__in=ids, noticed_at__year=year)
        .select_related("agency")
        .order_by("noticed_at")
    )
    f.concerns = len(concerns)
    f.concerns_late = sum(1 for c in concerns if c.is_late(rules.get(c.agency_id)))
    f.concern_topics = [c.topic for c in concerns[:3]]

    messages = list(
        Message.objects.filter(agency_id__in=ids, received_at__year=year).select_related("agency")
    )
    f.messages = len(messages)
    answered = [m for m in messages if m.answered_at is not None]
    f.messages_answered = len(answered)
    f.messages_on_time = sum(1 for m in answered if not m.is_late(rules.get(m.agency_id)))
    for m in messages:
        label = str(m.get_channel_display())
        f.messages_by_channel[label] = f.messages_by_channel.get(label, 0) + 1

    press = PressEvent.objects.filter(agency_id__in=ids, held_on__year=year)
    f.press_conferences = press.filter(kind=PressKind.PRESS_CONFERENCE).count()
    f.interviews = press.filter(kind=PressKind.ONLINE_INTERVIEW).count()
    f.principal_leader = press.filter(principal_leader=True).count()
    f.press_topics = list(press.order_by("held_on").values_list("topic", flat=True)[:3])

    proposals = Proposal.objects.filter(agency_id__in=ids, received_on__year=year)
    f.npc = proposals.filter(kind=ProposalKind.NPC).count()
    f.cppcc = proposals.filter(kind=ProposalKind.CPPCC).count()
    f.proposals_lead = proposals.filter(handling=Handling.LEAD).count()
    f.proposals_co = proposals.filter(handling=Handling.CO).count()
    f.proposals_answered = proposals.filter(answered_on__isnull=False).count()
    f.proposals_published = (
        proposals.filter(published_on__isnull=False)
        .exclude(disclosure=ReplyDisclosure.NOT_PUBLIC)
        .count()
    )

    training = Training.objects.filter(agency_id__in=ids, held_on__year=year)
    f.meetings = training.filter(kind=TrainingKind.MEETING).count()
    f.trainings = training.filter(kind=TrainingKind.TRAINING).count()
    f.participants = training.aggregate(n=Sum("participants"))["n"] or 0
    f.training_titles = list(
        training.filter(kind=TrainingKind.TRAINING)
        .order_by("held_on")
        .values_list("title", flat=True)[:3]
    )

    staffing = Staffing.objects.filter(agency_id__in=ids, year=year).aggregate(
        n=Count("id"), full=Sum("full_time"), part=Sum("part_time"), budget=Sum("budget")
    )
    f.staffing_years = staffing["n"]
    f.full_time = staffing["full"] or 0
    f.part_time = staffing["part"] or 0
    f.budget = staffing["budget"] or Decimal(0)
    return f


# ---- the portal's monthly summary of hotline and mailbox messages -------------------------


@dataclass
class MessageSummary:
    """The messages received in a period, counted in SQL (gongkai.portal.hotline)."""

    received: int = 0
    answered: int = 0
    on_time: int = 0
    # Answered after the limit, or unanswered past it (Message.is_late at `now`).
    late: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        """On time among the messages whose limit has passed or that were answered; None
        while none is due."""
        due = self.on_time + self.late
        return round(100 * self.on_time / due, 1) if due else None


def _limits(agency_ids: list[int]) -> dict[int, list[int]]:
    """Reply limit in days → the agencies that set one other than the default (those
    without settings, or with the default, fall under it in _by_limit)."""
    groups: dict[int, list[int]] = {}
    for agency_id, days in RecordSettings.objects.filter(agency_id__in=agency_ids).values_list(
        "agency_id", "message_reply_days"
    ):
        if days != MESSAGE_REPLY_DAYS:
            groups.setdefault(days, []).append(agency_id)
    return groups


def _by_limit(groups: dict[int, list[int]], condition: Callable[[timedelta], Q]) -> Q:
    """`condition(limit)` for each agency's own reply limit, as one SQL condition: the
    limits differ by agency, but only a few values occur."""
    others = [a for ids in groups.values() for a in ids]
    combined = ~Q(agency_id__in=others) & condition(timedelta(days=MESSAGE_REPLY_DAYS))
    for days, ids in groups.items():
        combined |= Q(agency_id__in=ids) & condition(timedelta(days=days))
    return combined


def message_summary(
    agency_ids: Iterable[int], start: datetime, end: datetime, now: datetime
) -> MessageSummary:
    """Messages received in [start, end) by the agencies: three grouped queries."""
    ids = list(agency_ids)
    messages = Message.objects.filter(
        agency_id__in=ids, received_at__gte=start, received_at__lt=end
    )
    groups = _limits(ids)
    on_time = _by_limit(groups, lambda limit: Q(answered_at__lte=F("received_at") + limit))
    late = _by_limit(
        groups,
        lambda limit: (
            Q(answered_at__gt=F("received_at") + limit)
            | Q(answered_at__isnull=True, received_at__lt=now - limit)
        ),
    )
    totals = messages.aggregate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count("id", filter=on_time),
        late=Count("id", filter=late),
    )
    summary = MessageSummary(**totals)
    labels = dict(MessageCategory.choices)
    for value, n in messages.values_list("category").annotate(n=Count("id")).order_by("category"):
        summary.by_category[str(labels.get(value, value))] = n
    labels = dict(MessageChannel.choices)
    for value, n in messages.values_list("channel").annotate(n=Count("id")).order_by("channel"):
        summary.by_channel[str(labels.get(value, value))] = n
    return summary


def message_months(agency_ids: Iterable[int], year: int, tz: tzinfo) -> dict[int, int]:
    """Month → messages received in that month of `year` (local time), grouped in SQL."""
    rows = (
        Message.objects.filter(agency_id__in=list(agency_ids), received_at__year=year)
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return {month.month: n for month, n in rows}
