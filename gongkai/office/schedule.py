"""The periodic jobs: which task, how often (cron, local time: Asia/Shanghai).

`manage.py run_scheduler` enqueues each at its times (gongkai/jobs/scheduler.py); the
workers (`manage.py db_worker`) run them. Every task is idempotent, so a job run twice, or
late, does no harm. Declared here, on top of the layers, because it names every app's tasks.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.foi import tasks as foi_tasks
from gongkai.jobs import tasks as jobs_tasks
from gongkai.jobs.scheduler import Periodic
from gongkai.office import tasks as office_tasks
from gongkai.publishing import tasks as publishing_tasks

JOBS: tuple[Periodic, ...] = (
    # Cases due within three working days or overdue (foi/reminders.py), each once.
    Periodic(
        "reminders.foi",
        office_tasks.send_reminders,
        "*/10 * * * *",
        _("Reminders of applications due soon or overdue"),
        args=("foi",),
    ),
    # The monthly catalog schedule and expiring normative documents (publishing/reminders.py).
    Periodic(
        "reminders.publishing",
        office_tasks.send_reminders,
        "0 8 * * *",
        _("Reminders of the catalog schedule"),
        args=("publishing",),
    ),
    # 第四十九条: the annual report's deadline and, after it, its overdue notice.
    Periodic(
        "reminders.annual",
        office_tasks.send_reminders,
        "30 8 * * *",
        _("Reminders of the annual report's deadline"),
        args=("annual",),
    ),
    Periodic(
        "letters.email_retry",
        foi_tasks.retry_letter_emails,
        "*/5 * * * *",
        _("E-mail again the letters whose e-mail failed"),
    ),
    # The day's head of the publication log (发布记录校验值), after the day's last publication.
    Periodic(
        "publishing.log_head",
        publishing_tasks.check_publication_log,
        "5 0 * * *",
        _("Check the publication log and record the day's head"),
    ),
    # The detector improves; old items deserve the new checks (publishing/rescan.py).
    Periodic(
        "publishing.rescan",
        publishing_tasks.rescan_published_items,
        "0 2 * * 0",
        _("Re-scan published items for personal data"),
    ),
    Periodic(
        "tasks.prune",
        jobs_tasks.prune_finished_tasks,
        "30 3 * * *",
        _("Delete old finished task records"),
    ),
)
