"""Who may see and change what: the scoping helpers every staff query goes through.

The rule (DESIGN.md principle 5): a user sees the agencies where they hold any role, and
the whole subtree below an agency where they are a supervisor or an administrator.
Superusers see everything. What a user may not see is a 404, never a 403, so that the
existence of another agency's records is not revealed; what they may see but not change
is a 403.

Later apps write one pair per object type on top of `scope_to_agencies`, e.g.
`visible_applications(user)` and `get_application_for_user(user, pk)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gongkai.orgs.models import (
    SUBTREE_ROLES,
    Agency,
    AgencyQuerySet,
    Membership,
    Role,
    User,
    in_subtree,
)

M = TypeVar("M", bound=Model)


def _as_staff(user: User | AnonymousUser) -> User | None:
    """The user when it is an active, logged-in staff user; otherwise None."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def visible_agencies(user: User | AnonymousUser) -> AgencyQuerySet:
    """Agencies whose records `user` may see."""
    staff = _as_staff(user)
    if staff is None:
        return Agency.objects.none()
    if staff.is_superuser:
        return Agency.objects.all()
    memberships = Membership.objects.filter(user=staff)
    condition = Q(pk__in=memberships.values("agency_id"))
    subtree_paths = memberships.filter(role__in=SUBTREE_ROLES).values_list(
        "agency__path", flat=True
    )
    for path in subtree_paths:
        condition |= in_subtree(path)
    return Agency.objects.filter(condition)


def get_agency_for_user(user: User | AnonymousUser, code: str) -> Agency:
    """One agency by code, or 404 when it does not exist or `user` may not see it."""
    try:
        return visible_agencies(user).get(code=code)
    except Agency.DoesNotExist:
        raise Http404(_("No such agency.")) from None


def scope_to_agencies(
    queryset: QuerySet[M], user: User | AnonymousUser, field: str = "agency"
) -> QuerySet[M]:
    """Restrict any queryset to rows whose `field` is an agency visible to `user`."""
    return queryset.filter(**{f"{field}__in": visible_agencies(user)})


def get_object_for_user(
    queryset: QuerySet[M], user: User | AnonymousUser, field: str = "agency", **lookup: object
) -> M:
    """One row of a scoped queryset, or 404."""
    try:
        return scope_to_agencies(queryset, user, field).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404(_("Not found.")) from None


def has_role(user: User | AnonymousUser, agency: Agency, *roles: str) -> bool:
    """Whether `user` holds one of `roles` in `agency`.

    Supervisor and administrator roles also count for every agency below the one where
    they are held. Superusers hold every role everywhere.
    """
    staff = _as_staff(user)
    if staff is None:
        return False
    if staff.is_superuser:
        return True
    own = Q(agency=agency, role__in=roles)
    inherited_roles = [r for r in roles if r in SUBTREE_ROLES]
    if inherited_roles:
        above = [int(p) for p in agency.path.strip("/").split("/") if p]
        own |= Q(agency_id__in=above, role__in=inherited_roles)
    return Membership.objects.filter(own, user=staff).exists()


def require_role(user: User | AnonymousUser, agency: Agency, *roles: str) -> None:
    """403 unless `user` holds one of `roles` in `agency` (see has_role)."""
    if not has_role(user, agency, *roles):
        raise PermissionDenied(_("You do not have the role needed for this action."))


def can_manage_agency(user: User | AnonymousUser, agency: Agency) -> bool:
    """Editing an agency's contact details: its office head, or an administrator above it."""
    return has_role(user, agency, Role.OFFICE_HEAD, Role.ADMIN)


def is_administrator(user: User | AnonymousUser) -> bool:
    """Whether `user` administers at least one agency (or the whole installation)."""
    staff = _as_staff(user)
    if staff is None:
        return False
    return staff.is_superuser or Membership.objects.filter(user=staff, role=Role.ADMIN).exists()


def visible_users(user: User | AnonymousUser) -> QuerySet[User]:
    """Staff users who hold a role in an agency visible to `user`."""
    staff = _as_staff(user)
    if staff is None:
        return User.objects.none()
    if staff.is_superuser:
        return User.objects.all()
    return User.objects.filter(memberships__agency__in=visible_agencies(staff)).distinct()


def get_user_for_user(viewer: User | AnonymousUser, pk: int) -> User:
    """One staff user, or 404 when `viewer` may not see them."""
    try:
        return visible_users(viewer).get(pk=pk)
    except User.DoesNotExist:
        raise Http404(_("No such user.")) from None


def agencies_with_role(user: User | AnonymousUser, roles: Iterable[str]) -> AgencyQuerySet:
    """Agencies where `user` holds one of `roles`, counted as has_role counts them: where
    the role is held and, for a supervisor's or administrator's role, every agency below.
    Superusers hold every role everywhere."""
    staff = _as_staff(user)
    if staff is None:
        return Agency.objects.none()
    if staff.is_superuser:
        return Agency.objects.all()
    memberships = list(
        Membership.objects.filter(user=staff, role__in=list(roles)).select_related("agency")
    )
    found = Agency.objects.filter(pk__in=[m.agency_id for m in memberships])
    for membership in memberships:
        if membership.role in SUBTREE_ROLES:
            found = found | Agency.objects.subtree_of(membership.agency)
    return found
