"""The back office's home page as work queues: what waits for this user, by role.

Each queue is one small query function (tested against the fixed cast in
tests/office/test_queues.py); `for_user` gathers them. Lists are capped (LIMIT) with a
count, so the page stays short; each entry links to where its action is taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.db.models import Count, F, Q, QuerySet

from gongkai.evaluation.models import Rectification, RectificationQuerySet, RectificationStatus
from gongkai.foi import clock
from gongkai.foi.events import ConsultationSentData
from gongkai.foi.models import (
    Application,
    ApplicationQuerySet,
    DeliveryStatus,
    EventKind,
    ExtensionRequest,
    ExtensionRequestStatus,
    Letter,
    LetterStatus,
    Status,
)
from gongkai.foi.reminders import DUE_SOON_DAYS
from gongkai.orgs.models import Agency, AgencyQuerySet, Membership, Role, User, in_subtree
from gongkai.publishing import review
from gongkai.publishing.models import InfoItem, InfoItemQuerySet, ItemStatus
from gongkai.workdays.loading import day_one, get_calendar
from gongkai.workdays.periods import AGENCY_OPINION, THIRD_PARTY_OPINION
from gongkai.workdays.timeline import Party

LIMIT = 20
PUBLICATION_SOON_DAYS = 5  # 第二十六条: items due within five working days


def held(user: User, *roles: str) -> AgencyQuerySet:
    """Agencies where `user` holds one of `roles` itself (a superuser: every agency)."""
    if user.is_superuser:
        return Agency.objects.active()
    return Agency.objects.active().filter(
        pk__in=Membership.objects.filter(user=user, role__in=roles).values("agency_id")
    )


def _working_days_ahead(today: date, days: int) -> date:
    return get_calendar().provisional_add(today, days, day_one()).value


def to_assign(user: User) -> ApplicationQuerySet:
    """待分办: open cases without a handler, for the office heads who assign them."""
    return (
        Application.objects.open()
        .filter(handler=None, agency__in=held(user, Role.OFFICE_HEAD))
        .select_related("agency")
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


def my_cases(user: User) -> ApplicationQuerySet:
    """The user's open cases, the earliest due first (paused ones, without a date, last)."""
    return (
        Application.objects.open()
        .filter(handler=user)
        .select_related("agency")
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


def due_soon_limit(today: date) -> date:
    return _working_days_ahead(today, DUE_SOON_DAYS)


def letters_to_approve(user: User) -> QuerySet[Letter]:
    """Drafts waiting for the office head's approval."""
    return (
        Letter.objects.filter(
            status=LetterStatus.DRAFT, application__agency__in=held(user, Role.OFFICE_HEAD)
        )
        .select_related("application", "drafted_by")
        .order_by("drafted_at", "id")
    )


# An issued letter still without a delivery shows in the queue for this many days; older
# ones (issued before deliveries were recorded) are history.
UNDELIVERED_DAYS = 60


def letters_to_send(user: User, today: date) -> QuerySet[Letter]:
    """Letters of the user's agencies that have not reached their addressee: approved and
    not yet issued, issued without a recorded delivery, or whose e-mail failed."""
    agencies = held(user, Role.OFFICER, Role.OFFICE_HEAD)
    return (
        Letter.objects.filter(application__agency__in=agencies)
        .filter(
            Q(status=LetterStatus.APPROVED)
            | Q(
                status=LetterStatus.ISSUED,
                issued_on__gte=today - timedelta(days=UNDELIVERED_DAYS),
            )
            & ~Q(deliveries__status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.PENDING])
        )
        .annotate(failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)))
        .select_related("application")
        .order_by("-failed", "issued_on", "id")
        .distinct()
    )


def extensions_to_decide(user: User) -> QuerySet[ExtensionRequest]:
    return (
        ExtensionRequest.objects.filter(
            status=ExtensionRequestStatus.PENDING,
            application__agency__in=held(user, Role.OFFICE_HEAD),
        )
        .select_related("application", "requested_by")
        .order_by("requested_at", "id")
    )


def _handled(user: User) -> ApplicationQuerySet:
    """Open cases the user answers for: their own, and every case of agencies they head."""
    own = Application.objects.open().filter(handler=user)
    headed = Application.objects.open().filter(agency__in=held(user, Role.OFFICE_HEAD))
    return (own | headed).distinct().select_related("agency")


