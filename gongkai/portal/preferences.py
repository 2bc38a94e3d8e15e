"""A visitor's reading preferences on the portal, kept in cookies: 简体/繁體 (the page is
converted by OpenCC after it is rendered) and 适老化 mode (larger text, higher contrast)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import cast

import opencc
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

SCRIPT_COOKIE = "gk_script"
CARE_COOKIE = "gk_care"
TRADITIONAL = "hant"
YEAR = 365 * 24 * 3600
# Pages that stay as they are: the back office, administration, the API, files.
NOT_CONVERTED = ("/office/", "/admin/", "/api/", "/static/", "/media/")


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    # s2t, not s2twp: the text is mainland legal language, so characters change and
    # words do not (信息 stays 信息, not 資訊).
    return opencc.OpenCC("s2t.json")


def to_traditional(text: str) -> str:
    return cast(str, _to_traditional().convert(text))


def wants_traditional(request: HttpRequest) -> bool:
    return request.COOKIES.get(SCRIPT_COOKIE) == TRADITIONAL


def context(request: HttpRequest) -> dict[str, object]:
    return {
        "traditional": wants_traditional(request),
        "care_mode": request.COOKIES.get(CARE_COOKIE) == "1",
    }


class TraditionalChineseMiddleware:
    """Serve portal pages in Traditional characters to a visitor who chose 繁體."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            wants_traditional(request)
            and not request.path.startswith(NOT_CONVERTED)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            charset = response.charset or "utf-8"
            text = response.content.decode(charset)
            text = text.replace('lang="zh-hans"', 'lang="zh-hant"', 1)
            response.content = to_traditional(text).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


def _back(request: HttpRequest) -> str:
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return target


@require_GET
def set_script(request: HttpRequest, script: str) -> HttpResponse:
    response = HttpResponseRedirect(_back(request))
    if script == TRADITIONAL:
        response.set_cookie(SCRIPT_COOKIE, TRADITIONAL, max_age=YEAR, samesite="Lax")
    else:
        response.delete_cookie(SCRIPT_COOKIE, samesite="Lax")
    return response


@require_GET
def set_care(request: HttpRequest, on: str) -> HttpResponse:
    response = HttpResponseRedirect(_back(request))
    if on == "on":
        response.set_cookie(CARE_COOKIE, "1", max_age=YEAR, samesite="Lax")
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response
