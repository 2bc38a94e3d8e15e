"""Background tasks on Django's tasks API (django-tasks, its database backend django-tasks-db).

- `job(...)` declares a task: django-tasks' `task` plus this module's retry policy and the
  model whose primary key is the task's first argument (what a failure "concerns").
- `submit(task, *args)` enqueues with the caller's transaction: with the database backend
  the task's row is written in that transaction (committed with the change it follows,
  never run before it, never lost after it); with the immediate backend it runs on commit.
- A task that raises is tried again, waiting TASK_RETRY_SECONDS and then twice as long
  each time, until TASK_MAX_ATTEMPTS (or the job's own limit); a `PermanentError` stops at
  once. Then a `TaskFailure` records it with its error and object for the administrators
  (the failures page, `gongkai/jobs/views.py`), who may queue it again.
- `requeue_stale` gives back to the queue the tasks a killed worker left "running";
  `prune` deletes old finished rows. The scheduler (`jobs/scheduler.py`) calls both.

Tasks must be idempotent: a retry, a requeued task or a second scheduler tick may run one
twice, and each is written so that the second run changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise
from django_tasks import TaskResult, TaskResultStatus, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from gongkai.jobs.models import TaskFailure

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# The longest wait between two attempts.
MAX_BACKOFF = timedelta(days=1)
WORKER_LOST = "gongkai.jobs.queue.WorkerLost"


class PermanentError(Exception):
    """Raised by a task when trying again cannot help (an unreadable file, a deleted
    object, a letter that may not be sent): recorded as failed at once, never retried."""


class WorkerLost(Exception):
    """The worker running the task stopped (killed, machine restarted) too many times."""


@dataclass(frozen=True)
class Policy:
    label: StrOrPromise  # what the failures page calls the task
    max_attempts: int | None  # None: settings.TASK_MAX_ATTEMPTS
    concerns: str  # "app_label.Model" whose primary key is the first argument, or ""

    @property
    def attempts(self) -> int:
        return self.max_attempts or settings.TASK_MAX_ATTEMPTS


_POLICIES: dict[str, Policy] = {}


def job(
    label: StrOrPromise,
    *,
    concerns: str = "",
    max_attempts: int | None = None,
    priority: int = 0,
) -> Callable[[Callable[P, T]], Task[P, T]]:
    """Declare a module-level function as a background task with retries.

    `label` is its name for people (gettext_lazy); `concerns` names the model ("foi.LetterDelivery") whose primary key is the first
    argument: a failure shows that object. Arguments are JSON (primary keys, not objects).
    """

    def decorate(func: Callable[P, T]) -> Task[P, T]:
        declared: Task[P, T] = task(priority=priority)(func)
        _POLICIES[declared.module_path] = Policy(label, max_attempts, concerns)
        return declared

    return decorate


def policy(task_path: str) -> Policy | None:
    return _POLICIES.get(task_path)


def label(task_path: str) -> str:
    found = policy(task_path)
    return str(found.label) if found is not None else task_path.rsplit(".", 1)[-1]


def find_task(task_path: str) -> Task[Any, Any] | None:
    """The declared task at a dotted path, or None (no such task, or not one of ours)."""
    try:
        found = import_string(task_path)
    except ImportError:
        return None
    return found if isinstance(found, Task) and found.module_path in _POLICIES else None


def submit(declared: Task[P, T], *args: P.args, **kwargs: P.kwargs) -> None:
    """Enqueue with the caller's transaction (see the module's docstring)."""
    if isinstance(declared.get_backend(), DatabaseBackend):
        declared.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: declared.enqueue(*args, **kwargs))


def backoff(attempt: int) -> timedelta:
    """The wait after the `attempt`-th failed attempt: TASK_RETRY_SECONDS, doubling."""
    wait = timedelta(seconds=settings.TASK_RETRY_SECONDS * 2 ** min(attempt - 1, 20))
    return min(wait, MAX_BACKOFF)


def job_key(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    """One task with one set of arguments: what a later success resolves."""
    raw = json.dumps([task_path, args, kwargs], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


# ---- after each run -----------------------------------------------------------------------


def connect() -> None:
    task_finished.connect(on_task_finished, dispatch_uid="gongkai.jobs.queue")


def on_task_finished(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """Retry, record or resolve. Never raises: the worker sends this signal inside its own
    error handling, where an exception would mark a successful task failed."""
    found = policy(task_result.task.module_path)
    if found is None:
        return
    try:
        retry = False
        with transaction.atomic():
            if task_result.status == TaskResultStatus.SUCCESSFUL:
                _resolve(task_result)
            elif task_result.status == TaskResultStatus.FAILED:
                retry = _after_failure(task_result, found)
        if retry:
            _run_again(task_result)
    except Exception:
        logger.exception("Task %s: its failure could not be handled", task_result.id)


def _is_permanent(class_path: str) -> bool:
    try:
        cls = import_string(class_path)
    except ImportError:
        return False
    return isinstance(cls, type) and issubclass(cls, PermanentError)


def error_message(traceback: str) -> str:
    """The exception's own message: the last line of the traceback without its class."""
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    last = lines[-1]
    head, sep, message = last.partition(": ")
    return message if sep and " " not in head else last


