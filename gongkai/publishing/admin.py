"""The installation administrator's lists: catalog categories (the standard ones and each
agency's own sub-categories), the sensitive-word list, agencies' review stages (also on the
back office's 审核环节 page) and the optional checklist of 解读要素."""

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedAdminMixin
from gongkai.publishing.models import (
    Category,
    InterpretationElement,
    ReviewStage,
    SensitiveWord,
)


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, admin.ModelAdmin[Category]):
    list_display = ["code", "name", "agency", "parent", "levels", "publish_days", "is_active"]
    list_filter = ["is_active", "levels"]
    search_fields = ["code", "name", "agency__name"]
    autocomplete_fields = ["agency", "parent"]
    ordering = ["agency", "sort_order", "code"]


@admin.register(SensitiveWord)
class SensitiveWordAdmin(AuditedAdminMixin, admin.ModelAdmin[SensitiveWord]):
    list_display = ["word"]
    search_fields = ["word"]


@admin.register(ReviewStage)
class ReviewStageAdmin(AuditedAdminMixin, admin.ModelAdmin[ReviewStage]):
    list_display = ["agency", "order", "name", "role"]
    autocomplete_fields = ["agency"]
    search_fields = ["agency__name", "name"]


@admin.register(InterpretationElement)
class InterpretationElementAdmin(AuditedAdminMixin, admin.ModelAdmin[InterpretationElement]):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
