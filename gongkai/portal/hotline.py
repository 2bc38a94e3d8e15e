"""The public monthly summary of hotline and mailbox messages (政务咨询投诉的公开汇总,
regulation notes §11.5): for the whole installation, for an agency and everything below
it (the county, 全县), or for the agency alone; by month: how many were received, by
category and by channel, how many were answered and the on-time rate against each
agency's own limit (records.counts.message_summary, grouped in SQL), and the answered
messages the office chose to show (office.hotline), their texts masked again here with
publishing's personal-data detector. The sender's name and contact are not stored.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.orgs.models import Agency, in_subtree
from gongkai.portal.cache import public_page
from gongkai.publishing.detect import Kind, find_personal_data, mask_text
from gongkai.publishing.models import SensitiveWord
from gongkai.records.counts import message_months, message_summary
from gongkai.records.models import Message

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
SHOWN_PER_PAGE = 20


def _month(raw: str) -> date | None:
    found = _MONTH.match(raw.strip())
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not (2008 <= year <= timezone.localdate().year + 1 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _previous(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _start(month: date) -> datetime:
    return timezone.make_aware(datetime.combine(month, time(0)))


def _latest_month(agency_ids: list[int]) -> date:
    latest = Message.objects.filter(agency_id__in=agency_ids).aggregate(m=Max("received_at"))["m"]
    day = timezone.localtime(latest).date() if latest else timezone.localdate()
    return day.replace(day=1)


def _clean(message: Message, text: str, words: list[str]) -> str:
    """`text` masked as the office page masks it (office.hotline): the personal data, the
    names labelled anywhere in the message (来电人：…) wherever they occur, the words."""
    names = {
        f.text
        for t in (message.subject, message.content, message.answer)
        for f in find_personal_data(t)
        if f.kind == Kind.NAME
    }
    return mask_text(text, find_personal_data(text, [*words, *names]))


@public_page
def summary(request: HttpRequest, code: str | None = None) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.active(), code=code) if code else None
    whole_tree = agency is None or request.GET.get("scope") != "own"
    agencies = Agency.objects.active()
    if agency is not None:
        agencies = (
            agencies.filter(in_subtree(agency)) if whole_tree else agencies.filter(pk=agency.pk)
        )
    ids = list(agencies.values_list("pk", flat=True))
    raw = request.GET.get("month", "")
    month = _month(raw) if raw else None
    month_error = (
        _("“%(value)s” is not a month such as 2025-03.") % {"value": raw[:20]}
        if raw and month is None
        else ""
    )
    if month is None:
        month = _latest_month(ids)
    start, end = _start(month), _start(_next(month))
    figures = message_summary(ids, start, end, timezone.now())
    months = message_months(ids, month.year, timezone.get_current_timezone())
    words = list(SensitiveWord.objects.values_list("word", flat=True))
    shown = (
        Message.objects.filter(
            agency_id__in=ids,
            received_at__gte=start,
            received_at__lt=end,
            published_at__isnull=False,
        )
        .select_related("agency")
        .order_by("received_at", "id")
    )
    page = Paginator(shown, SHOWN_PER_PAGE).get_page(request.GET.get("page"))
    entries = [
        {
            "message": m,
            "summary": _clean(m, m.public_summary, words),
            "answer": _clean(m, m.public_answer, words),
        }
        for m in page
    ]
    has_children = agency is not None and Agency.objects.active().filter(parent=agency).exists()
    return render(
        request,
        "portal/hotline.html",
        {
            "agency": agency,
            "whole_tree": whole_tree,
            "has_children": has_children,
            "month": month,
            "month_value": raw[:20] if month_error else month.strftime("%Y-%m"),
            "month_error": month_error,
            "previous": _previous(month),
            "next": _next(month) if _next(month) <= timezone.localdate() else None,
            "figures": figures,
            "year_months": [
                {"month": date(month.year, m, 1), "count": months.get(m, 0)} for m in range(1, 13)
            ],
            "page": page,
            "entries": entries,
            "ancestors": agency.ancestors() if agency else [],
            "query_string": urlencode(
                {"month": month.strftime("%Y-%m"), **({} if whole_tree else {"scope": "own"})}
            ),
        },
        status=400 if month_error else 200,
    )
