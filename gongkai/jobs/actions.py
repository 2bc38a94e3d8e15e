"""The administrators' one step on background tasks: queue a failed task again."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.jobs import queue
from gongkai.jobs.models import TaskFailure
from gongkai.lib.errors import ActionError
from gongkai.orgs.models import User


@transaction.atomic
def retry_failure(failure: TaskFailure, *, actor: User, request: HttpRequest | None = None) -> None:
    """Queue the failed task again with its arguments; its success resolves the failure."""
    failure = TaskFailure.objects.select_for_update().get(pk=failure.pk)
    if failure.resolved_at is not None:
        raise ActionError(_("This task has succeeded since it failed: there is nothing to retry."))
    found = queue.find_task(failure.task_path)
    if found is None:
        raise ActionError(
            _("This task no longer exists in this version of the system; it cannot be retried.")
        )
    TaskFailure.objects.filter(pk=failure.pk).update(retried_at=timezone.now(), retried_by=actor)
    record(
        Action.TASK_RETRIED,
        actor=actor,
        request=request,
        detail={"task": failure.task_path, "failure": failure.pk, "concerns": failure.object_label},
    )
    args = failure.args.get("args", [])
    kwargs = failure.args.get("kwargs", {})
    queue.submit(found, *args, **kwargs)
