"""Tell the applicant about each public step: by e-mail, and by SMS where a gateway exists.

No SMS gateway is wired in: settings.SMS_BACKEND names a class with `send(phone, text)`;
the default only logs, so that a deployment can plug in its provider's client.
"""

from __future__ import annotations

import logging
import re
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gongkai.foi.models import Application, Event, EventKind, Letter
from gongkai.lib.safe_text import for_files

logger = logging.getLogger(__name__)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Steps the applicant hears about as they are recorded in the office. The others that
# concern them (补正, 延期, 收费, the reply, 视为放弃, 撤回) reach them as their letter, when
# it is issued (notify_letter and gongkai.foi.delivery), never before it is approved.
NOTIFIED_STEPS = {
    EventKind.CORRECTION_RECEIVED,
    EventKind.FEE_PAID,
}


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LoggingSmsSender:
    """Writes the message to the log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s******%s: %s", phone[:3], phone[-2:], text)


def sms_sender() -> SmsSender:
    sender: SmsSender = import_string(settings.SMS_BACKEND)()
    return sender


def notify_step(application: Application, event: Event) -> None:
    """Send after commit (gongkai.foi.actions defers the call)."""
    text = _(
        "Your request for government information %(number)s: %(date)s %(step)s. "
        "Use the application number and query code on the portal to see the details."
    ) % {
        "number": application.number,
        "date": event.on.isoformat(),
        "step": event.get_kind_display(),
    }
    if application.email:
        send_mail(
            _("Your request %(number)s: %(step)s")
            % {"number": application.number, "step": event.get_kind_display()},
            text,
            None,
            [application.email],
            fail_silently=True,
        )
    if MOBILE.match(application.phone):
        try:
            sms_sender().send(application.phone, text)
        except Exception:  # a gateway failure must not break the case
            logger.exception("SMS for %s not sent", application.number)


def notify_letter(letter: Letter, *, emailed: bool = False) -> None:
    """A letter issued to the applicant: a short notice by SMS where a mobile number is
    given, and by e-mail unless the letter itself was e-mailed (gongkai.foi.delivery)."""
    application = letter.application
    text = _(
        "Your request for government information %(number)s: on %(date)s %(agency)s issued %(title)s (%(doc_no)s). Use the application number and query code on the portal to read it."
    ) % {
        "number": application.number,
        "date": letter.issued_on.isoformat() if letter.issued_on else "",
        "agency": application.agency.name,
        "title": f"《{letter.title}》",
        "doc_no": letter.doc_no,
    }
    text = for_files(text)
    if application.email and not emailed:
        send_mail(
            _("Your request %(number)s: %(title)s")
            % {"number": application.number, "title": letter.title},
            text,
            None,
            [application.email],
            fail_silently=True,
        )
    if MOBILE.match(application.phone):
        try:
            sms_sender().send(application.phone, text)
        except Exception:  # a gateway failure must not break the case
            logger.exception("SMS for %s not sent", application.number)
