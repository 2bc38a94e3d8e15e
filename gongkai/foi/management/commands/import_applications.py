"""Import applications with their timelines from JSON Lines (one case per line).

A case is a nested timeline, not a flat row, so the file is JSON Lines rather than a
spreadsheet; a rejected line is still reported as the spreadsheet imports report a row
(gongkai.lib.spreadsheets.RejectedRow), with its line number.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.foi import actions
from gongkai.foi.events import FeeNoticeSentData
from gongkai.foi.models import Application
from gongkai.foi.receipt import Channel
from gongkai.lib.report_keys import ApplicantType
from gongkai.lib.spreadsheets import RejectedRow, RowProblem
from gongkai.orgs.models import Agency

APPLICANT_TYPES = set(ApplicantType.values)
APPLICANT_FIELDS = {
    "name": "applicant_name",
    "id_type": "id_type",
    "id_number": "id_number",
    "credit_code": "credit_code",
    "phone": "phone",
    "email": "email",
    "address": "address",
}


class LineError(Exception):
    pass


def _date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LineError(
            _("%(what)s: “%(value)s” is not a date (YYYY-MM-DD).") % {"what": what, "value": value}
        ) from None


def import_case(case: dict[str, Any]) -> Application:
    """Create one application and replay its events through the actions."""
    if not isinstance(case, dict):
        raise LineError(_("A line must be one JSON object."))
    try:
        agency = Agency.objects.get(code=case.get("agency"))
    except Agency.DoesNotExist:
        raise LineError(
            _("Unknown agency code “%(code)s”.") % {"code": case.get("agency")}
        ) from None
    channel = case.get("channel")
    if channel not in Channel.values:
        raise LineError(_("Unknown channel “%(value)s”.") % {"value": channel})
    applicant = case.get("applicant") or {}
    if applicant.get("type") not in APPLICANT_TYPES:
        raise LineError(_("Unknown applicant type “%(value)s”.") % {"value": applicant.get("type")})
    if not applicant.get("name"):
        raise LineError(_("The applicant has no name."))
    if not str(case.get("request", "")).strip():
        raise LineError(_("The request text is empty."))
    events = case.get("events") or []
    if not events or events[0].get("type") != "received":
        raise LineError(_("The events must begin with “received”."))
    received = _date(events[0].get("date"), "received")
    fields = {
        model: applicant[key] for key, model in APPLICANT_FIELDS.items() if applicant.get(key)
    }
    fields |= {
        "applicant_type": applicant["type"],
        "description": str(case["request"]),
        "provision_form": case.get("provision_form", "electronic"),
        "delivery": case.get("delivery", "email" if applicant.get("email") else "post"),
    }
    submitted = actions.submit_application(
        agency,
        fields,
        channel=channel,
        submitted_on=received,
        signed_on=received if channel == Channel.POST_SIGNED else None,
        confirmed_on=received if channel in (Channel.POST_PLAIN, Channel.FAX) else None,
        number=case.get("number"),
    )
    application = submitted.application
    for index, event in enumerate(events[1:], start=2):
        kind = event.get("type")
        on = _date(event.get("date"), kind or "?")
        if kind == "correction_requested":
            until = (
                _date(event["until"], "until") if event.get("until") else on + timedelta(days=15)
            )
            actions.request_correction(
                application,
                actor=None,
                on=on,
                items=event.get("items") or [_("Correct the request")],
                until=until,
            )
        elif kind == "correction_received":
            actions.receive_correction(application, actor=None, on=on)
        elif kind == "consultation_sent":
            actions.send_consultation(
                application,
                actor=None,
                on=on,
                party=event.get("party", "third_party"),
                recipient=event.get("recipient") or _("third party"),
            )
        elif kind == "consultation_closed":
            actions.close_consultation(application, actor=None, on=on, ref=event.get("ref", ""))
        elif kind == "extension_approved":
            actions.approve_extension(
                application,
                actor=None,
                on=on,
                days=int(event.get("days", 0)),
                reason=event.get("reason") or _("Imported"),
            )
        elif kind == "fee_notice_sent":
            actions.send_fee_notice(
                application,
                actor=None,
                on=on,
                method=event.get("method", "per_request"),
                pages=int(event.get("pages", 0)),
            )
        elif kind == "fee_paid":
            notice = application.events.filter(kind="fee_notice_sent").last()
            due = cast(FeeNoticeSentData, notice.data)["amount"] if notice else 0
            amount = int(event.get("amount", due))
            actions.record_fee_payment(application, actor=None, on=on, amount=amount)
        elif kind == "replied":
            actions.reply(
                application,
                actor=None,
                on=on,
                outcome=event.get("outcome", ""),
                basis=event.get("basis", ""),
                imported=True,
            )
        elif kind == "withdrawn":
            actions.withdraw(application, actor=None, on=on)
        else:
            raise LineError(
                _("Event %(index)d: unknown type “%(type)s”.") % {"index": index, "type": kind}
            )
        application.refresh_from_db()
    return application


class Command(BaseCommand):
    help = "Import applications and their timelines from a JSON Lines file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("The file cannot be read: %(error)s") % {"error": exc}) from exc
        imported = 0
        rejected: list[RejectedRow] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                with transaction.atomic():  # a line is imported whole or not at all
                    application = import_case(case)
            except json.JSONDecodeError as exc:
                reason = _("not valid JSON (%(error)s)") % {"error": exc.msg}
            except (
                LineError,
                actions.ActionError,
                ValidationError,
                PermissionDenied,
                KeyError,
                TypeError,
                ValueError,
            ) as exc:
                reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            else:
                imported += 1
                self.stdout.write(f"{application.number}")
                continue
            rejected.append(RejectedRow(number, [RowProblem(number, reason)]))
            self.stderr.write(str(rejected[-1]))
        self.stdout.write(
            _("%(imported)d applications imported, %(rejected)d lines rejected.")
            % {"imported": imported, "rejected": len(rejected)}
        )
        if rejected:
            raise CommandError(
                _("%(count)d lines were not imported; see the reasons above.")
                % {"count": len(rejected)}
            )
