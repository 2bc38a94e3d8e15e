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
- one extension of at most 20 working days, approved by the office head, lengthens it
  (the rule itself: periods.extension_refusal).

How: the events are sorted and walked in timeline.py, one handler per event kind; this
module turns where the walk ends into a Deadline (`_settle`). The explanation is kept as
notes, (msgid, parameters) pairs, and rendered by `Deadline.lines` only when read, so
bulk recomputation (`explain=False`) records and formats nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.workdays import periods
from gongkai.workdays.calendar import DayOne, WorkCalendar
from gongkai.workdays.timeline import (
    Clock,
    DeadlineError,
    EventKind,
    Note,
    Party,
    Pause,
    PauseReason,
    TimelineEvent,
    Walk,
)

__all__ = [
    "Deadline",
    "DeadlineError",
    "EventKind",
    "Note",
    "Party",
    "Pause",
    "PauseReason",
    "TimelineEvent",
    "compute_deadline",
    "recompute",
]


def _provisional_reason(years: tuple[int, ...]) -> str:
    return "；".join(
        _("%(year)d holiday arrangements have not been entered") % {"year": y} for y in years
    )


# Translated when the explanation is shown, like the notes that carry it.
_lazy_provisional_reason = lazy(_provisional_reason, str)


@dataclass(slots=True)
class Deadline:
    due: date | None = None  # None while the clock is paused or stopped
    total: int = periods.REPLY.days
    used: int = 0
    remaining: int | None = None
    paused: bool = False
    pauses: list[Pause] = field(default_factory=list)
    closed_on: date | None = None
    overdue: bool = False
    abandoned: bool = False
    extension_days: int = 0
    waiting: tuple[PauseReason, ...] = ()  # every reason the clock is stopped now
    correction_notice_due: date | None = None
    # The reply period's due date that a step or the reply came after (Walk.missed_due):
    # once set, the case is overdue for good, whatever restarts or pauses follow.
    missed_due: date | None = None
    replied_late: bool = False  # closed by a reply given after the period (逾期答复)
    guessed_years: tuple[int, ...] = ()
    # The explanation as recorded: rendered into `lines` only when someone reads them.
    notes: list[Note] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """The explanation, one line per step, in the active language."""
        return [note.render() for note in self.notes]

    @property
    def provisional(self) -> bool:
        return bool(self.guessed_years)

    @property
    def provisional_reason(self) -> str:
        return _provisional_reason(self.guessed_years)


CORRECTION_LAPSED_NOTE = gettext_lazy(
    "%(date)s the correction deadline passed without a corrected request: the request counts as withdrawn (%(article)s)"
)
FEE_LAPSED_NOTE = gettext_lazy(
    "%(date)s the fee was not paid in time: the request counts as withdrawn (%(article)s)"
)
DUE_NOTE = gettext_lazy("Reply due by %(date)s")
AWAITING_CORRECTION_NOTE = gettext_lazy(
    "Waiting for the corrected request; %(days)d working days will count from its arrival"
)
PAUSED_NOTE = gettext_lazy("The clock is paused (%(reason)s) with %(days)d working days left")
CLOSING_NOTES = {
    EventKind.REPLIED: gettext_lazy("%(date)s replied, %(used)d of %(total)d working days used"),
    EventKind.WITHDRAWN: gettext_lazy(
        "%(date)s the applicant withdrew the request, %(used)d of %(total)d working days used"
    ),
    EventKind.CLOSED: gettext_lazy(
        "%(date)s handling ended without a reply, %(used)d of %(total)d working days used"
    ),
}
PROVISIONAL_NOTE = gettext_lazy("Provisional: %(reason)s")


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

    `explain=False` (for bulk recomputation) records no explanation and skips the date
    by which a correction notice is due.
    """
    if not explain and len(events) == 1 and events[0].kind is EventKind.RECEIVED:
        return _just_received(events[0].on, calendar, today, day_one)
    ordered = sorted(events, key=attrgetter("on"))  # stable: same-day events keep their order
    if not ordered or ordered[0].kind != EventKind.RECEIVED:
        raise DeadlineError(_("A timeline must begin with the receipt of the request."))
    walk = Walk(Clock(calendar, day_one), ordered[0].on, explain=explain)
    apply = walk.apply
    for event in ordered:
        apply(event)
    return _settle(walk, today)


def _settle(walk: Walk, today: date) -> Deadline:
    """Where the walk leaves the case on `today`: its dates, its state, its last words."""
    closed_on = walk.closed_on
    clock = walk.clock
    active = walk.active
    if closed_on is None and walk.consultations:
        walk.expire_consultations(today)
    total = periods.REPLY.days + walk.extension_days
    pauses = walk.pauses
    waiting: tuple[PauseReason, ...] = ()
    if active:
        waiting = tuple([reason for _start, reason in active.values()])
        pauses.extend([Pause(start, None, reason) for start, reason in active.values()])
    used = clock.used_by(closed_on or today)
    # None while paused; a reply given during a pause is within the period by definition.
    due = clock.due(total)
    result = Deadline(
        due=due,
        total=total,
        used=used,
        remaining=max(total - used, 0) if closed_on is None else None,
        paused=bool(active) and closed_on is None,
        pauses=pauses,
        closed_on=closed_on,
        # Late stays late: a pause, a restart or a reply after the period ended does not
        # undo it.
        overdue=walk.missed_due is not None
        or used > total
        or (due is not None and (closed_on or today) > due),
        missed_due=walk.missed_due,
        extension_days=walk.extension_days,
        waiting=waiting,
        correction_notice_due=walk.correction_notice_due,
    )
    if closed_on is None:
        _judge_abandonment(walk, result, today)
    else:
        result.replied_late = result.overdue and walk.closing is EventKind.REPLIED
    if clock.guessed:
        result.guessed_years = tuple(sorted(clock.guessed))
    if walk.notes is not None:
        _last_words(walk, result)
        result.notes = walk.notes
    return result


def _judge_abandonment(walk: Walk, result: Deadline, today: date) -> None:
    """第三十条 and 109号: a correction or a fee not supplied in time ends the request."""
    until = walk.correction_until
    if "correction" in walk.active and until is not None and today > until:
        result.abandoned = True
        walk.say(
            CORRECTION_LAPSED_NOTE, {"date": until, "article": periods.CORRECTION_NOTICE.article}
        )
    if walk.fee_due is not None and today > walk.fee_due:
        result.abandoned = True
        walk.say(FEE_LAPSED_NOTE, {"date": walk.fee_due, "article": periods.FEE_PAYMENT.article})


def _last_words(walk: Walk, result: Deadline) -> None:
    """The explanation's closing lines: when the reply is due, or why there is no date."""
    if result.due is not None:
        if result.closed_on is None:
            walk.say(DUE_NOTE, {"date": result.due})
    elif result.paused:
        if "correction" in walk.active:
            walk.say(AWAITING_CORRECTION_NOTE, {"days": periods.REPLY.days})
        else:
            walk.say(
                PAUSED_NOTE,
                {"reason": result.waiting[0].lazy_label, "days": result.remaining or 0},
            )
    if result.closed_on is not None:
        walk.say(
            CLOSING_NOTES[walk.closing],
            {"date": result.closed_on, "used": result.used, "total": result.total},
        )
    if result.guessed_years:
        walk.say(PROVISIONAL_NOTE, {"reason": _lazy_provisional_reason(result.guessed_years)})


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
