"""What proves the public content: the publication log, its anchors in the audit log, and
the published items themselves.

The publication log (gongkai.publishing.log) is a SHA-256 chain that anyone with write
access to the database could recompute. So each link is also anchored in the audit log,
whose chain is keyed with AUDIT_KEY (gongkai.audit.integrity): the entry's number, its
digest and the SHA-256 of each attachment's file. `verify()` then finds:

- a broken link of the publication log (as before);
- a link whose digest differs from its anchor (the chain was rewritten and recomputed);
- anchors beyond the log's end (the newest entries were deleted);
- a published item whose title, body or metadata differ from its last published version,
  or whose attachments differ from the files anchored when it was published.

`head()` is what the portal publishes daily (发布记录校验值) so that a rewrite of the whole
database is detectable from outside: `verify_publication_log --against` compares with it.
"""

from __future__ import annotations

import hashlib
import json
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db.models import Max
from django.utils import timezone

from gongkai.audit.log import record
from gongkai.audit.models import Action, AuditEntry
from gongkai.publishing import log
from gongkai.publishing.models import (
    ON_PORTAL_STATUSES,
    InfoItem,
    ItemAttachment,
    PublicationLogEntry,
)


def file_digest(attachment: ItemAttachment) -> str:
    digest = hashlib.sha256()
    try:
        with attachment.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return "missing"
    finally:
        attachment.file.close()
    return digest.hexdigest()


def attachment_digests(item: InfoItem) -> dict[str, str]:
    return {str(a.pk): file_digest(a) for a in item.attachments.order_by("pk")}


def anchor(entry: PublicationLogEntry, item: InfoItem) -> None:
    """Record the new link in the audit log (keyed chain), in the caller's transaction."""
    record(
        Action.PUBLICATION_HEAD,
        obj=item,
        agency=item.agency,
        detail={
            "seq": entry.seq,
            "digest": entry.digest,
            "version": entry.version,
            "attachments": attachment_digests(item),
        },
    )


@dataclass(frozen=True)
class Finding:
    kind: str  # "chain", "anchor", "deleted", "content", "attachments"
    seq: int = 0
    item: InfoItem | None = None
    reason: str = ""


@dataclass(frozen=True)
class Result:
    count: int
    head: str
    finding: Finding | None


def _anchors() -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    rows = AuditEntry.objects.filter(action=Action.PUBLICATION_HEAD).values_list(
        "detail", "object_id"
    )
    for detail, object_id in rows.iterator(chunk_size=2000):
        if isinstance(detail, dict) and isinstance(detail.get("seq"), int):
            found[detail["seq"]] = {**detail, "item": object_id}
    return found


def verify() -> Result:
    checked, broken = log.verify()
    last = PublicationLogEntry.objects.order_by("-seq").first()
    head = last.digest if last else log.GENESIS
    if broken is not None:
        return Result(checked, head, Finding("chain", broken.seq, reason=broken.reason))
    anchors = _anchors()
    for seq, digest in PublicationLogEntry.objects.order_by("seq").values_list("seq", "digest"):
        kept = anchors.get(seq)
        if kept is not None and kept.get("digest") != digest:
            return Result(checked, head, Finding("anchor", seq))
    newest = max(anchors, default=0)
    if newest > (last.seq if last else 0):
        return Result(checked, head, Finding("deleted", (last.seq if last else 0) + 1))
    finding = _check_items(anchors)
    return Result(checked, head, finding)


def _check_items(anchors: dict[int, dict[str, Any]]) -> Finding | None:
    from gongkai.publishing.actions import snapshot

    latest_anchor: dict[str, dict[str, Any]] = {}
    for seq in sorted(anchors):
        latest_anchor[str(anchors[seq]["item"])] = anchors[seq]
    items = (
        InfoItem.objects.filter(status__in=ON_PORTAL_STATUSES)
        .select_related("agency", "category")
        .annotate(last_version=Max("versions__number"))
        .order_by("pk")
    )
    for item in items.iterator(chunk_size=500):
        version = item.versions.filter(number=getattr(item, "last_version", 0)).first()
        if version is None:
            return Finding("content", item=item, reason="no version")
        if log.content_digest(snapshot(item)) != log.content_digest(version.snapshot):
            changed = sorted(k for k, v in snapshot(item).items() if version.snapshot.get(k) != v)
            return Finding("content", item=item, reason=", ".join(changed))
        kept = latest_anchor.get(str(item.pk))
        if (
            kept is not None
            and kept.get("attachments") is not None
            and attachment_digests(item) != kept["attachments"]
        ):
            return Finding("attachments", item=item)
    return None


def head(on: date | None = None) -> dict[str, Any]:
    """The published head: date, number of entries and the newest digest."""
    last = PublicationLogEntry.objects.order_by("-seq").first()
    return {
        "date": (on or timezone.localdate()).isoformat(),
        "count": last.seq if last else 0,
        "head": last.digest if last else log.GENESIS,
    }


def daily_heads(days: int = 30) -> list[dict[str, Any]]:
    """The head at the end of each of the last `days` days with publications, newest first."""
    since = timezone.now() - timedelta(days=days)
    heads: dict[date, dict[str, Any]] = {}
    rows = PublicationLogEntry.objects.filter(at__gte=since).order_by("seq")
    for seq, at, digest in rows.values_list("seq", "at", "digest").iterator(chunk_size=2000):
        day = timezone.localdate(at)
        heads[day] = {"date": day.isoformat(), "count": seq, "head": digest}
    return [heads[day] for day in sorted(heads, reverse=True)]


def read_published_head(source: str) -> dict[str, Any]:
    """A head published earlier: a URL of the portal's JSON, or a file holding that JSON."""
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=20) as response:  # noqa: S310 - http(s) only
            data: dict[str, Any] = json.loads(response.read().decode())
    else:
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    return data


def matches_published(published: dict[str, Any]) -> bool:
    count = int(published.get("count", -1))
    if count == 0:
        return True
    entry = PublicationLogEntry.objects.filter(seq=count).values_list("digest", flat=True).first()
    return entry is not None and entry == published.get("head")
