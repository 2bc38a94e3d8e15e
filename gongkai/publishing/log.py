"""The hash-chained publication log: append and verify."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from gongkai.publishing.models import InfoItem, PublicationLogEntry

GENESIS = "0" * 64
CHAIN_LOCK = 47_220_001  # an arbitrary constant naming the publication-log lock


def content_digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(snapshot, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


def link_digest(entry: PublicationLogEntry) -> str:
    """The digest of one entry: its fields and the digest before it."""
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "item": entry.item_id,
        "index_no": entry.index_no,
        "action": entry.action,
        "version": entry.version,
        "content": entry.content_digest,
        "previous": entry.previous_digest,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def append(
    item: InfoItem, *, action: str, version: int, snapshot: dict[str, Any]
) -> PublicationLogEntry:
    """Add one link, in the caller's transaction.

    Appends are serialised: on PostgreSQL by a transaction-level advisory lock (a row lock
    on the last entry locks nothing while the log is empty, and hands a waiter the stale
    row); SQLite's IMMEDIATE transactions already serialise writers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = PublicationLogEntry.objects.order_by("-seq").first()
    entry = PublicationLogEntry(
        seq=(last.seq + 1) if last else 1,
        at=timezone.now().replace(microsecond=0),
        item=item,
        index_no=item.index_no,
        action=action,
        version=version,
        content_digest=content_digest(snapshot),
        previous_digest=last.digest if last else GENESIS,
    )
    entry.digest = link_digest(entry)
    entry.save()
    # The link's anchor in the keyed audit chain (gongkai.publishing.integrity).
    from gongkai.publishing.integrity import anchor

    anchor(entry, item)
    return entry


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify() -> tuple[int, Break | None]:
    """Walk the chain; return the number of entries checked and the first broken link."""
    previous, expected_seq, checked = GENESIS, 1, 0
    for entry in PublicationLogEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return checked, Break(expected_seq, "missing")
        if entry.previous_digest != previous:
            return checked, Break(entry.seq, "previous")
        if link_digest(entry) != entry.digest:
            return checked, Break(entry.seq, "digest")
        version = entry.item.versions.filter(number=entry.version).first()
        if version is None or content_digest(version.snapshot) != entry.content_digest:
            return checked, Break(entry.seq, "content")
        previous, expected_seq, checked = entry.digest, expected_seq + 1, checked + 1
    return checked, None
