from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import uscc

from gongkai.orgs.models import Agency, Kind, Level, Membership, Role, User


def make(code: str, parent: Agency | None = None) -> Agency:
    return Agency.objects.create(
        code=code, name=code, parent=parent, level=Level.COUNTY, kind=Kind.DEPARTMENT
    )


@pytest.mark.django_db
def test_paths_follow_the_tree_and_move_with_a_subtree():
    root, other = make("root"), make("other")
    child = make("child", root)
    grandchild = make("grandchild", child)
    assert child.path == f"/{root.pk}/{child.pk}/"
    assert (root.depth, child.depth, grandchild.depth) == (0, 1, 2)
    assert grandchild.is_below(root) and not root.is_below(grandchild)

    child.parent = other
    child.save()
    grandchild.refresh_from_db()
    assert grandchild.path == f"/{other.pk}/{child.pk}/{grandchild.pk}/"
    assert grandchild.depth == 2
    assert list(grandchild.ancestors()) == [other, child]
    assert set(Agency.objects.subtree_of(root)) == {root}
    assert set(Agency.objects.subtree_of(other)) == {other, child, grandchild}


@pytest.mark.django_db
def test_save_with_update_fields_keeps_the_path():
    root = make("root")
    child = make("child", root)
    child.name = "新名称"
    child.save(update_fields=["name"])
    child.refresh_from_db()
    assert child.name == "新名称"
    assert child.path == f"/{root.pk}/{child.pk}/"


@pytest.mark.django_db
def test_an_agency_cannot_be_moved_below_its_own_subordinate():
    root = make("root")
    child = make("child", root)
    root.parent = child
    with pytest.raises(ValidationError) as excinfo:
        root.full_clean()
    assert "下级" in str(excinfo.value)


@pytest.mark.django_db
def test_credit_codes_are_checked_with_their_check_character():
    body = "11339901000000001"
    good = body + uscc.calc_check_digit(body)
    agency = Agency(code="x", name="x", level=Level.COUNTY, kind=Kind.DEPARTMENT, credit_code=good)
    agency.full_clean()
    agency.credit_code = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as excinfo:
        agency.full_clean()
    assert "统一社会信用代码" in str(excinfo.value)


@pytest.mark.django_db
def test_contact_completeness_follows_article_12():
    agency = make("a")
    assert not agency.contact_complete()
    agency.office_name = "办公室"
    agency.office_address = "人民路 1 号"
    agency.office_hours = "工作日"
    agency.office_phone = "0000-1"
    assert not agency.contact_complete()
    agency.office_fax = "0000-2"
    assert agency.contact_complete()


@pytest.mark.django_db
def test_the_supervisor_role_needs_a_supervising_office():
    user = User.objects.create_user("u", password="x")
    plain = make("plain")
    with pytest.raises(ValidationError):
        Membership(user=user, agency=plain, role=Role.SUPERVISOR).full_clean()
    plain.is_supervising = True
    plain.save()
    Membership(user=user, agency=plain, role=Role.SUPERVISOR).full_clean()


@pytest.mark.django_db
def test_passwords_expire_after_the_configured_age(time_machine):
    time_machine.move_to("2026-01-01 09:00 +0800", tick=False)
    user = User.objects.create_user("u", password="Abc-12345")
    assert user.password_changed_at == timezone.now()  # the frozen clock
    assert not user.password_expired(90)
    time_machine.shift(timedelta(days=91))
    assert user.password_expired(90)
    assert not user.password_expired(0)
    user.set_password("New-Pass-123")
    assert user.password_changed_at == timezone.now()
    assert not user.password_expired(90)


@pytest.mark.django_db
def test_the_sql_and_python_contact_rules_agree():
    full = {
        "office_name": "办公室",
        "office_address": "人民路 1 号",
        "office_hours": "工作日",
        "office_phone": "0000-1",
        "office_email": "gk@x.example",
        "office_fax": "0000-2",
    }
    variants = (
        [full]
        + [{**full, key: ""} for key in full]
        + [{**full, "office_email": "", "office_fax": ""}]
    )
    for i, values in enumerate(variants):
        Agency.objects.create(
            code=f"v{i}", name=f"v{i}", level=Level.COUNTY, kind=Kind.DEPARTMENT, **values
        )
    incomplete = set(Agency.objects.contact_incomplete().values_list("code", flat=True))
    assert incomplete == {a.code for a in Agency.objects.all() if not a.contact_complete()}
    assert incomplete == {f"v{i}" for i in range(1, len(variants))} - {"v5", "v6"}


@pytest.mark.django_db
def test_moving_with_a_stale_object_still_moves_the_whole_subtree():
    a, b, f = make("a"), make("b"), make("f")
    m = make("m", a)
    e = make("e", m)
    g = make("g", e)
    stale_e = Agency.objects.get(pk=e.pk)  # loaded before its ancestor moves
    m.parent = b
    m.save()
    stale_e.parent = f
    stale_e.save()
    g.refresh_from_db()
    assert g.path == f"/{f.pk}/{e.pk}/{g.pk}/"
    assert set(Agency.objects.subtree_of(b)) == {b, m}
