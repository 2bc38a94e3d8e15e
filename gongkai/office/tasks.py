"""The back office's background tasks: the reminder fan-out and a calendar edit's dates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.jobs.queue import PermanentError, job
from gongkai.office import calendar
from gongkai.office.reminders import SOURCES, send_due_reminders


@job(_("Send reminder e-mails"))
def send_reminders(source: str) -> int:
    """E-mail the reminders of one app (foi, publishing, annual) due today; each goes once
    (office.SentReminder), so a second run sends nothing new."""
    if source not in SOURCES:
        raise PermanentError(gettext("Unknown kind of reminders: %(name)s") % {"name": source})
    return send_due_reminders(timezone.localdate(), [source])


@job(_("Recompute dates after a calendar change"))
def follow_calendar() -> dict[str, list[list[Any]]]:
    """Every open application's due date and every unpublished item's publish-by date, from
    the calendar as it is now: a second run finds nothing to change."""
    moved = calendar.follow_calendar()
    return {
        "applications": [[c.number, _iso(c.before), _iso(c.after)] for c in moved.applications],
        "items": [[c.index_no, _iso(c.before), _iso(c.after)] for c in moved.items],
    }


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None
