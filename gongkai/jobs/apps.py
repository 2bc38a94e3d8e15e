from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "gongkai.jobs"
    verbose_name = _("Background tasks")

    def ready(self) -> None:
        # django-tasks reports a finished task only by its signal: the retry and the failure
        # record hang on it (gongkai.jobs.queue.on_task_finished), not domain flow.
        from gongkai.jobs import queue

        queue.connect()
