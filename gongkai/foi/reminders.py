"""Remind handlers of cases due soon and overdue, once per case, kind and due date."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongkai.foi.models import Application, Reminder
from gongkai.orgs.models import Role, User
from gongkai.workdays.loading import day_one, get_calendar

DUE_SOON_DAYS = 3
logger = logging.getLogger(__name__)


def _recipients(application: Application) -> list[User]:
    """The handler, or the agency's office heads while nobody is assigned."""
    if (
        application.handler is not None
        and application.handler.email
        and application.handler.is_active
    ):
        return [application.handler]
    return list(
        User.objects.filter(
            memberships__agency=application.agency,
            memberships__role=Role.OFFICE_HEAD,
            is_active=True,
        ).exclude(email="")
    )


def send_reminders(today: date) -> int:
    """Send what is due; returns the number of e-mails. Safe to run repeatedly.

    A failed send leaves no record, so the next run tries again.
    """
    limit = get_calendar().provisional_add(today, DUE_SOON_DAYS, day_one()).value
    cases = Application.objects.due_by(limit).select_related("agency", "handler")
    batches: dict[str, list[tuple[Application, str]]] = defaultdict(list)
    for application in cases:
        assert application.due_on is not None  # noqa: S101 - due_by() selects dated cases
        kind = Reminder.Kind.OVERDUE if application.due_on < today else Reminder.Kind.DUE_SOON
        for user in _recipients(application):
            batches[user.email].append((application, kind))
    sent = 0
    for email, candidates in batches.items():
        # Record first and commit, then send: the mail server is never waited for while
        # the database is locked. A failed send removes the records, so it is retried.
        with transaction.atomic():
            recorded = [(a, kind, r) for a, kind in candidates if (r := _record(a, kind, email))]
        if not recorded:
            continue
        try:
            send_mail(
                _("%(count)d disclosure applications need a reply") % {"count": len(recorded)},
                "\n".join(_line(a, kind) for a, kind, _r in recorded),
                None,
                [email],
            )
        except OSError:
            Reminder.objects.filter(pk__in=[r.pk for _a, _k, r in recorded]).delete()
            logger.exception("reminder to %s not sent; it will be tried again", email)
        else:
            sent += 1
    return sent


def _record(application: Application, kind: str, email: str) -> Reminder | None:
    """Note the reminder; None when it was already sent."""
    if application.due_on is None:
        return None
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                application=application, kind=kind, due_on=application.due_on, recipient=email
            )
    except IntegrityError:
        return None


def _line(application: Application, kind: str) -> str:
    return _("%(number)s %(agency)s due %(date)s%(late)s") % {
        "number": application.number,
        "agency": application.agency.name,
        "date": application.due_on.isoformat() if application.due_on else "",
        "late": _(" (overdue)") if kind == Reminder.Kind.OVERDUE else "",
    }
