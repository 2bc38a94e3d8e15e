"""A case's timeline walked event by event, with one handler per event kind.

The vocabulary of a timeline (event kinds, parties, pause reasons, the event itself) and
the walk over it. `deadlines.compute_deadline` sorts the events, walks them here and
turns the final state into a Deadline. Pure: no database, no clock of its own.

Explanations are collected as (message, parameters) notes while walking and turned into
text only when someone reads them (`Note.render`): bulk recomputation records nothing,
and a case page renders its lines in the language of the request that shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.workdays import periods
from gongkai.workdays.calendar import DayOne, WorkCalendar

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


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


_PAUSE_LABELS: dict[str, _StrPromise] = {
    "correction": gettext_lazy("waiting for the corrected request"),
    "third_party": gettext_lazy("consulting a third party"),
    "agency": gettext_lazy("consulting another agency"),
    "fee": gettext_lazy("waiting for the processing fee"),
}


class PauseReason(StrEnum):
    CORRECTION = "correction"
    THIRD_PARTY = "third_party"
    AGENCY = "agency"
    FEE = "fee"

    @property
    def label(self) -> str:
        return str(self.lazy_label)

    @property
    def lazy_label(self) -> _StrPromise:
        """The label translated when shown (an explanation note keeps this one)."""
        return _PAUSE_LABELS[self.value]


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
    # A step recorded as late (after its own period, or after the reply period), with the
    # office head's approval or on import: the engine accepts it where it would refuse it.
    late: bool = False


class DeadlineError(ValueError):
    """The timeline breaks a rule of the Regulations (the message says which, in Chinese)."""


class Pause(NamedTuple):
    start: date
    end: date | None  # None while still paused
    reason: PauseReason


# -- explanations -------------------------------------------------------------------------

# What a note's parameter may be. All are shown with %s or %d: a date shows as its ISO
# form, and a lazy string (a label, a party) is translated then, in the active language.
Param: TypeAlias = "date | int | str | _StrPromise"


class Note(NamedTuple):
    """One line of the explanation, kept as its msgid and parameters until shown."""

    message: _StrPromise
    params: Mapping[str, Param]

    def render(self) -> str:
        return str(self.message) % self.params


# The msgids are those of the catalogue; each cites its article through a parameter.
RECEIVED_NOTE = gettext_lazy(
    "%(date)s request received (%(receipt)s); reply period %(days)d working days (%(article)s)"
)
CORRECTION_REQUESTED_NOTE = gettext_lazy(
    "%(date)s correction requested; the reply period starts again when the corrected request arrives (%(article)s)"
)
LATE_CORRECTION_NOTICE_NOTE = gettext_lazy(
    "Note: the correction notice came later than %(days)d working days after receipt (%(article)s)"
)
CORRECTION_RECEIVED_NOTE = gettext_lazy(
    "%(date)s corrected request received; the %(days)d working days count again from this day (%(article)s)"
)
CONSULTATION_NOTE = gettext_lazy(
    "%(start)s to %(end)s consulting %(who)s, not counted (%(article)s)"
)
CONSULTATION_LAPSED_NOTE = gettext_lazy(
    "%(date)s the consulted party's %(days)d working days ran out without an answer; the clock runs again (%(article)s)"
)
LATE_ANSWER_NOTE = gettext_lazy(
    "%(date)s a late answer to the consultation arrived; the clock was already running"
)
EXTENSION_NOTE = gettext_lazy(
    "%(date)s extension of %(days)d working days approved by the head of the disclosure office (%(article)s)"
)
FEE_NOTICE_NOTE = gettext_lazy(
    "%(date)s fee notice sent; the applicant pays by %(due)s, and the reply period waits (%(article)s)"
)
FEE_PAID_NOTE = gettext_lazy("%(start)s to %(end)s waiting for the fee, not counted")
_WHO: dict[Party, _StrPromise] = {
    Party.THIRD_PARTY: gettext_lazy("a third party"),
    Party.AGENCY: gettext_lazy("another agency"),
}


# -- the walk -----------------------------------------------------------------------------


class Clock:
    """Working days used so far, in segments between pauses; remembers guessed years."""

    __slots__ = ("calendar", "day_one", "guessed", "segment_start", "used")

    def __init__(self, calendar: WorkCalendar, day_one: DayOne) -> None:
        self.calendar = calendar
        self.day_one = day_one
        self.segment_start: date | None = None
        self.used = 0
        self.guessed: set[int] = set()

    def start(self, day: date) -> None:
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
        value, guessed = self.calendar.provisional_add(start, n, self.day_one)
        if guessed:
            self.guessed.update(guessed)
        return value

    def used_by(self, day: date) -> int:
        if self.segment_start is None:
            return self.used
        return self.used + self.count(self.segment_start, day)

    def due(self, total: int) -> date | None:
        if self.segment_start is None:
            return None
        return self.add(self.segment_start, max(total - self.used, 0))


class Consultation(NamedTuple):
    """A consultation waiting for its answer, and the day its own period runs out."""

    party: Party
    period: periods.Period
    limit: date


class Walk:
    """The state of a case while its events are applied in order."""

    __slots__ = (
        "active",
        "clock",
        "closed_on",
        "closing",
        "consultations",
        "correction_notice_due",
        "correction_until",
        "extension_days",
        "fee_due",
        "lapsed",
        "missed_due",
        "notes",
        "pauses",
        "period_start",
        "received",
    )

    def __init__(self, clock: Clock, start: date, *, explain: bool) -> None:
        self.clock = clock
        # None when not explaining: nothing is recorded, let alone formatted.
        self.notes: list[Note] | None = [] if explain else None
        # Every reason the clock is stopped, by key ("correction", "fee", "c:<ref>"): it runs
        # again only when none is left (第三十三条第三款 and 第三十条 can overlap).
        self.active: dict[str, tuple[date, PauseReason]] = {}
        self.pauses: list[Pause] = []
        # Insertion order is the order they were sent (events are applied by date).
        self.consultations: dict[str, Consultation] = {}
        self.lapsed: list[str] = []  # ended by their own 15 days; an answer may still come
        self.received: date | None = None  # only to refuse a second receipt
        self.period_start = start  # receipt, or the corrected request (第三十条)
        self.correction_until: date | None = None
        self.correction_notice_due: date | None = None
        self.fee_due: date | None = None
        self.extension_days = 0
        self.closed_on: date | None = None
        self.closing = EventKind.REPLIED
        # The due date that passed while the clock ran, the first time a step came after
        # it. Kept for good: a later correction restarting the clock, a pause or an
        # extension does not make the case timely again (the laundering of issue 17).
        self.missed_due: date | None = None

    def say(self, message: _StrPromise, params: Mapping[str, Param]) -> None:
        if self.notes is not None:
            self.notes.append(Note(message, params))

    def apply(self, event: TimelineEvent) -> None:
        if self.closed_on is not None:
            raise DeadlineError(
                _("No step can follow the reply (%(date)s).") % {"date": self.closed_on}
            )
        if self.consultations:
            self.expire_consultations(event.on)
        if self.missed_due is None and not self.active and self.received is not None:
            self.check_period(event.on)
        HANDLERS[event.kind](self, event)

    def check_period(self, day: date) -> None:
        """Remember the due date if `day` comes after it while the clock is running."""
        clock = self.clock
        left = periods.REPLY.days + self.extension_days - clock.used
        start = clock.segment_start
        # n working days take at least n - 1 calendar days: most steps come well within
        # the period, and this spares them the arithmetic (bench/workdays.py).
        if start is None or day.toordinal() - start.toordinal() < left - 1:
            return
        due = clock.due(periods.REPLY.days + self.extension_days)
        if due is not None and day > due:
            self.missed_due = due

    # -- pauses ---------------------------------------------------------------------------
    def begin_pause(self, key: str, day: date, reason: PauseReason) -> None:
        if not self.active:
            self.clock.stop(day)
        self.active[key] = (day, reason)

    def end_pause(self, key: str, day: date, *, restart: bool = False) -> date:
        start, reason = self.active.pop(key)
        self.pauses.append(Pause(start, day, reason))
        if restart:
            self.clock.used = 0
        if not self.active:
            self.clock.start(day)
        return start

    def close_consultation(self, ref: str, day: date) -> None:
        sent = self.consultations.pop(ref)
        start = self.end_pause(f"c:{ref}", day)
        self.say(
            CONSULTATION_NOTE,
            {
                "start": start,
                "end": day,
                "who": _WHO[sent.party],
                "article": periods.CONSULTATION_NOT_COUNTED,
            },
        )

    def expire_consultations(self, before: date) -> None:
        """Consultations whose own period ran out before `before` end by themselves."""
        for ref, sent in list(self.consultations.items()):
            if sent.limit < before:
                del self.consultations[ref]
                self.lapsed.append(ref)
                self.end_pause(f"c:{ref}", sent.limit)
                self.say(
                    CONSULTATION_LAPSED_NOTE,
                    {"date": sent.limit, "days": sent.period.days, "article": sent.period.article},
                )


# -- one handler per event kind -------------------------------------------------------------


def on_received(walk: Walk, event: TimelineEvent) -> None:
    """第三十一条: the clock starts at receipt; 第三十三条第二款: 20 working days."""
    if walk.received is not None:
        raise DeadlineError(_("The request can be received only once."))
    walk.received = walk.period_start = event.on
    walk.clock.start(event.on)
    if walk.notes is not None:
        walk.correction_notice_due = walk.clock.add(event.on, periods.CORRECTION_NOTICE.days)
        walk.say(
            RECEIVED_NOTE,
            {
                "date": event.on,
                "receipt": periods.RECEIPT_ARTICLE,
                "days": periods.REPLY.days,
                "article": periods.REPLY.article,
            },
        )


def on_correction_requested(walk: Walk, event: TimelineEvent) -> None:
    """第三十条: a correction notice stops the clock; it is due within 7 working days."""
    if "correction" in walk.active:
        raise DeadlineError(_("A correction has already been requested and not yet received."))
    late = walk.clock.count(walk.period_start, event.on) > periods.CORRECTION_NOTICE.days
    walk.begin_pause("correction", event.on, PauseReason.CORRECTION)
    walk.correction_until = event.until
    walk.say(
        CORRECTION_REQUESTED_NOTE, {"date": event.on, "article": periods.CORRECTION_NOTICE.article}
    )
    if late:
        walk.say(
            LATE_CORRECTION_NOTICE_NOTE,
            {"days": periods.CORRECTION_NOTICE.days, "article": periods.CORRECTION_NOTICE.article},
        )


def on_correction_received(walk: Walk, event: TimelineEvent) -> None:
    """第三十条: the period counts again from zero, and any extension lapses with it."""
    if "correction" not in walk.active:
        raise DeadlineError(_("A corrected request can only follow a correction notice."))
    walk.end_pause("correction", event.on, restart=True)
    walk.period_start = event.on
    walk.extension_days = 0
    walk.correction_until = None
    walk.say(
        CORRECTION_RECEIVED_NOTE,
        {
            "date": event.on,
            "days": periods.REPLY.days,
            "article": periods.CORRECTION_NOTICE.article,
        },
    )


def on_consultation_sent(walk: Walk, event: TimelineEvent) -> None:
    """第三十二条, 第三十四条: the clock waits (第三十三条第三款) for at most 15 working days."""
    ref = event.ref or f"#{len(walk.consultations) + len(walk.lapsed)}-{event.on.isoformat()}"
    if event.party == Party.THIRD_PARTY:
        reason, period = PauseReason.THIRD_PARTY, periods.THIRD_PARTY_OPINION
    else:
        reason, period = PauseReason.AGENCY, periods.AGENCY_OPINION
    walk.begin_pause(f"c:{ref}", event.on, reason)
    # The addressee's days count from its receipt of the letter (第三十二条).
    limit = walk.clock.add(event.received or event.on, period.days)
    walk.consultations[ref] = Consultation(event.party, period, limit)


def on_consultation_closed(walk: Walk, event: TimelineEvent) -> None:
    """An answer (or the office's note that none came) ends that consultation's pause."""
    if event.ref in walk.consultations:
        walk.close_consultation(event.ref, event.on)
    elif event.ref in walk.lapsed or (not event.ref and not walk.consultations and walk.lapsed):
        # A late answer: that consultation's pause already ended when its 15 days ran out.
        walk.lapsed.remove(event.ref or walk.lapsed[0])
        walk.say(LATE_ANSWER_NOTE, {"date": event.on})
    elif not event.ref and walk.consultations:
        walk.close_consultation(next(iter(walk.consultations)), event.on)
    else:
        raise DeadlineError(_("An answer to a consultation needs a consultation that was sent."))


def on_extension_approved(walk: Walk, event: TimelineEvent) -> None:
    """第三十三条第二款: one extension of at most 20 working days, while the period runs.

    One approved after the period ended is a late step (gongkai.foi.actions refuses it
    in the office without the office head's approval of the delay, and an import marks
    it): it lengthens the period, but the case stays overdue (Walk.missed_due).
    """
    refusal = periods.extension_refusal(
        event.days,
        already_extended=bool(walk.extension_days),
        used=None if event.late else walk.clock.used_by(event.on),
    )
    if refusal is not None:
        raise DeadlineError(refusal)
    walk.extension_days = event.days
    walk.say(
        EXTENSION_NOTE,
        {"date": event.on, "days": event.days, "article": periods.EXTENSION_MAX.article},
    )


def on_fee_notice_sent(walk: Walk, event: TimelineEvent) -> None:
    """109号: the clock waits for payment, due 20 working days after the notice arrives."""
    if "fee" in walk.active:
        raise DeadlineError(_("A fee notice has already been sent for this application."))
    walk.begin_pause("fee", event.on, PauseReason.FEE)
    walk.fee_due = walk.clock.add(event.received or event.on, periods.FEE_PAYMENT.days)
    walk.say(
        FEE_NOTICE_NOTE,
        {"date": event.on, "due": walk.fee_due, "article": periods.FEE_PAYMENT.article},
    )


def on_fee_paid(walk: Walk, event: TimelineEvent) -> None:
    if "fee" not in walk.active:
        raise DeadlineError(_("A payment can only follow a fee notice."))
    start = walk.end_pause("fee", event.on)
    walk.fee_due = None
    walk.say(FEE_PAID_NOTE, {"start": start, "end": event.on})


def on_closing(walk: Walk, event: TimelineEvent) -> None:
    """A reply, a withdrawal or a closing without reply ends the timeline."""
    walk.closed_on = event.on
    walk.closing = event.kind


Handler: TypeAlias = Callable[[Walk, TimelineEvent], None]

HANDLERS: Mapping[EventKind, Handler] = {
    EventKind.RECEIVED: on_received,
    EventKind.CORRECTION_REQUESTED: on_correction_requested,
    EventKind.CORRECTION_RECEIVED: on_correction_received,
    EventKind.CONSULTATION_SENT: on_consultation_sent,
    EventKind.CONSULTATION_ANSWERED: on_consultation_closed,
    EventKind.CONSULTATION_EXPIRED: on_consultation_closed,
    EventKind.EXTENSION_APPROVED: on_extension_approved,
    EventKind.FEE_NOTICE_SENT: on_fee_notice_sent,
    EventKind.FEE_PAID: on_fee_paid,
    EventKind.REPLIED: on_closing,
    EventKind.WITHDRAWN: on_closing,
    EventKind.CLOSED: on_closing,
}
