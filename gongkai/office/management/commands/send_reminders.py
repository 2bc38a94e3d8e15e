from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.foi import delivery
from gongkai.office.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "E-mail handlers about applications due within 3 working days or overdue, and staff "
        "about their agency's monthly catalog schedule and its annual report's deadline, and "
        "e-mail again the letters whose e-mail delivery failed and whose wait is over. "
        "Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders(timezone.localdate())
        self.stdout.write(_("%(count)d reminder e-mails sent.") % {"count": sent})
        delivered, failed = delivery.retry_due()
        if delivered or failed:
            self.stdout.write(
                _("Letters e-mailed again: %(sent)d delivered, %(failed)d failed again.")
                % {"sent": delivered, "failed": failed}
            )
