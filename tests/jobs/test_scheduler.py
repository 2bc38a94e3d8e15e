"""The periodic jobs' declarations and the one scheduler (gongkai/jobs/scheduler.py)."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks.base import Task

from gongkai.jobs import queue, scheduler
from gongkai.jobs.models import ScheduledRun
from gongkai.jobs.scheduler import Periodic
from gongkai.office.reminders import SOURCES
from gongkai.office.schedule import JOBS
from tests.jobs import sample_tasks

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.mark.parametrize("periodic", JOBS, ids=[j.name for j in JOBS])
def test_every_declared_job_names_a_declared_task_and_a_valid_cron(periodic):
    assert isinstance(periodic.task, Task)
    assert queue.find_task(periodic.task.module_path) is periodic.task
    assert scheduler.cron_problem(periodic.cron) == ""
    assert str(periodic.label)
    if periodic.task.module_path.endswith("send_reminders"):
        assert periodic.args[0] in SOURCES


def test_job_names_are_unique():
    assert len({j.name for j in JOBS}) == len(JOBS)


def test_every_reminder_source_has_a_job():
    sources = {j.args[0] for j in JOBS if j.task.module_path.endswith("send_reminders")}
    assert sources == set(SOURCES)


def test_a_bad_cron_expression_is_named():
    assert scheduler.cron_problem("61 * * * *") != ""
    assert scheduler.cron_problem("*/5 * * * *") == ""


def test_the_last_slot_is_in_local_time():
    daily = Periodic("d", sample_tasks.mark, "5 0 * * *", "d", args=("d",))
    assert daily.last_slot(at(2026, 3, 2, 0, 4)) == at(2026, 3, 1, 0, 5)
    assert daily.last_slot(at(2026, 3, 2, 0, 5, 30)) == at(2026, 3, 2, 0, 5)


@pytest.mark.django_db
def test_each_slot_is_enqueued_once_however_often_the_scheduler_runs():
    every_ten = Periodic("ten", sample_tasks.mark, "*/10 * * * *", "ten", args=("ten",))
    assert scheduler.run_due([every_ten], at(2026, 3, 2, 9, 1)) == ["ten"]
    # A second scheduler, or a restart, in the same slot: nothing.
    assert scheduler.run_due([every_ten], at(2026, 3, 2, 9, 5)) == []
    assert scheduler.run_due([every_ten], at(2026, 3, 2, 9, 9, 59)) == []
    assert scheduler.run_due([every_ten], at(2026, 3, 2, 9, 10)) == ["ten"]
    run = ScheduledRun.objects.get(name="ten")
    assert run.last_slot == at(2026, 3, 2, 9, 10)


@pytest.mark.django_db
def test_a_scheduler_that_was_down_runs_a_missed_job_once():
    every_ten = Periodic("late", sample_tasks.mark, "*/10 * * * *", "late", args=("late",))
    scheduler.run_due([every_ten], at(2026, 3, 2, 9, 0))
    assert scheduler.run_due([every_ten], at(2026, 3, 2, 14, 3)) == ["late"]
    assert scheduler.run_due([every_ten], at(2026, 3, 2, 14, 4)) == []


@pytest.mark.django_db
def test_run_scheduler_once_enqueues_every_job_due(mailoutbox, monkeypatch):
    # The test's transaction: close_old_connections would close it on PostgreSQL.
    monkeypatch.setattr(
        "gongkai.office.management.commands.run_scheduler.close_old_connections", lambda: None
    )
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert ScheduledRun.objects.count() == len(JOBS)
    for periodic in JOBS:
        assert periodic.name in out.getvalue()
    # Run again at once: every slot has been taken.
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue() == ""


def test_run_scheduler_lists_the_jobs():
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    for periodic in JOBS:
        assert periodic.name in out.getvalue() and periodic.cron in out.getvalue()
