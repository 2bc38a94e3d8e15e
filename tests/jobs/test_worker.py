"""A real `manage.py db_worker` process against the test database: a queued task is run,
and a worker killed mid-task leaves its task to be picked up again (requeue_stale).

On PostgreSQL (the test database is shared with the worker). On SQLite the test database is
in memory, where no other process can see it: marked postgres.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.jobs import queue
from gongkai.jobs.models import ScheduledRun
from tests.jobs import sample_tasks

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _database_backend(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the test database on PostgreSQL")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker(*extra: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DEBUG": "1", "TASK_BACKEND": "database", "DATABASE_URL": url}
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_worker_process_runs_a_queued_task():
    result = sample_tasks.mark.enqueue("from-the-worker")
    process = worker("--batch")
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "from-the-worker"
    assert ScheduledRun.objects.filter(name="from-the-worker").exists()


def test_a_task_of_a_killed_worker_is_picked_up_again(settings):
    result = sample_tasks.slow_once.enqueue("killed", 120)
    first = worker()
    try:
        wait_for(lambda: ScheduledRun.objects.filter(name="killed-started").exists())
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.RUNNING  # and nobody will finish it
    settings.TASK_STALE_MINUTES = 1
    assert queue.requeue_stale(timezone.now() + timedelta(minutes=2)) == 1
    second = worker("--batch")
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err.decode()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2
    assert ScheduledRun.objects.filter(name="killed-done").exists()
