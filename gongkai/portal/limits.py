"""Limits on guessing a query code: /track/ and the query-code resend (gongkai.lib.ratelimit).

Per application number: TRACK_FAILURES_PER_NUMBER wrong codes in an hour, then a wait of
TRACK_LOCK_MINUTES for that number from everywhere; per address, across numbers:
TRACK_FAILURES_PER_ADDRESS. A resend is limited the same way (RESEND_PER_NUMBER and
RESEND_PER_ADDRESS an hour), so that it cannot be used to flood an applicant.

The views call `wait_message()` before checking and `failed()` after a wrong code; a
message means "refuse, and show it".
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gongkai.audit.log import client_ip, record
from gongkai.audit.models import Action
from gongkai.lib.ratelimit import Limit, wait_minutes

HOUR = 3600


def _track_limits(request: HttpRequest, number: str) -> list[tuple[Limit, str]]:
    lock = settings.TRACK_LOCK_MINUTES * 60
    return [
        (Limit("track-number", settings.TRACK_FAILURES_PER_NUMBER, HOUR, lock), number.strip()),
        (
            Limit("track-address", settings.TRACK_FAILURES_PER_ADDRESS, HOUR, lock),
            _address(request),
        ),
    ]


def _resend_limits(request: HttpRequest, number: str) -> list[tuple[Limit, str]]:
    lock = settings.TRACK_LOCK_MINUTES * 60
    return [
        (Limit("resend-number", settings.RESEND_PER_NUMBER, HOUR, lock), number.strip()),
        (Limit("resend-address", settings.RESEND_PER_ADDRESS, HOUR, lock), _address(request)),
    ]


def _address(request: HttpRequest) -> str:
    return client_ip(request) or "-"


def _message(seconds: int) -> str:
    return _(
        "Too many attempts for this application number or from this address. "
        "Please try again in %(minutes)d minutes."
    ) % {"minutes": wait_minutes(seconds)}


def _wait(limits: list[tuple[Limit, str]]) -> str | None:
    seconds = max((limit.locked_for(key) for limit, key in limits), default=0)
    return _message(seconds) if seconds else None


def _count(request: HttpRequest, number: str, limits: list[tuple[Limit, str]]) -> str | None:
    seconds = max((limit.fail(key) for limit, key in limits), default=0)
    if not seconds:
        return None
    record(
        Action.RATE_LIMITED,
        actor_name="",
        success=False,
        request=request,
        detail={"limit": limits[0][0].name, "number": number.strip()[:40]},
    )
    return _message(seconds)


def wait_message(request: HttpRequest, number: str) -> str | None:
    """For /track/: the Chinese wait message while the number or the address is locked."""
    return _wait(_track_limits(request, number))


def failed(request: HttpRequest, number: str) -> str | None:
    """Count a wrong query code; the wait message when this failure starts a lock."""
    return _count(request, number, _track_limits(request, number))


def resend_wait_message(request: HttpRequest, number: str) -> str | None:
    """For the query-code resend: the wait message while resends are locked."""
    return _wait(_resend_limits(request, number))


def resent(request: HttpRequest, number: str) -> str | None:
    """Count one resend (successful or not); the wait message when the limit is reached."""
    return _count(request, number, _resend_limits(request, number))
