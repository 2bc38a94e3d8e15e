"""发布记录校验值: the publication log's head, published so that a rewrite is visible
from outside (gongkai.publishing.integrity; verify_publication_log --against)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.publishing import integrity


def publication_log_head(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/publication_log_head.html",
        {"head": integrity.head(), "history": integrity.daily_heads()},
    )


class PublicationHeadFeed(Feed[dict[str, Any], None]):
    """The head at the end of each day with publications (last 30 days), as RSS: readers
    who follow it keep a copy outside the database."""

    def title(self) -> str:
        return _("Publication record check value")

    def link(self) -> str:
        return reverse("publication_log_head")

    def description(self) -> str:
        return _("The check value of the publication record at the end of each day.")

    def items(self) -> list[dict[str, Any]]:
        return integrity.daily_heads()

    def item_title(self, item: dict[str, Any]) -> str:
        return _("%(date)s: %(count)d entries") % {"date": item["date"], "count": item["count"]}

    def item_description(self, item: dict[str, Any]) -> str:
        return str(item["head"])

    def item_link(self, item: dict[str, Any]) -> str:
        return f"{reverse('publication_log_head')}#{item['date']}"

    def item_guid(self, item: dict[str, Any]) -> str:
        return f"publication-record:{item['count']}:{item['head']}"

    item_guid_is_permalink = False


def publication_log_head_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(integrity.head(), json_dumps_params={"ensure_ascii": False})
