from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.audit.admin_mixins import AuditedAdminMixin
from gongkai.orgs.models import Agency, Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    """Roles: granted here by the installation's superuser only (set-up), never to oneself;
    otherwise by the security administrator at /office/security/ (三权分立)."""

    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        user = request.user
        return bool(user.is_superuser) and (obj is None or obj.pk != user.pk)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "phone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin[Agency]):
    list_display = ["name", "code", "level", "kind", "parent", "is_supervising", "is_active"]
    list_filter = ["level", "kind", "is_supervising", "is_active"]
    search_fields = ["name", "code", "credit_code"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    """Groups and their permissions: every change audited like the users' (等保 安全审计)."""


# Second-factor devices are enrolled by their owner and reset (audited) by the security
# administrator at /office/security/; django-otp's admin pages would show their keys.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
