"""Retries with backoff, failure records and their resolution (gongkai/jobs/queue.py)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from gongkai.jobs import queue
from gongkai.jobs.models import ScheduledRun, TaskFailure
from tests.jobs import sample_tasks

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _fresh_calls():
    sample_tasks.CALLS.clear()


def run_worker() -> None:
    """What `manage.py db_worker --batch` does, in this process and transaction (whose
    connection the worker's close_old_connections would close on PostgreSQL)."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def test_a_failing_task_is_tried_again_until_it_succeeds():
    result = sample_tasks.flaky.enqueue("twice", 2)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.attempts == 3
    assert sample_tasks.CALLS == ["twice"] * 3
    assert not TaskFailure.objects.exists()


def test_after_its_last_attempt_a_failure_is_recorded_with_its_object(settings, cast):
    settings.TASK_MAX_ATTEMPTS = 3
    result = sample_tasks.broken.enqueue(cast.a.pk)
    assert result.status == TaskResultStatus.FAILED
    assert result.attempts == 3
    failure = TaskFailure.objects.get()
    assert failure.task_path == "tests.jobs.sample_tasks.broken"
    assert failure.error == "mail server unreachable"
    assert failure.attempts == 3 and not failure.permanent
    assert failure.object_label == str(cast.a)
    assert failure.object_id == str(cast.a.pk)
    assert failure.content_type is not None and failure.content_type.model == "agency"
    assert failure.args == {"args": [cast.a.pk], "kwargs": {}}
    assert failure.resolved_at is None


def test_a_permanent_error_is_recorded_at_once_and_not_retried(cast):
    result = sample_tasks.hopeless.enqueue(cast.b.pk)
    assert result.status == TaskResultStatus.FAILED
    assert sample_tasks.CALLS == ["hopeless"]
    failure = TaskFailure.objects.get()
    assert failure.permanent and failure.attempts == 1
    assert failure.error == "这个文件无法读取"


def test_failing_again_updates_the_open_record(settings, cast):
    settings.TASK_MAX_ATTEMPTS = 1
    sample_tasks.broken.enqueue(cast.a.pk)
    sample_tasks.broken.enqueue(cast.a.pk)
    sample_tasks.broken.enqueue(cast.b.pk)
    assert TaskFailure.objects.count() == 2
    assert TaskFailure.objects.get(object_id=str(cast.a.pk)).attempts == 2


def test_a_later_success_with_the_same_arguments_resolves_the_failure(settings):
    settings.TASK_MAX_ATTEMPTS = 2
    sample_tasks.flaky.enqueue("late", 3)  # fails twice: recorded
    failure = TaskFailure.objects.get()
    assert failure.resolved_at is None
    sample_tasks.flaky.enqueue("late", 3)  # the third call succeeds
    failure.refresh_from_db()
    assert failure.resolved_at is not None


def test_the_wait_doubles_and_is_capped(settings):
    settings.TASK_RETRY_SECONDS = 60
    assert [queue.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert queue.backoff(30) == queue.MAX_BACKOFF


def test_the_database_backend_requeues_the_same_row_after_a_wait(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_RETRY_SECONDS = 600
    result = sample_tasks.flaky.enqueue("db", 1)
    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    # Failed once, back in the queue, not before its wait is over.
    assert row.status == TaskResultStatus.READY
    assert len(row.worker_ids) == 1
    assert row.run_after > timezone.now() + timedelta(seconds=590)
    run_worker()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2
    assert ScheduledRun.objects.filter(name="db").exists()


def test_the_database_backend_records_the_failure_after_the_last_attempt(settings, cast):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_MAX_ATTEMPTS = 2
    result = sample_tasks.broken.enqueue(cast.a.pk)
    run_worker()
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    failure = TaskFailure.objects.get()
    assert failure.attempts == 2 and failure.task_id == str(result.id)
    assert failure.error == "mail server unreachable"


def test_a_task_left_running_by_a_stopped_worker_is_queued_again(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_STALE_MINUTES = 30
    result = sample_tasks.mark.enqueue("stale")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("killed-worker")  # as a worker does, then it dies
    assert queue.requeue_stale() == 0  # not stale yet
    later = timezone.now() + timedelta(minutes=31)
    assert queue.requeue_stale(later) == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["killed-worker", "test-worker"]


def test_a_task_whose_worker_keeps_dying_is_recorded_not_requeued_forever(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_MAX_ATTEMPTS = 2
    result = sample_tasks.mark.enqueue("dies")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("w1")
    later = timezone.now() + timedelta(hours=1)
    assert queue.requeue_stale(later) == 1
    row.refresh_from_db()
    row.claim("w2")
    assert queue.requeue_stale(later + timedelta(hours=1)) == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    failure = TaskFailure.objects.get()
    assert failure.error_class == queue.WORKER_LOST and failure.attempts == 2


def test_prune_deletes_only_old_finished_rows(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_KEEP_DAYS = 14
    old = sample_tasks.mark.enqueue("old")
    waiting = sample_tasks.mark.enqueue("waiting")
    run_worker()
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=timezone.now() - timedelta(days=15))
    DBTaskResult.objects.filter(pk=waiting.id).update(status=TaskResultStatus.READY)
    assert queue.prune() == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [
        DBTaskResult.objects.get(pk=waiting.id).pk
    ]


def test_submit_writes_the_row_in_the_callers_transaction(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks() as callbacks:
        queue.submit(sample_tasks.mark, "in-transaction")
    assert not callbacks  # no callback: the row itself commits with the transaction
    assert DBTaskResult.objects.filter(task_path="tests.jobs.sample_tasks.mark").count() == 1


def test_submit_with_the_immediate_backend_runs_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue.submit(sample_tasks.mark, "after-commit")
    assert not ScheduledRun.objects.filter(name="after-commit").exists()
    callbacks[0]()
    assert ScheduledRun.objects.filter(name="after-commit").exists()
