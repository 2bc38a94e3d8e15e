from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.forms import AuditFilterForm
from gongkai.audit.log import record
from gongkai.audit.models import Action, AuditEntry
from gongkai.lib.safe_text import cell_text
from gongkai.orgs.models import Membership, Role, User
from gongkai.orgs.security import subtree_of_role


def is_audit_admin(user: User | AnonymousUser) -> bool:
    """Only the audit administrator reads the audit log (三权分立): not the system
    administrator, not the security administrator, not the superuser without the role."""
    return (
        isinstance(user, User)
        and user.is_active
        and Membership.objects.filter(user=user, role=Role.AUDIT_ADMIN).exists()
    )


def visible_audit_entries(user: User | AnonymousUser) -> QuerySet[AuditEntry]:
    """Entries an audit administrator may read: those of the agencies where the role is
    held and below, and of their staff. At a top-level agency, everything (failed logins
    under names that match no user included)."""
    if not isinstance(user, User) or not is_audit_admin(user):
        return AuditEntry.objects.none()
    agencies = subtree_of_role(user, Role.AUDIT_ADMIN)
    if agencies.filter(parent__isnull=True).exists():
        return AuditEntry.objects.all()
    staff = User.objects.filter(memberships__agency__in=agencies)
    return AuditEntry.objects.filter(
        Q(agency__in=agencies) | Q(agency__isnull=True, actor__in=staff)
    )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not is_audit_admin(request.user):
        raise PermissionDenied(_("Only the audit administrator may read the audit log."))
    form = AuditFilterForm(request.GET or None)
    entries = _filtered(request, form)
    if request.GET.get("format") == "xlsx":
        return _export(request, entries)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "audit/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _filtered(request: HttpRequest, form: AuditFilterForm) -> QuerySet[AuditEntry]:
    entries = visible_audit_entries(request.user).select_related("agency")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_name__icontains=data["actor"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["agency"]:
            entries = entries.filter(agency__code=data["agency"])
        if data["success"]:
            entries = entries.filter(success=data["success"] == "1")
        if data["date_from"]:
            entries = entries.filter(at__gte=_local_midnight(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(at__lt=_local_midnight(data["date_to"] + timedelta(days=1)))
    return entries.order_by("-at", "-id")


EXPORT_LIMIT = 100_000


def _export(request: HttpRequest, entries: QuerySet[AuditEntry]) -> HttpResponse:
    """The filtered entries as XLSX (every cell through the files' sanitiser), audited."""
    from openpyxl import Workbook

    record(
        Action.AUDIT_EXPORTED,
        actor=request.user,
        request=request,
        detail={"query": request.GET.urlencode()[:500]},
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log"))
    sheet.append(
        [
            _("Number"),
            _("Time"),
            _("User name"),
            _("Action"),
            _("Result"),
            _("Agency"),
            _("Object"),
            _("IP address"),
            _("Detail"),
        ]
    )
    for entry in entries[:EXPORT_LIMIT].iterator(chunk_size=2000):
        sheet.append(
            [
                entry.seq,
                timezone.localtime(entry.at).replace(tzinfo=None),
                cell_text(entry.actor_name),
                entry.get_action_display(),
                _("Succeeded") if entry.success else _("Failed"),
                cell_text(entry.agency.name if entry.agency else ""),
                cell_text(entry.object_repr),
                entry.ip_address or "",
                cell_text(json.dumps(entry.detail, ensure_ascii=False)),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response
