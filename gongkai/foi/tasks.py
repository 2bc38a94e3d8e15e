"""Disclosure on request's background tasks: letters delivered by e-mail."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.foi import delivery
from gongkai.foi.models import DeliveryStatus, LetterDelivery
from gongkai.jobs.queue import PermanentError, job, submit


@job(_("E-mail a letter to the applicant"), concerns="foi.LetterDelivery", max_attempts=1)
def email_letter(delivery_pk: int) -> bool:
    """One attempt at e-mailing an issued letter (delivery.send_email records it). The
    delivery keeps its own wait and limit (FOI_DELIVERY_MAX_ATTEMPTS), shown on the case
    page; `retry_letter_emails` queues the next attempt when the wait is over. The last
    failed attempt is a failure for the administrators. A delivered letter is not sent
    again."""
    if not LetterDelivery.objects.filter(pk=delivery_pk).exists():
        raise PermanentError(gettext("The delivery record no longer exists."))
    if delivery.send_email(delivery_pk):
        return True
    failed = LetterDelivery.objects.get(pk=delivery_pk)
    if failed.status == DeliveryStatus.FAILED and failed.next_attempt_at is None:
        raise PermanentError(
            gettext(
                "The letter could not be e-mailed after %(count)d attempts: %(error)s. Deliver it another way, or correct the address or the mail server and retry."
            )
            % {"count": failed.attempts, "error": failed.last_error}
        )
    return False


@job(_("E-mail again the letters whose e-mail failed"))
def retry_letter_emails() -> int:
    """Queue one attempt for each failed e-mail delivery whose wait is over."""
    due = list(delivery.due_for_retry())
    for pk in due:
        submit(email_letter, pk)
    return len(due)
