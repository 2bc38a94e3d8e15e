"""Record logins, logouts, failed logins and lockouts (等保 8.1.4.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from gongkai.audit.log import current_request, record
from gongkai.audit.models import Action
from gongkai.orgs.models import Membership

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


def _acting() -> tuple[Any, HttpRequest | None]:
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user, request


@receiver(post_save, sender=Membership)
def on_membership_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    user, request = _acting()
    record(
        Action.MEMBERSHIP_ADDED if created else Action.ADMIN_CHANGED,
        actor=user,
        obj=instance,
        request=request,
        detail={"user": instance.user_id, "role": instance.role},
    )


@receiver(post_delete, sender=Membership)
def on_membership_deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
    user, request = _acting()
    record(
        Action.MEMBERSHIP_REMOVED,
        actor=user,
        obj=instance,
        request=request,
        detail={"user": instance.user_id, "role": instance.role},
    )


def on_groups_changed(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Groups and permissions granted or taken in the admin (or anywhere else)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    user, request = _acting()
    record(
        Action.GROUPS_CHANGED,
        actor=user,
        obj=instance,
        request=request,
        detail={
            "relation": sender._meta.model_name,
            "change": action.removeprefix("post_"),
            "ids": sorted(pk_set or []),
        },
    )


_user_model = get_user_model()
m2m_changed.connect(on_groups_changed, sender=_user_model.groups.through, weak=False)
m2m_changed.connect(on_groups_changed, sender=_user_model.user_permissions.through, weak=False)
