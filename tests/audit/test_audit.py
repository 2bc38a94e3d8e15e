"""The audit log: one writer, append-only, filterable by administrators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.log import record
from gongkai.audit.models import Action, AuditEntry
from gongkai.audit.views import visible_audit_entries


def test_record_writes_who_what_when_which_object_and_success(cast, rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    entry = record(
        Action.AGENCY_UPDATED, actor=cast.head_a, obj=cast.a, request=request, detail={"k": 1}
    )
    entry.refresh_from_db()
    assert entry.actor == cast.head_a and entry.actor_name == "head_a"
    assert entry.agency == cast.a
    assert entry.object_type == "orgs.Agency" and entry.object_id == str(cast.a.pk)
    assert entry.object_repr == "测试县甲局"
    assert entry.success is True and entry.ip_address == "192.0.2.7"
    assert abs(entry.at - timezone.now()) < timedelta(seconds=5)
    assert entry.detail == {"k": 1}
    assert str(entry).endswith("修改机关信息")


def test_entries_cannot_be_changed_or_deleted_through_the_orm(cast):
    entry = record(Action.LOGIN, actor=cast.officer_a)
    entry.success = False
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(success=False)
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_updates_too(cast):
    entry = record(Action.LOGIN, actor=cast.officer_a)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET success = %s WHERE id = %s", [False, entry.pk])
    entry.refresh_from_db()
    assert entry.success is True


def test_removing_a_user_keeps_their_entries(cast):
    record(Action.LOGIN, actor=cast.officer_b)
    user_id = cast.officer_b.pk
    cast.officer_b.delete()
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert entry.actor_id == user_id and entry.actor_name == "officer_b"


def test_only_the_audit_administrator_reads_the_log(cast):
    """三权分立: the system administrator, the security administrator and the superuser
    without the role see nothing; the county's auditor sees the county's subtree."""
    record(Action.AGENCY_UPDATED, actor=cast.head_a, obj=cast.a)
    record(Action.LOGIN_FAILED, actor_name="nobody", success=False)
    for who in ("officer_a", "supervisor", "admin_county", "security_admin", "superuser"):
        assert visible_audit_entries(getattr(cast, who)).count() == 0, who
    seen = set(visible_audit_entries(cast.auditor).values_list("action", flat=True))
    # The county is a top-level agency: its auditor sees everything, unknown names included.
    assert {Action.AGENCY_UPDATED, Action.LOGIN_FAILED} <= seen


def test_an_auditor_below_the_top_sees_only_their_subtree(cast):
    from gongkai.orgs.models import Role

    auditor_a = cast.user("auditor_a", cast.a, Role.AUDIT_ADMIN)
    record(Action.AGENCY_UPDATED, actor=cast.head_a, obj=cast.a)
    record(Action.AGENCY_UPDATED, actor=cast.officer_b, obj=cast.b)
    record(Action.LOGIN_FAILED, actor_name="nobody", success=False)
    seen = list(
        visible_audit_entries(auditor_a)
        .filter(action=Action.AGENCY_UPDATED)
        .values_list("agency__code", flat=True)
    )
    assert seen == ["a"]
    assert not visible_audit_entries(auditor_a).filter(actor_name="nobody").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 403),
        ("head_a", 403),
        ("admin_county", 403),
        ("security_admin", 403),
        ("superuser", 403),
        ("auditor", 200),
    ],
)
def test_the_audit_page_is_for_the_audit_administrator(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("audit:list")).status_code == status


def test_the_auditor_exports_the_log_and_the_export_is_audited(client, cast):
    from io import BytesIO

    from openpyxl import load_workbook

    record(Action.LOGIN_FAILED, actor_name="=1+2+cmd|' /C calc'!A0", success=False)
    client.force_login(cast.auditor)
    assert "format=xlsx" in client.get(reverse("audit:list")).content.decode()
    response = client.get(reverse("audit:list"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=1+2+cmd|' /C calc'!A0" in names
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row), (
        "no formula cells"
    )
    assert AuditEntry.objects.filter(action=Action.AUDIT_EXPORTED, actor=cast.auditor).exists()


def test_the_audit_page_filters_by_user_action_result_agency_and_date(client, cast, time_machine):
    time_machine.move_to("2026-05-10 23:30 +0800", tick=False)
    record(Action.LOGIN, actor=cast.officer_a)
    record(Action.LOGIN_FAILED, actor_name="officer_b", success=False)
    time_machine.move_to("2026-05-11 00:30 +0800", tick=False)
    record(Action.AGENCY_UPDATED, actor=cast.head_a, obj=cast.a)
    client.force_login(cast.auditor)
    url = reverse("audit:list")

    def rows(**params):
        page = client.get(url, params).context["page"]
        return [
            (e.actor_name, e.action)
            for e in page
            if e.action != Action.MEMBERSHIP_ADDED and e.actor_name != "auditor"
        ]

    assert len(rows(date_from="2026-05-10")) == 3
    assert rows(actor="officer_b") == [("officer_b", Action.LOGIN_FAILED)]
    assert rows(action=Action.AGENCY_UPDATED) == [("head_a", Action.AGENCY_UPDATED)]
    assert rows(success="0") == [("officer_b", Action.LOGIN_FAILED)]
    assert rows(agency="a") == [("head_a", Action.AGENCY_UPDATED)]
    # Dates are local (Asia/Shanghai) days.
    assert {a for _, a in rows(date_from="2026-05-10", date_to="2026-05-10")} == {
        Action.LOGIN,
        Action.LOGIN_FAILED,
    }
    assert rows(date_from="2026-05-11", action=Action.AGENCY_UPDATED) == [
        ("head_a", Action.AGENCY_UPDATED)
    ]
    response = client.get(url, {"date_from": "2026-05-12", "date_to": "2026-05-11"})
    assert "截止日期早于起始日期。" in response.content.decode()
    assert "登录失败" in response.content.decode()


def test_changes_in_the_django_admin_are_audited(client, cast):
    client.force_login(cast.superuser)
    url = reverse("admin:orgs_agency_change", args=[cast.b.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "parent"}
    data.update(name="测试县乙局（改名）", parent=str(cast.county.pk), sort_order=0)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action=Action.ADMIN_CHANGED)
    assert entry.actor == cast.superuser and entry.agency == cast.b
    assert entry.object_repr == "测试县乙局（改名）"

    delete_url = reverse("admin:orgs_user_delete", args=[cast.officer_b.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action=Action.ADMIN_DELETED)
    assert entry.object_repr == "officer_b" and entry.object_type == "orgs.User"


def test_the_database_refuses_deletes_on_postgresql(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the DELETE trigger exists on PostgreSQL only; runs in the PostgreSQL pass")
    entry = record(Action.LOGIN, actor=cast.officer_a)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_administrator_does_not_see_another_agencys_entries_by_a_shared_user(cast):
    from gongkai.orgs.models import Membership, Role

    Membership.objects.create(user=cast.officer_a, agency=cast.b, role=Role.OFFICE_HEAD)
    auditor_a = cast.user("auditor_a", cast.a, Role.AUDIT_ADMIN)
    record(Action.AGENCY_UPDATED, actor=cast.officer_a, obj=cast.b)
    record(Action.LOGIN, actor=cast.officer_a)
    seen = list(
        visible_audit_entries(auditor_a)
        .filter(action__in=[Action.AGENCY_UPDATED, Action.LOGIN])
        .values_list("action", flat=True)
    )
    assert seen == [Action.LOGIN]


def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(cast, rf, settings):
    from gongkai.audit.log import client_ip

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 127.0.0.1")
    assert client_ip(proxied) == "203.0.113.5"
    spoofed = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(spoofed) == "198.51.100.7"
