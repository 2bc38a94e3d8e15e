"""Which handlers to remind of cases due soon and overdue (sent by office/reminders.py).

Each case is due once per kind and due date: a new due date (after an extension or a
correction) is reminded again. A handler hears of all their cases in one e-mail.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from gongkai.foi.models import Application
from gongkai.lib.reminders import DueReminder, ReminderKind
from gongkai.orgs.models import Role, User
from gongkai.workdays.loading import day_one, get_calendar

DUE_SOON_DAYS = 3


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


def due(today: date) -> list[DueReminder]:
    """The cases due within DUE_SOON_DAYS working days, or overdue, with whom to tell."""
    limit = get_calendar().provisional_add(today, DUE_SOON_DAYS, day_one()).value
    cases = Application.objects.due_by(limit).select_related("agency", "handler")
    reminders = []
    for application in cases:
        assert application.due_on is not None  # noqa: S101 - due_by() selects dated cases
        overdue = application.due_on < today
        recipients = tuple(dict.fromkeys(user.email for user in _recipients(application)))
        if not recipients:
            continue
        reminders.append(
            DueReminder(
                kind=ReminderKind.APPLICATION_OVERDUE
                if overdue
                else ReminderKind.APPLICATION_DUE_SOON,
                agency_id=application.agency_id,
                key=f"{application.pk}:{application.due_on.isoformat()}",
                recipients=recipients,
                subject=_("%(count)d disclosure applications need a reply"),
                body=_line(application, overdue),
                digest="applications",
            )
        )
    return reminders


def _line(application: Application, overdue: bool) -> str:
    return _("%(number)s %(agency)s due %(date)s%(late)s") % {
        "number": application.number,
        "agency": application.agency.name,
        "date": application.due_on.isoformat() if application.due_on else "",
        "late": _(" (overdue)") if overdue else "",
    }
