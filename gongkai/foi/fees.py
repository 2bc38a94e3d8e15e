"""Information processing fees (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).

Either per request (第四条: by the applicant's running count of requests in a calendar
month) or per page (第五条), never both for one request (第三条). Both are progressive:
each request or page is charged at the rate of its own tier.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeMethod(models.TextChoices):
    PER_REQUEST = "per_request", _("Per request (Article 4)")
    PER_PAGE = "per_page", _("Per page (Article 5)")


def request_rate(position: int) -> int:
    """Yuan for the applicant's `position`-th request in a calendar month (第四条).

    1–10 free; 11–30 100 each; from 31 on, every further 10 requests raise the rate by 100:
    31–40 200, 41–50 300, and so on.
    """
    if position <= 10:
        return 0
    if position <= 30:
        return 100
    return 100 * (2 + (position - 31) // 10)


def page_rate(page: int) -> int:
    """Yuan for the `page`-th page of one request (第五条)."""
    if page <= 30:
        return 0
    if page <= 100:
        return 10
    if page <= 200:
        return 20
    return 40


def pages_fee(pages: int) -> int:
    """Total for `pages` pages: 1–30 free, 31–100 10 each, 101–200 20 each, 201+ 40 each."""
    return (
        max(0, min(pages, 100) - 30) * 10
        + max(0, min(pages, 200) - 100) * 20
        + max(0, pages - 200) * 40
    )
