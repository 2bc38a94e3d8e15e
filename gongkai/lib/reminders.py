"""A reminder that is due, as the apps hand it to the office's fan-out (office/reminders.py).

Each app knows what is due (`foi`, `publishing` and `annual` each have a `reminders.py`
with `due(today)`); only the office sends, once per kind, agency, key and recipient, and
records what it sent. This module sits below them all so that none imports the office.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class ReminderKind(TextChoices):
    APPLICATION_DUE_SOON = "application_due_soon", _("Application due soon")
    APPLICATION_OVERDUE = "application_overdue", _("Application overdue")
    SCHEDULE_SUBMIT = "schedule_submit", _("Catalog submission day")
    SCHEDULE_PUBLISH = "schedule_publish", _("Catalog publication day")
    ANNUAL_DUE = "annual_due", _("Annual report due")
    ANNUAL_OVERDUE = "annual_overdue", _("Annual report overdue")
    NORMATIVE_EXPIRY = "normative_expiry", _("Normative document's period of validity ends")


@dataclass(frozen=True)
class DueReminder:
    """One reminder to send, to each of `recipients` that has not had it yet.

    (kind, agency_id, key, recipient) is what makes a reminder a duplicate: the key is the
    application and its due date, the schedule's month or the report's year.

    With a `digest`, the due reminders of the same digest for one recipient go out as one
    e-mail: `subject` is then a template with `%(count)d` (how many the e-mail holds) and
    each `body` one line of it.
    """

    kind: ReminderKind
    agency_id: int
    key: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    digest: str = ""
