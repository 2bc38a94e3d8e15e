"""Delivery (送达) of issued letters: the record of each, and the e-mail that delivers one.

Every issued letter is delivered and the delivery recorded (issue 17): by the office for a
letter handed over (当面/直接送达), posted through the postal service with its tracking
number (国办公开办函〔2016〕235号), or faxed; automatically when the letter is issued for
an applicant who chose e-mail (the PDF is sent and the send is the delivery) or online
(the letter is on the portal's case page from its issue date).

An e-mail that fails is recorded as failed with the error, shown on the case page and in
the back-office home page, and tried again with a growing wait by the periodic job
`foi.tasks.retry_letter_emails` (or `send_reminders`), or at once with the case page's button; after settings.FOI_DELIVERY_MAX_ATTEMPTS
attempts it waits for the office to deliver the letter another way. Never silently lost.

The addressee's date of receipt matters where a letter starts or stops a clock: the fee
notice (缴费期限 from receipt) and the consultation letters (the opinion period from
receipt). For a posted letter it is the signed-for date (签收日期) the office records;
for the other methods it is the delivery date.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.foi import actions, notify
from gongkai.foi.letter_files import render_pdf
from gongkai.foi.models import (
    Application,
    Delivery,
    DeliveryMethod,
    DeliveryStatus,
    EventKind,
    Letter,
    LetterDelivery,
    LetterKind,
    LetterStatus,
)
from gongkai.lib.errors import ActionError
from gongkai.lib.safe_text import for_files
from gongkai.lib.uploads import JPEG, PDF, PNG, UploadRejected, check_upload
from gongkai.orgs.models import User

logger = logging.getLogger(__name__)

# Letters addressed to a consulted party, not to the applicant (their address is the
# letter's recipient, typed by the office).
TO_PARTY = (
    LetterKind.CONSULTATION_THIRD_PARTY,
    LetterKind.CONSULTATION_AGENCY,
    LetterKind.THIRD_PARTY_OVERRIDE,
)
# The letters whose receipt starts a clock: the step's `received_on` (gongkai.foi.clock).
RECEIPT_STARTS_CLOCK = {
    LetterKind.FEE_NOTICE: EventKind.FEE_NOTICE_SENT,
    LetterKind.CONSULTATION_THIRD_PARTY: EventKind.CONSULTATION_SENT,
    LetterKind.CONSULTATION_AGENCY: EventKind.CONSULTATION_SENT,
}
# The applicant's chosen delivery (Application.delivery) as a delivery method.
CHOSEN_METHOD = {
    Delivery.POST: DeliveryMethod.POST,
    Delivery.EMAIL: DeliveryMethod.EMAIL,
    Delivery.PICK_UP: DeliveryMethod.IN_PERSON,
    Delivery.ONLINE: DeliveryMethod.ONLINE,
}
TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9]{8,30}$")
PROOF_TYPES = (PDF, JPEG, PNG)  # judged by content (gongkai.lib.uploads)
PROOF_MAX_BYTES = 10 * 1024 * 1024


def _one_line(text: str) -> str:
    return " ".join(for_files(text).split())


def to_applicant(letter: Letter) -> bool:
    return letter.kind not in TO_PARTY


def delivery_problem(letter: Letter) -> str:
    """Why the applicant cannot receive `letter` the way they chose, or ""."""
    if not to_applicant(letter):
        return ""
    application = letter.application
    if application.delivery == Delivery.EMAIL and not application.email:
        return _(
            "The applicant chose delivery by e-mail but gave no e-mail address: record the address on the application, or agree another way with the applicant, before issuing."
        )
    if application.delivery == Delivery.POST and not application.address:
        return _(
            "The applicant chose delivery by post but gave no postal address: record the address on the application before issuing."
        )
    return ""


def on_issue(letter: Letter) -> LetterDelivery | None:
    """Inside the issuing transaction: record what gongkai itself delivers, and tell the
    applicant about a letter that reaches them another way (after commit). Returns the
    pending e-mail delivery, which the caller queues (`foi.tasks.email_letter`)."""
    if not to_applicant(letter):
        return None
    application = letter.application
    if application.delivery == Delivery.EMAIL and application.email:
        delivery = LetterDelivery.objects.create(
            letter=letter,
            method=DeliveryMethod.EMAIL,
            status=DeliveryStatus.PENDING,
            address=application.email,
        )
        transaction.on_commit(lambda: notify.notify_letter(letter, emailed=True))
        return delivery
    if application.delivery == Delivery.ONLINE:
        LetterDelivery.objects.create(
            letter=letter,
            method=DeliveryMethod.ONLINE,
            delivered_on=letter.issued_on,
            received_on=letter.issued_on,
            note=_("Shown on the portal's case page from its issue date."),
        )
    transaction.on_commit(lambda: notify.notify_letter(letter))
    return None


def _message(letter: Letter, address: str) -> EmailMessage:
    application = letter.application
    subject = _("%(agency)s: %(title)s (%(number)s)") % {
        "agency": application.agency.name,
        "title": letter.title,
        "number": letter.doc_no,
    }
    body = _(
        "%(name)s:\n\nAttached is %(title)s (%(number)s) of %(date)s about your request for government information %(application)s. The attached PDF is the letter; this e-mail is its delivery.\n\n%(agency)s\n%(phone)s"
    ) % {
        "name": application.applicant_name,
        "title": f"《{letter.title}》",
        "number": letter.doc_no,
        "date": letter.issued_on.isoformat() if letter.issued_on else "",
        "application": application.number,
        "agency": application.agency.name,
        "phone": application.agency.office_phone,
    }
    message = EmailMessage(_one_line(subject), for_files(body), None, [address])
    message.attach(f"{letter.doc_no or letter.pk}.pdf", render_pdf(letter), "application/pdf")
    return message


def send_email(delivery_pk: int) -> bool:
    """One attempt at an e-mail delivery; True when it went. Records success or failure."""
    with transaction.atomic():
        delivery = (
            LetterDelivery.objects.select_for_update()
            .select_related("letter__application__agency")
            .get(pk=delivery_pk)
        )
        if delivery.status == DeliveryStatus.DELIVERED:
            return True
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    letter = delivery.letter
    try:
        _message(letter, delivery.address).send()
    except Exception as exc:  # a mail server's or a render failure: recorded, retried
        logger.warning("Letter %s not e-mailed: %s", letter.pk, exc)
        wait = timedelta(minutes=5 * 2 ** min(delivery.attempts - 1, 8))
        LetterDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            last_error=str(exc)[:500],
            next_attempt_at=timezone.now() + wait
            if delivery.attempts < settings.FOI_DELIVERY_MAX_ATTEMPTS
            else None,
        )
        record(
            Action.FOI_STEP,
            actor=None,
            obj=letter.application,
            detail={
                "step": "letter_email_failed",
                "doc_no": letter.doc_no,
                "error": str(exc)[:200],
            },
        )
        return False
    today = timezone.localdate()
    LetterDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DELIVERED,
        delivered_on=today,
        received_on=today,
        last_error="",
        next_attempt_at=None,
        note=_("E-mailed to %(address)s at %(time)s.")
        % {"address": delivery.address, "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    record(
        Action.FOI_STEP,
        actor=None,
        obj=letter.application,
        detail={"step": "letter_emailed", "doc_no": letter.doc_no, "to": delivery.address},
    )
    return True


def retry(delivery: LetterDelivery, *, actor: User | None) -> bool:
    """The office's "send again" for a failed e-mail delivery."""
    if actor is not None:
        actions.require_handler(delivery.letter.application, actor)
    if delivery.method != DeliveryMethod.EMAIL or delivery.status == DeliveryStatus.DELIVERED:
        raise ActionError(_("Only an e-mail delivery that failed can be sent again."))
    return send_email(delivery.pk)


