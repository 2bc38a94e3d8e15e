"""Record logins, logouts, failed logins and lockouts (等保 8.1.4.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from gongkai.audit.log import record
from gongkai.audit.models import Action

if TYPE_CHECKING:  # the audit app names no user model at run time (AUTH_USER_MODEL)
    from gongkai.orgs.models import User


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(Action.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record(
        Action.LOGIN_FAILED,
        actor_name=str(credentials.get("username", ""))[:150],
        success=False,
        request=request,
    )


@receiver(user_locked_out)
def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    record(
        Action.LOCKED_OUT,
        actor_name=(username or "")[:150],
        success=False,
        request=request,
    )