def _after_failure(task_result: TaskResult[Any], found: Policy) -> bool:
    """True to try again; otherwise the failure is recorded."""
    error = task_result.errors[-1]
    permanent = _is_permanent(error.exception_class_path)
    attempt = task_result.attempts
    if not permanent and attempt < found.attempts:
        backend = task_result.task.get_backend()
        if isinstance(backend, DatabaseBackend):
            # The same row goes back to the queue: its worker ids count the attempts.
            DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
                status=TaskResultStatus.READY,
                run_after=timezone.now() + backoff(attempt),
                finished_at=None,
            )
            return False
        if isinstance(backend, ImmediateBackend):
            return True
    record_failure(
        task_result.task.module_path,
        list(task_result.args),
        dict(task_result.kwargs),
        error=error_message(error.traceback) or error.exception_class_path,
        error_class=error.exception_class_path,
        traceback=error.traceback,
        attempts=attempt,
        permanent=permanent,
        task_id=str(task_result.id),
    )
    return False


def _run_again(task_result: TaskResult[Any]) -> None:
    """The immediate backend has no queue to wait in: the next attempt runs now, on the same
    result (its worker ids count the attempts, as the database backend's do)."""
    backend = task_result.task.get_backend()
    if isinstance(backend, ImmediateBackend):
        backend._execute_task(task_result)


def _resolve(task_result: TaskResult[Any]) -> None:
    key = job_key(task_result.task.module_path, list(task_result.args), dict(task_result.kwargs))
    TaskFailure.objects.open().filter(key=key).update(resolved_at=timezone.now())


def _concerned(task_path: str, args: list[Any]) -> tuple[Any, str, str]:
    """(content type, object id, label) of the object a task's first argument names."""
    found = policy(task_path)
    if found is None or not found.concerns or not args:
        return None, "", ""
    model = apps.get_model(found.concerns)
    pk = args[0]
    obj = model._default_manager.filter(pk=pk).first()
    label = str(obj) if obj is not None else f"{model._meta.verbose_name} #{pk}"
    return ContentType.objects.get_for_model(model), str(pk), label[:300]


def record_failure(
    task_path: str,
    args: list[Any],
    kwargs: dict[str, Any],
    *,
    error: str,
    error_class: str,
    traceback: str,
    attempts: int,
    permanent: bool,
    task_id: str,
) -> TaskFailure:
    """The failure of a task for the administrators; one open record per task and arguments
    (a periodic job failing every run updates its record)."""
    key = job_key(task_path, args, kwargs)
    content_type, object_id, label = _concerned(task_path, args)
    now = timezone.now()
    values = {
        "error": error[:2000],
        "error_class": error_class[:200],
        "traceback": traceback[-20000:],
        "permanent": permanent,
        "task_id": task_id,
        "failed_at": now,
        "object_label": label,
    }
    existing = TaskFailure.objects.open().filter(key=key).select_for_update().first()
    if existing is not None:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.attempts += attempts
        existing.save()
        return existing
    logger.error("Task %s failed for good after %d attempts: %s", task_path, attempts, error)
    return TaskFailure.objects.create(
        task_path=task_path[:200],
        key=key,
        args={"args": args, "kwargs": kwargs},
        content_type=content_type,
        object_id=object_id,
        attempts=attempts,
        **values,
    )


# ---- the queue's upkeep ---------------------------------------------------------------------


def requeue_stale(now: datetime | None = None) -> int:
    """Tasks still "running" TASK_STALE_MINUTES after they started belong to a worker that
    stopped: queue them again (their worker ids count the attempt), or record them as
    failed once they have used their attempts. Returns how many were given back."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.TASK_STALE_MINUTES)
    requeued = 0
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        for row in stale:
            found = policy(row.task_path)
            limit = found.attempts if found is not None else settings.TASK_MAX_ATTEMPTS
            if len(row.worker_ids) < limit:
                row.status = TaskResultStatus.READY
                row.run_after = timezone.now()  # at once (`now` may be a later time in tests)
                row.save(update_fields=["status", "run_after"])
                requeued += 1
                logger.warning(
                    "Task %s (%s) queued again: its worker stopped", row.pk, row.task_path
                )
                continue
            message = _("The worker running this task stopped %(count)d times.") % {
                "count": len(row.worker_ids)
            }
            row.status = TaskResultStatus.FAILED
            row.finished_at = now
            row.exception_class_path = WORKER_LOST
            row.traceback = f"{WORKER_LOST}: {message}"
            row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            if found is not None:
                record_failure(
                    row.task_path,
                    row.args_kwargs.get("args", []),
                    row.args_kwargs.get("kwargs", {}),
                    error=message,
                    error_class=WORKER_LOST,
                    traceback="",
                    attempts=len(row.worker_ids),
                    permanent=False,
                    task_id=str(row.pk),
                )
    return requeued


def prune(now: datetime | None = None) -> int:
    """Delete finished task rows older than TASK_KEEP_DAYS (failures stay in TaskFailure)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TASK_KEEP_DAYS)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
