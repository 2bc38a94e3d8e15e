"""Who sees which applications: every staff query of applications goes through here."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext as _

from gongkai.foi.models import Application, ApplicationQuerySet
from gongkai.orgs.access import has_role, scope_to_agencies
from gongkai.orgs.models import Role, User


def visible_applications(user: User | AnonymousUser) -> ApplicationQuerySet:
    """Applications of the agencies `user` may see (a supervisor: the whole subtree)."""
    queryset = scope_to_agencies(Application.objects.select_related("agency", "handler"), user)
    assert isinstance(queryset, ApplicationQuerySet)  # noqa: S101 - narrows the type for mypy
    return queryset


def get_application_for_user(user: User | AnonymousUser, pk: int) -> Application:
    """One application, or 404 when it does not exist or `user` may not see it."""
    try:
        return visible_applications(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404(_("No such application.")) from None


def can_handle(user: User | AnonymousUser, application: Application) -> bool:
    """Staff of the case's agency who may take its steps."""
    return has_role(user, application.agency, Role.OFFICER, Role.OFFICE_HEAD)


def sees_personal_data(user: User | AnonymousUser, application: Application) -> bool:
    """The full identity number is for the case's handler and the office head only."""
    return bool(
        getattr(user, "pk", None) is not None
        and (
            application.handler_id == getattr(user, "pk", None)
            or has_role(user, application.agency, Role.OFFICE_HEAD)
        )
    )


def mask_id(number: str) -> str:
    """110105********002X: enough to tell documents apart, not enough to misuse."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
