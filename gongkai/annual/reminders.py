"""Annual-report deadline reminders (第四十九条: 31 January or 31 March).

From `DAYS_BEFORE` days before an agency's deadline until the deadline, its disclosure
staff are reminded once that last year's report is not yet published; after the
deadline, once more that it is overdue (for `OVERDUE_DAYS` days). office/reminders.py
sends each once per agency, year, kind and recipient, and tries a failed send again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.utils.translation import gettext as _

from gongkai.annual.actions import due_on
from gongkai.annual.models import AnnualReport
from gongkai.lib.reminders import DueReminder, ReminderKind
from gongkai.orgs.models import Agency, Membership, Role

DAYS_BEFORE = 14
OVERDUE_DAYS = 60
ROLES = (Role.OFFICER, Role.OFFICE_HEAD)


def due(today: date) -> Iterator[DueReminder]:
    """Last year's reports not yet published whose reminder window contains today."""
    year = today.year - 1
    published = set(
        AnnualReport.objects.filter(year=year, revisions__published_at__isnull=False).values_list(
            "agency_id", flat=True
        )
    )
    for agency in Agency.objects.filter(is_active=True).exclude(pk__in=published):
        deadline = due_on(agency, year)
        if deadline - timedelta(days=DAYS_BEFORE) <= today <= deadline:
            yield _reminder(agency, year, ReminderKind.ANNUAL_DUE, deadline)
        elif deadline < today <= deadline + timedelta(days=OVERDUE_DAYS):
            yield _reminder(agency, year, ReminderKind.ANNUAL_OVERDUE, deadline)


def _reminder(agency: Agency, year: int, kind: ReminderKind, deadline: date) -> DueReminder:
    emails = sorted(
        set(
            Membership.objects.filter(agency=agency, role__in=ROLES, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    params = {"agency": agency.name, "year": year, "date": deadline.isoformat()}
    if kind == ReminderKind.ANNUAL_DUE:
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
    return DueReminder(
        kind=kind,
        agency_id=agency.pk,
        key=str(year),
        recipients=tuple(emails),
        subject=subject,
        body=body,
    )
