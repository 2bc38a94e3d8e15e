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


# --- Key rotation ---------------------------------------------------------------------


def rotate(settings, new_key):
    settings.AUDIT_KEYS_OLD = [settings.AUDIT_KEY, *settings.AUDIT_KEYS_OLD]
    settings.AUDIT_KEY = new_key


def test_the_log_verifies_across_a_key_rotation(entries, settings, cast):
    first = settings.AUDIT_KEY
    old_id = integrity.key_id(first.encode())
    assert {e.key_id for e in AuditEntry.objects.all()} == {old_id}
    rotate(settings, "the second audit key, 32 characters or more")
    assert "完整" in verify_output()  # the head is still signed with the old key
    later = [record(Action.LOGIN, actor=cast.officer_a, detail={"after": i}) for i in range(3)]
    new_id = integrity.key_id(settings.AUDIT_KEY.encode())
    assert new_id != old_id and {e.key_id for e in later} == {new_id}
    assert first not in new_id and settings.AUDIT_KEY not in new_id
    assert f"已核对 {AuditEntry.objects.count()} 条" in verify_output()
    rotate(settings, "a third key after another rotation, long enough")
    record(Action.LOGOUT, actor=cast.officer_a)
    assert "完整" in verify_output()


def test_a_dropped_old_key_is_reported_at_its_first_entry(entries, settings, cast):
    rotate(settings, "the second audit key, 32 characters or more")
    record(Action.LOGIN, actor=cast.officer_a)
    settings.AUDIT_KEYS_OLD = []
    with pytest.raises(CommandError, match="第 1 条") as failure:
        verify_output()
    assert "AUDIT_KEYS_OLD" in str(failure.value)


def test_an_entry_forged_with_a_retired_key_after_the_rotation_is_reported(entries, settings, cast):
    """A leaked old key does not let anyone append entries after the rotation."""
    old = settings.AUDIT_KEY
    rotate(settings, "the second audit key, 32 characters or more")
    record(Action.LOGIN, actor=cast.officer_a)
    settings.AUDIT_KEY, kept = old, settings.AUDIT_KEY  # the forger uses the retired key
    settings.AUDIT_KEYS_OLD = []
    forged = record(Action.MEMBERSHIP_ADDED, actor=cast.officer_a)
    settings.AUDIT_KEY, settings.AUDIT_KEYS_OLD = kept, [old]
    with pytest.raises(CommandError, match="被修改") as failure:
        verify_output()
    assert f"第 {forged.seq} 条" in str(failure.value)


def test_entries_from_before_key_ids_still_verify(entries, settings, cast):
    """Entries chained by migration 0011 have no key id; their MAC leaves it out."""
    unguarded("SELECT 1")
    previous = integrity.GENESIS
    for row in AuditEntry.objects.order_by("seq").values(*integrity.FIELDS):
        row["key_id"] = ""
        previous = integrity.entry_mac(row, previous)
        sql(
            "UPDATE audit_auditentry SET key_id = '', mac = %s WHERE id = %s", [previous, row["id"]]
        )
    last = AuditEntry.objects.order_by("-seq")[0]
    assert last.seq is not None
    AuditChainHead.objects.update(
        seq=last.seq, mac=last.mac, signature=integrity.head_mac(last.seq, last.mac)
    )
    from gongkai.audit.management.commands.verify_audit_log import run_verification

    assert run_verification().problem is None  # (the guards were dropped to write this)
    rotate(settings, "the second audit key, 32 characters or more")
    record(Action.LOGIN, actor=cast.officer_a)
    assert run_verification().problem is None
    sql("UPDATE audit_auditentry SET key_id = 'x' WHERE id = %s", [last.pk])
    assert run_verification().problem == integrity.Problem(last.seq, "key", last.pk)
