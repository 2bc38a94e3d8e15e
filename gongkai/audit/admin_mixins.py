"""Changes made in the Django admin go to the audit log too, not only to Django's LogEntry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.audit.log import record
from gongkai.audit.models import Action


class AuditedAdminMixin(admin.ModelAdmin[Any]):
    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        record(
            Action.ADMIN_ADDED,
            actor=request.user,
            obj=obj,
            request=request,
            detail={"change": message},
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        record(
            Action.ADMIN_CHANGED,
            actor=request.user,
            obj=obj,
            request=request,
            detail={"change": message},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            record(Action.ADMIN_DELETED, actor=request.user, obj=obj, request=request)
        return super().log_deletions(request, queryset)
