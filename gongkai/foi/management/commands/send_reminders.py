from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.annual.reminders import send_annual_reminders
from gongkai.foi.reminders import send_reminders
from gongkai.publishing.reminders import send_schedule_reminders


class Command(BaseCommand):
    help = (
        "E-mail handlers about applications due within 3 working days or overdue, and staff "
        "about their agency's monthly catalog schedule and its annual report's deadline. "
        "Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        sent = send_reminders(today) + send_schedule_reminders(today) + send_annual_reminders(today)
        self.stdout.write(_("%(count)d reminder e-mails sent.") % {"count": sent})
