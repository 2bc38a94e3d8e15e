"""Where browsers send Content-Security-Policy violation reports (CSP_REPORT_URI).

Browsers post them without cookies or a CSRF token, in one of three forms: the old
`report-uri` body (`application/csp-report`, {"csp-report": {...}}), the Reporting API's
list (`application/reports+json`, [{"type": "csp-violation", "body": {...}}]), or plain
JSON of either shape. Each violation becomes one WARNING line of the `gongkai.csp` logger
(kept with the other logs, docs/security.md): the page, the directive, what was blocked
and where. Anyone can post here, so a report is bounded (size, fields, length of each
value) and an address that posts more than CSP_REPORTS_PER_ADDRESS an hour is ignored; the
answer is always 204, so that the endpoint tells nothing.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongkai.audit.log import client_ip
from gongkai.lib.ratelimit import Limit

logger = logging.getLogger("gongkai.csp")

MAX_BODY = 64 * 1024
MAX_VIOLATIONS = 10
MAX_VALUE = 300
# The fields kept, under the report-uri (hyphenated) and the Reporting API (camelCase) names.
FIELDS = {
    "document-uri": "document",
    "documentURL": "document",
    "effective-directive": "directive",
    "effectiveDirective": "directive",
    "violated-directive": "directive",
    "blocked-uri": "blocked",
    "blockedURL": "blocked",
    "source-file": "source",
    "sourceFile": "source",
    "line-number": "line",
    "lineNumber": "line",
    "script-sample": "sample",
    "sample": "sample",
    "disposition": "disposition",
}


def _limit() -> Limit:
    return Limit("csp-report", settings.CSP_REPORTS_PER_ADDRESS, 3600, 3600)


def violations(payload: Any) -> list[dict[str, str]]:
    """The violations of a report body of any of the three forms, bounded."""
    if isinstance(payload, dict) and "csp-report" in payload:
        bodies: list[Any] = [payload["csp-report"]]
    elif isinstance(payload, list):
        bodies = [
            r.get("body")
            for r in payload
            if isinstance(r, dict) and r.get("type") in ("csp-violation", None)
        ]
    elif isinstance(payload, dict):
        bodies = [payload.get("body", payload)]
    else:
        bodies = []
    result = []
    for body in bodies[:MAX_VIOLATIONS]:
        if not isinstance(body, dict):
            continue
        kept: dict[str, str] = {}
        for name, label in FIELDS.items():
            value = body.get(name)
            if value is not None and label not in kept:
                kept[label] = str(value)[:MAX_VALUE]
        if kept:
            result.append(kept)
    return result


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    address = client_ip(request) or "-"
    limit = _limit()
    if limit.locked_for(address):
        return HttpResponse(status=204)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        return HttpResponse(status=204)
    try:
        payload = json.loads(request.body[:MAX_BODY] or b"null")
    except (ValueError, UnicodeDecodeError):
        payload = None
    found = violations(payload)
    for violation in found:
        if limit.locked_for(address):
            break
        limit.fail(address)  # counts reports; at the limit, a lock drops the rest of the hour
        logger.warning(
            "CSP violation from %s: %s",
            address,
            json.dumps(violation, ensure_ascii=False, sort_keys=True),
        )
    return HttpResponse(status=204)
