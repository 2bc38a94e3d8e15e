"""发布记录校验值: the publication log's head, published so that a rewrite is visible
from outside (gongkai.publishing.integrity; verify_publication_log --against)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from gongkai.publishing import integrity


def publication_log_head(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/publication_log_head.html", {"head": integrity.head()})


def publication_log_head_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(integrity.head(), json_dumps_params={"ensure_ascii": False})
