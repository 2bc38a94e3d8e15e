"""The reminder fan-out: send what the apps say is due, once each (`send_reminders`).

`foi`, `publishing` and `annual` each compute what is due (`reminders.due(today)`, a
`lib.reminders.DueReminder` each); this module sends it. A reminder is claimed first, by
inserting its `SentReminder` row under the unique constraint, and committed; then the
e-mail goes, so the mail server is never waited for while the database is locked and two
overlapping runs never both send. A failed send deletes the claim, so the next run tries
again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from itertools import chain

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from gongkai.annual import reminders as annual_reminders
from gongkai.foi import reminders as foi_reminders
from gongkai.lib.reminders import DueReminder
from gongkai.office.models import SentReminder
from gongkai.publishing import reminders as publishing_reminders

logger = logging.getLogger(__name__)


# What each app says is due, by the name the periodic jobs use (office/schedule.py).
SOURCES: dict[str, Callable[[date], Iterable[DueReminder]]] = {
    "foi": foi_reminders.due,
    "publishing": publishing_reminders.due,
    "annual": annual_reminders.due,
}


def send_due_reminders(today: date, sources: Iterable[str] = tuple(SOURCES)) -> int:
    """Send every reminder due today (of the named sources); returns the number of e-mails.
    Safe to run repeatedly."""
    return send(chain.from_iterable(SOURCES[name](today) for name in sources))


def send(due: Iterable[DueReminder]) -> int:
    """Send each due reminder to each recipient not yet reminded; returns the e-mails sent.

    A digest's reminders for one recipient share one e-mail; the others get one each.
    """
    mails: dict[tuple[str, str | int], list[DueReminder]] = {}
    for position, reminder in enumerate(due):
        for recipient in reminder.recipients:
            mails.setdefault((recipient, reminder.digest or position), []).append(reminder)
    sent = 0
    for (recipient, _group), reminders in mails.items():
        with transaction.atomic():
            claimed = [(r, claim) for r in reminders if (claim := _claim(r, recipient))]
        if not claimed:
            continue
        first = claimed[0][0]
        subject = first.subject % {"count": len(claimed)} if first.digest else first.subject
        try:
            send_mail(subject, "\n".join(r.body for r, _c in claimed), None, [recipient])
        except OSError:
            SentReminder.objects.filter(pk__in=[c.pk for _r, c in claimed]).delete()
            logger.exception("reminder to %s not sent; it will be tried again", recipient)
        else:
            sent += 1
    return sent


def _claim(reminder: DueReminder, recipient: str) -> SentReminder | None:
    """Record the reminder as sent to `recipient`; None when it already was."""
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                kind=reminder.kind,
                agency_id=reminder.agency_id,
                key=reminder.key,
                recipient=recipient,
            )
    except IntegrityError:
        return None
