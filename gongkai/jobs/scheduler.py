"""Periodic jobs: which task, how often (a cron expression in local time), run by ONE
scheduler process (`manage.py run_scheduler`, gongkai/office/schedule.py declares them).

The scheduler only enqueues; the workers run. Each job's last slot is a `ScheduledRun`
row, claimed by a conditional update in the transaction that writes the task's row: two
schedulers, or one restarted in the middle of a minute, enqueue each slot once. A scheduler
that was down enqueues a missed job once when it comes back, not once per missed slot.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cronsim import CronSim, CronSimError
from django.db import transaction
from django.utils import timezone
from django_stubs_ext import StrOrPromise
from django_tasks.base import Task

from gongkai.jobs.models import ScheduledRun

logger = logging.getLogger(__name__)

NEVER = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    """One periodic job: `task` with `args`, at each time `cron` names (local time)."""

    name: str
    task: Task[Any, Any]
    cron: str
    label: StrOrPromise
    args: tuple[Any, ...] = field(default=())

    def last_slot(self, now: datetime) -> datetime:
        """The latest time at or before `now` that the cron expression names."""
        # cronsim's reverse iteration starts strictly before its start: the next minute.
        start = timezone.localtime(now).replace(second=0, microsecond=0) + timedelta(minutes=1)
        return next(CronSim(self.cron, start, reverse=True))

    def next_slot(self, now: datetime) -> datetime:
        return next(CronSim(self.cron, timezone.localtime(now)))


def cron_problem(expression: str) -> str:
    """Why a cron expression is not one, or ""."""
    try:
        CronSim(expression, timezone.localtime())
    except CronSimError as exc:
        return str(exc) or "invalid"
    return ""


def run_due(jobs: Iterable[Periodic], now: datetime | None = None) -> list[str]:
    """Enqueue each job whose latest slot has not been enqueued; the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for periodic in jobs:
        slot = periodic.last_slot(now)
        ScheduledRun.objects.get_or_create(
            name=periodic.name, defaults={"last_slot": NEVER, "last_enqueued_at": NEVER}
        )
        with transaction.atomic():
            claimed = ScheduledRun.objects.filter(name=periodic.name, last_slot__lt=slot).update(
                last_slot=slot, last_enqueued_at=now
            )
            if not claimed:
                continue
            result = periodic.task.enqueue(*periodic.args)
            ScheduledRun.objects.filter(name=periodic.name).update(last_task_id=str(result.id))
        logger.info("Periodic job %s enqueued for %s", periodic.name, slot.isoformat())
        enqueued.append(periodic.name)
    return enqueued
