"""A case's clock, read from its timeline: the deadline engine's view of the events, the
due date with its explanation, and whether a step on a given day would be late or dated
further back than the office may record without approval.

Pure reads: gongkai.foi.actions writes the derived fields (status, due date) and refuses or
marks the steps these rules find late.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import cast

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.foi.events import TimelineData
from gongkai.foi.models import Application, Event, EventKind
from gongkai.workdays import deadlines as engine
from gongkai.workdays import periods
from gongkai.workdays.loading import day_one, get_calendar

# An application's own events map onto the deadline engine's vocabulary.
_ENGINE_KINDS = {
    EventKind.RECEIVED: engine.EventKind.RECEIVED,
    EventKind.CORRECTION_REQUESTED: engine.EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTION_RECEIVED: engine.EventKind.CORRECTION_RECEIVED,
    EventKind.CONSULTATION_SENT: engine.EventKind.CONSULTATION_SENT,
    EventKind.CONSULTATION_CLOSED: engine.EventKind.CONSULTATION_ANSWERED,
    EventKind.EXTENSION_APPROVED: engine.EventKind.EXTENSION_APPROVED,
    EventKind.FEE_NOTICE_SENT: engine.EventKind.FEE_NOTICE_SENT,
    EventKind.FEE_PAID: engine.EventKind.FEE_PAID,
    EventKind.REPLIED: engine.EventKind.REPLIED,
    EventKind.WITHDRAWN: engine.EventKind.WITHDRAWN,
    EventKind.CLOSED_UNANSWERED: engine.EventKind.CLOSED,
}


def engine_events(events: list[Event]) -> list[engine.TimelineEvent]:
    result = []
    for event in events:
        kind = _ENGINE_KINDS.get(EventKind(event.kind))
        if kind is None:
            continue
        data = cast(TimelineData, event.data)
        until = data.get("until")
        received = data.get("received_on")
        result.append(
            engine.TimelineEvent(
                kind=kind,
                on=event.on,
                days=int(data.get("days", 0)),
                party=engine.Party(data.get("party", engine.Party.THIRD_PARTY)),
                ref=str(data.get("ref", "")),
                until=date.fromisoformat(until) if until else None,
                received=date.fromisoformat(received) if received else None,
                late=bool(data.get("late")),
            )
        )
    return result


def deadline(
    application: Application, *, today: date | None = None, explain: bool = True
) -> engine.Deadline:
    """The due date, days used and left, pauses and explanation of one case."""
    return engine.compute_deadline(
        engine_events(list(application.events.order_by("on", "id"))),
        get_calendar(application.agency),
        today=today or timezone.localdate(),
        day_one=day_one(),
        explain=explain,
    )


# The steps that can be late, and the rule each breaks when it is.
LATE_STEPS = (
    EventKind.CORRECTION_REQUESTED,
    EventKind.FEE_NOTICE_SENT,
    EventKind.CONSULTATION_SENT,
    EventKind.EXTENSION_APPROVED,
    EventKind.REPLIED,
)


class LateRule:
    CORRECTION_NOTICE = "correction_notice"  # 第三十条: within 7 working days
    ONE_CORRECTION = "one_correction"  # 第三十条: 一次性告知
    REPLY_PERIOD = "reply_period"  # 第三十三条: after the reply period ended


def lateness(application: Application, kind: str, on: date) -> dict[str, str] | None:
    """The late mark a step of `kind` on `on` would carry, or None if it is in time."""
    if kind not in LATE_STEPS:
        return None
    if kind == EventKind.CORRECTION_REQUESTED:
        first = (
            application.events.filter(kind=EventKind.CORRECTION_REQUESTED)
            .order_by("on", "id")
            .first()
        )
        if first is not None:
            return {
                "article": periods.CORRECTION_NOTICE.article,
                "due": first.on.isoformat(),
                "rule": LateRule.ONE_CORRECTION,
            }
        due = (
            get_calendar(application.agency)
            .provisional_add(application.received_on, periods.CORRECTION_NOTICE.days, day_one())
            .value
        )
        if on > due:
            return {
                "article": periods.CORRECTION_NOTICE.article,
                "due": due.isoformat(),
                "rule": LateRule.CORRECTION_NOTICE,
            }
        return None
    current = deadline(application, today=on, explain=False)
    if not current.overdue:
        return None
    missed = current.missed_due or current.due or on
    return {
        "article": periods.REPLY.article,
        "due": missed.isoformat(),
        "rule": LateRule.REPLY_PERIOD,
    }


def late_reason(kind: str, mark: Mapping[str, str]) -> str:
    """Why a step is late, in the words an officer reads when it is refused."""
    if mark["rule"] == LateRule.ONE_CORRECTION:
        return _(
            "A correction was already requested on %(due)s; the applicant must be told everything to correct at once (%(article)s)."
        ) % {"due": mark["due"], "article": mark["article"]}
    if mark["rule"] == LateRule.CORRECTION_NOTICE:
        return _(
            "The correction notice was due within %(days)d working days of receipt, by %(due)s (%(article)s)."
        ) % {
            "days": periods.CORRECTION_NOTICE.days,
            "due": mark["due"],
            "article": mark["article"],
        }
    if kind == EventKind.REPLIED:
        return _("The reply was due by %(due)s (%(article)s); this reply is late.") % {
            "due": mark["due"],
            "article": mark["article"],
        }
    return _(
        "The reply period ended on %(due)s (%(article)s); %(step)s after it is a late step and the case stays overdue."
    ) % {"due": mark["due"], "article": mark["article"], "step": EventKind(kind).label}


def backdated_days(application: Application, on: date, today: date) -> int:
    """Working days between a step's date and the day it is recorded, when beyond the limit."""
    days, _guessed = get_calendar(application.agency).provisional_count(on, today, day_one())
    return days if days > settings.FOI_BACKDATE_WORKING_DAYS else 0
