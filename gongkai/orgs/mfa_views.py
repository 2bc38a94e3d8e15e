"""The second-factor pages: enrol by QR code, give the code, see the recovery codes once."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.orgs import mfa
from gongkai.orgs.http import AuthenticatedHttpRequest

RECOVERY_SESSION_KEY = "gongkai_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


def _next_url(request: AuthenticatedHttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/office/"


def _throttle_message(device: Any) -> str | None:
    allowed, _info = device.verify_is_allowed()
    if allowed:
        return None
    return _("Too many wrong codes. Wait a moment before trying again.")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    if mfa.is_verified(request) and request.method == "GET":
        return redirect(next_url)
    device = mfa.confirmed_totp(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form, "next": next_url, "enrolling": device is None}
    if device is None:
        device = mfa.enrolment_device(user)
        context["qr_svg"] = mark_safe(  # noqa: S308 - segno's own SVG, no user text in it
            segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("QR code"))
        )
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        throttled = _throttle_message(device)
        if throttled:
            form.add_error("code", throttled)
        elif context["enrolling"]:
            if device.verify_token(code):
                codes = mfa.confirm_enrolment(user, device)
                otp_login(request, device)
                record(Action.MFA_ENROLLED, actor=user, obj=user, request=request)
                request.session[RECOVERY_SESSION_KEY] = codes
                return redirect(f"{_recovery_url()}?next={next_url}")
            form.add_error("code", _("The code is not right. Check the time on your phone."))
        else:
            used = _verify(request, device, code)
            if used is not None:
                return redirect(next_url)
            record(Action.MFA_FAILED, actor=user, success=False, request=request)
            form.add_error("code", _("The code is not right. Check the time on your phone."))
    return render(request, "registration/mfa.html", context)


def _verify(request: AuthenticatedHttpRequest, totp: Any, code: str) -> Any:
    """The device that accepts `code` (the TOTP device or a recovery code), logged in."""
    user = request.user
    if code.isdigit() and len(code) == 6:
        if totp.verify_token(code):
            otp_login(request, totp)
            record(Action.MFA_VERIFIED, actor=user, request=request)
            return totp
        return None
    for recovery in StaticDevice.objects.filter(user=user, confirmed=True):
        if recovery.verify_is_allowed()[0] and recovery.verify_token(code):
            otp_login(request, recovery)
            left = recovery.token_set.count()
            record(
                Action.RECOVERY_CODE_USED,
                actor=user,
                request=request,
                detail={"codes_left": left},
            )
            return recovery
    return None


def _recovery_url() -> str:
    from django.urls import reverse

    return reverse("mfa_recovery_codes")


@login_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The recovery codes just issued, shown once."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )
