from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.office.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "E-mail handlers about applications due within 3 working days or overdue, and staff "
        "about their agency's monthly catalog schedule and its annual report's deadline. "
        "Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders(timezone.localdate())
        self.stdout.write(_("%(count)d reminder e-mails sent.") % {"count": sent})
