"""The one function through which every app writes the audit log."""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkai.audit import integrity
from gongkai.audit.models import Action, AuditChainHead, AuditEntry

if TYPE_CHECKING:  # the audit app names no user model at run time (AUTH_USER_MODEL)
    from gongkai.orgs.models import User


# The request being answered, for receivers of model signals (gongkai.audit.middleware).
current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; behind a trusted proxy, the last address it forwarded.

    X-Forwarded-For is read only when the direct peer is in settings.TRUSTED_PROXIES:
    otherwise anyone could write any address into the audit log.
    """
    if request is None:
        return None
    peer: str | None = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.TRUSTED_PROXIES)
    if peer in trusted:
        forwarded: list[str] = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        for address in reversed(forwarded):
            if address and address not in trusted:
                return address
    return peer


def record(
    action: Action,
    *,
    actor: User | AnonymousUser | None = None,
    actor_name: str = "",
    obj: models.Model | None = None,
    agency: Any = None,
    success: bool = True,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry.

    `actor` is the staff user (None or anonymous for failed logins, where `actor_name`
    carries the name that was typed). `agency` defaults to the object's own agency.
    Call it inside the action's transaction so that the entry and the change commit
    together.
    """
    if isinstance(actor, AnonymousUser):
        actor = None
    if agency is None and obj is not None:
        agency = getattr(obj, "agency", None)
        if agency is None and obj._meta.label == "orgs.Agency":
            agency = obj
    ip_field = AuditEntry._meta.get_field("ip_address")
    fields: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_name": (actor_name or (actor.get_username() if actor is not None else ""))[:150],
        "action": str(action),
        "success": success,
        "agency_id": agency.pk if agency is not None else None,
        "object_type": obj._meta.label if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None and obj.pk is not None else "",
        "object_repr": str(obj)[:200] if obj is not None else "",
        # As the column gives it back (IPv6 in its canonical form), since the MAC covers it.
        "ip_address": ip_field.get_prep_value(client_ip(request)),
        "detail": integrity.normalise_detail(detail or {}),
        "key_id": integrity.current_key_id(),
    }
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        fields["seq"] = head.seq + 1
        fields["mac"] = integrity.entry_mac(fields, head.mac or integrity.GENESIS)
        entry = AuditEntry.objects.create(**fields)
        head.seq, head.mac = fields["seq"], fields["mac"]
        head.signature = integrity.head_mac(head.seq, head.mac)
        head.save(update_fields=["seq", "mac", "signature"])
    return entry
