"""The audit log proves its own integrity: guards in both databases and an HMAC chain."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from gongkai.audit import integrity
from gongkai.audit.log import record
from gongkai.audit.models import Action, AuditChainHead, AuditEntry


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify_output(*args):
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_log", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def entries(cast):
    return [
        record(Action.LOGIN, actor=cast.officer_a, detail={"n": i, "文字": "甲"}) for i in range(5)
    ]


def unguarded(statement, params=()):
    """What someone with the database owner's rights could do: drop the guards and write."""
    if connection.vendor == "sqlite":
        sql("DROP TRIGGER audit_auditentry_no_update")
        sql("DROP TRIGGER audit_auditentry_no_delete")
    else:
        sql("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
    sql(statement, params)


def test_entries_are_numbered_and_chained(entries):
    seqs = [e.seq for e in AuditEntry.objects.order_by("seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    head = AuditChainHead.objects.get()
    last = AuditEntry.objects.order_by("-seq")[0]
    assert (head.seq, head.mac) == (last.seq, last.mac)
    assert "完整" in verify_output()


def test_the_chain_key_is_not_the_secret_key(settings):
    assert settings.AUDIT_KEY and settings.AUDIT_KEY != settings.SECRET_KEY


def test_the_database_refuses_delete_on_both_databases(entries):
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entries[0].pk).exists()


def test_postgresql_refuses_truncate(entries):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only; runs in the PostgreSQL pass")
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() >= 5


def test_every_guard_trigger_is_in_place(db):
    expected = integrity.EXPECTED_TRIGGERS[connection.vendor]
    assert set(expected) <= set(integrity.triggers_present(connection))


def test_an_altered_entry_is_reported(entries):
    unguarded("UPDATE audit_auditentry SET actor_name = 'someone' WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError, match=f"第 {entries[2].seq} 条.*被修改"):
        verify_output()


def test_an_altered_detail_is_reported(entries):
    unguarded("UPDATE audit_auditentry SET success = %s WHERE id = %s", [False, entries[1].pk])
    with pytest.raises(CommandError, match=f"第 {entries[1].seq} 条"):
        verify_output()


def test_a_removed_entry_is_reported(entries):
    unguarded("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError, match=f"第 {entries[2].seq} 条.*缺失"):
        verify_output()


def test_a_removed_newest_entry_is_reported(entries):
    unguarded("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    with pytest.raises(CommandError, match=f"第 {entries[-1].seq} 条.*缺失"):
        verify_output()


def test_a_reordered_entry_is_reported(entries):
    a, b = entries[1], entries[2]
    unguarded("UPDATE audit_auditentry SET id = %s WHERE id = %s", [10_000_000, a.pk])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a.pk, b.pk])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [b.pk, 10_000_000])
    with pytest.raises(CommandError, match="顺序"):
        verify_output()


def test_a_rewritten_chain_without_the_key_is_reported(entries, settings):
    """Whoever recomputes every MAC without AUDIT_KEY makes them all wrong."""
    real = settings.AUDIT_KEY
    settings.AUDIT_KEY = "a guess"
    previous, forged = integrity.GENESIS, []
    for row in AuditEntry.objects.order_by("seq").values(*integrity.FIELDS):
        previous = integrity.entry_mac(row, previous)
        forged.append((previous, row["id"]))
    settings.AUDIT_KEY = real
    unguarded("SELECT 1")
    for mac, pk in forged:
        sql("UPDATE audit_auditentry SET mac = %s WHERE id = %s", [mac, pk])
    with pytest.raises(CommandError, match="被修改"):
        verify_output()


def test_a_kept_head_catches_a_cut_back_log(entries):
    kept = f"{entries[-1].seq}:{entries[-1].mac}"
    assert "完整" in verify_output("--against", kept)
    unguarded("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    previous = entries[-2]
    AuditChainHead.objects.update(
        seq=previous.seq, mac=previous.mac, signature=integrity.head_mac(previous.seq, previous.mac)
    )
    with pytest.raises(CommandError, match=r"截短|改写"):
        verify_output("--against", kept)


def test_purging_is_possible_only_deliberately(entries):
    with integrity.allow_purge(connection):
        sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk])
    assert not AuditEntry.objects.filter(pk=entries[0].pk).exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("DELETE FROM audit_auditentry")


def test_deploy_checks_warn_without_an_audit_key(settings):
    from gongkai.checks import check_security_keys

    settings.AUDIT_KEY_MISSING = True
    assert [m.id for m in check_security_keys()] == ["gongkai.W001"]
    settings.AUDIT_KEY_MISSING = False
    assert check_security_keys() == []


def test_a_scheduled_run_mails_the_administrators(entries, settings, mailoutbox):
    settings.ADMINS = [("安全", "security@example.com")]
    unguarded("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError):
        verify_output("--notify")
    assert len(mailoutbox) == 1 and "缺失" in mailoutbox[0].body
