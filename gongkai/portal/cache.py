"""Cached portal pages for anonymous visitors.

Most portal traffic is anonymous reading of the same pages: the column, the catalog, the
items. `public_page` keeps a rendered page in Django's cache (CACHES; per process by
default) and serves it again until anything changes. "Anything changes" is read from the
audit log: every change staff make, in the back office or in the administration site,
appends an entry there (gongkai.audit), so the id of the newest entry is part of the
cache key, and a publication, a withdrawal or an edited guide makes every cached page
stale at once. That costs one indexed query per request, far less than the page.
PORTAL_CACHE_SECONDS bounds the age of a page in any case (content that depends on the
date, such as a report deadline), and 0 turns the cache off.

Only safe requests of visitors without a session are served from the cache: staff who
are logged in, and anyone with a flash message waiting, get the page rendered for them.
The reading preferences (简/繁, 适老化) are part of the key; the 繁體 conversion itself
happens after the view (preferences.TraditionalChineseMiddleware).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from gongkai.portal.preferences import CARE_COOKIE, SCRIPT_COOKIE

# Cookies that do not change what the view renders (the preferences are in the key).
NEUTRAL_COOKIES = frozenset({SCRIPT_COOKIE, CARE_COOKIE, settings.CSRF_COOKIE_NAME})


def change_clock() -> int:
    """The id of the newest audit entry: it moves whenever staff change anything."""
    from gongkai.audit.models import AuditEntry

    return AuditEntry.objects.aggregate(latest=Max("id"))["latest"] or 0


def cacheable(request: HttpRequest) -> bool:
    return (
        settings.PORTAL_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not (set(request.COOKIES) - NEUTRAL_COOKIES)
    )


def cache_key(request: HttpRequest, clock: int) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    script = request.COOKIES.get(SCRIPT_COOKIE, "")
    care = request.COOKIES.get(CARE_COOKIE, "")
    return f"portal:{clock}:{get_language()}:{script}:{care}:{path}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the cache to anonymous visitors (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = cache_key(request, change_clock())
        response: HttpResponse | None = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not response.has_header("Cache-Control")
            ):
                if hasattr(response, "render"):
                    response.render()
                # A page with a CSRF token (a form) belongs to its visitor.
                if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                    cache.set(key, response, settings.PORTAL_CACHE_SECONDS)
        return response

    return wrapped