def due_for_retry() -> QuerySet[LetterDelivery, int]:
    """The failed e-mail deliveries whose wait is over."""
    return LetterDelivery.objects.filter(
        method=DeliveryMethod.EMAIL,
        status=DeliveryStatus.FAILED,
        next_attempt_at__lte=timezone.now(),
    ).values_list("pk", flat=True)


def retry_due() -> tuple[int, int]:
    """Send again every failed e-mail whose wait is over (send_reminders); (sent, failed)."""
    results = [send_email(pk) for pk in due_for_retry()]
    return sum(results), len(results) - sum(results)


def failed(applications: list[Application] | None = None) -> list[LetterDelivery]:
    """E-mail deliveries that did not go, for the case page and the home page."""
    found = LetterDelivery.objects.filter(
        status=DeliveryStatus.FAILED, letter__status=LetterStatus.ISSUED
    ).select_related("letter__application")
    if applications is not None:
        found = found.filter(letter__application__in=applications)
    return list(found)


@transaction.atomic
def record_delivery(
    letter: Letter,
    *,
    actor: User | None,
    method: str,
    delivered_on: date,
    received_on: date | None = None,
    tracking_number: str = "",
    address: str = "",
    proof: UploadedFile | None = None,
    note: str = "",
) -> LetterDelivery:
    """The office records how and when an issued letter was delivered."""
    application = letter.application
    actions.require_handler(application, actor)
    if letter.status != LetterStatus.ISSUED or letter.issued_on is None:
        raise ActionError(_("Only an issued letter is delivered."))
    if method not in DeliveryMethod.values:
        raise ActionError(_("Choose how the letter was delivered."))
    today = timezone.localdate()
    if delivered_on > today or (received_on is not None and received_on > today):
        raise ActionError(_("A delivery date cannot be in the future."))
    if delivered_on < letter.issued_on:
        raise ActionError(
            _("The letter was issued on %(issued)s; it cannot be delivered or posted before that.")
            % {"issued": letter.issued_on.isoformat()}
        )
    if received_on is not None and received_on < delivered_on:
        raise ActionError(
            _(
                "The date of receipt (%(received)s) is before the date the letter was posted or sent (%(sent)s)."
            )
            % {"received": received_on.isoformat(), "sent": delivered_on.isoformat()}
        )
    tracking_number = tracking_number.strip().replace(" ", "")
    if method == DeliveryMethod.POST and not TRACKING_NUMBER.match(tracking_number):
        raise ActionError(
            _(
                "Give the postal tracking number (8 to 30 letters and digits, as printed on the receipt of China Post)."
            )
        )
    if proof is not None:
        refused = _("The proof of delivery must be a PDF, JPG or PNG file of at most 10 MB.")
        try:
            check_upload(
                proof,
                types=PROOF_TYPES,
                max_bytes=PROOF_MAX_BYTES,
                too_large=refused,
                wrong_type=refused,
            )
        except UploadRejected as exc:
            raise ActionError(exc.message) from exc
    if received_on is None and method != DeliveryMethod.POST:
        received_on = delivered_on  # handed over, e-mailed, faxed or online: received that day
    delivery = LetterDelivery.objects.create(
        letter=letter,
        method=method,
        delivered_on=delivered_on,
        received_on=received_on,
        tracking_number=tracking_number,
        address=_one_line(address)[:300],
        note=_one_line(note)[:500],
        recorded_by=actor,
        **({"proof": proof} if proof is not None else {}),
    )
    step = RECEIPT_STARTS_CLOCK.get(LetterKind(letter.kind))
    if step is not None and received_on is not None and letter.event_id is not None:
        actions.record_notice_receipt(letter.event_id, received_on=received_on, actor=actor)
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=application,
        detail={
            "step": "letter_delivered",
            "doc_no": letter.doc_no,
            "method": method,
            "on": delivered_on.isoformat(),
        },
    )
    return delivery


def last_delivery(letter: Letter) -> LetterDelivery | None:
    """The delivery that counts: the last one that reached the addressee."""
    done = [d for d in letter.deliveries.all() if d.status == DeliveryStatus.DELIVERED]
    return done[-1] if done else None
