"""Steps of a catalog item: create, publish, change, withdraw. Each writes the audit log;
publication steps also write a version and a link of the publication log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.errors import ActionError
from gongkai.lib.html import sanitize_html
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Agency, Role, User
from gongkai.publishing import log
from gongkai.publishing.index_numbers import next_index_number
from gongkai.publishing.models import (
    Category,
    Disclosure,
    InfoItem,
    ItemStatus,
    ItemVersion,
    PublicationAction,
)

PUBLIC_FIELDS = [
    "index_no", "title", "summary", "formed_on", "doc_no", "topic", "genre", "validity",
    "effective_on", "ended_on", "body", "keywords",
]  # fmt: skip


def _require_staff(actor: User | None, agency: Agency) -> None:
    if actor is not None and not has_role(actor, agency, Role.OFFICER, Role.OFFICE_HEAD):
        raise ActionError(_("Only the agency's disclosure staff may do this."))


def snapshot(item: InfoItem) -> dict[str, Any]:
    """The public content of an item, as stored in each version."""
    data: dict[str, Any] = {}
    for name in PUBLIC_FIELDS:
        value = getattr(item, name)
        data[name] = value.isoformat() if isinstance(value, date) else value
    data["category"] = item.category.code
    data["agency"] = item.agency.name
    return data


@transaction.atomic
def create_item(
    agency: Agency,
    *,
    actor: User | None,
    category: Category,
    formed_on: date,
    title: str,
    **fields: Any,
) -> InfoItem:
    """A draft with its 索引号; the disclosure attribute is decided now (源头认定)."""
    _require_staff(actor, agency)
    disclosure = fields.get("disclosure", Disclosure.PROACTIVE)
    if disclosure == Disclosure.WITHHELD and not fields.get("withheld_reason"):
        raise ActionError(_("Give the legal reason for not disclosing (Articles 14–16)."))
    if "body" in fields:
        fields["body"] = sanitize_html(fields["body"])
    item = InfoItem(
        agency=agency,
        category=category,
        formed_on=formed_on,
        title=title.strip(),
        created_by=actor,
        **fields,
    )
    item.index_no = next_index_number(agency, category, formed_on)
    _set_publication_due(item, formed_on)
    item.save()
    record(Action.PUBLISHING_STEP, actor=actor, obj=item, agency=agency, detail={"step": "created"})
    return item


def _set_publication_due(item: InfoItem, start: date) -> None:
    """第二十六条: publish within 20 working days of forming or changing (or the category's period)."""
    from gongkai.workdays.loading import day_one, get_calendar
    from gongkai.workdays.periods import PROACTIVE_PUBLICATION

    days = item.category.publish_days or PROACTIVE_PUBLICATION.days
    due = get_calendar(item.agency).provisional_add(start, days, day_one())
    item.publish_due_on, item.publish_due_provisional = due.value, due.provisional


def _version(item: InfoItem, action: str, actor: User | None, reason: str = "") -> ItemVersion:
    number = item.versions.count() + 1
    data = snapshot(item)
    version = ItemVersion.objects.create(
        item=item,
        number=number,
        action=action,
        reason=reason,
        snapshot=data,
        at=timezone.now(),
        actor=actor,
    )
    log.append(item, action=action, version=number, snapshot=data)
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=item,
        agency=item.agency,
        detail={"step": action, "version": number},
    )
    return version


@transaction.atomic
def publish_item(item: InfoItem, *, actor: User | None) -> ItemVersion:
    """Publish an approved, proactively disclosed item."""
    item = InfoItem.objects.select_for_update().select_related("agency", "category").get(pk=item.pk)
    _require_staff(actor, item.agency)
    if item.status != ItemStatus.APPROVED:
        raise ActionError(_("Only an item that passed its reviews can be published."))
    if item.disclosure != Disclosure.PROACTIVE:
        raise ActionError(_("Only proactively disclosed information is published."))
    item.status, item.published_at = ItemStatus.PUBLISHED, timezone.now()
    item.save(update_fields=["status", "published_at"])
    return _version(item, PublicationAction.PUBLISHED, actor)


@transaction.atomic
def change_item(item: InfoItem, *, actor: User | None, reason: str, **changes: Any) -> ItemVersion:
    """Change a published item; the public page keeps the earlier versions."""
    item = InfoItem.objects.select_for_update().select_related("agency", "category").get(pk=item.pk)
    _require_staff(actor, item.agency)
    if item.status != ItemStatus.PUBLISHED:
        raise ActionError(_("Only a published item can be changed."))
    if not reason.strip():
        raise ActionError(_("Give the reason for the change."))
    for name, value in changes.items():
        if name not in PUBLIC_FIELDS or name == "index_no":
            raise ActionError(_("%(field)s cannot be changed here.") % {"field": name})
        setattr(item, name, sanitize_html(value) if name == "body" else value)
    item.save()
    return _version(item, PublicationAction.CHANGED, actor, reason.strip())


@transaction.atomic
def withdraw_item(item: InfoItem, *, actor: User | None, reason: str) -> ItemVersion:
    """Take an item off the portal with a public notice; it is never deleted."""
    item = InfoItem.objects.select_for_update().select_related("agency", "category").get(pk=item.pk)
    _require_staff(actor, item.agency)
    if item.status != ItemStatus.PUBLISHED:
        raise ActionError(_("Only a published item can be withdrawn."))
    if not reason.strip():
        raise ActionError(_("Give the reason for the withdrawal; it is shown to the public."))
    item.status = ItemStatus.WITHDRAWN
    item.save(update_fields=["status"])
    return _version(item, PublicationAction.WITHDRAWN, actor, reason.strip())
