"""The security administrator's work (三权分立): role grants, unlocks, second-factor resets.

- Only a security administrator (over the agency concerned, i.e. where the role is held or
  below) grants or removes roles; the installation's superuser may too, for set-up.
- Nobody grants, removes or resets anything for themselves.
- One person holds at most one of the three administrator roles (system, security, audit).
Every action is audited (the grants through gongkai.audit.receivers).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.errors import ActionError
from gongkai.orgs import login_limits, mfa
from gongkai.orgs.models import (
    SEPARATED_ADMIN_ROLES,
    Agency,
    AgencyQuerySet,
    Membership,
    Role,
    User,
)


def subtree_of_role(user: User, role: str) -> AgencyQuerySet:
    """Agencies where `user` holds `role`, and every agency below them."""
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    paths = list(
        Membership.objects.filter(user=user, role=role).values_list("agency__path", flat=True)
    )
    if not paths:
        return Agency.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)


def is_security_admin(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user, role=Role.SECURITY_ADMIN).exists()
    )


def security_agencies(user: User) -> AgencyQuerySet:
    if user.is_superuser:
        return Agency.objects.all()
    return subtree_of_role(user, Role.SECURITY_ADMIN)


def security_users(user: User) -> Q:
    """Condition on User: the staff the security administrator looks after."""
    if user.is_superuser:
        return Q()
    return Q(memberships__agency__in=security_agencies(user))


def _require_over(actor: User, target: User, agency: Agency | None = None) -> None:
    if actor.pk == target.pk:
        raise PermissionDenied(_("Nobody may change their own roles or security settings."))
    agencies = security_agencies(actor)
    if agency is not None:
        allowed = agencies.filter(pk=agency.pk).exists()
    else:
        allowed = actor.is_superuser or target.memberships.filter(agency__in=agencies).exists()
    if not allowed:
        raise PermissionDenied(_("Only a security administrator over this agency may do this."))


@transaction.atomic
def grant_role(
    actor: User, target: User, agency: Agency, role: str, *, request: HttpRequest | None = None
) -> Membership:
    _require_over(actor, target, agency)
    if role not in Role.values:
        raise ActionError(_("Unknown role."))
    if role in SEPARATED_ADMIN_ROLES:
        other = target.memberships.filter(role__in=SEPARATED_ADMIN_ROLES).exclude(role=role).first()
        if other is not None:
            raise ActionError(
                _(
                    "%(user)s already holds the role %(role)s: the system, security and audit "
                    "administrators must be different people."
                )
                % {"user": target.display_name, "role": other.get_role_display()}
            )
    membership, _created = Membership.objects.get_or_create(user=target, agency=agency, role=role)
    return membership


@transaction.atomic
def revoke_role(actor: User, membership: Membership, *, request: HttpRequest | None = None) -> None:
    _require_over(actor, membership.user, membership.agency)
    membership.delete()


def reset_second_factor(actor: User, target: User, *, request: HttpRequest | None = None) -> int:
    _require_over(actor, target)
    with transaction.atomic():
        removed = mfa.reset_devices(target)
        record(
            Action.MFA_RESET,
            actor=actor,
            obj=target,
            request=request,
            detail={"devices_removed": removed},
        )
    return removed


def unlock(actor: User, target: User, *, request: HttpRequest | None = None) -> None:
    _require_over(actor, target)
    login_limits.unlock_account(target.get_username())
    record(Action.ACCOUNT_UNLOCKED, actor=actor, obj=target, request=request)
