"""The second factor (等保 8.1.4.1 d) and the separated administrator roles (三权分立)."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.audit.models import Action, AuditEntry
from gongkai.orgs.models import Membership, Role
from tests.conftest import PASSWORD


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return str(value).zfill(device.digits)


def password_login(client, user):
    response = client.post(
        reverse("login") + "?next=/office/agencies/",
        {"username": user.username, "password": PASSWORD, "next": "/office/agencies/"},
    )
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("who", ["supervisor", "admin_county", "security_admin", "auditor"])
def test_the_configured_roles_need_the_second_factor(client, cast, who):
    client.force_login(getattr(cast, who), second_factor=False)
    response = client.get("/office/agencies/")
    assert response.status_code == 302
    assert response.url == reverse("mfa") + "?next=%2Foffice%2Fagencies%2F"


def test_other_roles_do_not_unless_the_setting_names_them(client, cast, settings):
    client.force_login(cast.officer_a, second_factor=False)
    assert client.get("/office/").status_code == 200
    settings.MFA_REQUIRED_ROLES = ["officer"]
    assert client.get("/office/").status_code == 302


def test_the_django_admin_is_behind_the_same_check(client, cast):
    client.force_login(cast.superuser, second_factor=False)
    response = client.get("/admin/orgs/agency/")
    assert response.status_code == 302 and response.url.startswith(reverse("mfa"))
    client.force_login(cast.superuser)
    assert client.get("/admin/orgs/agency/").status_code == 200


def test_enrolment_by_qr_code_then_recovery_codes(client, cast):
    response = password_login(client, cast.supervisor)
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa"))
    text = response.content.decode()
    assert "<svg" in text and "扫描" in text
    found = re.search(r"data-secret>([A-Z2-7]+)<", text)
    assert found is not None
    secret = found.group(1)
    device = TOTPDevice.objects.get(user=cast.supervisor, confirmed=False)
    import base64

    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret

    url = reverse("mfa") + "?next=/office/agencies/"
    response = client.post(url, {"code": "000000", "next": "/office/agencies/"})
    assert "验证码不正确" in response.content.decode()
    time.sleep(1.1)  # django-otp's throttle after a wrong code
    device.refresh_from_db()
    response = client.post(url, {"code": code_for(device), "next": "/office/agencies/"})
    assert response.status_code == 302
    response = client.get(response.url)
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.content.decode())
    assert len(codes) == 10
    assert client.get(response.context["next"]).status_code == 200
    assert client.get(reverse("mfa_recovery_codes")).status_code == 302  # shown only once
    assert AuditEntry.objects.filter(action=Action.MFA_ENROLLED, actor=cast.supervisor).exists()

    # Next login: the code is asked for; a recovery code works once.
    client.post(reverse("logout"))
    password_login(client, cast.supervisor)
    assert client.get("/office/agencies/").status_code == 302
    response = client.post(url, {"code": codes[0].upper(), "next": "/office/agencies/"})
    assert response.status_code == 302 and response.url == "/office/agencies/"
    assert client.get("/office/agencies/").status_code == 200
    assert AuditEntry.objects.filter(action=Action.RECOVERY_CODE_USED).exists()
    client.post(reverse("logout"))
    password_login(client, cast.supervisor)
    time.sleep(1.1)
    response = client.post(url, {"code": codes[0], "next": "/office/agencies/"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.MFA_FAILED, actor=cast.supervisor).exists()


def test_a_current_code_passes_the_second_factor(client, cast):
    device = TOTPDevice.objects.create(user=cast.admin_county, name="totp", confirmed=True)
    password_login(client, cast.admin_county)
    response = client.post(reverse("mfa"), {"code": code_for(device), "next": "/office/agencies/"})
    assert response.status_code == 302 and response.url == "/office/agencies/"
    assert client.get("/office/agencies/").status_code == 200
    assert AuditEntry.objects.filter(action=Action.MFA_VERIFIED, actor=cast.admin_county).exists()


def test_the_security_administrator_resets_a_second_factor_audited(client, cast):
    TOTPDevice.objects.create(user=cast.supervisor, name="totp", confirmed=True)
    StaticDevice.objects.create(user=cast.supervisor, name="recovery", confirmed=True)
    client.force_login(cast.security_admin)
    response = client.post(reverse("security:reset_mfa", args=[cast.supervisor.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.supervisor).exists()
    assert not StaticDevice.objects.filter(user=cast.supervisor).exists()
    entry = AuditEntry.objects.get(action=Action.MFA_RESET)
    assert entry.actor == cast.security_admin and entry.object_id == str(cast.supervisor.pk)
    # Not their own.
    response = client.post(reverse("security:reset_mfa", args=[cast.security_admin.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["admin_county", "auditor", "supervisor", "officer_a"])
def test_only_the_security_administrator_manages_login_security(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("security:overview")).status_code == 403
    response = client.post(
        reverse("security:grant"),
        {"user": cast.officer_b.pk, "agency": cast.b.pk, "role": Role.OFFICE_HEAD},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=cast.officer_b, role=Role.OFFICE_HEAD).exists()


def test_the_security_administrator_grants_roles_but_not_to_themselves(client, cast):
    client.force_login(cast.security_admin)
    assert client.get(reverse("security:overview")).status_code == 200
    response = client.post(
        reverse("security:grant"),
        {"user": cast.officer_b.pk, "agency": cast.b.pk, "role": Role.OFFICE_HEAD},
    )
    assert response.status_code == 302
    granted = Membership.objects.get(user=cast.officer_b, role=Role.OFFICE_HEAD)
    entry = AuditEntry.objects.filter(action=Action.MEMBERSHIP_ADDED).latest("seq")
    assert entry.actor == cast.security_admin and entry.detail["role"] == Role.OFFICE_HEAD

    # Themselves: the form does not offer them, and the action refuses.
    client.post(
        reverse("security:grant"),
        {"user": cast.security_admin.pk, "agency": cast.county.pk, "role": Role.AUDIT_ADMIN},
    )
    assert not Membership.objects.filter(user=cast.security_admin, role=Role.AUDIT_ADMIN).exists()
    from django.core.exceptions import PermissionDenied

    from gongkai.orgs import security

    with pytest.raises(PermissionDenied):
        security.grant_role(cast.security_admin, cast.security_admin, cast.county, Role.ADMIN)

    # One person, one of the three administrator roles.
    response = client.post(
        reverse("security:grant"),
        {"user": cast.admin_county.pk, "agency": cast.county.pk, "role": Role.AUDIT_ADMIN},
        follow=True,
    )
    assert "必须由不同人员担任" in response.content.decode()
    assert not Membership.objects.filter(user=cast.admin_county, role=Role.AUDIT_ADMIN).exists()

    response = client.post(reverse("security:revoke", args=[granted.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.MEMBERSHIP_REMOVED).exists()


def test_the_system_administrator_cannot_grant_roles_in_the_django_admin(client, cast):
    cast.admin_county.is_staff = True
    cast.admin_county.save()
    client.force_login(cast.admin_county)
    # is_staff alone gives no model permission; the superuser's inline excludes themselves.
    assert (
        client.get(reverse("admin:orgs_user_change", args=[cast.officer_b.pk])).status_code == 403
    )
    client.force_login(cast.superuser)
    response = client.get(reverse("admin:orgs_user_change", args=[cast.superuser.pk]))
    assert response.status_code == 200
    assert not response.context["inline_admin_formsets"][0].has_add_permission


def test_group_changes_are_audited(client, cast):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="editors")
    client.force_login(cast.superuser)
    cast.officer_a.groups.add(group)
    entry = AuditEntry.objects.get(action=Action.GROUPS_CHANGED)
    assert entry.object_id == str(cast.officer_a.pk) and entry.detail["ids"] == [group.pk]


def test_a_security_administrator_below_the_top_grants_only_within_its_subtree(client, cast):
    security_a = cast.user("security_a", cast.a, Role.SECURITY_ADMIN)
    from gongkai.orgs.models import User

    newcomer = User.objects.create_user("newcomer", password=PASSWORD)
    client.force_login(security_a)
    form = client.get(reverse("security:overview")).context["grant_form"]
    offered = {u.username for u in form.fields["user"].queryset}
    assert {"officer_a", "newcomer"} <= offered and "officer_b" not in offered
    assert set(form.fields["agency"].queryset.values_list("code", flat=True)) == {"a", "a-unit"}
    response = client.post(
        reverse("security:grant"),
        {"user": newcomer.pk, "agency": cast.b.pk, "role": Role.OFFICER},
    )
    assert not Membership.objects.filter(user=newcomer).exists()
    assert response.status_code == 302
