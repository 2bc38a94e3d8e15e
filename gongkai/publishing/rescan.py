"""Re-running the personal-data detector over published items: the detector improves, and
old items deserve the new checks. New findings are recorded for review (the office's
"re-scan" list and the item page); a finding kept with a reason, or gone after a change,
is resolved."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.publishing.models import InfoItem, RescanFinding
from gongkai.publishing.review import FieldFinding, findings


@dataclass(frozen=True)
class NewFinding:
    index_no: str
    title: str
    source: str
    kind: str
    text: str


def _source(found: FieldFinding) -> str:
    return f"attachment:{found.attachment}"[:220] if found.field == "attachment" else found.field


def rescan_item(item: InfoItem) -> list[RescanFinding]:
    """Record the open findings of one published item; return those not recorded before."""
    now = timezone.now()
    current = {(_source(f), f.finding.kind, f.finding.text[:100]) for f in findings(item)}
    recorded = {(r.source, r.kind, r.text): r for r in item.rescan_findings.all()}
    new = []
    with transaction.atomic():
        for key, row in recorded.items():
            if key not in current and row.resolved_at is None:
                row.resolved_at = now
                row.save(update_fields=["resolved_at"])
            elif key in current and row.resolved_at is not None:
                row.resolved_at = None  # back again (e.g. a kept finding was unkept)
                row.save(update_fields=["resolved_at"])
        for source, kind, text in sorted(current - set(recorded)):
            new.append(RescanFinding.objects.create(item=item, source=source, kind=kind, text=text))
    return new


def rescan_published() -> list[NewFinding]:
    """Re-scan every published item; the findings not seen before."""
    result = []
    items = InfoItem.objects.public().select_related("agency").order_by("id")
    for item in items.iterator(chunk_size=200):
        for row in rescan_item(item):
            result.append(NewFinding(item.index_no, item.title, row.source, row.kind, row.text))
    return result


def resolve_kept(item: InfoItem, kind: str, text: str) -> None:
    """A reviewer kept the finding with a reason: it leaves the re-scan list."""
    item.rescan_findings.filter(kind=kind, text=text, resolved_at=None).update(
        resolved_at=timezone.now()
    )
