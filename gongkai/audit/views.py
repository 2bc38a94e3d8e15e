from __future__ import annotations

from datetime import date, datetime, time, timedelta

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
from gongkai.audit.models import AuditEntry
from gongkai.orgs.access import is_administrator, visible_agencies, visible_users
from gongkai.orgs.models import User


def visible_audit_entries(user: User | AnonymousUser) -> QuerySet[AuditEntry]:
    """Audit entries an administrator may read: their agencies' and their staff's.

    The installation's system administrator (superuser) sees everything, including
    failed logins under names that match no user.
    """
    if not is_administrator(user):
        return AuditEntry.objects.none()
    if getattr(user, "is_superuser", False):
        return AuditEntry.objects.all()
    # Entries about an agency follow that agency; the others (logins) follow the user.
    return AuditEntry.objects.filter(
        Q(agency__in=visible_agencies(user)) | Q(agency__isnull=True, actor__in=visible_users(user))
    )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not is_administrator(request.user):
        raise PermissionDenied(_("Only administrators may read the audit log."))
    entries = visible_audit_entries(request.user).select_related("agency")
    form = AuditFilterForm(request.GET or None)
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
    page = Paginator(entries.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
