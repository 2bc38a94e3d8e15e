"""Send staff whose password is too old to the password change page (等保: 定期更换)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class PasswordExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(("/office/", "/admin/"))
            and user.password_expired(settings.PASSWORD_MAX_AGE_DAYS)
        ):
            change_url = reverse("password_change")
            if request.path not in (change_url, reverse("logout"), reverse("mfa")):
                messages.warning(
                    request,
                    _(
                        "Your password is more than %(days)d days old. Please set a new "
                        "one before continuing."
                    )
                    % {"days": settings.PASSWORD_MAX_AGE_DAYS},
                )
                return redirect(change_url)
        return self.get_response(request)
