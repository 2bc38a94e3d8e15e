"""Response headers and cookies for 等保 (docs/security.md).

- Back-office and admin pages carry personal data: `Cache-Control: no-store`, so that no
  browser or proxy keeps a copy.
- With SECURE_COOKIES on, every cookie the project sets is `Secure` (the session and CSRF
  cookies by Django's settings; the others, such as the staff flag and the portal's
  preference, here).
- Content-Security-Policy: CSP_MODE "enforce" (default) sends the policy, "report-only"
  sends it as Content-Security-Policy-Report-Only (browsers report, nothing is blocked),
  "off" sends nothing. No template served to a browser has inline script or style, so no
  'unsafe-inline' is needed (tests/browser/test_csp.py). With CSP_REPORT_URI set the policy
  names it (report-uri, and report-to with a Reporting-Endpoints header) and browsers post
  violations there (gongkai.portal.csp_report).
- A response that carries its own Content-Security-Policy keeps it: the annual report's
  HTML file is a self-contained document with its own <style> (it is also the PDF's
  source), served under DOCUMENT_POLICY, which allows no script and no fetch at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

PRIVATE_PREFIXES = ("/office/", "/admin/")

# For generated documents opened in the browser (their inline styles are the file's own):
# nothing may run or load, styles only from the document itself.
DOCUMENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def content_security_policy() -> str:
    return "; ".join(f"{name} {value}" for name, value in settings.CSP_DIRECTIVES.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()
        report_uri = settings.CSP_REPORT_URI
        self.endpoints = f'csp="{report_uri}"' if report_uri else ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        if settings.SESSION_COOKIE_SECURE:
            for morsel in response.cookies.values():
                morsel["secure"] = True
        mode = settings.CSP_MODE
        if mode == "off" or "Content-Security-Policy" in response.headers:
            return response
        if mode == "enforce":
            response.headers["Content-Security-Policy"] = self.policy
        else:
            response.headers.setdefault("Content-Security-Policy-Report-Only", self.policy)
        if self.endpoints:
            response.headers.setdefault("Reporting-Endpoints", self.endpoints)
        return response


def as_document(response: HttpResponse) -> HttpResponse:
    """Serve a generated HTML document under DOCUMENT_POLICY instead of the site's."""
    response.headers["Content-Security-Policy"] = DOCUMENT_POLICY
    return response
