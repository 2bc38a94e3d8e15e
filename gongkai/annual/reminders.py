"""Annual-report deadline reminders (第四十九条: 31 January or 31 March).

From `DAYS_BEFORE` days before an agency's deadline until the deadline, its disclosure
staff are reminded once that last year's report is not yet published; after the
deadline, once more that it is overdue (for `OVERDUE_DAYS` days). Safe to run daily and
repeatedly: each reminder goes once per agency, year, kind and recipient, and a failed
send is tried again on the next run.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongkai.annual.actions import due_on
from gongkai.annual.models import AnnualReport, Reminder
from gongkai.orgs.models import Agency, Membership, Role

logger = logging.getLogger(__name__)
DAYS_BEFORE = 14
OVERDUE_DAYS = 60
ROLES = (Role.OFFICER, Role.OFFICE_HEAD)


def send_annual_reminders(today: date) -> int:
    year = today.year - 1
    published = set(
        AnnualReport.objects.filter(year=year, revisions__published_at__isnull=False).values_list(
            "agency_id", flat=True
        )
    )
    sent = 0
    for agency in Agency.objects.filter(is_active=True).exclude(pk__in=published):
        deadline = due_on(agency, year)
        if deadline - timedelta(days=DAYS_BEFORE) <= today <= deadline:
            sent += _remind(agency, year, "due", deadline)
        elif deadline < today <= deadline + timedelta(days=OVERDUE_DAYS):
            sent += _remind(agency, year, "overdue", deadline)
    return sent


def _remind(agency: Agency, year: int, kind: str, deadline: date) -> int:
    emails = sorted(
        set(
            Membership.objects.filter(agency=agency, role__in=ROLES, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    params = {"agency": agency.name, "year": year, "date": deadline.isoformat()}
    if kind == "due":
        subject = _("%(agency)s: the %(year)d annual report is due by %(date)s") % params
    else:
        subject = _("%(agency)s: the %(year)d annual report was due on %(date)s") % params
    body = (
        _(
            "Article 49 of the Regulations: the report on %(year)d must be published by %(date)s. "
            "It has not been published yet."
        )
        % params
    )
    sent = 0
    for email in emails:
        try:
            with transaction.atomic():
                entry = Reminder.objects.create(
                    agency=agency, year=year, kind=kind, recipient=email
                )
        except IntegrityError:
            continue
        try:
            send_mail(subject, body, None, [email])
        except OSError:
            entry.delete()
            logger.exception("annual report reminder to %s not sent; it will be tried again", email)
        else:
            sent += 1
    return sent
