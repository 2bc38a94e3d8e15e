"""The deadline engine: a case's timeline in, its due date and the reasons out.

Pure: it takes events and a WorkCalendar and never touches the database, so the same
function serves one case page and the bulk recompute of every open case after a
calendar change. Each explanation line cites its article.

The clock (第三十三条):
- starts when the request is received (第三十一条), 20 working days;
- a correction notice (第三十条) stops it; it restarts from zero when the corrected
  request arrives;
- consultations of third parties (第三十二条) or other agencies (第三十四条) pause it
  (第三十三条第三款) until answered, or until their own 15 working days run out;
- a fee notice pauses it until payment (国办函〔2020〕109号; the pause itself is
  provincial practice, the national text being unconfirmed, see regulation-notes §4);
- one extension of at most 20 working days, approved by the office head, lengthens it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from operator import attrgetter
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.workdays import periods
from gongkai.workdays.calendar import DayOne, WorkCalendar


class EventKind(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CONSULTATION_SENT = "consultation_sent"
    CONSULTATION_ANSWERED = "consultation_answered"
    CONSULTATION_EXPIRED = "consultation_expired"
    EXTENSION_APPROVED = "extension_approved"
    FEE_NOTICE_SENT = "fee_notice_sent"
    FEE_PAID = "fee_paid"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"  # the applicant withdrew: the case ends without a reply
    CLOSED = "closed"  # ended without a reply (correction or fee not supplied in time)


class PauseReason(StrEnum):
    CORRECTION = "correction"
    THIRD_PARTY = "third_party"
    AGENCY = "agency"
    FEE = "fee"

    @property
    def label(self) -> str:
        return {
            PauseReason.CORRECTION: _("waiting for the corrected request"),
            PauseReason.THIRD_PARTY: _("consulting a third party"),
            PauseReason.AGENCY: _("consulting another agency"),
            PauseReason.FEE: _("waiting for the processing fee"),
        }[self]


class Party(StrEnum):
    THIRD_PARTY = "third_party"  # 第三十二条
    AGENCY = "agency"  # 第三十四条


@dataclass(frozen=True)
class TimelineEvent:
    kind: EventKind
    on: date
    days: int = 0  # extension length
    party: Party = Party.THIRD_PARTY  # consultations
    ref: str = ""  # pairs a consultation's answer with its sending
    until: date | None = None  # the applicant's correction deadline (第三十条 合理的补正期限)
    # When the addressee received a fee notice or consultation letter, if later than `on`
    # (by post): their periods count from receipt (109号; 第三十二条).
    received: date | None = None


class DeadlineError(ValueError):
    """The timeline breaks a rule of the Regulations (the message says which, in Chinese)."""


class Pause(NamedTuple):
    start: date
    end: date | None  # None while still paused
    reason: PauseReason


@dataclass(slots=True)
class Deadline:
    due: date | None = None  # None while the clock is paused or stopped
    total: int = periods.REPLY.days
    used: int = 0
    remaining: int | None = None
    paused: bool = False
    pauses: list[Pause] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    closed_on: date | None = None
    overdue: bool = False
    abandoned: bool = False
    extension_days: int = 0
    waiting: tuple[PauseReason, ...] = ()  # every reason the clock is stopped now
    correction_notice_due: date | None = None
    guessed_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.guessed_years)

    @property
    def provisional_reason(self) -> str:
        return "；".join(
            _("%(year)d holiday arrangements have not been entered") % {"year": y}
            for y in self.guessed_years
        )


def _d(day: date) -> str:
    return day.isoformat()


class _Clock:
    """Working days used so far, in segments between pauses."""

    __slots__ = ("calendar", "day_one", "guessed", "segment_start", "used")

    def __init__(self, calendar: WorkCalendar, day_one: DayOne) -> None:
        self.calendar = calendar
        self.day_one = day_one
        self.segment_start: date | None = None
        self.used = 0
        self.guessed: set[int] = set()

    @property
    def running(self) -> bool:
        return self.segment_start is not None

    def start(self, day: date, *, reset: bool = False) -> None:
        if reset:
            self.used = 0
        self.segment_start = day

    def stop(self, day: date) -> None:
        if self.segment_start is not None:
            self.used += self.count(self.segment_start, day)
            self.segment_start = None

    def count(self, start: date, end: date) -> int:
        n, guessed = self.calendar.provisional_count(start, end, self.day_one)
        if guessed:
            self.guessed.update(guessed)
        return n

    def add(self, start: date, n: int) -> date:
        result = self.calendar.provisional_add(start, n, self.day_one)
        if result.guessed_years:
            self.guessed.update(result.guessed_years)
        return result.value

    def used_by(self, day: date) -> int:
        if self.segment_start is None:
            return self.used
        return self.used + self.count(self.segment_start, day)

    def due(self, total: int) -> date | None:
        if self.segment_start is None:
            return None
        return self.add(self.segment_start, max(total - self.used, 0))


def _just_received(
    received: date, calendar: WorkCalendar, today: date, day_one: DayOne
) -> Deadline:
    """compute_deadline(explain=False) for a case with only its receipt: most open cases.

    Same result as the general path (tests/workdays/test_deadlines.py checks that), without
    its bookkeeping, which dominates the bulk recomputation after a calendar edit.
    """
    due, guessed_due = calendar.provisional_add(received, periods.REPLY.days, day_one)
    used, guessed_used = calendar.provisional_count(received, today, day_one)
    return Deadline(
        due=due,
        used=used,
        remaining=max(periods.REPLY.days - used, 0),
        overdue=today > due,
        guessed_years=tuple(sorted({*guessed_due, *guessed_used}))
        if guessed_due or guessed_used
        else (),
    )


def compute_deadline(
    events: Sequence[TimelineEvent],
    calendar: WorkCalendar,
    *,
    today: date,
    day_one: DayOne = DayOne.AFTER_EVENT,
    explain: bool = True,
) -> Deadline:
    """Due date, days used and remaining, pauses and explanation of one case.

    `explain=False` (for bulk recomputation) skips the explanation lines and the date
    by which a correction notice is due.
    """
    if not explain and len(events) == 1 and events[0].kind is EventKind.RECEIVED:
        return _just_received(events[0].on, calendar, today, day_one)
    ordered = sorted(events, key=attrgetter("on"))  # stable: same-day events keep their order
    if not ordered or ordered[0].kind != EventKind.RECEIVED:
        raise DeadlineError(_("A timeline must begin with the receipt of the request."))

    result = Deadline()
    clock = _Clock(calendar, day_one)
    lines = result.lines
    # Every reason the clock is stopped, by key ("correction", "fee", "c:<ref>"): it runs
    # again only when none is left (第三十三条第三款 and 第三十条 can overlap).
    active: dict[str, tuple[date, PauseReason]] = {}
    open_consultations: dict[str, TimelineEvent] = {}
    lapsed_consultations: list[str] = []  # ended by their own 15 days; an answer may still come
    received: date | None = None  # only to refuse a second receipt
    period_start = ordered[0].on  # receipt, or the corrected request (第三十条)
    correction_until: date | None = None
    fee_due: date | None = None
    closing = EventKind.REPLIED

    def say(message: str, params: dict[str, object]) -> None:
        # Callers check `explain` first: translating and formatting cost more than the
        # arithmetic, and bulk recomputation wants neither.
        lines.append(
            _(message) % {k: _d(v) if isinstance(v, date) else v for k, v in params.items()}
        )

    def begin_pause(key: str, day: date, reason: PauseReason) -> None:
        if not active:
            clock.stop(day)
        active[key] = (day, reason)

    def end_pause(key: str, day: date, *, restart: bool = False) -> date:
        start, reason = active.pop(key)
        result.pauses.append(Pause(start, day, reason))
        if restart:
            clock.used = 0
        if not active:
            clock.start(day)
        return start

    def close_consultation(ref: str, day: date) -> None:
        sent = open_consultations.pop(ref)
        start = end_pause(f"c:{ref}", day)
        if explain:
            who = _("a third party") if sent.party == Party.THIRD_PARTY else _("another agency")
            say(
                gettext_noop("%(start)s to %(end)s consulting %(who)s, not counted (%(article)s)"),
                {
                    "start": start,
                    "end": day,
                    "who": who,
                    "article": periods.CONSULTATION_NOT_COUNTED,
                },
            )

    def expire_consultations(before: date) -> None:
        """Consultations whose 15 working days ran out before `before` end by themselves."""
        if not open_consultations:
            return
        # Insertion order is the order they were sent (events are sorted by date).
        for ref, sent in list(open_consultations.items()):
            period = (
                periods.THIRD_PARTY_OPINION
                if sent.party == Party.THIRD_PARTY
                else periods.AGENCY_OPINION
            )
            limit = clock.add(sent.received or sent.on, period.days)
            if limit < before:
                del open_consultations[ref]
                lapsed_consultations.append(ref)
                end_pause(f"c:{ref}", limit)
                if explain:
                    say(
                        gettext_noop(
                            "%(date)s the consulted party's %(days)d working days ran out without an answer; the clock runs again (%(article)s)"
                        ),
                        {"date": limit, "days": period.days, "article": period.article},
                    )

    for event in ordered:
        if result.closed_on is not None:
            raise DeadlineError(
                _("No step can follow the reply (%(date)s).") % {"date": result.closed_on}
            )
        expire_consultations(event.on)
        kind = event.kind
        if kind == EventKind.RECEIVED:
            if received is not None:
                raise DeadlineError(_("The request can be received only once."))
            received = event.on
            clock.start(event.on)
            if explain:
                result.correction_notice_due = clock.add(event.on, periods.CORRECTION_NOTICE.days)
                say(
                    gettext_noop(
                        "%(date)s request received (%(receipt)s); reply period %(days)d working days (%(article)s)"
                    ),
                    {
                        "date": event.on,
                        "receipt": periods.RECEIPT_ARTICLE,
                        "days": periods.REPLY.days,
                        "article": periods.REPLY.article,
                    },
                )
        elif kind == EventKind.CORRECTION_REQUESTED:
            if "correction" in active:
                raise DeadlineError(
                    _("A correction has already been requested and not yet received.")
                )
            late = clock.count(period_start, event.on) > periods.CORRECTION_NOTICE.days
            begin_pause("correction", event.on, PauseReason.CORRECTION)
            correction_until = event.until
            if explain:
                say(
                    gettext_noop(
                        "%(date)s correction requested; the reply period starts again when the corrected request arrives (%(article)s)"
                    ),
                    {"date": event.on, "article": periods.CORRECTION_NOTICE.article},
                )
            if late and explain:
                say(
                    gettext_noop(
                        "Note: the correction notice came later than %(days)d working days after receipt (%(article)s)"
                    ),
                    {
                        "days": periods.CORRECTION_NOTICE.days,
                        "article": periods.CORRECTION_NOTICE.article,
                    },
                )
        elif kind == EventKind.CORRECTION_RECEIVED:
            if "correction" not in active:
                raise DeadlineError(_("A corrected request can only follow a correction notice."))
            end_pause("correction", event.on, restart=True)
            period_start = event.on
            result.extension_days = 0
            correction_until = None
            if explain:
                say(
                    gettext_noop(
                        "%(date)s corrected request received; the %(days)d working days count again from this day (%(article)s)"
                    ),
                    {
                        "date": event.on,
                        "days": periods.REPLY.days,
                        "article": periods.CORRECTION_NOTICE.article,
                    },
                )
        elif kind == EventKind.CONSULTATION_SENT:
            ref = (
                event.ref
                or f"#{len(open_consultations) + len(lapsed_consultations)}-{event.on.isoformat()}"
            )
            reason = (
                PauseReason.THIRD_PARTY if event.party == Party.THIRD_PARTY else PauseReason.AGENCY
            )
            begin_pause(f"c:{ref}", event.on, reason)
            open_consultations[ref] = event
        elif kind in (EventKind.CONSULTATION_ANSWERED, EventKind.CONSULTATION_EXPIRED):
            if event.ref in open_consultations:
                close_consultation(event.ref, event.on)
            elif event.ref in lapsed_consultations or (
                not event.ref and not open_consultations and lapsed_consultations
            ):
                # A late answer: that consultation's pause already ended when its 15 days ran out.
                lapsed_consultations.remove(event.ref or lapsed_consultations[0])
                if explain:
                    say(
                        gettext_noop(
                            "%(date)s a late answer to the consultation arrived; the clock was already running"
                        ),
                        {"date": event.on},
                    )
            elif not event.ref and open_consultations:
                close_consultation(next(iter(open_consultations)), event.on)
            else:
                raise DeadlineError(
                    _("An answer to a consultation needs a consultation that was sent.")
                )
        elif kind == EventKind.EXTENSION_APPROVED:
            if result.extension_days:
                raise DeadlineError(
                    _("The reply period can be extended only once (%(article)s).")
                    % {"article": periods.EXTENSION_MAX.article}
                )
            if not 0 < event.days <= periods.EXTENSION_MAX.days:
                raise DeadlineError(
                    _("An extension can be at most %(days)d working days (%(article)s).")
                    % {"days": periods.EXTENSION_MAX.days, "article": periods.EXTENSION_MAX.article}
                )
            if clock.used_by(event.on) > periods.REPLY.days:
                # 第三十三条 extends a period that is still running, not one that has ended.
                raise DeadlineError(
                    _(
                        "The reply period had already ended; it can no longer be extended (%(article)s)."
                    )
                    % {"article": periods.EXTENSION_MAX.article}
                )
            result.extension_days = event.days
            if explain:
                say(
                    gettext_noop(
                        "%(date)s extension of %(days)d working days approved by the head of the disclosure office (%(article)s)"
                    ),
                    {
                        "date": event.on,
                        "days": event.days,
                        "article": periods.EXTENSION_MAX.article,
                    },
                )
        elif kind == EventKind.FEE_NOTICE_SENT:
            if "fee" in active:
                raise DeadlineError(_("A fee notice has already been sent for this application."))
            begin_pause("fee", event.on, PauseReason.FEE)
            fee_due = clock.add(event.received or event.on, periods.FEE_PAYMENT.days)
            if explain:
                say(
                    gettext_noop(
                        "%(date)s fee notice sent; the applicant pays by %(due)s, and the reply period waits (%(article)s)"
                    ),
                    {"date": event.on, "due": fee_due, "article": periods.FEE_PAYMENT.article},
                )
        elif kind == EventKind.FEE_PAID:
            if "fee" not in active:
                raise DeadlineError(_("A payment can only follow a fee notice."))
            start = end_pause("fee", event.on)
            fee_due = None
            if explain:
                say(
                    gettext_noop("%(start)s to %(end)s waiting for the fee, not counted"),
                    {"start": start, "end": event.on},
                )
        elif kind in (EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.CLOSED):
            result.closed_on = event.on
            closing = kind

    end = result.closed_on or today
    if result.closed_on is None:
        expire_consultations(today)
    result.total = periods.REPLY.days + result.extension_days
    result.paused = bool(active) and result.closed_on is None
    result.waiting = tuple(reason for _start, reason in active.values())
    for start, reason in active.values():
        result.pauses.append(Pause(start, None, reason))
    result.used = clock.used_by(end)
    # None while paused; a reply given during a pause is within the period by definition.
    result.due = clock.due(result.total)
    result.remaining = max(result.total - result.used, 0) if result.closed_on is None else None

    if (
        "correction" in active
        and correction_until is not None
        and result.closed_on is None
        and today > correction_until
    ):
        result.abandoned = True
        if explain:
            say(
                gettext_noop(
                    "%(date)s the correction deadline passed without a corrected request: the request counts as withdrawn (%(article)s)"
                ),
                {"date": correction_until, "article": periods.CORRECTION_NOTICE.article},
            )
    if fee_due is not None and result.closed_on is None and today > fee_due:
        result.abandoned = True
        if explain:
            say(
                gettext_noop(
                    "%(date)s the fee was not paid in time: the request counts as withdrawn (%(article)s)"
                ),
                {"date": fee_due, "article": periods.FEE_PAYMENT.article},
            )

    # Late stays late: a pause or a reply after the period ended does not undo it.
    result.overdue = result.used > result.total or (
        result.due is not None and (result.closed_on or today) > result.due
    )
    if result.due is not None:
        if result.closed_on is None and explain:
            say(gettext_noop("Reply due by %(date)s"), {"date": result.due})
    elif result.paused and explain:
        if "correction" in active:
            say(
                gettext_noop(
                    "Waiting for the corrected request; %(days)d working days will count from its arrival"
                ),
                {"days": periods.REPLY.days},
            )
        else:
            say(
                gettext_noop("The clock is paused (%(reason)s) with %(days)d working days left"),
                {"reason": result.waiting[0].label, "days": result.remaining or 0},
            )
    if result.closed_on is not None and explain:
        closing_lines = {
            EventKind.REPLIED: gettext_noop(
                "%(date)s replied, %(used)d of %(total)d working days used"
            ),
            EventKind.WITHDRAWN: gettext_noop(
                "%(date)s the applicant withdrew the request, %(used)d of %(total)d working days used"
            ),
            EventKind.CLOSED: gettext_noop(
                "%(date)s handling ended without a reply, %(used)d of %(total)d working days used"
            ),
        }
        say(
            closing_lines[closing],
            {"date": result.closed_on, "used": result.used, "total": result.total},
        )
    result.guessed_years = tuple(sorted(clock.guessed))
    if result.provisional and explain:
        say(gettext_noop("Provisional: %(reason)s"), {"reason": result.provisional_reason})
    return result


def recompute(
    timelines: Iterable[Sequence[TimelineEvent]],
    calendar: WorkCalendar,
    *,
    today: date,
    day_one: DayOne = DayOne.AFTER_EVENT,
) -> list[Deadline]:
    """Deadlines of many cases at once, without explanations (after a calendar change).

    The cyclic garbage collector is paused meanwhile: the results hold no cycles, and
    its passes over 100,000 fresh objects would cost more than the arithmetic.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [
            compute_deadline(events, calendar, today=today, day_one=day_one, explain=False)
            for events in timelines
        ]
    finally:
        if was_enabled:
            gc.enable()