def lapsed(user: User, today: date) -> list[Application]:
    """Cases whose correction or fee deadline passed unanswered: to close as （六）1 or
    （六）2 (actions.close_overdue, with its notice)."""
    waiting = _handled(user).filter(status__in=[Status.AWAITING_CORRECTION, Status.AWAITING_FEE])
    return [a for a in waiting if clock.deadline(a, today=today, explain=False).abandoned]


@dataclass(frozen=True)
class LateConsultation:
    application: Application
    sent_on: date
    until: date


def consultations_overdue(user: User, today: date) -> list[LateConsultation]:
    """Consultations unanswered after their 15 working days (第三十二条、第三十四条)."""
    result = []
    calendar = get_calendar()
    for application in _handled(user).filter(status=Status.CONSULTING):
        events = list(
            application.events.filter(
                kind__in=[EventKind.CONSULTATION_SENT, EventKind.CONSULTATION_CLOSED]
            )
        )
        closed = {e.data.get("ref") for e in events if e.kind == EventKind.CONSULTATION_CLOSED}
        for event in events:
            if event.kind != EventKind.CONSULTATION_SENT:
                continue
            data = cast(ConsultationSentData, event.data)
            if data.get("ref") in closed:
                continue
            period = AGENCY_OPINION if data.get("party") == Party.AGENCY else THIRD_PARTY_OPINION
            received = data.get("received_on")
            start = date.fromisoformat(received) if received else event.on
            until = calendar.provisional_add(start, period.days, day_one()).value
            if until < today:
                result.append(LateConsultation(application, event.on, until))
    return result


def items_awaiting_my_review(user: User) -> list[InfoItem]:
    """Catalog items in review whose current stage is one the user reviews
    (publishing.review.stages: the agency's configured stages or the defaults)."""
    items = InfoItem.objects.filter(status=ItemStatus.IN_REVIEW).select_related("agency")
    if not user.is_superuser:
        items = items.filter(agency__in=Agency.objects.filter(memberships__user=user).distinct())
    mine = []
    for item in items.order_by("id"):
        current = next((s for s in review.stages(item) if s.order == item.review_stage), None)
        if current is not None and (
            user.is_superuser
            or Membership.objects.filter(user=user, agency=item.agency, role=current.role).exists()
        ):
            mine.append(item)
    return mine


def publication_due(user: User, today: date) -> InfoItemQuerySet:
    """第二十六条: items to publish within five working days, or already overdue."""
    limit = _working_days_ahead(today, PUBLICATION_SOON_DAYS)
    return (
        InfoItem.objects.awaiting_publication()
        .filter(
            agency__in=held(user, Role.OFFICER, Role.OFFICE_HEAD),
            publish_due_on__lte=limit,
        )
        .select_related("agency")
        .order_by("publish_due_on", "id")
    )


def rectifications_to_answer(user: User) -> RectificationQuerySet:
    """整改: tasks the user's agencies are to answer (issued or returned), the earliest
    deadline first; past it, overdue (highlighted on the page)."""
    return (
        Rectification.objects.awaiting_answer()
        .filter(agency__in=held(user, Role.OFFICER, Role.OFFICE_HEAD))
        .select_related("agency", "indicator")
        .order_by("deadline", "id")
    )


def _below_as_supervisor(user: User) -> Q | None:
    """Agencies strictly below those where the user is a supervisor (not a superuser's
    whole installation: the home page would list everything)."""
    if user.is_superuser:
        return None
    condition = None
    for top in held(user, Role.SUPERVISOR):
        below = in_subtree(top, "agency") & ~Q(agency=top)
        condition = below if condition is None else condition | below
    return condition


def rectifications_overdue_below(user: User, today: date) -> RectificationQuerySet:
    """For supervisors: tasks below them past their deadline and not answered."""
    below = _below_as_supervisor(user)
    if below is None:
        return Rectification.objects.none()
    return (
        Rectification.objects.overdue(today)
        .filter(below)
        .select_related("agency", "indicator")
        .order_by("deadline", "id")
    )


