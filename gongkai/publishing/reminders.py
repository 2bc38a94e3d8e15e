"""Monthly schedule reminders of the catalog (e.g. submit by the 15th, publish on the 20th).

A schedule belongs to an agency and covers its subtree: a county office's schedule
reminds every department and township below it. Each reminder goes once per agency,
month and kind, on any run from `remind_days_before` days before the day until the day
itself, so a missed run is caught up.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongkai.orgs.models import Role, User
from gongkai.publishing.models import InfoItem, ItemStatus, PublicationSchedule, ScheduleReminder

logger = logging.getLogger(__name__)
SUBMIT, PUBLISH = "submit", "publish"


def _window(today: date, day: int, before: int) -> date | None:
    """The schedule day of this month when today lies in its reminder window."""
    target = today.replace(day=day)
    return target if target - timedelta(days=before) <= today <= target else None


def send_schedule_reminders(today: date) -> int:
    """Send what is due; returns the number of e-mails. Safe to run repeatedly."""
    sent = 0
    month = today.replace(day=1)
    for schedule in PublicationSchedule.objects.select_related("agency"):
        for kind, day in ((SUBMIT, schedule.submit_day), (PUBLISH, schedule.publish_day)):
            target = _window(today, day, schedule.remind_days_before)
            if target is not None:
                sent += _remind(schedule, kind, month, target, today)
    return sent


def _remind(
    schedule: PublicationSchedule, kind: str, month: date, target: date, today: date
) -> int:
    agency = schedule.agency
    items = InfoItem.objects.filter(agency__path__startswith=agency.path)
    if kind == SUBMIT:
        waiting = items.awaiting_publication().filter(
            status__in=[ItemStatus.DRAFT, ItemStatus.RETURNED]
        )
        roles = [Role.OFFICER, Role.OFFICE_HEAD]
        subject = _("Submit catalog items by %(date)s") % {"date": target.isoformat()}
    else:
        waiting = items.filter(status__in=[ItemStatus.IN_REVIEW, ItemStatus.APPROVED])
        roles = [Role.OFFICE_HEAD, Role.OFFICER]
        subject = _("Catalog publication day: %(date)s") % {"date": target.isoformat()}
    overdue = items.publication_overdue(today).count()
    recipients = sorted(
        set(
            User.objects.filter(
                memberships__agency__path__startswith=agency.path,
                memberships__role__in=roles,
                is_active=True,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return 0
    try:
        with transaction.atomic():
            entry = ScheduleReminder.objects.create(
                agency=agency, month=month, kind=kind, recipients=len(recipients)
            )
    except IntegrityError:
        return 0  # already sent this month
    body = "\n".join(
        [
            _("%(agency)s: monthly publication schedule.") % {"agency": agency.name},
            _("Items waiting: %(count)d; overdue for publication: %(overdue)d.")
            % {"count": waiting.count(), "overdue": overdue},
            *(f"{i.index_no} {i.title}" for i in waiting.order_by("publish_due_on")[:50]),
        ]
    )
    try:
        for email in recipients:
            send_mail(subject, body, None, [email])
    except OSError:
        entry.delete()  # tried again on the next run
        logger.exception("schedule reminder of %s not sent; it will be tried again", agency)
        return 0
    return len(recipients)
