"""The normative-document library: the register (规章, 行政规范性文件) joined to the catalog.

Each register entry may link to its catalog item. The item's validity (有效性) follows the
register: when a repeal or expiry takes effect (its date has come), the published item
becomes 废止 or 失效, with a public note, as a new version. A repeal is a decision the
agency has already taken in its own procedure, so the catalog records it without another
review round. `sync_validity` runs on every save of an entry and daily
(`manage.py sync_normative_validity`) for dates that arrive later, and for 有效期 that end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Agency, User
from gongkai.publishing import actions
from gongkai.publishing.models import (
    Category,
    InfoItem,
    Interpretation,
    ItemStatus,
    NormativeDocument,
    NormativeKind,
    Validity,
    is_public,
)

NORMATIVE_CATEGORY = "20-01"  # 第二十条第（一）项: 行政法规、规章和规范性文件


def validity_on(doc: NormativeDocument, today: date) -> tuple[str, date | None]:
    """The document's validity on `today` from the register's dates: the first end that
    has come (repeal or expiry; a 有效期 ends the day after its last day)."""
    ends = []
    if doc.repealed_on is not None and doc.repealed_on <= today:
        ends.append((doc.repealed_on, Validity.REPEALED))
    if doc.expired_on is not None and doc.expired_on <= today:
        ends.append((doc.expired_on, Validity.EXPIRED))
    if doc.valid_until is not None and doc.valid_until < today:
        ends.append((doc.valid_until + timedelta(days=1), Validity.EXPIRED))
    if not ends:
        return Validity.VALID, None
    when, validity = min(ends)
    return validity, when


def _note(validity: str, when: date | None, doc: NormativeDocument) -> str:
    if validity == Validity.REPEALED and when:
        return _("Repealed from %(date)s (register of normative documents: %(title)s).") % {
            "date": when.isoformat(),
            "title": doc.title,
        }
    if validity == Validity.EXPIRED and when:
        return _("Expired from %(date)s (register of normative documents: %(title)s).") % {
            "date": when.isoformat(),
            "title": doc.title,
        }
    return _("In force again (register of normative documents: %(title)s).") % {"title": doc.title}


@dataclass(frozen=True)
class ValidityChange:
    index_no: str
    title: str
    validity: str
    ended_on: date | None


@transaction.atomic
def sync_validity(
    doc: NormativeDocument, *, actor: User | None, today: date | None = None
) -> ValidityChange | None:
    """Bring the linked catalog item's validity (and 文号) in line with the register."""
    if doc.item_id is None:
        return None
    today = today or timezone.localdate()
    item = InfoItem.objects.select_for_update().get(pk=doc.item_id)
    validity, ended_on = validity_on(doc, today)
    fields: dict[str, Any] = {}
    if (item.validity, item.ended_on) != (validity, ended_on):
        fields.update(validity=validity, ended_on=ended_on)
    if doc.doc_no and item.doc_no != doc.doc_no:
        fields["doc_no"] = doc.doc_no
    if doc.effective_on and item.effective_on != doc.effective_on:
        fields["effective_on"] = doc.effective_on
    if not fields:
        return None
    if item.status == ItemStatus.PUBLISHED:
        reason = (
            _note(validity, ended_on, doc)
            if "validity" in fields
            else _("Details updated from the register of normative documents.")
        )
        actions.apply_register_change(item, actor=actor, reason=reason, **fields)
    elif item.status != ItemStatus.WITHDRAWN:
        InfoItem.objects.filter(pk=item.pk).update(**fields)
    else:
        return None
    return ValidityChange(item.index_no, item.title, validity, ended_on)


def sync_all(today: date | None = None) -> list[ValidityChange]:
    """The daily run: every linked entry whose dates have come."""
    today = today or timezone.localdate()
    result = []
    for doc in NormativeDocument.objects.exclude(item=None).order_by("id").iterator():
        change = sync_validity(doc, actor=None, today=today)
        if change is not None:
            result.append(change)
    return result


@transaction.atomic
def create_item_from(doc: NormativeDocument, *, actor: User | None) -> InfoItem:
    """Draft the catalog item of a register entry, its shared fields filled in."""
    if doc.item_id is not None:
        raise ActionError(_("This document already has its catalog item."))
    if doc.issued_on is None:
        raise ActionError(_("Record the issue date first."))
    category = Category.objects.get(agency=None, code=NORMATIVE_CATEGORY)
    item = actions.create_item(
        doc.agency,
        actor=actor,
        category=category,
        formed_on=doc.issued_on,
        title=doc.title,
        doc_no=doc.doc_no,
        effective_on=doc.effective_on,
        genre="measures" if doc.kind == NormativeKind.REGULATION else "notice",
        needs_interpretation=True,
    )
    doc.item = item
    doc.save(update_fields=["item"])
    return item


def initial_from_item(item: InfoItem) -> dict[str, Any]:
    """A new register entry's fields taken from its catalog item."""
    return {
        "title": item.title,
        "doc_no": item.doc_no,
        "issued_on": item.formed_on,
        "effective_on": item.effective_on,
        "kind": NormativeKind.NORMATIVE_DOCUMENT,
    }


def public_documents(agencies: QuerySet[Agency] | None = None) -> QuerySet[NormativeDocument]:
    """The entries the public library lists: those whose catalog item is published."""
    docs = NormativeDocument.objects.filter(is_public("item")).select_related("agency", "item")
    if agencies is not None:
        docs = docs.filter(agency__in=agencies)
    return docs.order_by("-issued_on", "-id")


def library(docs: QuerySet[NormativeDocument], today: date) -> dict[str, dict[str, list[Any]]]:
    """{kind: {validity: [(document, ended_on)]}} by the register's dates today."""
    result: dict[str, dict[str, list[Any]]] = {
        kind: {v: [] for v in Validity.values} for kind in NormativeKind.values
    }
    shown = Interpretation.objects.filter(Q(catalog_item=None) | is_public("catalog_item"))
    for doc in docs.prefetch_related(Prefetch("item__interpretations", queryset=shown)):
        validity, ended_on = validity_on(doc, today)
        result[doc.kind][validity].append((doc, ended_on))
    return result
