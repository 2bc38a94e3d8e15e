"""Changes of agencies made in the back office. (Agencies are created and moved by the
importer, gongkai.orgs.importer, and by the administration site.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.orgs import content
from gongkai.orgs.access import can_manage_agency
from gongkai.orgs.models import Agency, User


@transaction.atomic
def update_contact(
    agency: Agency,
    values: dict[str, Any],
    *,
    actor: User,
    request: HttpRequest | None = None,
) -> list[str]:
    """Save the contact details and guide texts of an agency (第十二条); returns the names of
    the fields that changed. The portal's guide shows them, so its pages follow."""
    changed = _update(agency, values, actor=actor, request=request)
    content.changed()
    return changed


@transaction.atomic
def update_letter_settings(
    agency: Agency,
    values: dict[str, Any],
    *,
    actor: User,
    request: HttpRequest | None = None,
) -> list[str]:
    """Save the agency's letter settings: the 机关代字 and numbering of the 文号 and what the
    remedy clause names (gongkai.foi.remedy). The public pages do not show them."""
    return _update(agency, values, actor=actor, request=request)


def _update(
    agency: Agency, values: dict[str, Any], *, actor: User, request: HttpRequest | None
) -> list[str]:
    if not can_manage_agency(actor, agency):
        raise PermissionDenied(
            _(
                "Only the head of the disclosure office or an administrator may change these details."
            )
        )
    stored = Agency.objects.select_for_update().get(pk=agency.pk)
    changed = [name for name, value in values.items() if getattr(stored, name) != value]
    for name, value in values.items():
        setattr(stored, name, value)
    # Only these fields: a concurrent move of the agency must not be undone.
    stored.save(update_fields=list(values))
    record(
        Action.AGENCY_UPDATED,
        actor=actor,
        obj=agency,
        request=request,
        detail={"changed": changed},
    )
    return changed
