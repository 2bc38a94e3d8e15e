"""The queue's own upkeep, run as a periodic job (office/schedule.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.jobs.queue import job, prune


@job(_("Delete old finished task records"))
def prune_finished_tasks() -> int:
    """Finished task rows older than TASK_KEEP_DAYS; the failures stay on their page."""
    return prune()
