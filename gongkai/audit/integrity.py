"""The audit log's chain: each entry carries an HMAC of itself and of the entry before it.

The key is `settings.AUDIT_KEY`, kept outside the database and distinct from SECRET_KEY, so
that whoever can write the database cannot write a valid entry. `verify()` walks the
chain and reports the first entry that is missing, altered or out of order; the head (the
newest entry's number and MAC) is also kept in `AuditChainHead`, so that a removed newest
entry shows as missing, and it can be printed and kept elsewhere (`verify_audit_log
--head`) so that a rewrite of both is caught from outside.

Key rotation: each entry records the id of the key that made its MAC (`key_id`, derived
from the key, never the key). A new AUDIT_KEY takes over from the next entry; the keys it
replaced stay in AUDIT_KEYS_OLD so that older entries still verify. A key, once replaced,
may not reappear later in the chain: entries forged with a retired (perhaps leaked) key
after the rotation are reported. Entries written before key ids (empty `key_id`) verify
with any key of the ring.

The database refuses UPDATE and DELETE of entries (and TRUNCATE on PostgreSQL) with
triggers (migration 0010). A deliberate purge after the retention period, and the test
runner's flush between tests, go through `allow_purge`, which the triggers honour.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.backends.base.base import BaseDatabaseWrapper

GENESIS = "0" * 64


def key() -> bytes:
    return str(settings.AUDIT_KEY).encode()


def key_id(secret: bytes) -> str:
    """A short public name of a key: written into each entry, it reveals nothing of it."""
    return hashlib.sha256(b"gongkai-audit-key-id:" + secret).hexdigest()[:12]


def current_key_id() -> str:
    return key_id(key())


def ring() -> dict[str, bytes]:
    """Every key that verifies: the current AUDIT_KEY and the retired AUDIT_KEYS_OLD."""
    keys = [key(), *(str(k).encode() for k in getattr(settings, "AUDIT_KEYS_OLD", ()) if k)]
    return {key_id(k): k for k in keys}


def normalise_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """The detail as it comes back from the JSON column (lazy strings, dates as text)."""
    result: dict[str, Any] = json.loads(json.dumps(detail, cls=DjangoJSONEncoder))
    return result


def entry_mac(fields: dict[str, Any], previous: str, secret: bytes | None = None) -> str:
    """HMAC-SHA256 over the previous MAC and the entry's fields, canonically encoded, with
    `secret` (default: the current AUDIT_KEY). The key id is covered when there is one
    (entries from before key ids keep their MAC)."""
    kid = fields.get("key_id") or ""
    payload = json.dumps(
        [
            previous,
            fields["seq"],
            # Microseconds since the epoch: the same whatever the column's time zone.
            round(fields["at"].timestamp() * 1_000_000),
            fields["actor_id"],
            fields["actor_name"],
            fields["action"],
            bool(fields["success"]),
            fields["agency_id"],
            fields["object_type"],
            fields["object_id"],
            fields["object_repr"],
            fields["ip_address"],
            fields["detail"],
            *([kid] if kid else []),
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hmac.new(secret or key(), payload.encode(), hashlib.sha256).hexdigest()


def head_mac(seq: int, mac: str, secret: bytes | None = None) -> str:
    """The MAC of the chain head as kept in AuditChainHead and printed for safekeeping."""
    return hmac.new(secret or key(), f"head:{seq}:{mac}".encode(), hashlib.sha256).hexdigest()


FIELDS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "success",
    "agency_id",
    "object_type",
    "object_id",
    "object_repr",
    "ip_address",
    "detail",
    "key_id",
    "mac",
)


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str  # "missing", "altered", "reordered", "head", "key"
    entry_id: int | None = None


@dataclass(frozen=True)
class Report:
    count: int
    head_seq: int
    head: str
    problem: Problem | None


def verify(rows: Iterator[dict[str, Any]], head: tuple[int, str, str] | None) -> Report:
    """Walk `rows` (entries' FIELDS by ascending seq) and stop at the first problem.

    `head` is (seq, mac, head_mac) from AuditChainHead, or None when nothing was written.
    """
    previous = GENESIS
    expected_seq = 1
    count = 0
    last_id = 0
    keys = ring()
    in_use = ""  # the key id of the entries being walked
    retired: set[str] = set()  # key ids the chain has moved on from
    last_key: bytes | None = None
    for row in rows:
        if row["seq"] is None:
            return Report(count, expected_seq - 1, previous, Problem(0, "altered", row["id"]))
        if row["seq"] != expected_seq:
            return Report(count, expected_seq - 1, previous, Problem(expected_seq, "missing"))
        kid = row.get("key_id") or ""
        if kid != in_use:
            if kid in retired or (not kid and in_use):
                return Report(
                    count, expected_seq - 1, previous, Problem(row["seq"], "altered", row["id"])
                )
            if in_use:
                retired.add(in_use)
            in_use = kid
        if kid and kid not in keys:
            return Report(count, expected_seq - 1, previous, Problem(row["seq"], "key", row["id"]))
        candidates = [keys[kid]] if kid else list(keys.values())
        last_key = next((k for k in candidates if entry_mac(row, previous, k) == row["mac"]), None)
        if last_key is None:
            return Report(
                count, expected_seq - 1, previous, Problem(row["seq"], "altered", row["id"])
            )
        if row["id"] < last_id:
            return Report(
                count, expected_seq - 1, previous, Problem(row["seq"], "reordered", row["id"])
            )
        last_id = row["id"]
        previous = row["mac"]
        count += 1
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is not None:
        seq, mac, signature = head
        signers = {key(), *([last_key] if last_key else [])}
        if not any(hmac.compare_digest(signature, head_mac(seq, mac, k)) for k in signers):
            return Report(count, last_seq, previous, Problem(seq, "head"))
        if seq > last_seq:
            return Report(count, last_seq, previous, Problem(last_seq + 1, "missing"))
        if seq < last_seq or mac != previous:
            return Report(count, last_seq, previous, Problem(seq, "head"))
    elif count:
        return Report(count, last_seq, previous, Problem(last_seq, "head"))
    return Report(count, last_seq, previous, None)


# --- Purging: the one way past the DELETE/TRUNCATE triggers ------------------------------

_purge = threading.local()
PURGE_SETTING = "gongkai.audit_purge"


def purge_permitted() -> int:
    """Called by the SQLite trigger: 1 inside `allow_purge`, else 0."""
    return 1 if getattr(_purge, "on", False) else 0


def register_sqlite_function(connection: BaseDatabaseWrapper) -> None:
    """Give each SQLite connection the function its DELETE trigger calls.

    A connection without it (the sqlite3 shell) cannot delete entries at all: the trigger
    fails with "no such function".
    """
    connection.connection.create_function(
        "gongkai_audit_purge_permitted", 0, purge_permitted, deterministic=False
    )


@contextmanager
def allow_purge(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let this connection delete audit entries (retention purge, test flush)."""
    _purge.on = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', false)", [PURGE_SETTING])
    try:
        yield
    finally:
        _purge.on = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', false)", [PURGE_SETTING])


def triggers_present(connection: BaseDatabaseWrapper) -> list[str]:
    """The names of the audit log's guard triggers that exist in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["audit_auditentry"],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass"
                " AND NOT tgisinternal"
            )
        else:
            return []
        return sorted(row[0] for row in cursor.fetchall())


EXPECTED_TRIGGERS = {
    "sqlite": ["audit_auditentry_no_delete", "audit_auditentry_no_update"],
    "postgresql": [
        "audit_auditentry_no_delete",
        "audit_auditentry_no_truncate",
        "audit_auditentry_no_update",
    ],
}
