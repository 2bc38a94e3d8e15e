from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor_name", "action", "success", "agency", "object_repr", "ip_address"]
    list_filter = ["action", "success"]
    search_fields = ["actor_name", "object_repr"]
    date_hierarchy = "at"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from gongkai.audit.views import is_audit_admin

        return is_audit_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
