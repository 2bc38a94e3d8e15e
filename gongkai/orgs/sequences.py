"""Gap-free numbering: application numbers, 索引号 and 文号 (see `orgs.models.Sequence`)."""

from __future__ import annotations

from django.db import transaction

from gongkai.orgs.models import Agency, Sequence, SequenceKind


def next_value(agency: Agency, kind: SequenceKind, scope: str) -> int:
    """The next value of `agency`'s `kind` numbering in `scope`: 1, 2, 3, … without gaps.

    Runs inside the caller's transaction, which must also save what gets the number: the
    row stays locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
    serialise writers) until the caller commits, and a rolled-back caller gives its value
    back. The first value of a scope creates the row; when two callers create it at once,
    get_or_create's IntegrityError retry (inside a savepoint) lets the second one read the
    row the first committed, and the lock then orders them.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value must run inside the transaction that uses the value")
    Sequence.objects.get_or_create(agency=agency, kind=kind, scope=scope)
    sequence = Sequence.objects.select_for_update().get(agency=agency, kind=kind, scope=scope)
    sequence.value += 1
    sequence.save(update_fields=["value"])
    return sequence.value
