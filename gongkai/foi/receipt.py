"""When a request counts as received (第三十一条), derived from its channel.

The legal date of receipt is not when the record was created: it depends on how the
request arrived and on the confirmation the Article requires.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    IN_PERSON = "in_person", pgettext_lazy("channel", "In person")
    POST_SIGNED = "post_signed", pgettext_lazy("channel", "Post, signed for")
    POST_PLAIN = "post_plain", pgettext_lazy("channel", "Ordinary letter")
    FAX = "fax", pgettext_lazy("channel", "Fax")
    EMAIL = "email", pgettext_lazy("channel", "E-mail")
    ONLINE = "online", pgettext_lazy("channel", "Online")


def legal_received_on(
    channel: str,
    *,
    submitted_on: date,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """The 收到申请之日 of 第三十一条.

    - 当面提交: the day it is handed in (一).
    - 邮寄, signed for: the day the agency signs for it (二).
    - 平常信函: the day the office confirms it with the applicant, which must be the day it
      arrives (二).
    - 互联网 or 传真: the day both sides confirm (三). For this platform's own online form the
      agency sets that rule (国办公开办函〔2015〕207号: 以行政机关设定的时间为准): the
      submission is confirmed on screen at once, so the day of submission counts. For the
      agency's published e-mail address, the day the mail system received the message.

    Impossible dates are refused rather than taken as the date of receipt: a letter
    signed for before it was posted, or a receipt confirmed before the request arrived,
    would move the start of every period (a typo, or a way to win days).
    """
    _check_order(submitted_on, signed_on=signed_on, confirmed_on=confirmed_on)
    if channel == Channel.POST_SIGNED:
        if signed_on is None:
            raise ValidationError(
                {
                    "signed_on": _(
                        "A signed-for letter needs the date the agency signed for it (Article 31)."
                    )
                }
            )
        return signed_on
    if channel in (Channel.POST_PLAIN, Channel.FAX):
        if confirmed_on is None:
            raise ValidationError(
                {
                    "confirmed_on": _(
                        "This channel needs the date the receipt was confirmed with the applicant (Article 31)."
                    )
                }
            )
        return confirmed_on
    return submitted_on


def _check_order(submitted_on: date, *, signed_on: date | None, confirmed_on: date | None) -> None:
    errors = {}
    if signed_on is not None and signed_on < submitted_on:
        errors["signed_on"] = _(
            "The agency cannot have signed for the letter (%(signed)s) before it was posted (%(posted)s): check the dates on the envelope and the post's record."
        ) % {"signed": signed_on.isoformat(), "posted": submitted_on.isoformat()}
    if confirmed_on is not None and confirmed_on < submitted_on:
        errors["confirmed_on"] = _(
            "The receipt cannot have been confirmed with the applicant (%(confirmed)s) before the request was sent (%(sent)s): check both dates."
        ) % {"confirmed": confirmed_on.isoformat(), "sent": submitted_on.isoformat()}
    if errors:
        raise ValidationError(errors)
