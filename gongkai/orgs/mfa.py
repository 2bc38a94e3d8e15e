"""The second factor (等保 8.1.4.1 d): TOTP with recovery codes, through django-otp.

Who needs it: superusers, anyone who may use the Django admin (is_staff), and every holder
of a role in settings.MFA_REQUIRED_ROLES (default: the three administrators and the
supervisors). `SecondFactorMiddleware` sends such a user, once logged in with the password,
to /office/mfa/ before any other back-office or admin page: to enrol (QR code, then ten
recovery codes shown once) or to give the current code. A security administrator may
reset a user's devices (gongkai.orgs.security); every step is audited.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.orgs.models import Membership, User

RECOVERY_CODES = 10
TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"


def requires_second_factor(user: User | AnonymousUser) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    roles = list(settings.MFA_REQUIRED_ROLES)
    return bool(roles) and Membership.objects.filter(user=user, role__in=roles).exists()


def is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def enrolment_device(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device (made on first use): the QR code shows its key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def new_recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def confirm_enrolment(user: User, device: TOTPDevice) -> list[str]:
    """Make `device` the user's TOTP device and issue fresh recovery codes (returned once)."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=recovery, token=code.replace("-", "")) for code in codes]
    )
    return codes


def reset_devices(user: User) -> int:
    """Remove all of `user`'s devices; returns how many there were."""
    count: int = TOTPDevice.objects.filter(user=user).count()
    count += StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return count


def has_second_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: no back-office or admin page without the factor."""

    PROTECTED = ("/office/", "/admin/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if (
            path.startswith(self.PROTECTED)
            and request.user.is_authenticated
            and not is_verified(request)
            and requires_second_factor(request.user)
            and path not in self._open_paths()
        ):
            return redirect(f"{reverse('mfa')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> set[str]:
        return {reverse("mfa"), reverse("mfa_recovery_codes"), reverse("logout")}


__all__ = ["DEVICE_ID_SESSION_KEY", "SecondFactorMiddleware", "requires_second_factor"]
