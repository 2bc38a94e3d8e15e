from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from gongkai.audit.admin_mixins import AuditedAdminMixin
from gongkai.orgs.models import Agency, Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]


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
