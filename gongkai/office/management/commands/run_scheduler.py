"""The one scheduler process: enqueue the periodic jobs of gongkai/office/schedule.py at
their times, and give back to the queue the tasks of workers that were killed."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.jobs import queue, scheduler
from gongkai.office.schedule import JOBS


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (gongkai/office/schedule.py) at their times, and queue "
        "again the tasks left running by a stopped worker. Run one, beside the workers "
        "(manage.py db_worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Enqueue what is due now, then exit."
        )
        parser.add_argument(
            "--list", action="store_true", dest="show_list", help="List the periodic jobs."
        )

    def handle(self, *args: Any, once: bool, show_list: bool, **options: Any) -> None:
        if show_list:
            now = timezone.now()
            for job in JOBS:
                upcoming = timezone.localtime(job.next_slot(now)).strftime("%Y-%m-%d %H:%M")
                self.stdout.write(f"{job.name:24} {job.cron:16} {upcoming}  {job.label}")
            return
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while self.running:
            close_old_connections()
            self._tick()
            if once:
                return
            # Wake just after the next minute starts: cron's resolution.
            time.sleep(60.5 - time.time() % 60)

    def _tick(self) -> None:
        for name in scheduler.run_due(JOBS):
            self.stdout.write(_("Enqueued %(job)s") % {"job": name})
        requeued = queue.requeue_stale()
        if requeued:
            self.stdout.write(
                _("%(count)d tasks of a stopped worker queued again.") % {"count": requeued}
            )

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
        raise SystemExit(0)
