"""A year's figures of the records for one agency or a subtree: what the annual report's
sections 一 and 六 say about them (gongkai.annual.narrative), and the trends."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from gongkai.records.models import (
    Comment,
    Concern,
    Consultation,
    Handling,
    Message,
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
