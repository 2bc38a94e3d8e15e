"""Completing the second factor in the browser, as a person with an authenticator does."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator shows now, or, when this device already used the current
    time step (a second login within 30 seconds: django-otp refuses a replayed step), the
    next step's code, which the device's tolerance accepts."""
    device.refresh_from_db()
    for _ in range(device.step * 2):
        otp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        ahead = max(0, device.last_t + 1 - otp.t())
        if ahead <= device.tolerance:
            otp.drift = ahead
            return str(otp.token()).zfill(device.digits)
        time.sleep(1)  # both allowed steps used: wait for the clock (a frozen clock cannot)
    raise AssertionError("the clock does not move: shift it before logging in again")


def pass_second_factor(page: Page, username: str) -> None:
    """On the second-factor page after a password login: enrol (the QR page's device) or give
    the current code; then leave the recovery codes page. Does nothing elsewhere."""
    page.wait_for_load_state()
    if "/office/mfa/" not in page.url:
        return
    device = (
        TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "-id").first()
    )
    assert device is not None, f"no TOTP device for {username}"
    page.get_by_label("验证码").fill(current_code(device))
    page.get_by_role("button", name="继续").click()
    page.wait_for_load_state()
    if "/office/mfa/recovery-codes/" in page.url:
        page.get_by_role("link", name="我已保存，继续").click()
        page.wait_for_load_state()
