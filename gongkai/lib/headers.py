"""Response headers and cookies for 等保 (docs/security.md).

- Back-office and admin pages carry personal data: `Cache-Control: no-store`, so that no
  browser or proxy keeps a copy.
- With SECURE_COOKIES on, every cookie the project sets is `Secure` (the session and CSRF
  cookies by Django's settings; the others, such as the staff flag and the portal's
  preference, here).
- Content-Security-Policy: CSP_MODE "enforce" sends the policy, "report-only" (default)
  sends it as Content-Security-Policy-Report-Only (browsers report, nothing is blocked),
  "off" sends nothing. The templates still have inline styles that the policy refuses
  (docs/security.md lists them), hence the default.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

PRIVATE_PREFIXES = ("/office/", "/admin/")


def content_security_policy() -> str:
    return "; ".join(f"{name} {value}" for name, value in settings.CSP_DIRECTIVES.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        if settings.SESSION_COOKIE_SECURE:
            for morsel in response.cookies.values():
                morsel["secure"] = True
        mode = settings.CSP_MODE
        if mode == "enforce":
            response.headers.setdefault("Content-Security-Policy", self.policy)
        elif mode == "report-only":
            response.headers.setdefault("Content-Security-Policy-Report-Only", self.policy)
        return response