def rectifications_to_accept(user: User) -> RectificationQuerySet:
    """For supervisors: answered tasks below them, to accept or return."""
    below = _below_as_supervisor(user)
    if below is None:
        return Rectification.objects.none()
    return (
        Rectification.objects.filter(below, status=RectificationStatus.ANSWERED)
        .select_related("agency", "indicator")
        .order_by("answered_at", "id")
    )


@dataclass(frozen=True)
class AgencyCounts:
    agency: Agency
    to_assign: int
    open: int
    overdue: int
    paused: int
    publication_overdue: int


def supervised_counts(user: User, today: date) -> list[AgencyCounts]:
    """For supervisors: the same work counted per agency below them."""
    tops = held(user, Role.SUPERVISOR) if not user.is_superuser else Agency.objects.none()
    below: set[int] = set()
    for top in tops:
        below |= set(
            Agency.objects.active().subtree_of(top).exclude(pk=top.pk).values_list("pk", flat=True)
        )
    if not below:
        return []

    def by_agency(queryset: QuerySet[Any]) -> dict[int, int]:
        return {
            row["agency_id"]: row["n"]
            for row in queryset.filter(agency_id__in=below)
            .values("agency_id")
            .annotate(n=Count("id"))
            .order_by()
        }

    open_cases = Application.objects.open()
    to_assign_n = by_agency(open_cases.filter(handler=None))
    open_n = by_agency(open_cases)
    overdue_n = by_agency(Application.objects.overdue(today))
    paused_n = by_agency(open_cases.filter(paused=True))
    publication_n = by_agency(InfoItem.objects.publication_overdue(today))
    return [
        AgencyCounts(
            agency,
            to_assign_n.get(agency.pk, 0),
            open_n.get(agency.pk, 0),
            overdue_n.get(agency.pk, 0),
            paused_n.get(agency.pk, 0),
            publication_n.get(agency.pk, 0),
        )
        for agency in Agency.objects.filter(pk__in=below).order_by("path")
    ]


@dataclass
class Queues:
    today: date
    due_soon_by: date
    to_assign: list[Application] = field(default_factory=list)
    to_assign_count: int = 0
    my_cases: list[Application] = field(default_factory=list)
    my_cases_count: int = 0
    letters: list[Letter] = field(default_factory=list)
    to_send: list[Letter] = field(default_factory=list)
    extensions: list[ExtensionRequest] = field(default_factory=list)
    lapsed: list[Application] = field(default_factory=list)
    consultations: list[LateConsultation] = field(default_factory=list)
    reviews: list[InfoItem] = field(default_factory=list)
    publication: list[InfoItem] = field(default_factory=list)
    supervised: list[AgencyCounts] = field(default_factory=list)
    rectifications: list[Rectification] = field(default_factory=list)
    rectifications_overdue: list[Rectification] = field(default_factory=list)
    rectifications_to_accept: list[Rectification] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.to_assign,
                self.my_cases,
                self.letters,
                self.to_send,
                self.extensions,
                self.lapsed,
                self.consultations,
                self.reviews,
                self.publication,
                self.rectifications,
                self.rectifications_overdue,
                self.rectifications_to_accept,
            )
        )


def for_user(user: User, today: date) -> Queues:
    assign = to_assign(user)
    mine = my_cases(user)
    return Queues(
        today=today,
        due_soon_by=due_soon_limit(today),
        to_assign=list(assign[:LIMIT]),
        to_assign_count=assign.count(),
        my_cases=list(mine[:LIMIT]),
        my_cases_count=mine.count(),
        letters=list(letters_to_approve(user)[:LIMIT]),
        to_send=list(letters_to_send(user, today)[:LIMIT]),
        extensions=list(extensions_to_decide(user)[:LIMIT]),
        lapsed=lapsed(user, today)[:LIMIT],
        consultations=consultations_overdue(user, today)[:LIMIT],
        reviews=items_awaiting_my_review(user)[:LIMIT],
        publication=list(publication_due(user, today)[:LIMIT]),
        supervised=supervised_counts(user, today),
        rectifications=list(rectifications_to_answer(user)[:LIMIT]),
        rectifications_overdue=list(rectifications_overdue_below(user, today)[:LIMIT]),
        rectifications_to_accept=list(rectifications_to_accept(user)[:LIMIT]),
    )
