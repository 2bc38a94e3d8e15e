"""What the office layer stores: the reminders already sent."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from gongkai.lib.reminders import ReminderKind


class SentReminder(models.Model):
    """A reminder e-mail sent, so that send_reminders can run every few minutes.

    One row per kind, agency, key and recipient (see lib.reminders.DueReminder): the
    unique constraint is what stops a second e-mail, also when two runs overlap.
    """

    kind = models.CharField(max_length=32, choices=ReminderKind.choices)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    recipient = models.EmailField()
    # Not auto_now_add: the rows copied from the three earlier tables keep their time.
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "agency", "key", "recipient"], name="unique_sent_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.agency_id} {self.key} → {self.recipient}"
