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
    """
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
