"""Statutory periods, each with the article it comes from.

《中华人民共和国政府信息公开条例》(国务院令第711号) unless said otherwise. All are
working days (工作日).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    days: int
    article: str


# 第二十六条: proactive disclosure within 20 working days of forming or changing the information.
PROACTIVE_PUBLICATION = Period(20, "第二十六条")
# 第三十条: one complete correction notice within 7 working days of receipt.
CORRECTION_NOTICE = Period(7, "第三十条")
# 第三十三条第二款: reply within 20 working days of receipt.
REPLY = Period(20, "第三十三条第二款")
# 第三十三条第二款: one extension of at most 20 working days, approved by the office head.
EXTENSION_MAX = Period(20, "第三十三条第二款")
# 第三十三条第三款: time spent consulting third parties and other agencies does not count.
CONSULTATION_NOT_COUNTED = "第三十三条第三款"
# 第三十二条: a third party answers within 15 working days of receiving the letter.
THIRD_PARTY_OPINION = Period(15, "第三十二条")
# 第三十四条: a co-producing agency answers within 15 working days; silence means consent.
AGENCY_OPINION = Period(15, "第三十四条")
# 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号) as restated by the provinces: the fee
# is paid within 20 working days counted from the day after the notice is received.
FEE_PAYMENT = Period(20, "《政府信息公开信息处理费管理办法》")
# 第三十一条: how the day of receipt is determined.
RECEIPT_ARTICLE = "第三十一条"


def extension_refusal(days: int, *, already_extended: bool, used: int | None = None) -> str | None:
    """Why an extension of `days` cannot be approved (第三十三条第二款), or None if it can.

    The rule's one home: the deadline engine applies it to every timeline, and a caller
    may ask before recording an extension. `used` is the working days of the reply
    period used by the day of approval, when known: a period that has ended cannot be
    extended.
    """
    if already_extended:
        return _("The reply period can be extended only once (%(article)s).") % {
            "article": EXTENSION_MAX.article
        }
    if not 0 < days <= EXTENSION_MAX.days:
        return _("An extension can be at most %(days)d working days (%(article)s).") % {
            "days": EXTENSION_MAX.days,
            "article": EXTENSION_MAX.article,
        }
    if used is not None and used > REPLY.days:
        # 第三十三条 extends a period that is still running, not one that has ended.
        return _(
            "The reply period had already ended; it can no longer be extended (%(article)s)."
        ) % {"article": EXTENSION_MAX.article}
    return None


@dataclass(frozen=True)
class CalendarDeadline:
    """A calendar date (not working days) in the year after the one reported."""

    month: int
    day: int
    article: str


# 第四十九条: departments of governments at county level and above submit and publish their
# report on the previous year by 31 January; the governments publish theirs by 31 March.
DEPARTMENT_ANNUAL_REPORT = CalendarDeadline(1, 31, "第四十九条")
GOVERNMENT_ANNUAL_REPORT = CalendarDeadline(3, 31, "第四十九条")
