from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.foi.clock import deadline
from gongkai.foi.delivery import last_delivery
from gongkai.foi.models import Application


class Command(BaseCommand):
    help = "Show an application with its status, outcome, due date and explanation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, number: str, **options: Any) -> None:
        try:
            application = Application.objects.select_related("agency").get(number=number)
        except Application.DoesNotExist:
            raise CommandError(
                _("No application has the number %(number)s.") % {"number": number}
            ) from None
        result = deadline(application)
        events = list(application.events.order_by("on", "id"))
        data = {
            "number": application.number,
            "agency": application.agency.code,
            "status": application.status,
            "outcome": application.outcome or None,
            "received_on": application.received_on.isoformat(),
            "due_date": result.due.isoformat() if result.due else None,
            "provisional": result.provisional,
            "days_used": result.used,
            "days_left": result.remaining,
            "paused": result.paused,
            "closed_on": result.closed_on.isoformat() if result.closed_on else None,
            "overdue": result.overdue,
            "replied_late": application.replied_late,
            # The late steps as marked when recorded (gongkai.foi.clock.lateness).
            "late_steps": [
                {
                    "step": event.kind,
                    "article": event.data["late"]["article"],
                    "due": event.data["late"]["due"],
                    "on": event.on.isoformat(),
                }
                for event in events
                if event.data.get("late")
            ],
            # delivered_on and method: the delivery that reached the addressee, else null.
            "letters": [
                {
                    "kind": letter.kind,
                    "number": letter.doc_no or None,
                    "issued_on": letter.issued_on.isoformat() if letter.issued_on else None,
                    "delivered_on": done.delivered_on.isoformat()
                    if (done := last_delivery(letter)) and done.delivered_on
                    else None,
                    "method": done.method if done else None,
                }
                for letter in application.letters.order_by("drafted_at", "id").prefetch_related(
                    "deliveries"
                )
            ],
            "explanation": result.lines,
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for key, value in data.items():
            if key != "explanation":
                self.stdout.write(f"{key}: {value}")
        for line in result.lines:
            self.stdout.write(f"  {line}")
