"""The failures of background tasks that administrators see, and the periodic jobs' runs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskFailureQuerySet(models.QuerySet["TaskFailure"]):
    def open(self) -> TaskFailureQuerySet:
        return self.filter(resolved_at__isnull=True)


class TaskFailure(models.Model):
    """A task that failed for good: after its last attempt, or at once on a PermanentError.

    Written by gongkai.jobs.queue only. `key` names the task and its arguments; a later
    successful run of the same task with the same arguments (a retry from the failures
    page, or the next periodic run) marks the failure resolved.
    """

    task_path = models.CharField(_("task"), max_length=200)
    key = models.CharField(max_length=64, db_index=True)
    args = models.JSONField(_("arguments"), default=dict)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("concerns"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(_("concerns"), max_length=300, blank=True)
    error = models.TextField(_("error"))
    error_class = models.CharField(max_length=200, blank=True)
    traceback = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(_("attempts"))
    permanent = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    failed_at = models.DateTimeField(_("failed at"))
    retried_at = models.DateTimeField(_("retried at"), null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retried by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    retry_task_id = models.CharField(max_length=64, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = TaskFailureQuerySet.as_manager()

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at", "-pk"]
        indexes = [models.Index(fields=["resolved_at", "-failed_at"], name="jobs_failure_open")]

    def __str__(self) -> str:
        return f"{self.task_path} {self.failed_at:%Y-%m-%d %H:%M}"


class ScheduledRun(models.Model):
    """The last time the scheduler enqueued a periodic job (gongkai.jobs.scheduler): the row
    is claimed by a conditional update, so two schedulers or a restart never run a slot
    twice."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    last_slot = models.DateTimeField(_("last scheduled for"))
    last_enqueued_at = models.DateTimeField(_("last enqueued at"))
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")

    def __str__(self) -> str:
        return self.name
