"""The scoping helper against the fixed cast (STYLE.md 6)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.orgs.access import (
    can_manage_agency,
    get_agency_for_user,
    get_object_for_user,
    get_user_for_user,
    has_role,
    is_administrator,
    require_role,
    scope_to_agencies,
    visible_agencies,
    visible_users,
)
from gongkai.orgs.models import Agency, Kind, Level, Membership, Role


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_an_officer_sees_only_their_own_agency(cast):
    assert codes(visible_agencies(cast.officer_a)) == {"a"}
    assert codes(visible_agencies(cast.reviewer_a)) == {"a"}
    assert codes(visible_agencies(cast.officer_b)) == {"b"}


def test_a_supervisor_sees_the_whole_subtree_below_their_agency(cast):
    assert codes(visible_agencies(cast.supervisor)) == {"county", "a", "a-unit", "b"}


def test_a_supervisor_does_not_see_agencies_outside_their_subtree(cast):
    Agency.objects.create(code="other", name="外县", level=Level.COUNTY, kind=Kind.GOVERNMENT)
    assert "other" not in codes(visible_agencies(cast.supervisor))
    assert codes(visible_agencies(cast.superuser)) >= {"other", "county"}


def test_anonymous_and_inactive_users_see_nothing(cast):
    assert not visible_agencies(AnonymousUser()).exists()
    cast.officer_a.is_active = False
    cast.officer_a.save()
    assert not visible_agencies(cast.officer_a).exists()


def test_a_user_of_agency_a_gets_404_for_agency_b(cast):
    assert get_agency_for_user(cast.officer_a, "a") == cast.a
    with pytest.raises(Http404):
        get_agency_for_user(cast.officer_a, "b")
    with pytest.raises(Http404):
        get_agency_for_user(AnonymousUser(), "a")
    with pytest.raises(Http404):
        get_agency_for_user(cast.officer_a, "does-not-exist")


def test_scope_to_agencies_filters_any_model_by_its_agency_field(cast):
    memberships = scope_to_agencies(Membership.objects.all(), cast.officer_a)
    assert {m.agency.code for m in memberships} == {"a"}
    supervised = scope_to_agencies(Membership.objects.all(), cast.supervisor)
    assert {m.agency.code for m in supervised} == {"county", "a", "b"}
    b_membership = Membership.objects.get(user=cast.officer_b)
    with pytest.raises(Http404):
        get_object_for_user(Membership.objects.all(), cast.officer_a, pk=b_membership.pk)
    found = get_object_for_user(Membership.objects.all(), cast.supervisor, pk=b_membership.pk)
    assert found == b_membership


def test_roles_are_held_in_one_agency_and_supervision_passes_down(cast):
    assert has_role(cast.officer_a, cast.a, Role.OFFICER)
    assert not has_role(cast.officer_a, cast.a, Role.REVIEWER_FIRST)
    assert not has_role(cast.officer_a, cast.b, Role.OFFICER)
    # A reviewer role in A does not reach A's sub-unit.
    assert not has_role(cast.reviewer_a, cast.a_unit, Role.REVIEWER_FIRST)
    # Supervisor and administrator roles count for every agency below.
    assert has_role(cast.supervisor, cast.a_unit, Role.SUPERVISOR)
    assert not has_role(cast.supervisor, cast.a, Role.OFFICER)
    assert has_role(cast.superuser, cast.b, Role.OFFICER)
    assert not has_role(AnonymousUser(), cast.a, Role.OFFICER)


def test_require_role_is_a_403(cast):
    require_role(cast.head_a, cast.a, Role.OFFICE_HEAD)
    with pytest.raises(PermissionDenied):
        require_role(cast.officer_a, cast.a, Role.OFFICE_HEAD)


def test_who_may_manage_an_agency(cast):
    assert can_manage_agency(cast.head_a, cast.a)
    assert can_manage_agency(cast.admin_county, cast.a)
    assert not can_manage_agency(cast.officer_a, cast.a)
    assert not can_manage_agency(cast.supervisor, cast.a)
    assert not can_manage_agency(cast.head_a, cast.b)


def test_staff_lists_follow_agency_visibility(cast):
    assert is_administrator(cast.admin_county)
    assert is_administrator(cast.superuser)
    assert not is_administrator(cast.supervisor)
    names = set(visible_users(cast.officer_a).values_list("username", flat=True))
    assert names == {"officer_a", "reviewer_a", "head_a"}
    assert "officer_b" in set(visible_users(cast.admin_county).values_list("username", flat=True))
    with pytest.raises(Http404):
        get_user_for_user(cast.officer_a, cast.officer_b.pk)
    assert get_user_for_user(cast.supervisor, cast.officer_b.pk) == cast.officer_b
    assert not visible_users(AnonymousUser()).exists()
