"""Cached portal pages for anonymous visitors.

Most portal traffic is anonymous reading of the same pages: the column, the catalog, the
items. Views marked `public_page` have their pages kept in Django's cache (CACHES; per
process by default) by PortalCacheMiddleware, which answers the next visitor before
sessions, CSRF, messages and the rest of the middleware run. The pages are kept until
the public content changes: the version of gongkai.orgs.content, bumped after the
commit of a publishing step, an edited guide or a published annual report, is part of
the cache key, so such a change makes every cached page stale at once, while a staff
login or any other back-office step leaves them alone. The version is read at most once
a second per process (CLOCK_SECONDS), so a change shows within a second. With read
replicas (gongkai.lib.replicas) the cached pages are rendered from a standby: the version
is then the lowest any standby has replayed, so that a page rendered from a standby that
is behind is never kept under a newer version than its content.
PORTAL_CACHE_SECONDS bounds the age of a page in any case (content that depends on the
date, such as a report deadline, or a change made in the administration site), and 0
turns the cache off.

Only GET and HEAD requests of visitors without a session are served from the cache:
staff who are logged in, and anyone with a flash message waiting, get the page rendered
for them. The reading preferences (简/繁, 适老化) are part of the key, and a page is kept
as it leaves the middleware, converted to 繁體 where asked. A response that sets a cookie
on its way out (a session, a CSRF token for a form) is never kept.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from gongkai.lib.replicas import replica_aliases
from gongkai.orgs import content
from gongkai.portal.preferences import CARE_COOKIE, SCRIPT_COOKIE

# Cookies that do not change what the view renders (the preferences are in the key).
NEUTRAL_COOKIES = frozenset({SCRIPT_COOKIE, CARE_COOKIE, settings.CSRF_COOKIE_NAME})


# The content version is read at most this often per process: a change shows within a second.
CLOCK_SECONDS = 1.0
_clock: tuple[int, float] = (0, 0.0)  # (value, monotonic time it was read)


def change_clock() -> int:
    """The version of the public content (gongkai.orgs.content): it moves after the commit
    of each change the public sees, and only then."""
    global _clock  # one value per process, refreshed every CLOCK_SECONDS
    value, read_at = _clock
    now = time.monotonic()
    if now - read_at >= CLOCK_SECONDS or CLOCK_SECONDS <= 0:
        replicas = replica_aliases()
        value = (
            min(content.version(using=alias) for alias in replicas)
            if replicas
            else content.version()
        )
        _clock = (value, now)
    return value


def cacheable(request: HttpRequest) -> bool:
    return (
        settings.PORTAL_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not (set(request.COOKIES) - NEUTRAL_COOKIES)
    )


def cache_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    script = request.COOKIES.get(SCRIPT_COOKIE, "")
    care = request.COOKIES.get(CARE_COOKIE, "")
    language = request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:40]
    return f"portal:{change_clock()}:{language}:{script}:{care}:{path}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the view's pages as the same for every anonymous visitor: PortalCacheMiddleware
    keeps them."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.portal_cacheable = True  # type: ignore[attr-defined]
        return response

    return wrapped


class PortalCacheMiddleware:
    """Answer a cached page before the rest of the middleware runs; keep the pages of
    `public_page` views as they leave it (converted to 繁體, headers set), unless the way
    out set a cookie (a session, a CSRF token: the page belongs to its visitor)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable(request):
            return self.get_response(request)
        key = cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if (
            getattr(response, "portal_cacheable", False)
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            headers = list(response.items())
            cache.set(key, (200, headers, response.content), settings.PORTAL_CACHE_SECONDS)
        return response
