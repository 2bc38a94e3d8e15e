from typing import Any

from axes.admin import AccessAttemptAdmin
from django.apps import apps
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
# -- django-axes' lockout section, in Chinese ---------------------------------------------
# django-axes ships no Simplified Chinese catalogue. Its own msgids are listed here so that
# makemessages keeps them in ours (LOCALE_PATHS come before an app's catalogue); its two
# columns named after methods, and the section's name, get a translatable label.
AXES_MESSAGES = (
    _("Access Attempt"),
    _("Access lock out"),
    _("Attempt Remaining"),
    _("Attempt Time"),
    _("Clean up expired attempts"),
    _("Expires At"),
    _("Failed Logins"),
    _("Form Data"),
    _("GET Data"),
    _("HTTP Accept"),
    _("IP Address"),
    _("Locked Out"),
    _("Logout Time"),
    _("Meta Data"),
    _("Not set"),
    _("POST Data"),
    _("Path"),
    _("Session key hash (sha256)"),
    _("The time when access attempt expires and is no longer valid."),
    _("User Agent"),
    _("Username"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access attempt"),
    _("access attempts"),
    _("access failure"),
    _("access failures"),
    _("access log"),
    _("access logs"),
)
AccessAttemptAdmin.expiration.short_description = _("Expires At")
AccessAttemptAdmin.status.short_description = _("Status")
apps.get_app_config("axes").verbose_name = _("Login lockouts")
